"""Tables in the HTML body.

``<table>`` with ``<caption>``, ``<thead>``, one ``<tbody>`` per body and
``<tfoot>``; header cells are ``<th scope>`` (the model's scope, else ``col``
in the head and ``row`` elsewhere).  A header cell without text is written
as ``<td>`` (it heads nothing), and inside a header cell headings become bold
paragraphs and boxes plain ``div``s (HTML allows neither heading nor
sectioning content in ``<th>``).

Tables read from PDFs and careless HTML often have a geometry that the HTML
table model rejects, so the spans are made consistent first (the content is
not changed): a ``rowspan`` never runs past the end of its row group, a
``colspan`` never runs over a cell that spans down from a row above, a row
in which no cell begins is left out (the cells spanning it lose that row),
and a column in which no cell begins is merged away (the cells spanning it
lose that column).  Each repair is reported as ``table-geometry`` (info).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..model import Block, Cell, Row, Table
from ..record import Record
from .html_context import HtmlContext, text_of

MAX_COLSPAN = 1000  # the HTML standard's limits
MAX_ROWSPAN = 65534

Flow = Callable[[tuple[Block, ...], etree._Element, HtmlContext], None]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Placed(Record):
    cell: Cell
    row: int  # index in its row group
    col: int  # first column (grid coordinates before repairs)
    colspan: int
    rowspan: int


def _place(rows: tuple[Row, ...]) -> list[_Placed]:
    """Where each cell of a row group sits in the grid (the HTML table
    algorithm: a cell takes the first slot not covered by a cell above)."""
    placed: list[_Placed] = []
    covered: dict[int, list[tuple[int, int]]] = {}  # row -> column intervals taken from above
    for r, row in enumerate(rows):
        intervals = sorted(covered.pop(r, []))
        c = 0
        for cell in row.cells:
            for start, end in intervals:
                if start <= c < end:
                    c = end
            colspan = max(1, min(cell.colspan, MAX_COLSPAN))
            following = [start for start, _ in intervals if start >= c]
            if following:  # never over a cell that spans down from a row above
                colspan = min(colspan, min(following) - c)
            rowspan = max(1, min(cell.rowspan, MAX_ROWSPAN, len(rows) - r))
            placed.append(_Placed(cell, r, c, colspan, rowspan))
            for below in range(r + 1, r + rowspan):
                covered.setdefault(below, []).append((c, c + colspan))
            c += colspan
    return placed


def has_rows(table: Table) -> bool:
    return bool(table.head or table.foot or any(table.bodies))


def fill_table(table: Table, t: etree._Element, ctx: HtmlContext, flow: Flow) -> None:
    """Add the row groups of ``table`` to the ``<table>`` element ``t`` (which
    already holds its caption); ``flow`` renders the cells' blocks."""
    groups = [
        ("thead", table.head),
        *(("tbody", body) for body in table.bodies if body),
        ("tfoot", table.foot),
    ]
    groups = [(tag, rows) for tag, rows in groups if rows]
    placed = [_place(rows) for _, rows in groups]
    live_cols = sorted({p.col for group in placed for p in group})
    repaired = any(
        p.rowspan != p.cell.rowspan or p.colspan != p.cell.colspan for group in placed for p in group
    )
    for (tag, rows), cells in zip(groups, placed, strict=True):
        live_rows = sorted({p.row for p in cells})
        repaired = repaired or len(live_rows) != len(rows)
        section = ctx.sub(t, tag)
        trs = {r: ctx.sub(section, "tr") for r in live_rows}
        default_scope = "col" if tag == "thead" else "row"
        for p in cells:
            colspan = _count_in(live_cols, p.col, p.col + p.colspan)
            rowspan = _count_in(live_rows, p.row, p.row + p.rowspan)
            repaired = repaired or colspan != p.colspan
            _cell(p.cell, trs[p.row], default_scope, colspan, rowspan, ctx, flow)
    if repaired:
        ctx.report.info("table-geometry", "row and column spans were made consistent")


def _count_in(sorted_values: list[int], start: int, end: int) -> int:
    """How many values lie in [start, end) (start itself is always one)."""
    return bisect_left(sorted_values, end) - bisect_left(sorted_values, start)


def _cell(
    cell: Cell,
    tr: etree._Element,
    default_scope: str,
    colspan: int,
    rowspan: int,
    ctx: HtmlContext,
    flow: Flow,
) -> None:
    if not cell.header:
        e = ctx.sub(tr, "td")
        flow(cell.blocks, e, ctx)
    else:
        e = ctx.sub(tr, "th", {"scope": cell.scope or default_scope})
        ctx.in_header_cell += 1
        flow(cell.blocks, e, ctx)
        ctx.in_header_cell -= 1
        if not text_of(e):  # an empty header cell heads nothing (axe empty-table-header)
            e.tag = ctx.tag("td")
            del e.attrib["scope"]
    if colspan > 1:
        e.set("colspan", str(colspan))
    if rowspan > 1:
        e.set("rowspan", str(rowspan))
