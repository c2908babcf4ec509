"""The content documents, read with the HTML reader and joined into one model.

Each document is read as a whole page (no chrome removal) with its images
taken from the container; every node's :class:`SourceRef` gets the
document's entry name as ``part``; a document in another language than the
book is wrapped in a ``Div`` carrying that language; diagnostics name the
document they come from.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar
from urllib.parse import unquote

from ...diagnostics import Report
from ...model import Attr, Block, Div, Document, Link, Meta, Resource, SourceRef
from ...options import EpubReaderOptions
from ...walk import walk
from ..html import read_html
from .book import Book
from .container import resolve
from .xhtml import for_html_reader

T = TypeVar("T")


def read_documents(book: Book, meta: Meta, options: EpubReaderOptions, report: Report) -> Document:
    names = {d.name for d in book.documents}
    blocks: list[Block] = []
    resources: dict[str, Resource] = {}
    for doc in book.documents:
        sub = Report()
        data = for_html_reader(doc, names.__contains__)
        chapter = read_html(data, base=None, options=options.html, report=sub, fetch=_fetcher(book, doc.name))
        for d in sub.diagnostics:
            report.add(d.code, d.severity, d.message, f"{doc.name}, {d.where}" if d.where else doc.name)
        part = with_part(chapter.blocks, doc.name)
        lang = chapter.meta.lang
        if part and lang and (meta.lang is None or lang.lower() != meta.lang.lower()):
            part = (Div(part, Attr(lang=lang)),)
        blocks.extend(part)
        for key, res in chapter.resources.items():
            resources.setdefault(key, res)
    out = Document(meta=meta, blocks=tuple(blocks), resources=resources)
    return _link_targets(out, book)


def _fetcher(book: Book, base: str) -> Any:
    def fetch(ref: str) -> bytes | None:
        name = resolve(base, ref)
        return book.container.read(name) if name else None

    return fetch


def _link_targets(doc: Document, book: Book) -> Document:
    """Fragment links whose target exists in some document of the book but
    became no node of the model (an empty anchor, a hidden element) point to
    the top (``#``), as the HTML reader does within one page; links to
    targets that exist nowhere stay as they are."""
    model_ids: set[str] = set()
    for node in walk(doc):
        attr = getattr(node, "attr", None)
        if isinstance(attr, Attr) and attr.id:
            model_ids.add(attr.id)
    file_ids: set[str] = set()
    for d in book.documents:
        file_ids |= d.ids
    stale = {
        id(n)
        for n in walk(doc)
        if isinstance(n, Link)
        and n.url.startswith("#")
        and len(n.url) > 1
        and unquote(n.url[1:]) not in model_ids
        and unquote(n.url[1:]) in file_ids
    }
    if not stale:
        return doc
    return replace(doc, blocks=rebuild(doc.blocks, lambda n: replace(n, url="#") if id(n) in stale else n))


# ------------------------------------------------------------------ rebuilding


def with_part(blocks: tuple[Block, ...], part: str) -> tuple[Block, ...]:
    """``blocks`` with ``part`` set on every SourceRef that has none."""

    def fix(node: Any) -> Any:
        src = getattr(node, "src", None)
        if isinstance(src, SourceRef) and src.part is None:
            return replace(node, src=replace(src, part=part))
        return node

    return rebuild(blocks, fix)


def rebuild(value: T, fn: Any) -> T:
    """A copy of a model tree (any tuple or node) with ``fn`` applied to every
    node after its children were rebuilt.  Iterative, so a deep tree cannot
    exhaust the stack; untouched subtrees are shared, not copied."""
    order: list[Any] = []
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            order.append(current)
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in reversed(_parts(current)))
    new: dict[int, Any] = {}
    for current in order:
        if isinstance(current, tuple):
            items = tuple(new.get(id(c), c) for c in current)
            new[id(current)] = current if all(a is b for a, b in zip(items, current, strict=True)) else items
            continue
        changes = {
            f.name: new[id(v)]
            for f in fields(current)
            if isinstance(v := getattr(current, f.name), tuple) and new.get(id(v), v) is not v
        }
        node = replace(current, **changes) if changes else current
        new[id(current)] = fn(node)
    result: T = new.get(id(value), value)
    return result


def _parts(value: Any) -> list[Any]:
    if isinstance(value, tuple):
        return [v for v in value if isinstance(v, tuple) or _is_node(v)]
    if _is_node(value):
        return [v for f in fields(value) if isinstance(v := getattr(value, f.name), tuple)]
    return []


def _is_node(value: Any) -> bool:
    return is_dataclass(value) and not isinstance(value, type | Attr | SourceRef)
