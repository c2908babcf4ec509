"""Tables: ``w:tbl`` -> Table.

* Header cells only where Word marks a header row: the leading rows with
  ``w:trPr/w:tblHeader`` ("Repeat as header row") form ``Table.head`` and
  their cells are header cells (scope col).  A table without that mark has
  no header cells, whatever its first row looks like: that is what
  assistive technology gets from Word, and what the table-header rule checks.
* ``w:gridSpan`` -> colspan; ``w:vMerge`` restart/continue -> rowspan.
* Rows and cells wrapped in content controls or tracked insertions are read;
  deleted rows are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Block, Cell, Row, Table
from .context import ReadContext
from .inlines import choose
from .ns import MC, W_VAL, Element, W, child, int_attr, on

_WRAPPERS = frozenset({W + "customXml", W + "ins", W + "moveTo"})
MAX_SPAN = 1000  # a gridSpan beyond this is not believed


def children(parent: Element, tag: str) -> Iterator[Element]:
    """The ``tag`` children of ``parent``, looking through content controls,
    custom XML and tracked insertions."""
    for el in parent:
        if el.tag == tag:
            yield el
        elif el.tag == W + "sdt":
            content = child(el, W + "sdtContent")
            if content is not None:
                yield from children(content, tag)
        elif el.tag in _WRAPPERS:
            yield from children(el, tag)
        elif el.tag == MC + "AlternateContent":
            for branch in choose(el):
                if branch.tag == tag:
                    yield branch


_TR, _TC, _TRPR, _TCPR = W + "tr", W + "tc", W + "trPr", W + "tcPr"
_HEADER, _DEL, _BEFORE = W + "tblHeader", W + "del", W + "gridBefore"
_SPAN, _VMERGE = W + "gridSpan", W + "vMerge"


def _row_props(tr: Element) -> tuple[bool, bool, int]:
    """(deleted, marked as header row, gridBefore) of a ``w:tr``."""
    first = tr[0] if len(tr) else None
    if first is None or first.tag != _TRPR:
        first = child(tr, _TRPR)
    deleted = header = False
    before = 0
    if first is not None:
        for el in first:
            if el.tag == _HEADER:
                header = bool(on(el))
            elif el.tag == _DEL:
                deleted = True
            elif el.tag == _BEFORE:
                before = max(int_attr(el) or 0, 0)
    return deleted, header, before


def _cell_props(tc: Element) -> tuple[int, str | None]:
    """(gridSpan, vMerge value) of a ``w:tc``."""
    first = tc[0] if len(tc) else None
    span, vmerge = 1, None
    if first is not None and first.tag == _TCPR:
        for el in first:
            if el.tag == _SPAN:
                span = min(max(int_attr(el) or 1, 1), MAX_SPAN)
            elif el.tag == _VMERGE:
                vmerge = el.get(W_VAL) or "continue"
    return span, vmerge


@dataclass(slots=True)
class _Cell:
    blocks: tuple[Block, ...]
    header: bool
    colspan: int
    rowspan: int = 1

    def cell(self) -> Cell:
        return Cell(self.blocks, self.header, self.colspan, self.rowspan, "col" if self.header else None)


def read_table(ctx: ReadContext, tbl: Element) -> Table:
    rows: list[list[_Cell]] = []
    head_rows = 0
    merges: dict[int, _Cell] = {}  # grid column -> the cell a vertical merge continues
    for tr in children(tbl, _TR):
        deleted, marked, col = _row_props(tr)
        if deleted:
            continue
        header = marked and head_rows == len(rows)
        if header:
            head_rows += 1
        row: list[_Cell] = []
        for tc in children(tr, _TC):
            span, vmerge = _cell_props(tc)
            above = merges.get(col)
            if vmerge == "continue" and above is not None:
                above.rowspan += 1
            else:
                saved, ctx.in_header = ctx.in_header, header
                try:
                    blocks = ctx.read_blocks(ctx, tc)
                finally:
                    ctx.in_header = saved
                cell = _Cell(blocks, header, span)
                row.append(cell)
                if vmerge == "restart":
                    merges[col] = cell
                else:
                    merges.pop(col, None)
            col += span
        rows.append(row)
    built = [Row(tuple(c.cell() for c in row)) for row in rows]
    head = tuple(built[:head_rows])
    body = tuple(built[head_rows:])
    return Table(head, (body,) if body else (), src=ctx.src(next(tbl.iter(W + "p"), None)))
