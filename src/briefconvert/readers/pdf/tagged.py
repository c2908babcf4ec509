"""Tagged PDFs: the structure tree -> model blocks.

The tree is walked in logical order; marked content is joined to the tags
through (page, MCID) pairs; content that no tag claims (running heads, page
numbers, /Artifact) is left out.  Block recursion is bounded by
:data:`MAX_DEPTH`; anything deeper is read as the inline text of the element
where the limit was reached (the inline flattening is iterative).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ...model import (
    Aside,
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Cell,
    Div,
    Figure,
    Heading,
    Image,
    Inline,
    ListItem,
    NumberStyle,
    OrderedList,
    Paragraph,
    Row,
    Scope,
    Table,
    Text,
)
from ...textnorm import collapse_ws
from .backend import AnnotRef, ContentRef, StructElement, StructKid
from .blocks import is_caption, list_marker
from .images import is_decoration
from .inlines import Pic, Token, build_inlines, text_of
from .tagged_inlines import SKIP, TaggedContext, TaggedInput, referenced
from .tagged_inlines import inlines as _inlines
from .tagged_inlines import refs as _refs
from .tagged_inlines import refs_el as _refs_el
from .tagged_inlines import spans_of as _spans_of
from .tagged_inlines import spans_of_ref as _spans_of_ref
from .tagged_inlines import src_of as _src

MAX_DEPTH = 120

INLINE_TYPES = frozenset(
    [
        "Span",
        "Quote",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Em",
        "Strong",
        "Sub",
        "Lbl",
        "RB",
        "RT",
        "RP",
        "WT",
        "WP",
        "Formula",
    ]
)
TRANSPARENT = frozenset({"NonStruct", "Div", "Private", "Part", "Art", "Sect", "DocumentFragment"})
CELL_LIKE = frozenset({"LBody", "LI", "TD", "TH", "BlockQuote", "Note", "FENote", "Caption", "Quote"})
BLOCK_LEVEL = frozenset(
    {
        "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Title", "L", "LI", "Table", "TR", "BlockQuote",
        "TOC", "TOCI", "Caption", "Aside", "Index", "Document", "Figure",
    }
)  # fmt: skip
_LIST_STYLES: Mapping[str, NumberStyle] = {
    "Decimal": "1",
    "UpperRoman": "I",
    "LowerRoman": "i",
    "UpperAlpha": "A",
    "LowerAlpha": "a",
}
_LABEL = re.compile(r"^\(?\s*(\d{1,4}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})\s*[.):]?\s*$")
_ATTRIBUTION = re.compile(r"^\s*[—–―-]\s*\S")


def read_tagged(root: StructElement, ctx: TaggedContext) -> list[Block]:
    return _container(root, ctx, depth=0, sects=0, lang=ctx.doc_lang)


# ------------------------------------------------------------------ blocks


def _container(
    el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None
) -> list[Block]:
    """The blocks of an element whose children are blocks (inline runs among
    them become paragraphs).  Inside cell-like elements (list bodies, table
    cells, quotes, notes) a grouping element holding only inline content
    joins the surrounding text; elsewhere it is a paragraph of its own."""
    out: list[Block] = []
    run: list[StructKid] = []
    cell_like = el.type in CELL_LIKE

    def flush() -> None:
        if run:
            refs = [r for k in run for r in ([k] if isinstance(k, ContentRef) else _refs_el(k))]
            content = _inlines(run, ctx, lang)
            if content:
                para = Paragraph(content, src=_src(run, "tag"))
                _note_geometry(para, refs, ctx)
                out.append(para)
            run.clear()

    for kid in el.kids:
        if isinstance(kid, (ContentRef, AnnotRef)) or (isinstance(kid, StructElement) and _is_inline(kid)):
            run.append(kid)
            continue
        if isinstance(kid, StructElement) and kid.type in TRANSPARENT and not _has_block(kid):
            if cell_like:
                run.append(kid)
                continue
            flush()
            run.append(kid)
            flush()
            continue
        flush()
        out.extend(_block(kid, ctx, depth=depth + 1, sects=sects, lang=lang))
    flush()
    return _attach_captions(out, ctx)


def _note_geometry(block: Block, refs: Sequence[ContentRef], ctx: TaggedContext) -> None:
    """Remember a paragraph's page and dominant type size (footnotes are small)."""
    weights: dict[float, int] = {}
    for r in refs:
        for s in ctx.data.spans.get((r.page, r.mcid), ()):
            weights[s.size] = weights.get(s.size, 0) + len(s.text)
    if refs and weights:
        ctx.geometry[id(block)] = (refs[0].page, max(weights.items(), key=lambda kv: kv[1])[0])


def _is_inline(el: StructElement) -> bool:
    if el.type in INLINE_TYPES:
        return True
    return el.type == "Figure" and el.attrs.get("Placement") == "Inline"


