"""Content documents: XHTML parsed once (the rules walk this tree, with its
line numbers) and handed to the HTML reader.

The HTML reader parses HTML, where ``<span/>`` opens an element that never
closes; so a well-formed document is serialised again from its XML tree with
every empty non-void element written as a start and end tag, and with as
many newlines in front as the lines before ``<html>``, so that the HTML
reader's line numbers are the file's (a start tag spread over several lines
is the one thing that shifts them).  Links to other documents of the book
are rewritten to fragments (``chapter-2.xhtml#n1`` -> ``#n1``): the book is
read as one document.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .container import Element, resolve, xml_parser

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
     "wbr"}
)  # fmt: skip


@dataclass(slots=True)
class ContentDoc:
    """One XHTML document of the book."""

    name: str  # entry name in the container
    data: bytes
    root: Element | None  # None: nothing could be parsed
    well_formed: bool
    ids: frozenset[str] = frozenset()  # every id in the document


def local(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def parse_xhtml(name: str, data: bytes) -> ContentDoc:
    """Parse strictly; a document that is not well-formed is parsed again in
    recovery mode (its tree, and its lines, are then only approximate)."""
    well_formed = True
    try:
        root: Element | None = etree.fromstring(data, xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        well_formed = False
        try:
            root = etree.fromstring(data, xml_parser(recover=True))
        except (etree.XMLSyntaxError, ValueError):
            root = None
    ids = frozenset(
        str(v).strip()
        for el in (root.iter() if root is not None else ())
        if isinstance(el.tag, str) and (v := el.get("id"))
    )
    return ContentDoc(name, data, root, well_formed, ids)


def for_html_reader(doc: ContentDoc, in_book: Callable[[str], bool]) -> bytes:
    """The bytes to give the HTML reader (see the module docstring).
    ``in_book(name)`` tells whether an entry is a document read into the book."""
    if doc.root is None or not doc.well_formed:
        return doc.data
    root = copy.deepcopy(doc.root)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = local(el)
        if name not in _VOID and len(el) == 0 and el.text is None:
            el.text = ""
        if name in ("a", "area") and el.get("href"):
            href = _internal(doc.name, el.get("href") or "", in_book)
            if href is not None:
                el.set("href", href)
    body: bytes = etree.tostring(root, encoding="utf-8")
    lines = max(0, (doc.root.sourceline or 1) - 1)
    return b"\n" * lines + body


def _internal(base: str, href: str, in_book: Callable[[str], bool]) -> str | None:
    """``#fragment`` for a link to another document of the book (``#`` for its
    start), else None (the link stays as written)."""
    ref, _, frag = href.strip().partition("#")
    if not ref:
        return None
    target = resolve(base, ref)
    if target is not None and (target == base or in_book(target)):
        return f"#{frag}"
    return None
