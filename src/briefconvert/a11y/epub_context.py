"""The context the EPUB rules share: the opened book, its model, the sink,
and what several rules need (reading positions, page-break markers, the
page list), plus small helpers over XHTML elements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Document
from ..readers.epub import Book
from ..readers.epub.container import Element
from ..readers.epub.package import Package
from ..readers.epub.xhtml import EPUB_TYPE, ContentDoc, local
from .findings import Sink

SNIPPET = 60


@dataclass(slots=True)
class EpubContext:
    book: Book
    doc: Document
    sink: Sink
    pkg: Package = field(init=False)
    spine: dict[str, ContentDoc] = field(init=False)
    order: dict[tuple[str, str], int] = field(init=False)  # (document, id or "") -> reading position
    markers: list[tuple[ContentDoc, Element]] = field(init=False)  # page-break markers
    page_list: Element | None = field(init=False)

    def __post_init__(self) -> None:
        self.pkg = self.book.package
        self.spine = {d.name: d for d in self.book.documents}
        self.order = {}
        self.markers = []
        for d in self.book.documents:
            self.order[(d.name, "")] = len(self.order)
            for el in elements(d.root):
                ident = (el.get("id") or "").strip()
                if ident and (d.name, ident) not in self.order:
                    self.order[(d.name, ident)] = len(self.order)
                if is_pagebreak(el):
                    self.markers.append((d, el))
        self.page_list = nav_of(self.book.nav, "page-list")

    def opf(self, rule: str, message: str, line: int | None = None) -> None:
        self.sink.add(rule, message, line=line or self.pkg.metadata_line, part=self.pkg.name)

    def at(self, rule: str, message: str, doc: ContentDoc, el: Element | None) -> None:
        self.sink.add(rule, message, line=el.sourceline if el is not None else None, part=doc.name)


def elements(root: Element | None) -> Iterator[Element]:
    if root is None:
        return
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def epub_types(el: Element) -> list[str]:
    return (el.get(EPUB_TYPE) or el.get("epub:type") or "").split()


def aria_roles(el: Element) -> list[str]:
    return (el.get("role") or "").split()


def is_pagebreak(el: Element) -> bool:
    return "pagebreak" in epub_types(el) or "doc-pagebreak" in aria_roles(el)


def nav_of(nav: ContentDoc | None, kind: str) -> Element | None:
    if nav is None:
        return None
    return next((el for el in elements(nav.root) if local(el) == "nav" and kind in epub_types(el)), None)


def short(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