def _has_block(el: StructElement) -> bool:
    """Whether a block-level element lies below ``el`` (iterative)."""
    stack: list[StructKid] = list(el.kids)
    while stack:
        item = stack.pop()
        if isinstance(item, StructElement):
            if item.type in BLOCK_LEVEL:
                return True
            stack.extend(item.kids)
    return False


def _block(el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None) -> list[Block]:
    if el.type in SKIP:
        return []
    own_lang = el.lang.strip() if el.lang and el.lang.strip() else None
    changed = own_lang is not None and own_lang != lang
    inner_lang = own_lang or lang
    attr = Attr(lang=own_lang) if changed else Attr()
    if depth > MAX_DEPTH:
        content = _inlines([el], ctx, inner_lang)
        return [Paragraph(content, attr, src=_src([el], "tag"))] if content else []
    t = el.type
    if t in ("H1", "H2", "H3", "H4", "H5", "H6", "H", "Title"):
        level = 1 if t == "Title" else (int(t[1]) if len(t) == 2 else max(1, min(6, sects or 1)))
        content = _inlines(el.kids, ctx, inner_lang, actual=el.actual_text)
        return [Heading(level, content, attr, src=_src([el], "tag"))] if content else []
    if t in ("P", "Caption", "TOCI", "Note", "FENote", "BibEntry") or (t == "Formula"):
        blocks = _mixed(el, ctx, depth=depth, sects=sects, lang=inner_lang)
        if t == "Caption":
            for b in blocks:
                ctx.captions.add(id(b))
        blocks = _with_attr(blocks, attr)
        if len(blocks) == 1:
            _note_geometry(blocks[0], _refs(el), ctx)
        return blocks
    if t == "L":
        lst = _list(el, ctx, depth=depth, sects=sects, lang=inner_lang)
        return _with_attr([lst], attr) if lst is not None else []
    if t in ("LI", "LBody"):
        return _with_attr(_item_blocks(el, ctx, depth=depth, sects=sects, lang=inner_lang), attr)
    if t == "Table":
        return _with_attr([_table(el, ctx, depth=depth, sects=sects, lang=inner_lang)], attr)
    if t in ("TR", "TH", "TD", "THead", "TBody", "TFoot"):  # table parts out of place
        return _with_attr(_container(el, ctx, depth=depth, sects=sects, lang=inner_lang), attr)
    if t == "Figure":
        return _with_attr([_figure(el, ctx, depth=depth, lang=inner_lang)], attr)
    if t == "BlockQuote":
        blocks = _container(el, ctx, depth=depth, sects=sects, lang=inner_lang)
        quote = _blockquote(blocks, attr, el)
        return [quote] if quote is not None else []
    if t == "Aside":
        blocks = _container(el, ctx, depth=depth, sects=sects, lang=inner_lang)
        return [Aside(tuple(blocks), "sidebar", attr, src=_src([el], "tag"))] if blocks else []
    if t in INLINE_TYPES:
        content = _inlines([el], ctx, lang)
        return [Paragraph(content, src=_src([el], "tag"))] if content else []
    # containers (Sect, Div, Part, Art, NonStruct, Document, unknown types)
    blocks = _container(el, ctx, depth=depth, sects=sects + (t == "Sect"), lang=inner_lang)
    if changed and blocks:
        return [Div(tuple(blocks), attr)]
    return blocks


def _with_attr(blocks: list[Block], attr: Attr) -> list[Block]:
    if attr == Attr() or not blocks:
        return blocks
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph | Heading):
        return [replace(blocks[0], attr=attr)]
    return [Div(tuple(blocks), attr)]


def _mixed(el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None) -> list[Block]:
    """A paragraph-like element: usually inline content only, but producers
    put lists or tables inside P too."""
    if el.actual_text is not None or all(
        isinstance(k, (ContentRef, AnnotRef))
        or _is_inline(k)
        or k.type in ("Note", "FENote")
        or (k.type in TRANSPARENT and not _has_block(k))
        for k in el.kids
    ):
        content = _inlines(el.kids, ctx, lang, actual=el.actual_text)
        return [Paragraph(content, src=_src([el], "tag"))] if content else []
    return _container(el, ctx, depth=depth, sects=sects, lang=lang)


