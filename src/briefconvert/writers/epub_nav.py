"""The EPUB navigation document: table of contents, landmarks, page list.

``toc``
    ``<nav epub:type="toc" role="doc-toc">``: the book's title first (a link
    to the start of the first chapter), then the heading outline as nested
    ``<ol>`` lists following the heading levels (``h2`` at the top, an
    ``h3`` inside the ``h2`` before it, and so on).  Entries are the
    headings' text without note references; a heading in another language
    keeps its ``lang``.

``landmarks``
    Hidden (``hidden``: reading systems show it in their own UI), with the
    ``toc`` and the ``bodymatter`` (the first chapter).

``page-list``
    Built from the ``doc-pagebreak`` markers of the content documents when
    there are any (:func:`page_list`).  The model has no page-break node
    yet, so today there never are: the PDF reader will supply them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from ..record import Record
from .epub_chapters import Chapter, heading_text
from .epub_xhtml import new_document
from .html_context import EPUB_NS, XHTML_NS, XML_LANG, HeadingEntry

NAV_NAME = "nav.xhtml"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NavLabels(Record):
    landmarks: str
    start: str
    pages: str


_NAV_LABELS: Mapping[str, NavLabels] = {
    "en": NavLabels("Landmarks", "Start of content", "Pages"),
    "de": NavLabels("Orientierungspunkte", "Beginn des Inhalts", "Seiten"),
    "es": NavLabels("Puntos de referencia", "Inicio del contenido", "Páginas"),
    "fr": NavLabels("Repères", "Début du contenu", "Pages"),
    "it": NavLabels("Punti di riferimento", "Inizio del contenuto", "Pagine"),
    "nl": NavLabels("Oriëntatiepunten", "Begin van de inhoud", "Pagina's"),
    "pt": NavLabels("Pontos de referência", "Início do conteúdo", "Páginas"),
}


def nav_labels(lang: str | None) -> NavLabels:
    primary = (lang or "en").split("-")[0].lower()
    return _NAV_LABELS.get(primary, _NAV_LABELS["en"])


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TocEntry(Record):
    level: int  # 1 for the title, 2.. for headings
    href: str  # relative to the navigation document
    text: str
    lang: str | None = None


def _x(name: str) -> str:
    return f"{{{XHTML_NS}}}{name}"


def _sub(parent: etree._Element, name: str, attrib: Mapping[str, str] | None = None) -> etree._Element:
    e: etree._Element = etree.SubElement(parent, _x(name), dict(attrib or {}))
    return e


def toc_entries(
    title: str, title_href: str, headings: Sequence[HeadingEntry], where: Mapping[str, str]
) -> list[TocEntry]:
    """The title, then every outline heading (the renderer's heading list)."""
    entries = [TocEntry(1, title_href, title)]
    for h in headings:
        text = heading_text(h.element)
        if not text:
            continue
        entries.append(TocEntry(h.level, f"{where.get(h.id, '')}#{h.id}", text, h.element.get("lang")))
    return entries


def _toc_list(nav: etree._Element, entries: Sequence[TocEntry]) -> None:
    """Nested ``<ol>`` lists: the title, then headings nested by level."""
    top = _sub(nav, "ol")
    _entry(top, entries[0])
    body = entries[1:]
    if not body:
        return
    base = min(e.level for e in body)
    stack: list[tuple[int, etree._Element]] = [(base, top)]
    last_li: etree._Element | None = None
    for entry in body:
        level = max(entry.level, base)
        if last_li is not None and level > stack[-1][0]:
            stack.append((stack[-1][0] + 1, _sub(last_li, "ol")))  # one level deeper at most
        while level < stack[-1][0]:
            stack.pop()
        last_li = _entry(stack[-1][1], entry)


def _entry(ol: etree._Element, entry: TocEntry) -> etree._Element:
    li = _sub(ol, "li")
    a = _sub(li, "a", {"href": entry.href})
    a.text = entry.text
    if entry.lang is not None:
        a.set("lang", entry.lang)
        a.set(XML_LANG, entry.lang)
    return li


def nav_document(
    *,
    entries: Sequence[TocEntry],
    contents_label: str,
    labels: NavLabels,
    lang: str,
    first_chapter: str,
    page_list: etree._Element | None,
) -> etree._Element:
    root, body = new_document(contents_label, lang)
    main = _sub(body, "main")
    toc = _sub(main, "nav", {"id": "toc", "role": "doc-toc", "aria-labelledby": "toc-heading"})
    toc.set(f"{{{EPUB_NS}}}type", "toc")
    _sub(toc, "h1", {"id": "toc-heading"}).text = contents_label
    _toc_list(toc, entries)
    if page_list is not None:
        main.append(page_list)
    landmarks = _sub(
        main, "nav", {"id": "landmarks", "aria-labelledby": "landmarks-heading", "hidden": "hidden"}
    )
    landmarks.set(f"{{{EPUB_NS}}}type", "landmarks")
    _sub(landmarks, "h2", {"id": "landmarks-heading"}).text = labels.landmarks
    ol = _sub(landmarks, "ol")
    for epub_type, href, text in (
        ("toc", "#toc", contents_label),
        ("bodymatter", first_chapter, labels.start),
    ):
        a = _sub(_sub(ol, "li"), "a", {"href": href})
        a.set(f"{{{EPUB_NS}}}type", epub_type)
        a.text = text
    return root


def page_list(chapters: Sequence[Chapter], labels: NavLabels) -> etree._Element | None:
    """``<nav epub:type="page-list" role="doc-pagelist">`` linking every page
    break marker (an element with ``role="doc-pagebreak"``, an id and a
    ``title`` (or ``aria-label``) holding the print page number, written by the HTML
    renderer for each :class:`~briefconvert.model.PageBreak`), or None when
    the book has none."""
    breaks = [
        (chapter.name, e.get("id") or "", e.get("title") or e.get("aria-label") or "")
        for chapter in chapters
        for top in chapter.elements
        for e in top.iter()
        if isinstance(e.tag, str) and e.get("role") == "doc-pagebreak"
    ]
    breaks = [b for b in breaks if b[1] and b[2]]
    if not breaks:
        return None
    nav = etree.Element(_x("nav"), {"id": "page-list", "role": "doc-pagelist", "hidden": "hidden"})
    nav.set(f"{{{EPUB_NS}}}type", "page-list")
    nav.set("aria-labelledby", "page-list-heading")
    _sub(nav, "h2", {"id": "page-list-heading"}).text = labels.pages
    ol = _sub(nav, "ol")
    for name, ident, label in breaks:
        _sub(_sub(ol, "li"), "a", {"href": f"{name}#{ident}"}).text = label
    return nav
