"""Heading levels that a reader can rely on: the title is the only level 1,
body headings start at level 2, and no heading is more than one level deeper
than the one before it (WCAG 1.3.1, 2.4.6)."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Report
from ..model import Aside, Block, Div, Document, Heading
from ..walk import plain_text

BODY_TOP = 2
MAX_LEVEL = 6


def _levels(blocks: tuple[Block, ...]) -> list[int]:
    """Levels of the headings that make the outline (not those inside quotes,
    figures, list items or notes), in order."""
    out: list[int] = []
    stack: list[Block] = list(reversed(blocks))
    while stack:
        b = stack.pop()
        match b:
            case Heading(level=level):
                out.append(level)
            case Div(blocks=inner) | Aside(blocks=inner):
                stack.extend(reversed(inner))
            case _:
                pass
    return out


class _Leveller:
    """Maps source levels to output levels in one pass over the outline."""

    def __init__(self, top: int) -> None:
        self.offset = BODY_TOP - top
        self.previous = BODY_TOP - 1
        self.changed: list[tuple[str, int, int]] = []

    def level_for(self, h: Heading) -> int:
        new = min(max(h.level + self.offset, BODY_TOP), self.previous + 1, MAX_LEVEL)
        self.previous = new
        if new != h.level:
            self.changed.append((plain_text(h.content), h.level, new))
        return new

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, b: Block) -> Block:
        match b:
            case Heading():
                level = self.level_for(b)
                return b if level == b.level else replace(b, level=level)
            case Div(blocks=inner) | Aside(blocks=inner):
                return replace(b, blocks=self.blocks(inner))
            case _:
                return b


def normalize_headings(doc: Document, report: Report) -> Document:
    levels = _levels(doc.blocks)
    if not levels:
        return doc
    leveller = _Leveller(min(levels))
    blocks = leveller.blocks(doc.blocks)
    shifted = [c for c in leveller.changed if c[2] - c[1] != leveller.offset]
    if leveller.offset:
        report.info(
            "heading-shift", f"body headings moved by {leveller.offset:+d} level(s) so that they start at h2"
        )
    for text, old, new in shifted:
        report.info(
            "heading-order", f"heading {text[:60]!r} moved from h{old} to h{new} to avoid a skipped level"
        )
    return replace(doc, blocks=blocks)
