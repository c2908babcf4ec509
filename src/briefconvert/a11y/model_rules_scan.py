"""One pass over the model for the semantic rules: every node in document
order with what is in force around it (language, location, enclosing text
block, figure, link, note).  Iterative, so deep documents cannot exhaust the
stack."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import (
    Aside,
    Attr,
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    Link,
    ListItem,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceRef,
    Span,
    Table,
)
from ..record import Record
from ..walk import children
from .findings import Sink

Node = object
# Nodes whose inline content is read as one piece of text (a sentence context).
TEXT_BLOCKS: tuple[type, ...] = (Paragraph, Heading, Figure, Table, BlockQuote, DefinitionItem)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Scope(Record):
    lang: str | None  # the language in force (None: unknown)
    src: SourceRef | None  # the nearest known source location
    block: Node | None  # the nearest text block (paragraph, heading, caption owner ...)
    figure: Figure | None
    link: Link | None
    in_note: bool
    depth: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Visit(Record):
    node: Node
    scope: Scope


def attr_of(node: Node) -> Attr | None:
    match node:
        case (
            Paragraph(attr=a) | Heading(attr=a) | ListItem(attr=a) | BulletList(attr=a) | OrderedList(attr=a)
            | DefinitionList(attr=a) | BlockQuote(attr=a) | Figure(attr=a) | Table(attr=a) | Aside(attr=a)
            | Div(attr=a) | Span(attr=a)
        ):  # fmt: skip
            return a
    return None


def src_of(node: Node) -> SourceRef | None:
    match node:
        case (
            Paragraph(src=s) | Heading(src=s) | BulletList(src=s) | OrderedList(src=s) | DefinitionList(src=s)
            | BlockQuote(src=s) | Figure(src=s) | Table(src=s) | Aside(src=s) | CodeBlock(src=s)
            | Image(src=s) | Note(src=s) | PageBreak(src=s)
        ):  # fmt: skip
            return s
    return None


def scan(doc: Document) -> list[Visit]:
    """Every node of ``doc`` (the Document itself excluded) with its scope."""
    top = Scope(doc.meta.lang, None, None, None, None, False, 0)
    out: list[Visit] = []
    stack: list[tuple[Node, Scope]] = [(b, top) for b in reversed(doc.blocks)]
    while stack:
        node, outer = stack.pop()
        a = attr_of(node)
        src = src_of(node)
        here = outer
        if a is not None and a.lang is not None and a.lang != outer.lang:
            here = replace(here, lang=a.lang)
        if src is not None and (src.line is not None or src.page is not None):
            here = replace(here, src=src)
        out.append(Visit(node, here))
        inner = replace(here, depth=here.depth + 1)
        if isinstance(node, TEXT_BLOCKS):
            inner = replace(inner, block=node)
        if isinstance(node, Figure):
            inner = replace(inner, figure=node)
        elif isinstance(node, Link):
            inner = replace(inner, link=node)
        elif isinstance(node, Note):
            inner = replace(inner, in_note=True, link=None, block=None)
        stack.extend((c, inner) for c in reversed(children(node)))
    return out


def add(sink: Sink, rule: str, message: str, src: SourceRef | None) -> None:
    """Report ``message`` at ``src``: its line (and part), or its page."""
    if src is None:
        sink.add(rule, message)
        return
    where = f"page {src.page}" if src.page is not None and src.line is None else None
    sink.add(rule, message, line=src.line, part=src.part, where=where)
