"""Tables: real ``w:tbl`` in the template's "Table Grid" style.

* Header rows: Table.head, or else a first body row made only of header
  cells, get ``w:trPr/w:tblHeader`` (repeat on each page) and the table
  ``w:tblLook w:firstRow="1"``; header cells (any row) are bold.
* Spans: ``w:gridSpan`` for colspan; ``w:vMerge`` restart/continue for
  rowspan (a rowspan ends with its row group: head, each body, foot).
* Caption: a Caption-style paragraph before the table (kept with it) and the
  table's ``w:tblCaption``.
* Rows shorter than the grid end with ``w:gridAfter`` instead of padding
  cells, so no empty paragraph is needed for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from lxml import etree

from ..model import Block, Cell, Row, Table
from ..record import Record
from ..walk import plain_text
from .docx_ctx import DocxContext, Env
from .docx_xml import W, sub, xml_safe

BlockRenderer = Callable[[DocxContext, etree._Element, tuple[Block, ...], Env], None]
ParagraphRenderer = Callable[..., bool]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Slot(Record):
    """One ``w:tc`` of a laid-out row."""

    span: int
    cell: Cell | None  # None: the continuation of a cell spanning rows from above
    merge: bool = False  # first cell of a vertical merge


_EMPTY = Cell(())


def layout(rows: tuple[Row, ...]) -> list[list[_Slot]]:
    """Place the cells of one row group on the grid: continuation slots where
    a cell from a row above spans down, spans clipped so cells never overlap."""
    out: list[list[_Slot]] = []
    below: dict[int, tuple[int, int]] = {}  # column -> (span, rows still covered)
    for r, row in enumerate(rows):
        left = len(rows) - r
        slots: list[_Slot] = []
        new_below: dict[int, tuple[int, int]] = {}
        col = 0
        for cell in row.cells:
            col = _continuations(slots, below, col, None)
            span = max(1, cell.colspan)
            blocked = [c for c in below if col < c < col + span]
            if blocked:
                span = min(blocked) - col
            rowspan = min(max(1, cell.rowspan), left)
            slots.append(_Slot(span, cell, merge=rowspan > 1))
            if rowspan > 1:
                new_below[col] = (span, rowspan - 1)
            col += span
        for c in sorted(k for k in below if k >= col):
            if c > col:  # the row ran out of cells before a cell spanning down from above
                slots.append(_Slot(c - col, _EMPTY))
                col = c
            col = _continuations(slots, below, col, c + 1)
        for c, (span, remaining) in below.items():
            if remaining > 1:
                new_below[c] = (span, remaining - 1)
        below = new_below
        out.append(slots)
    return out


def _continuations(slots: list[_Slot], below: dict[int, tuple[int, int]], col: int, until: int | None) -> int:
    """Append continuation slots for the cells spanning down into ``col``
    onwards (up to ``until``); the column after them."""
    while col in below and (until is None or col < until):
        span = below[col][0]
        slots.append(_Slot(span, None))
        col += span
    return col


def _is_header_row(row: Row) -> bool:
    return bool(row.cells) and all(c.header for c in row.cells)


def table(
    ctx: DocxContext,
    parent: etree._Element,
    tbl: Table,
    env: Env,
    render_blocks: BlockRenderer,
    render_caption: ParagraphRenderer,
) -> None:
    head = tbl.head
    bodies = tuple(b for b in tbl.bodies if b)
    if not head and bodies and _is_header_row(bodies[0][0]):
        head, bodies = (bodies[0][0],), ((bodies[0][1:]), *bodies[1:])
    groups = [g for g in (head, *bodies, tbl.foot) if g]
    laid = [layout(g) for g in groups]
    width = max((sum(s.span for s in row) for g in laid for row in g), default=0)
    caption_text = xml_safe(plain_text(tbl.caption))
    if tbl.caption:
        render_caption(ctx, parent, env, tbl.caption, style="Caption", keep_next=True)
    if width == 0:
        return
    last = next(parent.iterchildren(reversed=True), None)  # len() of an lxml element counts its children
    if last is not None and last.tag == W + "tbl":
        # Two adjacent tables would be joined into one by Word: a separator paragraph.
        ctx.finish_paragraph(ctx.new_paragraph(parent), keep_empty=True)

    t = sub(parent, "tbl")
    pr = sub(t, "tblPr")
    sub(pr, "tblStyle", val="TableGrid")
    sub(pr, "tblW", w="5000", type="pct")
    first_column = any(row.cells and row.cells[0].header for body in bodies for row in body)
    look = 0x0020 * bool(head) | 0x0040 * bool(tbl.foot) | 0x0080 * first_column | 0x0400
    sub(
        pr,
        "tblLook",
        val=f"{look:04X}",
        firstRow="1" if head else "0",
        lastRow="1" if tbl.foot else "0",
        firstColumn="1" if first_column else "0",
        lastColumn="0",
        noHBand="0",
        noVBand="1",
    )
    if caption_text:
        sub(pr, "tblCaption", val=caption_text)
    col_width = max(1, ctx.text_width // 635 // width)  # EMU -> twips, equal columns
    grid = sub(t, "tblGrid")
    for _ in range(width):
        sub(grid, "gridCol", w=str(col_width))

    cell_env = replace(
        env,
        style=env.style if env.in_note else None,
        list_level=-1,
        num=None,
        indent=0,
        keep_next=False,
        box=False,
    )
    for index, rows in enumerate(laid):
        is_head = index == 0 and bool(head)
        for slots in rows:
            if not slots:  # a row without cells has nothing to show (and w:tr needs a w:tc)
                continue
            tr = sub(t, "tr")
            used = sum(s.span for s in slots)
            if is_head or used < width:
                trpr = sub(tr, "trPr")
                if used < width:
                    sub(trpr, "gridAfter", val=str(width - used))
                if is_head:
                    sub(trpr, "tblHeader")
            for slot in slots:
                _cell(ctx, tr, slot, col_width, is_head, cell_env, render_blocks)


def _cell(
    ctx: DocxContext,
    tr: etree._Element,
    slot: _Slot,
    col_width: int,
    is_head: bool,
    env: Env,
    render_blocks: BlockRenderer,
) -> None:
    tc = sub(tr, "tc")
    tcpr = sub(tc, "tcPr")
    sub(tcpr, "tcW", w=str(col_width * slot.span), type="dxa")
    if slot.span > 1:
        sub(tcpr, "gridSpan", val=str(slot.span))
    if slot.cell is None:
        sub(tcpr, "vMerge")
    elif slot.merge:
        sub(tcpr, "vMerge", val="restart")
    if slot.cell is not None:
        render_blocks(ctx, tc, slot.cell.blocks, replace(env, bold=slot.cell.header or is_head))
    if tc[-1].tag != W + "p":  # a cell must end with a paragraph (empty, continued or ending in a table)
        sub(tc, "p")
