"""XHTML content documents of the EPUB: the title header, chapter documents
and their serialisation.

Each content document is ``<?xml …?>``, ``<!DOCTYPE html>``, ``<html>`` with
``lang`` and ``xml:lang`` (and ``dir="rtl"`` for right-to-left languages),
a ``<head>`` with the document's ``<title>`` and a ``<link>`` to the book's
stylesheet, and a ``<body>`` whose content sits in one ``<main>`` (Ace runs
axe's ``landmark-one-main`` on every content document).  The title header of
the first chapter is a ``<header>`` inside that ``<main>``: the title as the
book's only ``h1``, then subtitle, byline and publication line.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ..model import Meta
from .epub_meta import w3c_date
from .html import indent_blocks
from .html_context import EPUB_NS, XHTML_NS, XML_LANG, HtmlContext, is_rtl, xml_safe

CSS_NAME = "style.css"
CSS_HREF = f"../css/{CSS_NAME}"  # from a document in text/
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}


def _x(name: str) -> str:
    return f"{{{XHTML_NS}}}{name}"


def title_header(meta: Meta, title: str, title_source: str, ctx: HtmlContext) -> etree._Element | None:
    """The first chapter's header, or None when there is nothing to put in it.

    ``title_source`` is where the title came from (see
    :func:`epub_meta.book_title`): from the metadata it is shown as the
    ``h1``; taken from the start of the text, it is a visually hidden ``h1``
    (so that the book opens with a heading, without showing a title the
    document does not have); taken from the first heading, that heading is
    the ``h1`` in the body and the header has no heading.
    """
    header = ctx.el("header")
    if title_source != "first heading":
        parent = header
        if meta.subtitle and title_source == "meta":
            parent = ctx.sub(header, "hgroup")
        h1 = ctx.sub(parent, "h1", {"id": ctx.ids.allocate("title")})
        h1.text = title
        if title_source != "meta":
            h1.set("class", "visually-hidden")
        if meta.subtitle:
            ctx.sub(parent, "p", {"class": "subtitle"}).text = xml_safe(meta.subtitle)
    elif meta.subtitle:
        ctx.sub(header, "p", {"class": "subtitle"}).text = xml_safe(meta.subtitle)
    if meta.authors:
        ctx.sub(header, "p", {"class": "byline"}).text = xml_safe(", ".join(meta.authors))
    if meta.publisher or meta.date:
        p = ctx.sub(header, "p", {"class": "publication"})
        if meta.publisher:
            ctx.sub(p, "span", {"class": "publisher"}).text = xml_safe(meta.publisher)
        if meta.date:
            if meta.publisher:
                p[-1].tail = ", "
            if w3c_date(meta.date) is not None:
                ctx.sub(p, "time", {"datetime": meta.date.strip()}).text = meta.date.strip()
            else:
                ctx.sub(p, "span", {"class": "date"}).text = xml_safe(meta.date)
    return header if len(header) else None


def new_document(title: str, lang: str) -> tuple[etree._Element, etree._Element]:
    """An empty XHTML document: its root and its ``<body>``."""
    root = etree.Element(_x("html"), {"lang": lang, XML_LANG: lang}, nsmap=NSMAP)
    if is_rtl(lang):
        root.set("dir", "rtl")
    head = etree.SubElement(root, _x("head"))
    etree.SubElement(head, _x("title")).text = xml_safe(title)
    etree.SubElement(head, _x("link"), {"rel": "stylesheet", "type": "text/css", "href": CSS_HREF})
    body = etree.SubElement(root, _x("body"))
    return root, body


def chapter_document(elements: Sequence[etree._Element], *, title: str, lang: str) -> etree._Element:
    root, body = new_document(title, lang)
    main = etree.SubElement(body, _x("main"))
    main.extend(elements)
    return root


def serialise(root: etree._Element) -> bytes:
    """The document as XHTML bytes: XML declaration, doctype, one namespace
    declaration set on the root, blocks on their own lines."""
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)
    indent_blocks(root)
    head = root.find(_x("head"))
    if head is not None and len(head):
        head.text = "\n    "
        for child in head:
            child.tail = "\n    "
        head[-1].tail = "\n  "
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
    return bytes(data).rstrip(b"\n") + b"\n"
