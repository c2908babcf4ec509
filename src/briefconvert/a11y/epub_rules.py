"""EPUB: the format rules on the book itself, then the book read into the
model as written for the semantic rules.

* ``epub-package-lang`` — no ``dc:language``, no ``xml:lang`` on
  ``<package>`` (EPUB 3), or an invalid tag in either.
* ``epub-a11y-metadata`` — each of accessMode, accessibilityFeature,
  accessibilityHazard, accessibilitySummary, accessModeSufficient missing.
* ``epub-a11y-metadata-value`` — values outside their vocabularies, ``none``
  or ``unknown`` beside other values, contradictory hazards, an empty
  summary, an unknown ``dcterms:conformsTo`` claim.
* ``epub-a11y-metadata-consistency`` — claims the content contradicts:
  ``alternativeText`` (or ``textual`` alone as sufficient) while an image has
  no text alternative; ``pageNavigation``/``printPageNumbers`` without a page
  list; ``printPageNumbers``/``pageBreakMarkers`` without page-break
  markers; informative images without ``visual`` among the access modes; a
  page list without its source (``pageBreakSource``, or ``dc:source`` as
  Ace accepts it).
* ``epub-nav-toc`` — no navigation document, no ``toc`` nav, an empty one,
  entries pointing to no document or element of the spine, entries out of
  reading order.
* ``epub-page-list`` — page-list entries pointing nowhere or to an element
  that is no page break; page-break markers without a label, without an id,
  missing from the page list, or a book with markers and no page list.
* ``epub-type-role`` — an ``epub:type`` whose DPUB-ARIA role (explicit or
  implicit) is missing, outside the (hidden) landmarks nav.
* Each content document and the navigation document
  (epub_content_rules.py): the HTML format rules
  (``html_rules.check_xhtml_tree``); ``document-lang`` / ``document-title``
  for a document without ``lang``/``xml:lang`` (or with an invalid or
  mismatched one) or without a ``<title>``, as Ace's axe run reports them per
  document; ``image-alt`` for images the model does not hold (``role="img"``,
  ``input type=image``, ``area``); ``html-main-landmark`` for more than one
  main landmark; ``note-ref-link`` for a link to a file the book lacks.

The package and metadata rules are here, the navigation rules in
epub_nav_rules.py, the shared context in epub_context.py, the vocabularies
in epub_vocab.py.  Locations: ``part`` is the entry name in the container
(the OPF, a content document) and ``line`` the element's line in it.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Report
from ..model import Document, Image
from ..options import HtmlReaderOptions
from ..readers.epub import EpubReaderOptions, open_book, read_book
from ..readers.epub.package import MetaEntry, Package
from ..walk import query
from . import epub_vocab as vocab
from .epub_content_rules import document_rules
from .epub_context import EpubContext, short
from .epub_nav_rules import page_list_rules, toc_rules
from .findings import Sink
from .model_rules_lang import tag_problem


def inspect(data: bytes, path: Path, sink: Sink) -> Document:
    """Run the EPUB format rules on ``data`` and return the book's model, read
    as written.  Raises InputError (not a readable EPUB) and LimitExceeded."""
    del path
    options = EpubReaderOptions(html=HtmlReaderOptions(main_content=False, keep_faults=True))
    report = Report()
    book = open_book(data, options, report)
    doc = read_book(book, options, report)
    ctx = EpubContext(book, doc, sink)
    _package_lang(ctx)
    _a11y_metadata(ctx)
    _a11y_values(ctx)
    _consistency(ctx)
    toc_rules(ctx)
    page_list_rules(ctx)
    for content in [*book.documents, *([book.nav] if book.nav is not None else [])]:
        if content.root is not None:
            document_rules(ctx, content)
    return doc


# ------------------------------------------------------------------ package


def _package_lang(ctx: EpubContext) -> None:
    pkg = ctx.pkg
    languages = pkg.entries("dc:language")
    if not any(e.value for e in languages):
        ctx.opf("epub-package-lang", "the package has no dc:language")
    for e in languages:
        why = tag_problem(e.value) if e.value else "it is empty"
        if why is not None:
            ctx.opf(
                "epub-package-lang",
                f"dc:language {short(e.value)!r} is not a valid language tag: {why}",
                e.line,
            )
    if pkg.epub3:
        if pkg.lang is None:
            ctx.opf("epub-package-lang", "<package> has no xml:lang attribute", pkg.line)
        elif (why := tag_problem(pkg.lang)) is not None:
            ctx.opf(
                "epub-package-lang",
                f"<package xml:lang={short(pkg.lang)!r}> is not a valid language tag: {why}",
                pkg.line,
            )


def _values(pkg: Package, name: str) -> list[MetaEntry]:
    return [e for e in pkg.entries(name) if e.value]


def _a11y_metadata(ctx: EpubContext) -> None:
    for name in vocab.REQUIRED:
        if not ctx.pkg.entries(name):
            ctx.opf("epub-a11y-metadata", f"the package declares no {name}")


def _a11y_values(ctx: EpubContext) -> None:
    pkg = ctx.pkg
    for name, allowed in vocab.ALLOWED.items():
        entries = pkg.entries(name)
        for e in entries:
            parts = (
                [p.strip() for p in e.value.split(",")]
                if name == "schema:accessModeSufficient"
                else [e.value]
            )
            for value in parts:
                if value not in allowed:
                    shown = repr(short(value)) if value else "an empty value"
                    ctx.opf(
                        "epub-a11y-metadata-value",
                        f"{name} has {shown}, which is not in its vocabulary",
                        e.line,
                    )
        values = {e.value for e in entries}
        if name in ("schema:accessibilityFeature", "schema:accessibilityHazard") and len(values) > 1:
            for lone in ("none", "unknown"):
                if lone in values:
                    ctx.opf(
                        "epub-a11y-metadata-value",
                        f"{name} '{lone}' is declared beside other values",
                        entries[0].line,
                    )
        if name == "schema:accessibilityHazard":
            for group in vocab.HAZARD_CONFLICTS:
                clash = sorted(values & group)
                if len(clash) > 1:
                    ctx.opf(
                        "epub-a11y-metadata-value",
                        f"{name} values contradict each other: {', '.join(clash)}",
                        entries[0].line,
                    )
    for e in pkg.entries("schema:accessibilitySummary"):
        if not e.value:
            ctx.opf("epub-a11y-metadata-value", "schema:accessibilitySummary is empty", e.line)
    for e in pkg.entries("dcterms:conformsTo"):
        if e.value.startswith(vocab.CONFORMS_TO_PREFIXES) and e.value not in vocab.CONFORMS_TO:
            ctx.opf(
                "epub-a11y-metadata-value",
                f"dcterms:conformsTo {short(e.value)!r} is not a known claim",
                e.line,
            )


def _consistency(ctx: EpubContext) -> None:
    pkg = ctx.pkg
    features = {e.value for e in _values(pkg, "schema:accessibilityFeature")}
    line = next((e.line for e in pkg.entries("schema:accessibilityFeature")), None)
    images = query(ctx.doc, Image)
    missing = [i for i in images if i.alt is None]
    informative = [i for i in images if i.alt != ""]
    if missing and "alternativeText" in features:
        ctx.opf(
            "epub-a11y-metadata-consistency",
            f"accessibilityFeature 'alternativeText' is claimed, but {_images(len(missing))} "
            f"no text alternative{_where(missing[0])}",
            line,
        )
    sufficient = _values(pkg, "schema:accessModeSufficient")
    if missing and any(e.value.replace(" ", "") == "textual" for e in sufficient):
        ctx.opf(
            "epub-a11y-metadata-consistency",
            f"accessModeSufficient 'textual' is claimed, but {_images(len(missing))} no text alternative",
            next(e.line for e in sufficient if e.value.replace(" ", "") == "textual"),
        )
    modes = {e.value for e in _values(pkg, "schema:accessMode")}
    if (
        informative
        and modes
        and not modes & vocab.ALLOWED["schema:accessMode"] - {"auditory", "tactile", "textual"}
    ):
        ctx.opf(
            "epub-a11y-metadata-consistency",
            f"the book has {len(informative)} informative image(s), but accessMode does not include 'visual'",
            next((e.line for e in pkg.entries("schema:accessMode")), None),
        )
    if ctx.page_list is None:
        for claim in ("pageNavigation", "printPageNumbers"):
            if claim in features:
                ctx.opf(
                    "epub-a11y-metadata-consistency",
                    f"accessibilityFeature '{claim}' is claimed, but there is no page list",
                    line,
                )
    if not ctx.markers:
        for claim in ("printPageNumbers", "pageBreakMarkers"):
            if claim in features:
                ctx.opf(
                    "epub-a11y-metadata-consistency",
                    f"accessibilityFeature '{claim}' is claimed, "
                    "but no content document has page-break markers",
                    line,
                )
    if ctx.page_list is not None and not _page_source(pkg):
        ctx.opf(
            "epub-a11y-metadata-consistency",
            "the book has a page list but does not name its source (pageBreakSource)",
        )


def _images(n: int) -> str:
    return "1 image has" if n == 1 else f"{n} images have"


def _where(image: Image) -> str:
    src = image.src
    if src is None or src.part is None:
        return ""
    return f" (the first: {src.part}" + (f", line {src.line})" if src.line else ")")


def _page_source(pkg: Package) -> bool:
    if pkg.layout_pre_paginated:
        return True
    if _values(pkg, "pageBreakSource") or _values(pkg, "a11y:pageBreakSource"):
        return True
    # dc:source: EPUB 2, refined as the source of the pagination, or under EPUB Accessibility 1.0.
    a11y_10 = any(v.startswith("http://www.idpf.org/epub/a11y/") for v in pkg.values("dcterms:conformsTo"))
    for source in pkg.entries("dc:source"):
        if source.value and (
            not pkg.epub3 or a11y_10 or "pagination" in pkg.refinements(source.id, "source-of")
        ):
            return True
    return False
