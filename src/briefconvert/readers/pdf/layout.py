"""Page geometry, as pure functions over the backend's spans: lines, and the
reading order of lines across columns (an XY cut that prefers column
gutters and otherwise cuts at the widest horizontal gap)."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from .backend import BBox, TextSpan


@dataclass(slots=True)
class Line:
    """Spans on one baseline (superscripts included), left to right."""

    spans: list[TextSpan]
    page: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    baseline: float = 0.0
    size: float = 0.0  # the main (largest, then longest) span's size
    text: str = ""
    bold: float = 0.0  # share of characters set in bold
    italic: float = 0.0
    fonts: tuple[str, ...] = ()
    furniture: bool = False
    meta: dict[str, object] = field(default_factory=dict)

    def finish(self) -> Line:
        self.spans.sort(key=lambda s: s.bbox[0])
        self.x0 = min(s.bbox[0] for s in self.spans)
        self.x1 = max(s.bbox[2] for s in self.spans)
        self.top = min(s.bbox[1] for s in self.spans)
        self.bottom = max(s.bbox[3] for s in self.spans)
        main = max(self.spans, key=lambda s: (round(s.size, 1), len(s.text.strip())))
        self.baseline = main.baseline
        self.size = main.size
        parts: list[str] = []
        prev: TextSpan | None = None
        for s in self.spans:
            if prev is not None and s.bbox[0] - prev.bbox[2] > 0.12 * min(s.size, prev.size):
                parts.append(" ")
            parts.append(s.text)
            prev = s
        self.text = " ".join("".join(parts).split())
        total = sum(len(s.text.strip()) for s in self.spans) or 1
        self.bold = sum(len(s.text.strip()) for s in self.spans if s.bold) / total
        self.italic = sum(len(s.text.strip()) for s in self.spans if s.italic) / total
        self.fonts = tuple(dict.fromkeys(s.font for s in self.spans))
        return self

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def height(self) -> float:
        return self.bottom - self.top


JOIN_GAP = 0.8  # in font sizes: closer pieces on a baseline are one line
LOOSE_GAP = 1.3  # up to this, pieces are one line too unless the gap is a column channel


def make_lines(spans: Sequence[TextSpan], page: int) -> list[Line]:
    """Group upright spans into lines.  Spans far apart on one baseline
    (column gutters, table cells) make separate lines: a gap wider than
    :data:`LOOSE_GAP` always separates; a gap between :data:`JOIN_GAP` and
    it separates only where such gaps line up down the page (a narrow
    gutter between columns), not at a list bullet or a loose justified line."""
    pieces = _pieces(spans, page)
    channels = _channels(pieces)
    return _rejoin(pieces, channels)


def _pieces(spans: Sequence[TextSpan], page: int) -> list[Line]:
    items = sorted((s for s in spans if s.upright and s.text.strip()), key=lambda s: (s.baseline, s.bbox[0]))
    lines: list[Line] = []
    open_lines: list[Line] = []
    for s in items:
        h = s.bbox[3] - s.bbox[1]
        open_lines = [ln for ln in open_lines if ln.baseline > s.baseline - 3 * max(s.size, ln.size)]
        target: Line | None = None
        for ln in reversed(open_lines):
            overlap = min(ln.bottom, s.bbox[3]) - max(ln.top, s.bbox[1])
            if overlap < 0.4 * min(h, ln.bottom - ln.top):
                continue
            limit = JOIN_GAP * max(s.size, ln.size)
            after = s.bbox[0] - ln.x1
            before = ln.x0 - s.bbox[2]
            inside = s.bbox[0] >= ln.x0 - 0.5 * s.size and s.bbox[2] <= ln.x1 + 0.5 * s.size
            if -0.5 * s.size <= after <= limit or -0.5 * s.size <= before <= limit or inside:
                target = ln
                break
        if target is None:
            target = Line([s], page, s.bbox[0], s.bbox[1], s.bbox[2], s.bbox[3], s.baseline, s.size)
            lines.append(target)
            open_lines.append(target)
        else:
            target.spans.append(s)
            target.x0 = min(target.x0, s.bbox[0])
            target.x1 = max(target.x1, s.bbox[2])
            if s.size > target.size:
                target.size = s.size
                target.baseline = s.baseline
                target.top = min(target.top, s.bbox[1])
                target.bottom = max(target.bottom, s.bbox[3])
    return [ln.finish() for ln in lines]


def _row_pairs(pieces: list[Line]) -> list[tuple[Line, Line]]:
    """Neighbouring pieces on one baseline, left to right."""
    ordered = sorted(pieces, key=lambda ln: (round(ln.baseline, 1), ln.x0))
    pairs: list[tuple[Line, Line]] = []
    for a, b in itertools.pairwise(ordered):
        if abs(a.baseline - b.baseline) < 0.3 * max(a.size, b.size) and b.x0 >= a.x1:
            pairs.append((a, b))
    return pairs


def _channels(pieces: list[Line]) -> list[tuple[float, float]]:
    """Narrow gaps that line up down the page in its middle part (a gutter)."""
    if len(pieces) < 8:
        return []
    x0 = min(ln.x0 for ln in pieces)
    x1 = max(ln.x1 for ln in pieces)
    width = x1 - x0
    gaps = sorted(
        (a.x1, b.x0)
        for a, b in _row_pairs(pieces)
        if b.x0 - a.x1 <= LOOSE_GAP * max(a.size, b.size)
        and x0 + 0.2 * width <= (a.x1 + b.x0) / 2 <= x0 + 0.8 * width
    )
    channels: list[tuple[float, float]] = []
    group: list[tuple[float, float]] = []
    for gap in sorted(gaps, key=lambda g: (g[0] + g[1]) / 2):
        centre = (gap[0] + gap[1]) / 2
        if group and centre - (group[-1][0] + group[-1][1]) / 2 > 4:
            if len(group) >= 4:
                channels.append((min(g[0] for g in group), max(g[1] for g in group)))
            group = []
        group.append(gap)
    if len(group) >= 4:
        channels.append((min(g[0] for g in group), max(g[1] for g in group)))
    return channels


def _rejoin(pieces: list[Line], channels: list[tuple[float, float]]) -> list[Line]:
    """Join pieces split by a loose gap that is not a column channel."""
    parent = {id(ln): ln for ln in pieces}  # union-find over pieces, by id

    def root(ln: Line) -> Line:
        while parent[id(ln)] is not ln:
            parent[id(ln)] = parent[id(parent[id(ln)])]
            ln = parent[id(ln)]
        return ln

    for a, b in _row_pairs(pieces):
        gap = b.x0 - a.x1
        if gap > LOOSE_GAP * max(a.size, b.size):
            continue
        if any(c0 - 1 <= a.x1 and b.x0 <= c1 + 1 for c0, c1 in channels):
            continue
        parent[id(root(b))] = root(a)
    groups: dict[int, list[Line]] = {}
    for ln in pieces:
        groups.setdefault(id(root(ln)), []).append(ln)
    out: list[Line] = []
    for ln in pieces:
        group = groups.pop(id(root(ln)), None)
        if group is None:
            continue
        out.append(
            group[0] if len(group) == 1 else Line([s for g in group for s in g.spans], ln.page).finish()
        )
    return out


# ------------------------------------------------------------ reading order


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Gaps between the union of ``intervals`` (sorted), as (start, end)."""
    if not intervals:
        return []
    intervals.sort()
    gaps: list[tuple[float, float]] = []
    cur_end = intervals[0][1]
    for a, b in intervals[1:]:
        if a > cur_end:
            gaps.append((cur_end, a))
        cur_end = max(cur_end, b)
    return gaps


