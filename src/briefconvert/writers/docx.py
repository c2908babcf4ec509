"""Word (DOCX) writer: the model as a Word document that assistive
technology and Word's accessibility checker can use.

The parts are raw OOXML built with lxml (python-docx's per-paragraph API
costs seconds per megabyte, and its package layer alone costs more than
converting a 100 KB page), packaged by ``docx_opc`` around a template made
from python-docx's default one (``tools/make_docx_template.py``).  The pieces
live in ``docx_*`` modules: ``docx_blocks`` (blocks), ``docx_inlines``
(runs, links, notes), ``docx_tables``, ``docx_images``, ``docx_parts``
(styles, numbering, footnotes part, properties), ``docx_ctx`` (per-call
state) and ``docx_opc`` (parts, relationships, reproducible zip).

Decisions:

* **Headings.**  The document title (Meta.title) is the first paragraph, in
  style *Heading 1*; a model heading of level n is written in style
  *Heading n* (after the transforms body headings start at 2).  A guard
  keeps the outline sound whatever the input: a level is clamped to one more
  than the previous heading's, a body level 1 is demoted to 2 when a
  Heading 1 exists already (without a title, the first heading becomes the
  Heading 1), and each fix is reported (``heading-order``, info).  Then the
  subtitle (style *Subtitle*) and authors, date and publisher as Normal
  paragraphs.  Headings inside footnotes are bold FootnoteText paragraphs.
* **Lists.**  Real Word numbering: one ``w:abstractNum`` per kind (bullet,
  decimal, lowerLetter, upperLetter, lowerRoman, upperRoman), one ``w:num``
  per list instance, with ``w:lvlOverride/w:startOverride`` = the list's
  start for ordered lists, so every list restarts; nesting uses ``w:ilvl``.
  The first paragraph of an item carries the number; its later blocks are
  List Paragraph continuation paragraphs indented to the item's text.
* **Notes.**  Real footnotes (``word/footnotes.xml`` with the separator and
  continuation separator footnotes -1 and 0; ``w:footnoteReference`` runs in
  style FootnoteReference at the Note's place; content in FootnoteText).  A
  Note inside a note is written in brackets (Word has no nested footnotes).
  The Endnotes marker is dropped (the notes sit at the foot of their
  pages); the heading above it stays, so that the document keeps every
  heading of its source at its level.
* **Links.**  ``w:hyperlink`` with an external relationship for http, https
  and mailto URLs; ``#id`` links become ``w:anchor`` links to bookmarks made
  on the target (first paragraph of the element with that id); other
  schemes and ids that do not exist are written as plain text (info
  diagnostics ``link-dropped`` / ``link-target``).
* **Images.**  Inline pictures with alt text in ``descr`` (see
  ``docx_images``); alt None: no ``descr`` and a warning ``image-alt``;
  images whose resource was not loaded: their alt text in brackets.
* **No spacing tricks.**  No empty paragraph is written for spacing, and no
  runs of spaces for layout.  The only paragraphs without text, a drawing
  or a note reference are: a ThematicBreak (a paragraph with a bottom
  border), the paragraph OOXML requires at the end of a table cell that is
  empty, continues a vertical merge or ends with a nested table, and a
  separator between two tables that would otherwise touch (Word would merge
  them).
* **Paper.**  ``DocxWriterOptions.paper`` (``--paper``): A4 or US Letter;
  by default from the language's region (Letter for en, en-US, en-CA and
  the Americas' Letter countries, A4 elsewhere), so that a brief in en-GB,
  de or fr prints on the paper its readers have.  Margins are the
  template's (1.25 in left and right, 1 in top and bottom).
* **Metadata.**  Core properties title, author ("; "-joined), language,
  subject and description (Meta.description), keywords, identifier;
  ``lastModifiedBy`` "briefconvert", revision 1, created = modified =
  Meta.date when known, else 1980-01-01: never the current time.  The
  styles' default language (``w:docDefaults``) is Meta.lang.
* **Reproducible.**  The same model gives the same bytes: ids, bookmark
  names and relationship ids are counted in document order, and the zip is
  rewritten with fixed timestamps, order and compression.
"""

from __future__ import annotations

from lxml import etree

from ..diagnostics import Report
from ..model import Document, Text
from ..options import DocxWriterOptions
from ..output import Output
from .docx_blocks import blocks, paragraph, render_note
from .docx_ctx import DocxContext, Env, HeadingGuard
from .docx_opc import (
    CT_DOCUMENT,
    CT_FONT_TABLE,
    CT_FOOTNOTES,
    CT_NUMBERING,
    CT_SETTINGS,
    CT_STYLES,
    CT_THEME,
    CT_WEB_SETTINGS,
    RT_APP,
    RT_CORE,
    RT_FONT_TABLE,
    RT_FOOTNOTES,
    RT_NUMBERING,
    RT_OFFICE_DOCUMENT,
    RT_SETTINGS,
    RT_STYLES,
    RT_THEME,
    RT_WEB_SETTINGS,
    Package,
    Part,
    template,
)
from .docx_parts import (
    Numbering,
    add_styles,
    app_properties,
    core_properties,
    new_footnotes,
    paper_for,
    set_default_language,
    set_paper,
    tidy_settings,
)
from .docx_xml import W_NS, W, valid_lang, xml_safe

