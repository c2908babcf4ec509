"""The body of a document as HTML elements: :func:`render_body`.

Used by the HTML page writer (``html.py``) and, serialised as XHTML, by the
EPUB writer; it knows nothing of the page shell.  Decisions worth knowing:

Headings
    The document title is the only ``h1`` (it lives in the page header, or
    it is the first body heading when the metadata has no title and
    ``HtmlContext.first_heading_is_title`` is set).  Body headings keep their
    model level, but a level 1 becomes 2 and no heading is deeper than the
    one before it plus one; a repair is reported as ``heading-order``.  Every
    heading gets an id: its source id when that is a safe NCName, else a
    slug of its text, made unique.  A heading without text is written as a
    paragraph (``empty-heading``); headings inside notes become bold
    paragraphs, because notes are not part of the outline, and so do
    headings inside table header cells, where HTML allows none.

Images
    See ``html_media.py``: ``alt`` is never invented, an unknown text
    alternative is never disguised as decorative.

Tables
    See ``html_table.py``: header cells with scope, spans made consistent.

Boxes
    ``Aside(kind="summary")`` is part of the argument, not tangential to it:
    a ``<section class="summary">`` named by its leading heading (a region),
    or a plain ``<div class="summary">`` when it has no heading.  Boxes and
    sidebars are tangential: ``<aside>`` named by its leading heading
    (axe accepts a named complementary landmark inside ``main``), or
    ``<div role="note">`` when it has no heading or its name is taken, so
    that landmark names stay unique (axe ``landmark-unique``).

Quotations
    The attribution is not part of the quotation (HTML: "attribution … must
    be placed outside the blockquote element"), so a quote with an
    attribution is ``<figure class="quote"><blockquote>…</blockquote>
    <figcaption>…</figcaption></figure>``.

Notes
    See ``html_notes.py``: DPUB-ARIA note references and endnotes.

Links
    Only http, https and mailto URLs and ``#fragment`` links are written;
    anything else keeps its text and loses the link (``link-url``).  A
    fragment must name an element of the output, else the link becomes text
    (``link-target``).  Source classes are not written (our stylesheet's
    classes must mean what they say).
"""

from __future__ import annotations

from typing import assert_never
from urllib.parse import unquote

from lxml import etree

