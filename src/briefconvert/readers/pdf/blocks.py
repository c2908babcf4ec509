"""Lines -> text blocks (paragraphs, list items, captions, table rows), as
pure functions: breaks at vertical gaps larger than the line spacing, at
changes of size or weight, at list markers and captions, at first-line
indents; and paragraphs joined again across columns and pages when the text
runs on."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .layout import Line
from .tables import Grid, split_tables

BlockKind = Literal["para", "item", "caption", "table"]

BULLETS = "•◦▪▫‣⁃●○■□◆◇►▸▶➢➤✓✔–—-*·"
_BULLET = re.compile(rf"^\s*([{re.escape(BULLETS)}])\s+\S")
_NUMBER = re.compile(r"^\s*(\(?(\d{1,2}|[a-z]|[ivx]{1,5})[.)])\s+\S", re.I)
_CAPTION = re.compile(
    r"^\s*(figure|fig\.|table|chart|graph|exhibit|box|map|abbildung|tabelle|tableau|tabla|tabella|grafik|"
    r"gráfico|graphique)\s+[\dIVX]+[A-Za-z]?\s*[:.\-–—]",
    re.I,
)
_TERMINAL = re.compile(r"[.!?:;…]['\"’”)\]]*$")


@dataclass(slots=True)
class TextBlock:
    lines: list[Line]
    kind: BlockKind = "para"
    marker: str | None = None  # a list item's marker text
    region: int = 0  # index of the reading-order region it starts in
    first_in_region: bool = False
    gap_before: float | None = None
    heading_level: int | None = None
    heading_how: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)

    @property
    def size(self) -> float:
        weights: dict[float, int] = {}
        for ln in self.lines:
            weights[round(ln.size, 1)] = weights.get(round(ln.size, 1), 0) + len(ln.text)
        return max(weights.items(), key=lambda kv: kv[1])[0]

    @property
    def bold(self) -> float:
        total = sum(len(ln.text) for ln in self.lines) or 1
        return sum(ln.bold * len(ln.text) for ln in self.lines) / total

    @property
    def italic(self) -> float:
        total = sum(len(ln.text) for ln in self.lines) or 1
        return sum(ln.italic * len(ln.text) for ln in self.lines) / total

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)

    @property
    def font(self) -> str:
        weights: dict[str, int] = {}
        for ln in self.lines:
            for s in ln.spans:
                weights[s.font] = weights.get(s.font, 0) + len(s.text)
        return max(weights.items(), key=lambda kv: kv[1])[0] if weights else ""


def list_marker(text: str) -> tuple[str, str] | None:
    """(marker, kind) when ``text`` starts with a list marker: kind is
    "bullet" or the number style."""
    m = _BULLET.match(text)
    if m:
        return m.group(1), "bullet"
    m = _NUMBER.match(text)
    if m:
        return m.group(1), "number"
    return None


def is_caption(text: str) -> bool:
    return bool(_CAPTION.match(text))


def line_gaps(regions: Sequence[Sequence[Line]]) -> dict[float, float]:
    """The usual gap between consecutive lines of one size (by rounded size)."""
    by_size: dict[float, list[float]] = {}
    for region in regions:
        prev: Line | None = None
        for ln in region:
            if ln.furniture:
                continue
            if prev is not None and abs(prev.size - ln.size) < 0.05 * ln.size:
                gap = ln.top - prev.bottom
                if -0.5 * ln.size <= gap <= 2.5 * ln.size:
                    by_size.setdefault(round(ln.size), []).append(gap)
            prev = ln
    return {k: statistics.median(v) for k, v in by_size.items() if v}


def _usual_gap(gaps: dict[float, float], size: float) -> float:
    key = round(size)
    if key in gaps:
        return gaps[key]
    return 0.35 * size


def _style(ln: Line) -> tuple[bool, bool]:
    return ln.bold >= 0.8, ln.italic >= 0.8


def make_blocks(regions: Sequence[Sequence[Line]], gaps: dict[float, float], body: float) -> list[TextBlock]:
    """Blocks in reading order from regions of lines."""
    blocks: list[TextBlock] = []
    for r_index, region in enumerate(regions):
        lines = [ln for ln in region if not ln.furniture]
        if not lines:
            continue
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
        cur: TextBlock | None = None
        for item in split_tables(lines, body):
            if isinstance(item, Grid):
                blocks.append(
                    TextBlock(
                        item.lines,
                        kind="table",
                        region=r_index,
                        first_in_region=cur is None,
                        meta={"grid": item},
                    )
                )
                cur = None
                continue
            ln = item
            if cur is None:
                first = not blocks or blocks[-1].region != r_index
                cur = _start(ln, r_index, first=first, gap=None, body=body)
                blocks.append(cur)
                continue
            prev = cur.lines[-1]
            gap = ln.top - prev.bottom
            if _breaks(cur, prev, ln, gap, gaps, left, right, body):
                cur = _start(ln, r_index, first=False, gap=gap, body=body)
                blocks.append(cur)
            else:
                cur.lines.append(ln)
    return blocks


def _body_like(ln: Line, body: float) -> bool:
    """Set like running text (a list item), not like a heading."""
    return ln.size <= 1.08 * body and ln.bold < 0.9


def _start(ln: Line, region: int, *, first: bool, gap: float | None, body: float) -> TextBlock:
    block = TextBlock([ln], region=region, first_in_region=first, gap_before=gap)
    marker = list_marker(ln.text)
    if marker is not None and _body_like(ln, body):
        block.kind = "item"
        block.marker = marker[0]
    elif is_caption(ln.text):
        block.kind = "caption"
    return block


def _breaks(
    cur: TextBlock,
    prev: Line,
    ln: Line,
    gap: float,
    gaps: dict[float, float],
    left: float,
    right: float,
    body: float,
) -> bool:
    size = max(prev.size, ln.size)
    if abs(ln.baseline - prev.baseline) < 0.3 * size or ln.top < prev.top:
        return True  # side by side (cells of a row) or going back up
    if abs(ln.size - prev.size) > 0.1 * size:
        # a superscript-only or slightly smaller line inside a paragraph is rare: break
        return True
    if _style(ln) != _style(prev) and (ln.bold >= 0.8 or prev.bold >= 0.8):
        return True
    usual = _usual_gap(gaps, ln.size)
    if gap > usual + max(0.45 * ln.size, 2.5):
        return True
    if (
        list_marker(ln.text) is not None
        and _body_like(ln, body)
        and (cur.kind == "item" or ln.x0 > left + 0.5 * ln.size)
    ):
        return True
    if is_caption(ln.text):
        return True
    if cur.kind == "item":
        # continuation lines hang under the item's text; back at the margin ends the item
        return ln.x0 < cur.lines[0].x0 - 0.5 * ln.size
    if cur.kind == "caption":
        return False
    indent = ln.x0 - prev.x0
    if (
        len(cur.lines) >= 1
        and indent > 0.8 * ln.size
        and indent < 6 * ln.size
        and prev.x1 > right - 3 * ln.size
    ):
        return _TERMINAL.search(prev.text) is not None  # a first-line indent after a full line
    return (
        prev.x1 < right - 0.2 * (right - left)
        and _TERMINAL.search(prev.text) is not None
        and (ln.x0 - left > 0.8 * ln.size or (len(cur.lines) > 1 and cur.lines[0].x0 - left > 0.8 * ln.size))
    )


def continues(a: TextBlock, b: TextBlock) -> bool:
    """Whether ``b`` (first of its column or page) continues paragraph ``a``."""
    if a.kind not in ("para", "item") or b.kind != "para" or not b.first_in_region or a.page > b.page:
        return False
    if a.heading_level is not None or b.heading_level is not None:
        return False
    if abs(a.size - b.size) > 0.05 * a.size or (a.bold >= 0.8) != (b.bold >= 0.8):
        return False
    last = a.lines[-1].text.rstrip()
    first = b.lines[0].text.lstrip()
    if not last or not first:
        return False
    if last.endswith(("-", "\u00ad")):
        return True
    if _TERMINAL.search(last):
        return False
    return first[0].islower() or first[0] in "(,;–—"


def join_continued(blocks: list[TextBlock]) -> list[TextBlock]:
    out: list[TextBlock] = []
    for b in blocks:
        if out and continues(out[-1], b):
            out[-1].lines.extend(b.lines)
            continue
        out.append(b)
    return out