def _list(el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None) -> Block | None:
    items: list[ListItem] = []
    labels: list[str] = []
    for kid in el.kids:
        if isinstance(kid, StructElement) and kid.type == "LI":
            label = _label_text(kid, ctx)
            blocks = _item_blocks(kid, ctx, depth=depth + 1, sects=sects, lang=lang)
            if not label:
                label, blocks = _inline_label(blocks)
            labels.append(label)
            items.append(ListItem(tuple(blocks)))
        elif isinstance(kid, StructElement) and kid.type == "L" and items:
            nested = _list(kid, ctx, depth=depth + 1, sects=sects, lang=lang)
            if nested is not None:
                last = items[-1]
                items[-1] = ListItem((*last.blocks, nested), last.attr)
        elif isinstance(kid, StructElement) and kid.type not in ("Lbl",):
            blocks = _block(kid, ctx, depth=depth + 1, sects=sects, lang=lang)
            if blocks:
                items.append(ListItem(tuple(blocks)))
        elif isinstance(kid, ContentRef):
            content = _inlines([kid], ctx, lang)
            if content:
                items.append(ListItem((Paragraph(content),)))
    items = [i for i in items if i.blocks]
    if not items:
        return None
    style, start = _numbering(el.attrs.get("ListNumbering"), labels)
    src = _src([el], "tag")
    if style is None:
        return BulletList(tuple(items), src=src)
    return OrderedList(tuple(items), start, style, src=src)


def _inline_label(blocks: list[Block]) -> tuple[str, list[Block]]:
    """A list label drawn as part of the item's text (no Lbl tag): removed
    from the text and returned."""
    if not blocks or not isinstance(blocks[0], Paragraph):
        return "", blocks
    first = blocks[0]
    if not first.content or not isinstance(first.content[0], Text):
        return "", blocks
    marker = list_marker(first.content[0].text)
    if marker is None:
        return "", blocks
    head = first.content[0].text.lstrip()[len(marker[0]) :].lstrip()
    content = ((Text(head),) if head else ()) + first.content[1:]
    return marker[0], [replace(first, content=content), *blocks[1:]]


def _numbering(attr: str | None, labels: list[str]) -> tuple[NumberStyle | None, int]:
    first = next((lbl for lbl in labels if lbl), "")
    m = _LABEL.match(first) if first[:1].isalnum() or first[:1] == "(" else None
    start = 1
    style: NumberStyle | None = None
    if m:
        token = m.group(1)
        if token.isdigit():
            style, start = "1", int(token)
        elif len(token) > 1 or token in "iI":
            style = "i" if token.islower() else "I"
        else:
            style = "a" if token.islower() else "A"
            start = ord(token.lower()) - ord("a") + 1
    if attr is not None and attr in _LIST_STYLES:
        style = _LIST_STYLES[attr]
    elif attr in ("Disc", "Circle", "Square", "None"):
        style = None
    return style, max(0, start)


def _label_text(li: StructElement, ctx: TaggedContext) -> str:
    for kid in li.kids:
        if isinstance(kid, StructElement) and kid.type == "Lbl":
            return collapse_ws(" ".join(s.text for s in _spans_of(kid, ctx, consume=False)))
    return ""


def _item_blocks(
    el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None
) -> list[Block]:
    """The content of a list item: its LBody (or everything but the label)."""
    kids = [k for k in el.kids if not (isinstance(k, StructElement) and k.type == "Lbl")]
    for k in el.kids:  # the label is used up even though it is not shown
        if isinstance(k, StructElement) and k.type == "Lbl":
            _spans_of(k, ctx, consume=True)
    body = StructElement("Div", tuple(kids), page=el.page)
    if len(kids) == 1 and isinstance(kids[0], StructElement) and kids[0].type == "LBody":
        body = kids[0]
    return _container(body, ctx, depth=depth + 1, sects=sects, lang=lang)


def _table(el: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None) -> Block:
    head: list[Row] = []
    bodies: list[list[Row]] = []
    foot: list[Row] = []
    caption: tuple[Inline, ...] = ()
    loose: list[Row] = []

    def rows_of(group: StructElement) -> list[Row]:
        rows: list[Row] = []
        for kid in group.kids:
            if isinstance(kid, StructElement) and kid.type == "TR":
                rows.append(_row(kid, ctx, depth=depth + 2, sects=sects, lang=lang))
        return rows

    for kid in el.kids:
        if not isinstance(kid, StructElement):
            continue
        if kid.type == "Caption":
            caption = _inlines(kid.kids, ctx, lang)
        elif kid.type == "THead":
            head.extend(rows_of(kid))
        elif kid.type == "TFoot":
            foot.extend(rows_of(kid))
        elif kid.type == "TBody":
            bodies.append(rows_of(kid))
        elif kid.type == "TR":
            loose.append(_row(kid, ctx, depth=depth + 1, sects=sects, lang=lang))
    if loose:
        bodies.insert(0, loose)
    if not head and bodies and bodies[0] and all(c.header for c in bodies[0][0].cells):
        head = [bodies[0][0]]
        bodies[0] = bodies[0][1:]
    # header cells without /Scope: column headers in the head, row headers leading a body row
    head = [Row(tuple(_scoped(c, "col") for c in r.cells)) for r in head]
    bodies = [
        [Row((_scoped(r.cells[0], "row"), *r.cells[1:])) if r.cells else r for r in body] for body in bodies
    ]
    body_rows = tuple(tuple(b) for b in bodies if b)
    return Table(tuple(head), body_rows, tuple(foot), caption, src=_src([el], "tag"))


