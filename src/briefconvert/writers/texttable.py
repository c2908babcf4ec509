"""Table layout for the plain-text writer.

A table becomes aligned columns between ``|`` (a ``---`` rule between the
head, each body and the foot), much like a GFM table a person would type::

    | Country | Flexible capacity (GW) |
    |---------|------------------------|
    | Germany | 12.4                   |

Cells spanning several columns span them here too; a cell spanning rows
occupies its row and leaves the slots below empty.  When the natural layout
is wider than the width, columns shrink (cells wrap, words are never split);
when even the longest word of each column does not fit, each row becomes a
record of ``header: value`` lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Block, Inline, Row, Table
from ..record import Record

__all__ = ["render_table"]

MAX_SPAN = 1000  # as in HTML: a larger colspan is treated as 1000


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Placed(Record):
    col: int
    span: int
    lines: tuple[str, ...]


Grid = list[list[_Placed]]
Measure = Callable[[str], int]


def render_table(
    table: Table,
    width: int,
    *,
    cell: Callable[[tuple[Block, ...]], list[str]],
    caption: Callable[[tuple[Inline, ...]], list[str]],
    measure: Measure,
    report: Report,
) -> list[str]:
    """The lines of ``table``.  ``cell`` renders a cell's blocks (unwrapped),
    ``caption`` the caption; both are called once each, in document order
    (caption, head, bodies, foot), so note numbering stays in step."""
    lines = caption(table.caption) if table.caption else []
    grids = [_place(rows, cell) for rows in (table.head, *table.bodies, table.foot)]
    ncols = max((p.col + p.span for grid in grids for row in grid for p in row), default=0)
    if ncols == 0:
        return lines
    body = _columns(grids, ncols, width, measure)
    if body is None:
        report.info("table-as-records", "a table too wide for the text width is written as records")
        body = _records(grids, ncols, width)
    return [*lines, "", *body] if lines else body


def _place(rows: tuple[Row, ...], cell: Callable[[tuple[Block, ...]], list[str]]) -> Grid:
    """Cells with their column positions; rowspans block the slots below."""
    grid: Grid = []
    covered: dict[int, int] = {}  # column -> rows below the current one it stays covered
    for index, row in enumerate(rows):
        placed: list[_Placed] = []
        new: dict[int, int] = {}
        col = 0
        for c in row.cells:
            span = min(max(c.colspan, 1), MAX_SPAN)
            while any(covered.get(k, 0) > 0 for k in range(col, col + span)):
                col += 1
            placed.append(_Placed(col, span, tuple(cell(c.blocks))))
            down = min(max(c.rowspan, 1), len(rows) - index) - 1
            if down:
                for k in range(col, col + span):
                    new[k] = down
            col += span
        covered = {k: v - 1 for k, v in covered.items() if v > 1}
        covered.update(new)
        grid.append(placed)
    return grid


def _longest_word(lines: tuple[str, ...], measure: Measure) -> int:
    return max((measure(word) for line in lines for word in line.split()), default=0)


def _spread(widths: list[int], col: int, span: int, need: int) -> None:
    have = sum(widths[col : col + span]) + 3 * (span - 1)
    if need > have:
        share, rest = divmod(need - have, span)
        for k in range(span):
            widths[col + k] += share + (1 if k < rest else 0)


def _columns(grids: list[Grid], ncols: int, width: int, measure: Measure) -> list[str] | None:
    natural = [1] * ncols
    minimum = [1] * ncols
    cells = sorted((p for grid in grids for row in grid for p in row), key=lambda p: p.span)
    for p in cells:
        _spread(natural, p.col, p.span, max((measure(line) for line in p.lines), default=0))
        _spread(minimum, p.col, p.span, _longest_word(p.lines, measure))
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    widths = natural
    if width:
        room = width - (3 * ncols + 1)
        if sum(natural) > room:
            if sum(minimum) > room:
                return None
            low, high = 0, max(natural)  # the largest cap L that fits
            while low < high:
                mid = (low + high + 1) // 2
                if sum(max(m, min(n, mid)) for n, m in zip(natural, minimum, strict=True)) <= room:
                    low = mid
                else:
                    high = mid - 1
            widths = [max(m, min(n, low)) for n, m in zip(natural, minimum, strict=True)]
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out: list[str] = []
    for grid in grids:
        if not grid:
            continue
        if out:
            out.append(rule)
        for row in grid:
            out.extend(_row_lines(row, widths, measure))
    return out


def _row_lines(row: list[_Placed], widths: list[int], measure: Measure) -> list[str]:
    slots: list[tuple[int, tuple[str, ...]]] = []
    col = 0
    for p in sorted(row, key=lambda p: p.col):
        slots.extend((widths[k], ("",)) for k in range(col, p.col))
        span_width = sum(widths[p.col : p.col + p.span]) + 3 * (p.span - 1)
        slots.append((span_width, p.lines or ("",)))
        col = p.col + p.span
    slots.extend((widths[k], ("",)) for k in range(col, len(widths)))
    wrapped: list[tuple[int, list[str]]] = []
    for slot_width, texts in slots:
        cell_lines: list[str] = []
        for line in texts:
            if measure(line) <= slot_width:
                cell_lines.append(line)
            else:
                cell_lines.extend(
                    textwrap.wrap(line, slot_width, break_long_words=False, break_on_hyphens=False) or [""]
                )
        wrapped.append((slot_width, cell_lines))
    height = max(len(cell_lines) for _, cell_lines in wrapped)
    out = []
    for i in range(height):
        padded = []
        for slot_width, cell_lines in wrapped:
            text = cell_lines[i] if i < len(cell_lines) else ""
            padded.append(text + " " * (slot_width - measure(text)))
        out.append("| " + " | ".join(padded) + " |")
    return out


def _records(grids: list[Grid], ncols: int, width: int) -> list[str]:
    head, data = grids[0], [row for grid in grids[1:] for row in grid]
    labels = [""] * ncols
    if data:
        for col in range(ncols):
            texts: list[str] = []
            for row in head:
                for p in row:
                    text = " ".join(p.lines)
                    if p.col <= col < p.col + p.span and text and text not in texts:
                        texts.append(text)
            labels[col] = " / ".join(texts)
    else:
        data = head
    out: list[str] = []
    for row in data:
        record: list[str] = []
        for p in sorted(row, key=lambda p: p.col):
            if not p.lines:
                continue
            names = [labels[k] for k in range(p.col, p.col + p.span) if labels[k]]
            label = " / ".join(dict.fromkeys(names))
            first = f"{label}: {p.lines[0]}" if label else p.lines[0]
            record.extend(_wrap(first, width, "", "  "))
            for line in p.lines[1:]:
                record.extend(_wrap(line, width, "  ", "  "))
        if record:
            if out:
                out.append("")
            out.extend(record)
    return out


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    if not width:
        return [first + text]
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]
