"""Heading levels that a reader can rely on: the title is the only level 1,
body headings start at level 2, and no heading is more than one level deeper
than the one before it (WCAG 1.3.1, 2.4.6).

Every heading that a writer renders counts, wherever it stands (in a list
item, a table cell, a quote, a box), except those inside notes, which are
rendered apart from the flow.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any, cast

from ..diagnostics import Report
from ..model import Document, Heading, Note
from ..walk import plain_text, walk

BODY_TOP = 2
MAX_LEVEL = 6
MAX_DEPTH = 400  # model nesting beyond which headings are left as they are


def _levels(doc: Document) -> list[int]:
    """Levels of the rendered headings in document order (iterative; notes skipped)."""
    return [node.level for node in walk(doc, notes=False) if isinstance(node, Heading)]


class _Leveller:
    """Maps source levels to output levels in one pass, in document order."""

    def __init__(self, top: int) -> None:
        self.offset = BODY_TOP - top
        self.previous = BODY_TOP - 1
        self.changed: list[tuple[str, int, int]] = []

    def heading(self, h: Heading) -> Heading:
        new = min(max(h.level + self.offset, BODY_TOP), self.previous + 1, MAX_LEVEL)
        self.previous = new
        if new == h.level:
            return h
        self.changed.append((plain_text(h.content), h.level, new))
        return replace(h, level=new)

    def node(self, node: Any, depth: int = 0) -> Any:
        """``node`` rebuilt with its headings re-levelled (same object when unchanged)."""
        if isinstance(node, Heading):
            return self.heading(node)
        if isinstance(node, tuple):
            new = tuple(self.node(x, depth + 1) for x in node)
            return node if all(a is b for a, b in zip(new, node, strict=True)) else new
        if isinstance(node, Note) or not is_dataclass(node) or depth > MAX_DEPTH:
            return node
        updates = {}
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, tuple):
                new_value = self.node(value, depth + 1)
                if new_value is not value:
                    updates[f.name] = new_value
        return replace(cast(Any, node), **updates) if updates else node


def _unchanged(levels: list[int]) -> bool:
    """Whether the levels already start at h2 (or lower) and never skip."""
    previous = BODY_TOP - 1
    for level in levels:
        if level < BODY_TOP or level > previous + 1:
            return False
        previous = level
    return min(levels) == BODY_TOP


def normalize_headings(doc: Document, report: Report) -> Document:
    levels = _levels(doc)
    if not levels or _unchanged(levels):
        return doc
    leveller = _Leveller(min(levels))
    blocks = leveller.node(doc.blocks)
    if leveller.offset:
        report.info(
            "heading-shift", f"body headings moved by {leveller.offset:+d} level(s) so that they start at h2"
        )
    for text, old, new in leveller.changed:
        if new - old != leveller.offset:
            report.info(
                "heading-order", f"heading {text[:60]!r} moved from h{old} to h{new} to avoid a skipped level"
            )
    return doc if blocks is doc.blocks else replace(doc, blocks=blocks)