def _texty(lines: list[Line], minimum: float = 25) -> bool:
    chars = [len(ln.text) for ln in lines]
    return bool(chars) and statistics.mean(chars) >= minimum


def _column_cut(lines: list[Line], body: float) -> tuple[list[Line], list[Line]] | None:
    """Split at the widest vertical gutter when both sides look like columns of text."""
    gaps = _gaps([(ln.x0, ln.x1) for ln in lines])
    if not gaps:
        return None
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    best: tuple[list[Line], list[Line]] | None = None
    best_gap = 0.0
    for a, b in gaps:
        if b - a < max(0.8 * body, 6.0) or b - a <= best_gap:
            continue
        mid = (a + b) / 2
        left = [ln for ln in lines if ln.x1 <= mid]
        right = [ln for ln in lines if ln.x0 >= mid]
        small, large = sorted((left, right), key=len)
        if len(small) < 2 or len(large) < 3:
            continue
        lw = max(ln.x1 for ln in left) - min(ln.x0 for ln in left)
        rw = max(ln.x1 for ln in right) - min(ln.x0 for ln in right)
        if min(lw, rw) < 0.25 * width or not (_texty(left) and _texty(right)):
            continue
        best, best_gap = (left, right), b - a
    return best


def _row_cut(lines: list[Line]) -> tuple[list[Line], list[Line]] | None:
    """Split at the widest horizontal gap."""
    gaps = _gaps([(ln.top, ln.bottom) for ln in lines])
    if not gaps:
        return None
    a, b = max(gaps, key=lambda g: g[1] - g[0])
    mid = (a + b) / 2
    upper = [ln for ln in lines if ln.bottom <= mid]
    lower = [ln for ln in lines if ln.top >= mid]
    if not upper or not lower:
        return None
    return upper, lower


def reading_order(lines: Sequence[Line], body: float) -> list[list[Line]]:
    """Regions of lines in reading order (each region top to bottom).

    Columns first: when a gutter runs down the page, the lines that cross it
    (a title, a full-width table or figure caption) cut the page into bands,
    and each band is read column by column; a band whose two sides are not
    running text (a table's cells) is read row by row.  Without a gutter the
    page is split recursively (XY cut)."""
    return _merge_rows([r for r in _order(list(lines), body, depth=0) if r])


