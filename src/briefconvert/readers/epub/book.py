"""An opened EPUB: container, package, and the parsed XHTML documents of the
spine (and the navigation document), shared by the reader and the rules."""

from __future__ import annotations

from dataclasses import dataclass

from ...diagnostics import Report
from ...errors import LimitExceeded
from ...options import EpubReaderOptions
from .container import Container, open_container, package_name
from .package import Package, read_package
from .xhtml import ContentDoc, parse_xhtml

XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})


@dataclass(slots=True)
class Book:
    container: Container
    package: Package
    documents: list[ContentDoc]  # the spine's XHTML documents, in order, each once, without the nav
    nav: ContentDoc | None  # the navigation document, wherever it is


def open_book(data: bytes, options: EpubReaderOptions, report: Report) -> Book:
    """Open and parse an EPUB.  Raises InputError when it is not a readable
    EPUB and LimitExceeded when a safety limit is reached."""
    container = open_container(data, options, report)
    pkg = read_package(container, package_name(container, report), report)
    nav_item = pkg.nav
    nav_name = nav_item.name if nav_item is not None else None
    documents: list[ContentDoc] = []
    seen: set[str] = set()
    for ref in pkg.spine:
        item = ref.item
        if item is None:
            report.warning("epub-spine", f"the spine names {ref.idref!r}, which the manifest does not list")
            continue
        if item.name is None or item.name in seen or item.name == nav_name:
            continue
        seen.add(item.name)
        if item.media_type not in XHTML_TYPES:
            report.info("epub-spine", f"{item.href}: a {item.media_type or 'untyped'} document is not read")
            continue
        if len(documents) >= options.max_documents:
            raise LimitExceeded(
                f"the EPUB has more than {options.max_documents:,} content documents "
                "(EpubReaderOptions.max_documents)"
            )
        doc = _document(container, item.name, report)
        if doc is not None:
            documents.append(doc)
    nav = _document(container, nav_name, report) if nav_name else None
    return Book(container, pkg, documents, nav)


def _document(container: Container, name: str, report: Report) -> ContentDoc | None:
    data = container.read(name)
    if data is None:
        why = "is missing" if not container.has(name) else "cannot be read (too large, encrypted or corrupt)"
        report.warning("epub-missing", f"{name} {why}")
        return None
    doc = parse_xhtml(name, data)
    if not doc.well_formed:
        report.warning("epub-xhtml", f"{name} is not well-formed XML; read as HTML", name)
    return doc
