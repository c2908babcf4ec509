"""Generic traversal of the model: children, walk, query, plain_text.

All walks are iterative, so a deeply nested document cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import Any, TypeVar

from .model import (
    Aside,
    BlockQuote,
    BulletList,
    Cell,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)

Node = object
T = TypeVar("T")


def _concat(*getters: Callable[[Any], Iterable[Node]]) -> Callable[[Any], tuple[Node, ...]]:
    return lambda node: tuple(child for get in getters for child in get(node))


def _leaf(node: Any) -> tuple[Node, ...]:
    return ()


def _definitions(item: DefinitionItem) -> tuple[Node, ...]:
    return (*item.term, *(blk for d in item.definitions for blk in d))


def _table(t: Table) -> tuple[Node, ...]:
    return (*t.caption, *t.head, *(r for body in t.bodies for r in body), *t.foot)


# Node class -> its children in document order.  A table looked up by the
# exact class rather than a ``match``: every walk calls this once per node, and
# a match tries its cases in turn (a Text, the commonest node, was its 10th).
# tests/test_model.py checks that every model class is here.
_CHILDREN: dict[type, Callable[[Any], tuple[Node, ...]]] = {
    Document: attrgetter("blocks"),
    **dict.fromkeys((Paragraph, Heading, Emph, Strong, Sub, Sup, Link, Span), attrgetter("content")),
    **dict.fromkeys((BulletList, OrderedList, DefinitionList), attrgetter("items")),
    **dict.fromkeys((ListItem, Note, Div, Aside, Cell), attrgetter("blocks")),
    BlockQuote: _concat(attrgetter("blocks"), attrgetter("attribution")),
    Figure: _concat(attrgetter("blocks"), attrgetter("caption")),
    DefinitionItem: _definitions,
    Table: _table,
    Row: attrgetter("cells"),
    **dict.fromkeys((Text, Code, Image, LineBreak, PageBreak, CodeBlock, ThematicBreak, Endnotes), _leaf),
}


def children(node: Node) -> tuple[Node, ...]:
    """The direct child nodes of ``node``, in document order."""
    get = _CHILDREN.get(type(node))
    if get is None:
        raise TypeError(f"not a model node: {type(node).__name__}")
    return get(node)


def walk(node: Node, *, notes: bool = True) -> Iterator[Node]:
    """Every node below and including ``node``, depth first, in document order;
    ``notes=False`` leaves out notes and everything in them (the flow of the
    text, where writers put notes elsewhere)."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if not notes and type(current) is Note:
            continue
        yield current
        stack.extend(reversed(children(current)))


def query(node: Node, kind: type[T]) -> list[T]:
    """All nodes of type ``kind`` below ``node``, in document order."""
    return [n for n in walk(node) if isinstance(n, kind)]


def plain_text(nodes: Node | Iterable[Node], *, notes: bool = False) -> str:
    """The text of inline content with whitespace collapsed.

    Images contribute their alt text; note content is left out unless ``notes``.
    """
    roots = [nodes] if not isinstance(nodes, (tuple, list)) else list(nodes)
    parts: list[str] = []
    stack: list[Node] = list(reversed(roots))
    while stack:
        n = stack.pop()
        match n:
            case Text(text=t) | Code(text=t) | CodeBlock(text=t):
                parts.append(t)
            case Image(alt=alt):
                if alt:
                    parts.append(alt)
            case LineBreak():
                parts.append(" ")
            case Note() if not notes:
                pass
            case Paragraph() | Heading() | ListItem() | Cell():
                parts.append(" ")
                stack.append(" ")
                stack.extend(reversed(children(n)))
            case str():
                parts.append(n)
            case _:
                stack.extend(reversed(children(n)))
    return " ".join("".join(parts).split())
