"""Numbered paragraphs -> nested BulletList / OrderedList blocks.

A numbered paragraph (``w:numPr``, direct or from its style) starts an item
at its level (``w:ilvl``); a deeper level nests a list in the current item;
a different list instance (``numId``) or kind at the same level starts a new
list.  Paragraphs that continue an item (List Paragraph / List Continue
styles, or indented at least to a level's text) join the item of the
deepest level they reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from ...model import Block, BulletList, ListItem, NumberStyle, OrderedList, SourceRef


@dataclass(slots=True)
class _Open:
    ilvl: int
    kind: str  # "bullet" or a NumberStyle
    num_id: int
    start: int
    indent: int | None
    src: SourceRef | None
    items: list[list[Block]] = field(default_factory=list)

    def build(self) -> BulletList | OrderedList:
        items = tuple(ListItem(tuple(blocks)) for blocks in self.items)
        if self.kind == "bullet":
            return BulletList(items, src=self.src)
        return OrderedList(items, start=self.start, style=cast(NumberStyle, self.kind), src=self.src)


@dataclass(slots=True)
class ListBuilder:
    out: list[Block]  # where finished top-level lists go
    stack: list[_Open] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return bool(self.stack)

    def item(
        self,
        block: Block,
        *,
        ilvl: int,
        kind: str,
        num_id: int,
        number: int,
        indent: int | None,
        src: SourceRef | None,
    ) -> None:
        while self.stack and self.stack[-1].ilvl > ilvl:
            self._close()
        top = self.stack[-1] if self.stack else None
        if top is not None and top.ilvl == ilvl:
            if top.kind == kind and top.num_id == num_id:
                top.items.append([block])
                return
            self._close()
        self.stack.append(_Open(ilvl, kind, num_id, number, indent, src, [[block]]))

    def continuation(self, blocks: list[Block], indent: int | None) -> None:
        """Blocks that continue the current item: of the deepest open level
        whose text indent they reach (the deepest when indents are unknown)."""
        if indent is not None:
            while len(self.stack) > 1 and (lvl := self.stack[-1].indent) is not None and indent < lvl:
                self._close()
        self.stack[-1].items[-1].extend(blocks)

    def _close(self) -> None:
        lst = self.stack.pop().build()
        if self.stack:
            self.stack[-1].items[-1].append(lst)
        else:
            self.out.append(lst)

    def flush(self) -> None:
        while self.stack:
            self._close()