__all__ = ["write_docx"]


def write_docx(doc: Document, *, options: DocxWriterOptions, report: Report) -> Output:
    """``doc`` as the bytes of a .docx file."""
    package = Package()
    lang = valid_lang(doc.meta.lang)
    styles = template("styles.xml")
    add_styles(styles)
    set_default_language(styles, lang)
    settings = template("settings.xml")
    numbering_root = etree.Element(W + "numbering", nsmap={"w": W_NS})
    document = template("document.xml")
    body = document.find(W + "body")
    assert body is not None
    part = package.add_part("word/document.xml", CT_DOCUMENT, document)
    for name, ctype, reltype, root in (
        ("styles.xml", CT_STYLES, RT_STYLES, styles),
        ("settings.xml", CT_SETTINGS, RT_SETTINGS, settings),
        ("webSettings.xml", CT_WEB_SETTINGS, RT_WEB_SETTINGS, template("webSettings.xml")),
        ("fontTable.xml", CT_FONT_TABLE, RT_FONT_TABLE, template("fontTable.xml")),
        ("theme/theme1.xml", CT_THEME, RT_THEME, template("theme1.xml")),
        ("numbering.xml", CT_NUMBERING, RT_NUMBERING, numbering_root),
    ):
        package.add_part(f"word/{name}", ctype, root)
        part.relate(reltype, name)
    package.package_rels = [
        (RT_OFFICE_DOCUMENT, "word/document.xml"),
        (RT_CORE, "docProps/core.xml"),
        (RT_APP, "docProps/app.xml"),
    ]
    sect_pr = body.find(W + "sectPr")
    if sect_pr is not None:
        set_paper(sect_pr, paper_for(lang, options.paper))
    text_width, text_height = _text_area(sect_pr)

    def new_footnotes_part() -> tuple[Part, etree._Element]:
        root = new_footnotes()
        part.relate(RT_FOOTNOTES, "footnotes.xml")
        return package.add_part("word/footnotes.xml", CT_FOOTNOTES, root), root

    title = bool(doc.meta.title and xml_safe(doc.meta.title).strip())
    ctx = DocxContext(
        doc=doc,
        report=report,
        package=package,
        document_part=part,
        numbering=Numbering.for_part(numbering_root),
        headings=HeadingGuard(title=title),
        lang=lang,
        text_width=text_width,
        text_height=text_height,
        new_footnotes_part=new_footnotes_part,
        render_note=render_note,
    )
    if sect_pr is not None:
        body.remove(sect_pr)
    _front_matter(ctx, body, doc)
    blocks(ctx, body, doc.blocks, Env())
    if ctx.pending:  # bookmarks of ids on elements that produced no paragraph
        last = body.findall(W + "p")
        if last:
            ctx.wrap_bookmarks(last[-1], ctx.pending)
        ctx.pending = []
    if sect_pr is not None:
        body.append(sect_pr)
    ctx.numbering.write(numbering_root)
    tidy_settings(settings, footnotes=ctx.footnotes is not None)
    props = {"docProps/core.xml": core_properties(doc.meta, lang), "docProps/app.xml": app_properties()}
    return Output(package.to_bytes(props))


def _text_area(sect_pr: etree._Element | None) -> tuple[int, int]:
    """Width and height (EMU) inside the page margins of the template's
    section (US Letter, 1.25 in / 1 in margins where it says nothing)."""

    def twips(path: str, attr: str, default: int) -> int:
        el = sect_pr.find(W + path) if sect_pr is not None else None
        value = el.get(W + attr) if el is not None else None
        return int(value) if value and value.isdigit() else default

    width = twips("pgSz", "w", 12240) - twips("pgMar", "left", 1800) - twips("pgMar", "right", 1800)
    height = twips("pgSz", "h", 15840) - twips("pgMar", "top", 1440) - twips("pgMar", "bottom", 1440)
    return max(width, 1440) * 635, max(height, 1440) * 635


def _front_matter(ctx: DocxContext, body: etree._Element, doc: Document) -> None:
    meta = doc.meta
    env = Env()
    if meta.title:
        paragraph(ctx, body, env, (Text(meta.title),), style="Heading1")
    if meta.subtitle:
        paragraph(ctx, body, env, (Text(meta.subtitle),), style="Subtitle")
    for line in (", ".join(meta.authors), meta.date, meta.publisher):
        if line:
            paragraph(ctx, body, env, (Text(line),))