from ..model import (
    NO_ATTR,
    Aside,
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionList,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from ..walk import plain_text
from .html_context import (
    CaptionSlot,
    HeadingEntry,
    HtmlContext,
    append_text,
    code_language,
    is_ncname,
    local_name,
    one_line,
    safe_href,
    slug,
    text_of,
    xml_safe,
)
from .html_media import render_image
from .html_notes import note_ref, render_notes, resolve_fragments
from .html_table import fill_table, has_rows


def render_body(doc: Document, ctx: HtmlContext) -> list[etree._Element]:
    """The document's blocks, then its notes, as a list of elements."""
    ctx.resources = doc.resources
    container = ctx.el("div")
    _blocks(doc.blocks, container, ctx)
    render_notes(container, ctx, _flow)
    resolve_fragments(container, ctx)
    return list(container)


# ---------------------------------------------------------------------- blocks


def _blocks(blocks: tuple[Block, ...], parent: etree._Element, ctx: HtmlContext) -> None:
    if not blocks:
        return
    if ctx.depth >= ctx.max_depth:
        _too_deep(ctx)
        text = plain_text(blocks)
        if text:
            append_text(ctx.sub(parent, "p"), text)
        return
    ctx.depth += 1
    for block in blocks:
        _block(block, parent, ctx)
    ctx.depth -= 1


def _flow(blocks: tuple[Block, ...], parent: etree._Element, ctx: HtmlContext) -> None:
    """Blocks inside a list item, cell, definition or note: a leading plain
    paragraph (followed only by lists) is written without ``<p>``."""
    if (
        blocks
        and isinstance(blocks[0], Paragraph)
        and blocks[0].attr == NO_ATTR
        and all(isinstance(b, BulletList | OrderedList) for b in blocks[1:])
    ):
        _inlines(blocks[0].content, parent, ctx)
        _blocks(blocks[1:], parent, ctx)
    else:
        _blocks(blocks, parent, ctx)


def _block(block: Block, parent: etree._Element, ctx: HtmlContext) -> None:
    match block:
        case Paragraph(content=content, attr=attr):
            p = ctx.sub(parent, "p")
            _apply_attr(p, attr, ctx, "paragraph")
            _inlines(content, p, ctx)
            _drop_if_empty(p)
        case Heading():
            _heading(block, parent, ctx)
        case BulletList(items=items, attr=attr):
            if items:
                ul = ctx.sub(parent, "ul")
                _apply_attr(ul, attr, ctx, "list")
                for item in items:
                    _item(item, ul, ctx)
        case OrderedList(items=items, start=start, style=style, attr=attr):
            if items:
                ol = ctx.sub(parent, "ol")
                if start != 1:
                    ol.set("start", str(start))
                if style != "1":
                    ol.set("type", style)
                _apply_attr(ol, attr, ctx, "list")
                for item in items:
                    _item(item, ol, ctx)
        case DefinitionList(items=items, attr=attr):
            if items:
                dl = ctx.sub(parent, "dl")
                _apply_attr(dl, attr, ctx, "definition list")
                for entry in items:
                    _inlines(entry.term, ctx.sub(dl, "dt"), ctx)
                    for definition in entry.definitions or ((),):
                        _flow(definition, ctx.sub(dl, "dd"), ctx)
        case BlockQuote(blocks=inner, attribution=attribution, attr=attr):
            _blockquote(inner, attribution, attr, parent, ctx)
        case Figure(blocks=inner, caption=caption, attr=attr):
            _figure(inner, caption, attr, parent, ctx)
        case Table():
            _table(block, parent, ctx)
        case Aside():
            _aside(block, parent, ctx)
        case CodeBlock(text=text, language=language):
            pre = ctx.sub(parent, "pre")
            code = ctx.sub(pre, "code")
            lang = code_language(language)
            if lang:
                code.set("class", f"language-{lang}")
            append_text(code, text)
        case ThematicBreak():
            ctx.sub(parent, "hr")
        case Div(blocks=inner, attr=attr):
            div = ctx.sub(parent, "div")
            _apply_attr(div, attr, ctx, "division")
            _blocks(inner, div, ctx)
        case Endnotes():
            if ctx.in_note or ctx.in_header_cell:
                return  # the notes then go to the end
            if ctx.endnotes_slot is not None:
                ctx.report.info("endnotes-duplicate", "a second Endnotes marker was ignored")
                return
            ctx.endnotes_slot = ctx.sub(parent, "section")
        case _:
            assert_never(block)


def _apply_attr(e: etree._Element, attr: Attr, ctx: HtmlContext, what: str) -> None:
    if attr.id is not None:
        e.set("id", ctx.ids.from_source(attr.id, local_name(e)))
    ctx.set_lang(e, attr.lang, what)


def _drop_if_empty(e: etree._Element) -> None:
    """Remove ``e`` when it is empty, unless it has an id (a link target)."""
    if not len(e) and not (e.text or "").strip() and e.get("id") is None:
        parent = e.getparent()
        if parent is not None:
            parent.remove(e)


def _item(item: ListItem, parent: etree._Element, ctx: HtmlContext) -> None:
    li = ctx.sub(parent, "li")
    _apply_attr(li, item.attr, ctx, "list item")
    _flow(item.blocks, li, ctx)


def _heading(h: Heading, parent: etree._Element, ctx: HtmlContext) -> None:
    text = one_line(plain_text(h.content))
    where = f"heading {text[:60]!r}"
    if ctx.in_note or ctx.in_header_cell:
        inside = "a note" if ctx.in_note else "a table header cell"
        ctx.report.info("heading-in-note", f"a heading in {inside} was written as a bold paragraph", where)
        p = ctx.sub(parent, "p", {"class": "note-heading" if ctx.in_note else "cell-heading"})
        _apply_attr(p, h.attr, ctx, where)
        _inlines(h.content, ctx.sub(p, "strong"), ctx)
        return
    if not text:
        ctx.report.warning("empty-heading", "a heading without text was written as a paragraph", where)
        p = ctx.sub(parent, "p")
        _apply_attr(p, h.attr, ctx, where)
        _inlines(h.content, p, ctx)
        _drop_if_empty(p)
        return
    level = _heading_level(h.level, ctx, where)
    e = ctx.sub(parent, f"h{level}")
    base = slug(text) or "section"
    e.set("id", ctx.ids.from_source(h.attr.id, base) if h.attr.id is not None else ctx.ids.allocate(base))
    ctx.set_lang(e, h.attr.lang, where)
    _inlines(h.content, e, ctx)
    if level >= 2:
        ctx.headings.append(HeadingEntry(level, e.get("id") or "", e))


def _heading_level(level: int, ctx: HtmlContext, where: str) -> int:
    if ctx.first_heading_is_title and not ctx.title_heading_done:
        ctx.title_heading_done = True
        ctx.last_level = 1
        return 1
    fixed = max(2, min(level, ctx.last_level + 1, 6))
    if fixed != level:
        why = "the document title is the only h1" if level <= 1 else "no heading level may be skipped"
        ctx.report.info("heading-order", f"level {level} written as h{fixed}: {why}", where)
    ctx.last_level = fixed
    return fixed


def _blockquote(
    blocks: tuple[Block, ...],
    attribution: tuple[Inline, ...],
    attr: Attr,
    parent: etree._Element,
    ctx: HtmlContext,
) -> None:
    if not attribution:
        bq = ctx.sub(parent, "blockquote")
        _apply_attr(bq, attr, ctx, "quotation")
        _blocks(blocks, bq, ctx)
        return
    fig = ctx.sub(parent, "figure", {"class": "quote"})
    if attr.id is not None:
        fig.set("id", ctx.ids.from_source(attr.id, "quote"))
    bq = ctx.sub(fig, "blockquote")
    ctx.set_lang(bq, attr.lang, "quotation")
    _blocks(blocks, bq, ctx)
    _inlines(attribution, ctx.sub(fig, "figcaption"), ctx)


def _figure(
    blocks: tuple[Block, ...],
    caption: tuple[Inline, ...],
    attr: Attr,
    parent: etree._Element,
    ctx: HtmlContext,
) -> None:
    fig = ctx.sub(parent, "figure")
    _apply_attr(fig, attr, ctx, "figure")
    slot = CaptionSlot(plain_text(caption))
    ctx.figures.append(slot)
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and blocks[0].attr == NO_ATTR:
        _inlines(blocks[0].content, fig, ctx)  # the usual one paragraph of images
    else:
        _blocks(blocks, fig, ctx)
    ctx.figures.pop()
    if caption:
        figcaption = ctx.sub(fig, "figcaption")
        if slot.id is not None:
            figcaption.set("id", slot.id)
        _inlines(caption, figcaption, ctx)
    _drop_if_empty(fig)


def _table(table: Table, parent: etree._Element, ctx: HtmlContext) -> None:
    if not has_rows(table):
        ctx.report.info("table-empty", "a table without rows was left out")
        return
    t = ctx.sub(parent, "table")
    _apply_attr(t, table.attr, ctx, "table")
    if table.caption:
        _inlines(table.caption, ctx.sub(t, "caption"), ctx)
    fill_table(table, t, ctx, _flow)


def _aside(aside: Aside, parent: etree._Element, ctx: HtmlContext) -> None:
    summary = aside.kind == "summary"
    box = ctx.sub(parent, "div", {"class": "summary" if summary else aside.kind})
    _apply_attr(box, aside.attr, ctx, f"{aside.kind} box")
    _blocks(aside.blocks, box, ctx)
    first = box[0] if len(box) else None
    name = text_of(first) if first is not None and local_name(first) in _HEADINGS else ""
    role = "region" if summary else "complementary"
    if first is not None and name and not ctx.in_note and (role, name) not in ctx.landmark_names:
        ctx.landmark_names.add((role, name))
        box.tag = ctx.tag("section" if summary else "aside")
        box.set("aria-labelledby", first.get("id") or "")
    elif not summary:
        box.set("role", "note")


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _too_deep(ctx: HtmlContext) -> None:
    if not ctx.depth_reported:
        ctx.depth_reported = True
        ctx.report.warning(
            "depth-limit", f"content nested more than {ctx.max_depth} levels deep was flattened to text"
        )


# --------------------------------------------------------------------- inlines


def _inlines(content: tuple[Inline, ...], parent: etree._Element, ctx: HtmlContext) -> None:
    if not content:
        return
    if ctx.depth >= ctx.max_depth:
        _too_deep(ctx)
        append_text(parent, plain_text(content))
        return
    ctx.depth += 1
    for node in content:
        _inline(node, parent, ctx)
    ctx.depth -= 1


def _inline(node: Inline, parent: etree._Element, ctx: HtmlContext) -> None:
    match node:
        case Text(text=text):
            append_text(parent, text)
        case Emph(content=content):
            _inlines(content, ctx.sub(parent, "em"), ctx)
        case Strong(content=content):
            _inlines(content, ctx.sub(parent, "strong"), ctx)
        case Sub(content=content):
            _inlines(content, ctx.sub(parent, "sub"), ctx)
        case Sup(content=content):
            _inlines(content, ctx.sub(parent, "sup"), ctx)
        case Code(text=text):
            append_text(ctx.sub(parent, "code"), text)
        case Link():
            _link(node, parent, ctx)
        case Image():
            render_image(node, parent, ctx)
        case Note():
            note_ref(node, parent, ctx)
        case Span(content=content, attr=attr):
            if attr.id is None and attr.lang is None:
                _inlines(content, parent, ctx)
            else:
                span = ctx.sub(parent, "span")
                _apply_attr(span, attr, ctx, "span")
                _inlines(content, span, ctx)
        case LineBreak():
            ctx.sub(parent, "br")
        case PageBreak(label=label):
            _page_break(label, parent, ctx)
        case _:
            assert_never(node)


def _page_break(label: str, parent: etree._Element, ctx: HtmlContext) -> None:
    """A print-page marker (DPUB-ARIA doc-pagebreak; the EPUB page list links to it)."""
    label = " ".join(label.split())
    if not label:
        return
    base = f"page-{label}"
    span = ctx.sub(
        parent, "span", {"id": ctx.ids.allocate(base if is_ncname(base) else f"page-{slug(label)}")}
    )
    span.set("role", "doc-pagebreak")
    span.set("title", label)  # its name; axe prohibits aria-label on a span, whatever its role
    ctx.set_epub_type(span, "pagebreak")


def _link(link: Link, parent: etree._Element, ctx: HtmlContext) -> None:
    href = safe_href(link.url)
    if href is None or ctx.link_depth:
        if href is None:
            ctx.report.warning(
                "link-url", f"link to {link.url[:80]!r} written as text (only http, https, mailto, #)"
            )
        _inlines(link.content, parent, ctx)  # a link inside a link: its text only
        return
    a = ctx.sub(parent, "a")
    if href.startswith("#"):
        ctx.fragment_links.append((a, unquote(href[1:])))
    else:
        a.set("href", href)
    if link.title:
        a.set("title", xml_safe(link.title))
    outer_refs, ctx.deferred_refs = ctx.deferred_refs, []
    ctx.link_depth += 1
    _inlines(link.content, a, ctx)
    ctx.link_depth -= 1
    refs, ctx.deferred_refs = ctx.deferred_refs, outer_refs
    if not text_of(a) and a.find(f".//{ctx.tag('img')}[@aria-labelledby]") is None:
        ctx.report.warning("link-name", f"link to {link.url[:80]!r} has no text; its address is shown")
        append_text(a, link.url)
    for sup in refs:
        parent.append(sup)