def _order(lines: list[Line], body: float, *, depth: int) -> list[list[Line]]:
    if not lines:
        return []
    gutter = _find_gutter(lines, body) if depth < 3 else None
    if gutter is None:
        return _xy_cut(lines, body)
    mid = (gutter[0] + gutter[1]) / 2
    out: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        lhs, rhs = list(left), list(right)
        left.clear()
        right.clear()
        if not lhs or not rhs:
            out.extend(_order(lhs or rhs, body, depth=depth + 1))
        elif _texty(lhs, 18) or _texty(rhs, 18):
            out.extend(_order(lhs, body, depth=depth + 1))
            out.extend(_order(rhs, body, depth=depth + 1))
        else:
            out.append(sorted(lhs + rhs, key=lambda ln: (ln.top, ln.x0)))

    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if ln.x0 < mid < ln.x1:
            flush()
            out.append([ln])
        elif ln.x1 <= mid:
            left.append(ln)
        else:
            right.append(ln)
    flush()
    return out


def _find_gutter(lines: list[Line], body: float) -> tuple[float, float] | None:
    """A vertical strip that few lines cross while running text lies on both
    sides of it: the gap between two columns."""
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    width = x1 - x0
    if not 0 < width < 20_000 or len(lines) < 6:
        return None
    narrow = [ln for ln in lines if ln.x1 - ln.x0 <= 0.6 * width]
    if len(narrow) < 6:
        return None
    step = 2.0
    bins = int(width / step) + 1
    cover = [0] * bins
    for ln in narrow:
        for k in range(int((ln.x0 - x0) / step), min(bins, int((ln.x1 - x0) / step) + 1)):
            cover[k] += 1
    allowed = max(1, len(narrow) // 25)
    lo_bin, hi_bin = int(0.2 * width / step), int(0.8 * width / step)
    best: tuple[float, float] | None = None
    k = lo_bin
    while k <= hi_bin:
        if cover[k] > allowed:
            k += 1
            continue
        start = k
        while k < bins and cover[k] <= allowed:
            k += 1
        a, b = x0 + start * step, x0 + k * step
        if b - a >= max(0.8 * body, 6.0) and (best is None or b - a > best[1] - best[0]):
            best = (a, b)
    if best is None:
        return None
    mid = (best[0] + best[1]) / 2
    crossing = sum(1 for ln in lines if ln.x0 < mid < ln.x1)
    if crossing > 0.2 * len(lines):
        return None  # most lines run across: one column with a few short lines
    left = [ln for ln in narrow if ln.x1 <= mid]
    right = [ln for ln in narrow if ln.x0 >= mid]
    if len(left) < 3 or len(right) < 3 or not (_texty(left, 12) and _texty(right, 12)):
        return None
    if not (_texty(left, 20) or _texty(right, 20)):
        return None
    in_columns = sum(len(ln.text) for ln in left + right)
    if in_columns < 0.5 * sum(len(ln.text) for ln in lines):
        return None
    return best


def _xy_cut(lines: list[Line], body: float) -> list[list[Line]]:
    out: list[list[Line]] = []
    stack: list[list[Line]] = [lines] if lines else []
    while stack:
        region = stack.pop()
        cut = _column_cut(region, body)
        if cut is None:
            cut = _row_cut(region)
            if cut is None:
                region.sort(key=lambda ln: (ln.top, ln.x0))
                out.append(region)
                continue
        first, second = cut
        stack.append(second)
        stack.append(first)
    return out


def _merge_rows(regions: list[list[Line]]) -> list[list[Line]]:
    """Consecutive single-column regions produced by row cuts are one run of
    text: merge them back so that paragraphs can span them."""
    merged: list[list[Line]] = []
    for region in regions:
        if merged and _stacked(merged[-1], region):
            merged[-1].extend(region)
        else:
            merged.append(list(region))
    return merged


def _stacked(upper: list[Line], lower: list[Line]) -> bool:
    """``lower`` lies below ``upper`` with overlapping horizontal extent."""
    ux0 = min(ln.x0 for ln in upper)
    ux1 = max(ln.x1 for ln in upper)
    lx0 = min(ln.x0 for ln in lower)
    lx1 = max(ln.x1 for ln in lower)
    overlap = min(ux1, lx1) - max(ux0, lx0)
    return overlap > 0.5 * min(ux1 - ux0, lx1 - lx0) and min(ln.top for ln in lower) >= max(
        ln.top for ln in upper
    )


def body_size(lines: Sequence[Line]) -> float:
    """The font size that most characters are set in."""
    weights: dict[float, int] = {}
    for ln in lines:
        for s in ln.spans:
            key = round(s.size * 2) / 2
            weights[key] = weights.get(key, 0) + len(s.text.strip())
    if not weights:
        return 10.0
    return max(weights.items(), key=lambda kv: (kv[1], -kv[0]))[0]
