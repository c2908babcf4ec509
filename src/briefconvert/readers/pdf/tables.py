"""Tables in untagged PDFs, only where the structure is clear: at least two
consecutive rows of side-by-side cells whose columns line up.  A line just
above such rows that spans the columns is split at the column edges (a
header row drawn as one run of text).  Anything less clear stays
paragraphs, never a garbled grid."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .backend import TextSpan
from .layout import Line


@dataclass(slots=True)
class Grid:
    rows: list[list[list[Line]]]  # row -> cell -> lines
    header: bool = False
    columns: list[tuple[float, float]] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [ln for row in self.rows for cell in row for ln in cell]


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Consecutive lines sharing a baseline, left to right."""
    rows: list[list[Line]] = []
    for ln in lines:
        if rows and abs(rows[-1][0].baseline - ln.baseline) < 0.3 * max(ln.size, rows[-1][0].size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def _assign(row: list[Line], columns: list[tuple[float, float]], tol: float) -> list[int] | None:
    """Column index of each cell, or None when the row does not fit the columns."""
    out: list[int] = []
    for ln in row:
        hits = [c for c, (a, b) in enumerate(columns) if ln.x0 < b + tol and ln.x1 > a - tol]
        if len(hits) != 1 or (out and hits[0] <= out[-1]):
            return None
        out.append(hits[0])
    return out


def _split_row(row: list[Line], columns: list[tuple[float, float]], tol: float) -> list[Line]:
    """Lines that run across columns, cut where their spans start a new column
    (cells close enough to be read as one line)."""
    out: list[Line] = []
    for ln in row:
        hits = [c for c, (a, b) in enumerate(columns) if ln.x0 < b + tol and ln.x1 > a - tol]
        if len(hits) < 2 or len(ln.spans) < 2:
            out.append(ln)
            continue
        groups: dict[int, list[TextSpan]] = {}
        for span in ln.spans:
            centre = (span.bbox[0] + span.bbox[2]) / 2
            inside = [c for c in hits if columns[c][0] - tol <= centre <= columns[c][1] + tol]
            if len(inside) != 1:
                groups = {}
                break
            groups.setdefault(inside[0], []).append(span)
        if len(groups) < 2:
            out.append(ln)
            continue
        out.extend(Line(spans, ln.page).finish() for _, spans in sorted(groups.items()))
    return out


def split_tables(lines: Sequence[Line], body: float) -> list[Line | Grid]:
    """The region's lines with clear tables grouped into grids, in order."""
    rows = _rows(lines)
    out: list[Line | Grid] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if len(row) < 2:
            out.extend(row)
            i += 1
            continue
        tol = 0.3 * body
        columns = [(ln.x0, ln.x1) for ln in row]
        grid_rows: list[list[list[Line]]] = [[[ln] for ln in row]]
        cols_of: list[list[int]] = [list(range(len(row)))]
        j = i + 1
        while j < len(rows):
            nxt = _split_row(rows[j], columns, tol)
            assigned = _assign(nxt, columns, tol)
            if assigned is None:
                break
            if len(nxt) == 1:
                # a wrapped cell: one line under the previous row's cell in the same column
                prev_cols = cols_of[-1]
                if (
                    assigned[0] not in prev_cols
                    or nxt[0].top - grid_rows[-1][0][-1].bottom > 0.8 * nxt[0].size
                ):
                    break
                grid_rows[-1][prev_cols.index(assigned[0])].append(nxt[0])
                j += 1
                continue
            for ln, c in zip(nxt, assigned, strict=True):
                a, b = columns[c]
                columns[c] = (min(a, ln.x0), max(b, ln.x1))
            grid_rows.append([[ln] for ln in nxt])
            cols_of.append(assigned)
            j += 1
        if len(grid_rows) < 2:
            out.extend(row)
            i += 1
            continue
        width = len(columns)
        full_rows: list[list[list[Line]]] = []
        for cells, cols in zip(grid_rows, cols_of, strict=True):
            full: list[list[Line]] = [[] for _ in range(width)]
            for cell, c in zip(cells, cols, strict=True):
                full[c] = cell
            full_rows.append(full)
        grid = Grid(full_rows, columns=columns)
        header = _header_above(out, columns, body)
        if header is not None:
            above = out.pop()
            grid.rows.insert(0, header)
            grid.header = isinstance(above, Line) and above.bold >= 0.8
        elif all(ln.bold >= 0.8 for ln in rows[i]):
            grid.header = True
        out.append(grid)
        i = j
    return out


def _header_above(
    out: list[Line | Grid], columns: list[tuple[float, float]], body: float
) -> list[list[Line]] | None:
    """The line just above the rows, split at the columns when it spans them."""
    if not out or not isinstance(out[-1], Line):
        return None
    ln = out[-1]
    if (
        ln.size > 1.15 * body
        or ln.x0 > columns[0][1]
        or ln.x1 < columns[-1][0]
        or len(ln.spans) > 3 * len(columns)
    ):
        return None
    cells: list[list[Line]] = [[] for _ in columns]
    for span in ln.spans:
        for part, col in _split_span(span, columns):
            piece = Line([part], ln.page).finish()
            cells[col].append(piece)
    if sum(1 for c in cells if c) < len(columns):
        return None
    return [_merge(c) for c in cells]


def _merge(parts: list[Line]) -> list[Line]:
    if len(parts) <= 1:
        return parts
    merged = Line([s for p in parts for s in p.spans], parts[0].page).finish()
    return [merged]


def _split_span(span: TextSpan, columns: list[tuple[float, float]]) -> list[tuple[TextSpan, int]]:
    """Cut a span that runs across columns at word boundaries near the column edges."""
    text = span.text
    x0, x1 = span.bbox[0], span.bbox[2]
    width = max(x1 - x0, 1e-6)
    cuts: list[tuple[int, int]] = []  # (char index, column)
    for c, (a, _b) in enumerate(columns):
        if a <= x0 + 1:
            continue
        if a >= x1:
            break
        pos = round((a - x0) / width * len(text))
        spaces = [m.start() for m in re.finditer(r"\s+", text)]
        if not spaces:
            return [(span, _column_of(span, columns))]
        best = min(spaces, key=lambda s: abs(s - pos))
        cuts.append((best, c))
    if not cuts:
        return [(span, _column_of(span, columns))]
    out: list[tuple[TextSpan, int]] = []
    start = 0
    col = min(range(len(columns)), key=lambda c: abs(columns[c][0] - x0))
    for pos, c in cuts:
        piece = text[start:pos].strip()
        if piece:
            out.append((_part(span, piece, start / len(text), pos / len(text)), col))
        start, col = pos, c
    piece = text[start:].strip()
    if piece:
        out.append((_part(span, piece, start / len(text), 1.0), col))
    return out


def _column_of(span: TextSpan, columns: list[tuple[float, float]]) -> int:
    centre = (span.bbox[0] + span.bbox[2]) / 2
    return min(range(len(columns)), key=lambda c: abs((columns[c][0] + columns[c][1]) / 2 - centre))


def _part(span: TextSpan, text: str, lo: float, hi: float) -> TextSpan:
    x0, x1 = span.bbox[0], span.bbox[2]
    w = x1 - x0
    return TextSpan(
        text=text,
        bbox=(x0 + lo * w, span.bbox[1], x0 + hi * w, span.bbox[3]),
        baseline=span.baseline,
        size=span.size,
        font=span.font,
        bold=span.bold,
        italic=span.italic,
        monospace=span.monospace,
        mcid=span.mcid,
        artifact=span.artifact,
        upright=span.upright,
    )
