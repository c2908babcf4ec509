"""Generic traversal of the model: children, walk, query, plain_text.

All walks are iterative, so a deeply nested document cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

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


def children(node: Node) -> tuple[Node, ...]:
    """The direct child nodes of ``node``, in document order."""
    match node:
        case Document(blocks=blocks):
            return blocks
        case Paragraph(content=c) | Heading(content=c) | Emph(content=c) | Strong(content=c):
            return c
        case Sub(content=c) | Sup(content=c) | Link(content=c) | Span(content=c):
            return c
        case BulletList(items=items) | OrderedList(items=items):
            return items
        case ListItem(blocks=b) | Note(blocks=b) | Div(blocks=b) | Aside(blocks=b) | Cell(blocks=b):
            return b
        case BlockQuote(blocks=b, attribution=a):
            return (*b, *a)
        case Figure(blocks=b, caption=cap):
            return (*b, *cap)
        case DefinitionList(items=items):
            return items
        case DefinitionItem(term=term, definitions=defs):
            return (*term, *(blk for d in defs for blk in d))
        case Table(head=head, bodies=bodies, foot=foot, caption=cap):
            return (*cap, *head, *(r for body in bodies for r in body), *foot)
        case Row(cells=cells):
            return cells
        case (
            Text() | Code() | Image() | LineBreak() | PageBreak() | CodeBlock() | ThematicBreak() | Endnotes()
        ):
            return ()
    raise TypeError(f"not a model node: {type(node).__name__}")


def walk(node: Node) -> Iterator[Node]:
    """Every node below and including ``node``, depth first, in document order."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
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