def _row(tr: StructElement, ctx: TaggedContext, *, depth: int, sects: int, lang: str | None) -> Row:
    cells: list[Cell] = []
    for kid in tr.kids:
        if not isinstance(kid, StructElement) or kid.type not in ("TH", "TD"):
            continue
        blocks = _container(kid, ctx, depth=depth + 1, sects=sects, lang=lang)
        header = kid.type == "TH"
        scope_raw = kid.attrs.get("Scope", "").lower()
        scope: Scope | None = None
        if header and scope_raw in ("row", "column", "both"):
            scope = "row" if scope_raw == "row" else "col"
        cells.append(
            Cell(
                tuple(blocks),
                header=header,
                colspan=_span(kid.attrs.get("ColSpan")),
                rowspan=_span(kid.attrs.get("RowSpan")),
                scope=scope,
            )
        )
    return Row(tuple(cells))


def _scoped(cell: Cell, scope: Scope) -> Cell:
    return replace(cell, scope=scope) if cell.header and cell.scope is None else cell


def _span(value: str | None) -> int:
    try:
        n = int(float(value)) if value else 1
    except ValueError:
        return 1
    return max(1, min(n, 1000))


def _figure(el: StructElement, ctx: TaggedContext, *, depth: int, lang: str | None) -> Block:
    alt_raw = el.alt if el.alt is not None else el.actual_text
    alt = collapse_ws(alt_raw) if alt_raw is not None else None
    tokens: list[Token] = []
    caption: tuple[Inline, ...] = ()
    for ref in _refs(el):
        for placement in ctx.data.images.get((ref.page, ref.mcid), ()):
            ctx.claimed.add(id(placement))
            tokens.append(Pic(ctx.make_image(placement, ref.page, alt if not tokens else ""), ref.page))
        _spans_of_ref(ref, ctx, consume=True)  # text inside a figure (labels of a chart) is its alt's job
    if not tokens and el.page is not None:
        # a producer that tags the figure but draws its image as an artifact:
        # the first image on the page that no figure has taken
        for placement in ctx.data.page_images.get(el.page, ()):
            if id(placement) not in ctx.claimed and not is_decoration(placement):
                ctx.claimed.add(id(placement))
                tokens.append(Pic(ctx.make_image(placement, el.page, alt), el.page))
                break
    for kid in el.kids:
        if isinstance(kid, StructElement) and kid.type == "Caption":
            caption = _inlines(kid.kids, ctx, lang)
    if not tokens:
        page = el.page if el.page is not None else max(ctx.flow.cursor, 0)
        tokens = [Pic(Image(None, alt), page)]
    if alt is None:
        ctx.figures_without_alt += 1
    content = build_inlines(tokens, ctx.flow)
    return Figure((Paragraph(content),), caption, src=_src([el], "tag"))


def _blockquote(blocks: list[Block], attr: Attr, el: StructElement) -> Block | None:
    if not blocks:
        return None
    attribution: tuple[Inline, ...] = ()
    last = blocks[-1]
    if len(blocks) > 1 and isinstance(last, Paragraph) and _ATTRIBUTION.match(text_of(last.content)):
        attribution = _strip_dash(last.content)
        blocks = blocks[:-1]
    return BlockQuote(tuple(blocks), attribution, attr, src=_src([el], "tag"))


def _strip_dash(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if content and isinstance(content[0], Text):
        head = re.sub(r"^\s*[—–―-]\s*", "", content[0].text)
        return ((Text(head),) if head else ()) + content[1:]
    return content


def _caption_like(p: Paragraph) -> bool:
    text = text_of(p.content)
    return len(text) <= 300 and is_caption(text)


def _attach_captions(blocks: list[Block], ctx: TaggedContext) -> list[Block]:
    """A Caption tag beside a Figure or a Table becomes its caption."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and _caption_like(b):
            ctx.captions.add(id(b))
        if isinstance(b, Paragraph) and id(b) in ctx.captions and out:
            prev = out[-1]
            if isinstance(prev, Figure) and not prev.caption:
                out[-1] = replace(prev, caption=b.content)
                continue
            if isinstance(prev, Table) and not prev.caption:
                out[-1] = replace(prev, caption=b.content)
                continue
        if isinstance(b, Figure | Table) and not b.caption and out:
            prev = out[-1]
            if isinstance(prev, Paragraph) and id(prev) in ctx.captions:
                out[-1] = replace(b, caption=prev.content)
                continue
        out.append(b)
    return out


__all__ = ["TaggedContext", "TaggedInput", "read_tagged", "referenced"]
