"""Tables in Markdown: a GFM pipe table when the table fits one (one header
row, every cell a single paragraph or empty, no spans), else a list with one
item per row (header rows included) and a sub-item per cell, labelled
``header: value`` in the data rows.  Never raw HTML.

The writer passes callbacks that render a cell; each cell is rendered once,
in document order (head, bodies, foot), so note numbering stays in step.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Cell, Paragraph, Row, Table
from .mdsyntax import list_items, one_line_md, prefixable

__all__ = ["gfm_shape", "pipe_table", "table_as_list"]


def _rows(table: Table) -> list[Row]:
    return [*table.head, *(r for body in table.bodies for r in body), *table.foot]


def gfm_shape(table: Table) -> tuple[Row, list[Row]] | None:
    """The header row and the other rows when ``table`` fits a pipe table."""
    rows = _rows(table)
    if len(table.head) == 1:
        header, rest = table.head[0], rows[1:]
    elif not table.head and rows and rows[0].cells and all(c.header for c in rows[0].cells):
        header, rest = rows[0], rows[1:]
    else:
        return None
    if not header.cells:
        return None
    for row in rows:
        for cell in row.cells:
            if cell.colspan != 1 or cell.rowspan != 1:
                return None
            if cell.blocks and (len(cell.blocks) != 1 or not isinstance(cell.blocks[0], Paragraph)):
                return None
    return header, rest


def pipe_table(table: Table, caption: list[str], cell_text: Callable[[Cell], str]) -> list[str]:
    """A GFM pipe table (``table`` must fit :func:`gfm_shape`); rows shorter
    than the widest are padded with empty cells."""
    shape = gfm_shape(table)
    assert shape is not None
    header, rest = shape
    ncols = max(len(row.cells) for row in (header, *rest))
    body: list[str] = []
    for index, row in enumerate((header, *rest)):
        texts = [cell_text(cell) for cell in row.cells]
        texts += [""] * (ncols - len(texts))
        body.append("| " + " | ".join(texts) + " |")
        if index == 0:
            body.append("|" + "|".join([" --- "] * ncols) + "|")
    return [*caption, "", *body] if caption else body


def table_as_list(
    table: Table,
    caption: list[str],
    cell_blocks: Callable[[Cell], list[str]],
    *,
    bullets: tuple[str, str],
) -> list[str]:
    """Any table as a list of rows, each a list of cells (bullets: rows', cells')."""
    head = [[(cell, cell_blocks(cell)) for cell in row.cells] for row in table.head]
    data = [[(cell, cell_blocks(cell)) for cell in row.cells] for row in _rows(table)[len(table.head) :]]
    labels: list[str] = []
    for row_cells in head:  # the last header row names the columns
        names = [one_line_md(" ".join(body)) if len(body) == 1 else "" for _, body in row_cells]
        labels = [name for (cell, _), name in zip(row_cells, names, strict=True) for _ in range(cell.colspan)]
    entries: list[tuple[str, list[str]]] = []
    for row_cells, labelled in [*((r, False) for r in head), *((r, True) for r in data)]:
        cells: list[tuple[str, list[str]]] = []
        col = 0
        for cell, body in row_cells:
            span = max(cell.colspan, 1)
            spanned = dict.fromkeys(name for name in labels[col : col + span] if name) if labelled else {}
            label = " / ".join(spanned)
            col += span
            if not body:
                continue
            if label and prefixable(body[0]):
                body = [f"{label}: {body[0]}", *body[1:]]
            elif label:
                body = [f"{label}:", "", *body]
            cells.append((bullets[1], body))
        if cells:
            entries.append((bullets[0], list_items(cells)))
    rows = list_items(entries)
    return [*caption, "", *rows] if caption and rows else caption + rows
