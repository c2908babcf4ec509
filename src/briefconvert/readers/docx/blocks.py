"""Body content -> blocks.

A container (the body, a table cell, a note, a text box) is read in two
steps: its paragraphs and tables become *units* in document order (list
numbers are counted here, as Word counts them), then the units are
assembled into blocks:

* headings: paragraphs with an outline level (Heading 1-6 styles, styles
  based on them, direct ``w:outlineLvl``), and the Title style as level 1;
  an empty heading paragraph stays an empty Heading (a fault to report);
* lists (see ``lists``); code (Source Code, HTML Preformatted, Plain Text
  styles) -> CodeBlock; Quote styles -> BlockQuote; boxed paragraphs
  (borders on all four sides) -> Aside; an empty paragraph with only a
  bottom or top border -> ThematicBreak;
* Caption-style paragraphs: after a paragraph holding only pictures they
  make a Figure; before (or after) a table, its caption;
* empty paragraphs are dropped (the docx-layout-spacing rule reports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ...model import (
    NO_ATTR,
    Aside,
    Attr,
    Block,
    BlockQuote,
    CodeBlock,
    Figure,
    Heading,
    Image,
    Inline,
    Paragraph,
    SourceRef,
    Table,
    Text,
    ThematicBreak,
)
from ...textnorm import collapse_ws
from .context import MAX_DEPTH, ReadContext
from .inlines import choose, paragraph_inlines, raw_text
from .lists import ListBuilder
from .ns import MC, Element, W, child
from .numbering import Level
from .styles import NumRef, ParaStyle, heading_level, para_props
from .tables import read_table

_WRAPPERS = frozenset({W + "customXml", W + "ins", W + "moveTo"})
_P, _TBL, _PPR = W + "p", W + "tbl", W + "pPr"


@dataclass(slots=True)
class _Para:
    p: Element
    style: ParaStyle
    level: int | None  # heading level
    lvl: Level | None  # numbering level when the paragraph is a list item
    num: NumRef | None
    number: int
    indent: int | None
    box: bool
    rule: bool
    content: tuple[Inline, ...]
    lang: str | None
    id: str | None
    code: str | None  # the raw text of a code paragraph
    floats: list[Block] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.content and self.code is None

    def attr(self) -> Attr:
        return Attr(id=self.id, lang=self.lang) if self.id or self.lang else NO_ATTR


@dataclass(slots=True)
class _Table:
    table: Table


_Unit = _Para | _Table


def read_blocks(ctx: ReadContext, container: Element) -> tuple[Block, ...]:
    """The blocks of a container element (body, cell, note, text box)."""
    ctx.depth += 1
    try:
        if ctx.depth > MAX_DEPTH:
            return _flattened(ctx, container)
        units: list[_Unit] = []
        _collect(ctx, container, units)
        return tuple(_assemble(ctx, units))
    finally:
        ctx.depth -= 1


def _flattened(ctx: ReadContext, container: Element) -> tuple[Block, ...]:
    if not ctx.depth_reported:
        ctx.depth_reported = True
        ctx.report.warning("docx-depth", f"content nested more than {MAX_DEPTH} levels deep is read as text")
    text = collapse_ws(" ".join(t.text or "" for t in container.iter(W + "t")))
    return (Paragraph((Text(text),), src=ctx.src(container)),) if text else ()


def _collect(ctx: ReadContext, parent: Element | list[Element], units: list[_Unit]) -> None:
    for el in parent:
        tag = el.tag
        if tag == _P:
            units.append(_paragraph(ctx, el))
        elif tag == _TBL:
            units.append(_Table(read_table(ctx, el)))
        elif tag == W + "sdt":
            content = child(el, W + "sdtContent")
            if content is not None:
                _collect(ctx, content, units)
        elif tag in _WRAPPERS:
            _collect(ctx, el, units)
        elif tag == MC + "AlternateContent":
            _collect(ctx, choose(el), units)


def _paragraph(ctx: ReadContext, p: Element) -> _Para:
    first = p[0] if len(p) else None
    props = para_props(first if first is not None and first.tag == _PPR else None)
    style = ctx.styles.para(props.style)
    outline = props.outline
    level = heading_level(outline, None) if outline is not None else style.heading_level
    if level is None and outline is None and style.kind == "title":
        level = 1
    num = props.num if props.num is not None else style.num
    lvl = ctx.numbering.level(num.num_id, num.ilvl) if num is not None and level is None else None
    number = 0
    if num is not None and lvl is not None and lvl.kind != "none":
        number = ctx.counters.next(ctx.numbering.counter_key(num.num_id, num.ilvl), num.ilvl, lvl.start)
    else:
        lvl = None
    indent = props.indent
    if indent is None:
        indent = lvl.indent if lvl is not None and lvl.indent is not None else style.indent
    ctx.floats = []
    code = None
    if style.kind == "code" and level is None and lvl is None:
        code = raw_text(p)
        content: tuple[Inline, ...] = ()
        lang = block_id = None
        if not code.strip():
            code = None
    else:
        content, lang, block_id = paragraph_inlines(ctx, p, style)
    floats, ctx.floats = ctx.floats, []
    return _Para(
        p,
        style,
        level,
        lvl,
        num,
        number,
        indent,
        props.box,
        props.rule,
        content,
        lang,
        block_id,
        code,
        floats,
    )


def _only_images(content: tuple[Inline, ...]) -> bool:
    return bool(content) and isinstance(content[0], Image) and all(isinstance(n, Image) for n in content)


def _assemble(ctx: ReadContext, units: list[_Unit]) -> list[Block]:
    out: list[Block] = []
    lists = ListBuilder(out)
    prev: str | None = None  # what the previous unit became: "image", "table", "quote", "code", "caption"
    caption: tuple[_Para, Block] | None = None  # a caption (unit, its provisional block) before a table
    i = 0
    while i < len(units):
        unit = units[i]
        if isinstance(unit, _Table):
            lists.flush()
            table = unit.table
            if caption is not None:
                cap, placed = caption
                table = replace(table, caption=cap.content, attr=_with_id(table.attr, cap.id))
                _remove_last(out, placed)  # the caption paragraph placed provisionally
                caption = None
            out.append(table)
            prev = "table"
            i += 1
            continue
        if caption is not None and not unit.empty:
            caption = None  # no table followed: the caption stays a paragraph
        if unit.box:
            j = i
            while j < len(units) and isinstance(u := units[j], _Para) and u.box:
                j += 1
            lists.flush()
            inner = _assemble(ctx, [replace(u, box=False) for u in units[i:j] if isinstance(u, _Para)])
            if inner:
                out.append(Aside(tuple(inner), kind="box", src=ctx.src(unit.p)))
            prev = "box"
            i = j
            continue
        prev = _paragraph_block(ctx, unit, out, lists, prev)
        if prev == "caption?":
            caption = (unit, out[-1])
            prev = "caption"
        i += 1
    lists.flush()
    return out


def _paragraph_block(
    ctx: ReadContext, unit: _Para, out: list[Block], lists: ListBuilder, prev: str | None
) -> str | None:
    """Place one paragraph; returns what it became."""
    src = ctx.src(unit.p)
    if unit.level is not None:
        lists.flush()
        out.append(Heading(unit.level, unit.content, unit.attr(), src=src))
        _floats(unit, out, lists)
        return "heading"
    if unit.empty:
        if unit.rule:
            lists.flush()
            out.append(ThematicBreak())
            _floats(unit, out, lists)
            return "rule"
        _floats(unit, out, lists)
        return prev  # blank paragraphs neither end lists nor separate captions
    if unit.lvl is not None and unit.num is not None:
        block: Block = Paragraph(unit.content, unit.attr(), src=src)
        lists.item(
            block,
            ilvl=unit.num.ilvl,
            kind=unit.lvl.kind,
            num_id=unit.num.num_id,
            number=unit.number,
            indent=unit.lvl.indent,
            src=src,
        )
        _floats(unit, out, lists)
        return "item"
    if lists.open and (unit.style.kind == "list" or unit.indent):
        lists.continuation([_plain(unit, src), *unit.floats], unit.indent)
        return "item"
    lists.flush()
    if unit.code is not None:
        if prev == "code" and isinstance(last := out[-1], CodeBlock):
            out[-1] = CodeBlock(last.text + "\n" + unit.code, src=last.src)
        else:
            out.append(CodeBlock(unit.code, src=src))
        return "code"
    if unit.style.kind == "quote":
        if prev == "quote" and isinstance(last_q := out[-1], BlockQuote):
            out[-1] = BlockQuote((*last_q.blocks, _plain(unit, src)), src=last_q.src)
        else:
            out.append(BlockQuote((_plain(unit, src),), src=src))
        _floats(unit, out, lists)
        return "quote"
    if unit.style.kind == "caption":
        if prev == "image" and isinstance(last_p := out[-1], Paragraph):
            out[-1] = Figure((last_p,), unit.content, _with_id(Attr(), unit.id), src=last_p.src)
            return "figure"
        if prev == "table" and isinstance(last_t := out[-1], Table) and not last_t.caption:
            out[-1] = replace(last_t, caption=unit.content, attr=_with_id(last_t.attr, unit.id))
            return "captioned"
        out.append(_plain(unit, src))
        return "caption?"
    out.append(_plain(unit, src))
    _floats(unit, out, lists)
    return "image" if _only_images(unit.content) and not unit.floats else "paragraph"


def _remove_last(out: list[Block], block: Block) -> None:
    for k in range(len(out) - 1, -1, -1):  # it is the last block, or close to it
        if out[k] is block:
            del out[k]
            return


def _with_id(attr: Attr, anchor: str | None) -> Attr:
    """``attr`` with the id of a caption paragraph merged into its figure or
    table (a link to the caption's bookmark then reaches the figure/table)."""
    return replace(attr, id=anchor) if anchor and not attr.id else attr


def _plain(unit: _Para, src: SourceRef) -> Paragraph:
    return Paragraph(unit.content, unit.attr(), src=src)


def _floats(unit: _Para, out: list[Block], lists: ListBuilder) -> None:
    if not unit.floats:
        return
    if lists.open:
        lists.continuation(list(unit.floats), None)
    else:
        out.extend(unit.floats)
