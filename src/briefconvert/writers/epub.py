"""The EPUB 3 writer: one reproducible, accessible EPUB 3.3 book.

The body is rendered once by the HTML writer's :func:`render_body` in XHTML
mode with ``epub:type`` beside the DPUB-ARIA roles (so note numbers and ids
are unique in the whole book), then cut into chapters at the top-level
sections (``epub_chapters.py``); links whose target lands in another chapter
are rewritten.  Inside the container every name is ours:

    mimetype
    META-INF/container.xml
    EPUB/package.opf                  metadata, manifest, spine (epub_package.py)
    EPUB/css/style.css                the stylesheet (writers/epub.css)
    EPUB/text/nav.xhtml               toc, landmarks, page list (epub_nav.py)
    EPUB/text/chapter-001.xhtml ...   the chapters (epub_xhtml.py)
    EPUB/images/sha256-<12 hex>.<ext> the images, named by content hash

Package metadata comes from the model (``epub_meta.py``: title, language,
identifier, dates), accessibility metadata from the content
(``epub_a11y.py``).  Every XHTML document passes a structural safety check
and the book one sanitiser pass (``epub_safety.py``) before it is packed.  Same model, same bytes.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..diagnostics import Report
from ..model import Document, Resource
from ..options import EpubWriterOptions
from ..output import Output
from . import epub_a11y, epub_meta
from .epub_chapters import Chapter, id_files, link_across, split
from .epub_images import image_name, usable_images
from .epub_nav import NAV_NAME, nav_document, nav_labels, page_list, toc_entries
from .epub_package import Item, PackageInfo, container
from .epub_safety import check_book
from .epub_xhtml import CSS_NAME, chapter_document, serialise, title_header
from .html import render_body
from .html_context import HtmlContext, labels_for, valid_lang

__all__ = ["stylesheet", "write_epub"]

XHTML_TYPE = "application/xhtml+xml"


def stylesheet() -> str:
    """The book's stylesheet (package data ``writers/epub.css``)."""
    return (Path(__file__).parent / "epub.css").read_text(encoding="utf-8")


def write_epub(doc: Document, *, options: EpubWriterOptions, report: Report) -> Output:
    """``doc`` as an EPUB 3 file (the whole book in ``Output.data``)."""
    doc = usable_images(doc, report)
    lang = valid_lang(doc.meta.lang)
    if lang is None:
        why = "is unknown" if doc.meta.lang is None else f"{doc.meta.lang!r} is not a BCP 47 tag"
        report.warning("document-lang", f"the document's language {why}: written as 'und' (undetermined)")
    book_lang = lang or "und"
    title, title_source = epub_meta.book_title(doc)
    if title_source != "meta":
        report.warning("document-title", f"the document has no title; {title_source} used: {title!r}")

    images: dict[str, Item] = {}

    def image_src(res: Resource) -> str:
        name = image_name(res)
        if name not in images:
            images[name] = Item(f"image-{len(images) + 1:03d}", f"images/{name}", res.media_type, res.data)
        return f"../images/{name}"

    ctx = HtmlContext(
        report=report,
        image_src=image_src,
        xhtml=True,
        epub_types=True,
        labels=labels_for(lang),
        lang=lang,
        first_heading_is_title=title_source == "first heading",
    )
    body = render_body(doc, ctx)
    header = title_header(doc.meta, title, title_source, ctx)
    chapters = split(header, body)
    where = id_files(chapters)
    link_across(chapters, where)

    items: list[Item] = [Item("style", f"css/{CSS_NAME}", "text/css", stylesheet().encode("utf-8"))]
    labels = nav_labels(lang)
    pages = page_list(chapters, labels)
    first = chapters[0].name
    nav = nav_document(
        entries=toc_entries(title, first, ctx.headings, where),
        contents_label=ctx.labels.contents,
        labels=labels,
        lang=book_lang,
        first_chapter=first,
        page_list=pages,
    )
    documents = [(chapter, _chapter_document(chapter, title, book_lang)) for chapter in chapters]
    check_book([(NAV_NAME, nav), *((chapter.name, root) for chapter, root in documents)])
    # In the spine (outside the reading order): the landmarks link to its toc.
    items.append(Item("nav", f"text/{NAV_NAME}", XHTML_TYPE, serialise(nav), True, "nav", linear=False))
    for chapter, root in documents:
        items.append(
            Item(f"chapter-{chapter.number:03d}", f"text/{chapter.name}", XHTML_TYPE, serialise(root), True)
        )
    items.extend(images[name] for name in sorted(images, key=lambda n: images[n].id))

    date = epub_meta.dc_date(doc.meta.date)
    if doc.meta.date and date is None:
        report.info("epub-date", f"publication date {doc.meta.date[:40]!r} is not a W3C date: no dc:date")
    info = PackageInfo(
        meta=doc.meta,
        lang=book_lang,
        title=title,
        identifier=epub_meta.identifier(
            doc.meta, ((i.href, i.media_type, i.data) for i in items), options.identifier
        ),
        date=date,
        modified=epub_meta.modified(doc.meta.date),
        a11y=epub_a11y.metadata(epub_a11y.facts(doc, page_list=pages is not None)),
        conforms_to=options.conforms_to.strip() if options.conforms_to else None,
        page_source=_page_source(doc, title) if pages is not None else None,
    )
    return Output(container(info, items))


def _page_source(doc: Document, title: str) -> str:
    """What the page list's labels refer to (pageBreakSource): the print
    edition's identifier where known, else the publication itself."""
    m = doc.meta
    return next((v.strip() for v in (m.page_source, m.identifier, m.source_url) if v and v.strip()), title)


def _chapter_document(chapter: Chapter, book_title: str, lang: str) -> etree._Element:
    heading = chapter.title if chapter.number > 1 else None
    doc_title = f"{heading} – {book_title}" if heading and heading != book_title else book_title
    return chapter_document(chapter.elements, title=doc_title, lang=lang)
