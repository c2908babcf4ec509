"""PDF: the format rules on the file itself, then the PDF read into the model
for the semantic rules.

* ``pdf-tagged`` — no structure tree (``/StructTreeRoot``), or the
  catalogue does not declare the file tagged (``/MarkInfo /Marked true``).
* ``pdf-display-doc-title`` — ``/ViewerPreferences /DisplayDocTitle`` is
  not true (viewers then show the file name).
* ``pdf-content-untagged`` — in a tagged PDF, text drawn outside any
  marked-content sequence with an ``/MCID`` and outside ``/Artifact``, or in
  marked content that no structure element refers to.  Pages are sampled
  (at most ``MAX_PAGES``, spread over the document) and each is read up to
  ``MAX_OPERATIONS`` content-stream operators, so the work is bounded.

The model comes from the PDF reader, with what the reader infers replaced by
what the file declares: ``meta.title`` only from the document information
``/Title`` or XMP ``dc:title``, ``meta.lang`` only from the catalogue's
``/Lang`` (as written), and the title heading, which the reader leaves out
of the body when it repeats the title, put back from the structure tree.
The file is opened once, through the reader's own ``open_pdf`` (the
same limits and decryption).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from ..model import Document, Heading, SourceRef, Text
from ..options import PdfReaderOptions
from ..readers.pdf import open_pdf, read_opened
from ..readers.pdf.backend import Backend, ContentRef, DocumentInfo, PageData, StructElement
from ..readers.pdf.backend_pypdf import PypdfBackend
from ..readers.pdf.inlines import normalise_key
from ..readers.pdf.tagged_inlines import referenced, refs
from ..textnorm import collapse_ws
from ..walk import plain_text
from .findings import Sink

MAX_PAGES = 30  # pages sampled for untagged content
MAX_OPERATIONS = 60_000  # content-stream operators read per sampled page
SNIPPET = 40
_HEADINGS = frozenset({"H1", "H2", "H3", "H4", "H5", "H6", "H", "Title"})


def inspect(data: bytes, path: Path, sink: Sink) -> Document:
    """Run the PDF format rules on ``data`` and return its model with the
    metadata the file declares.  Raises InputError (not a readable PDF,
    encrypted) and LimitExceeded."""
    del path
    options = PdfReaderOptions()
    report = Report()
    with open_pdf(data, options, report) as backend:  # opened once: for the model and for the rules
        doc = read_opened(backend, options, report)
        info = backend.info()
        tagged(info, info.marked, sink)
        display_doc_title(backend, sink)
        structure = backend.structure() if info.has_structure else None
        if structure is not None:
            pages = _Pages(backend)
            untagged_content(pages, info.page_count, structure, sink)
            doc = restore_title_heading(doc, structure, pages)
    return declared_meta(doc, info)


# ------------------------------------------------------------------ rules


def tagged(info: DocumentInfo, marked: bool | None, sink: Sink) -> None:
    if not info.has_structure:
        sink.add("pdf-tagged", "the PDF has no structure tree (/StructTreeRoot): it is not tagged")
    elif not marked:
        sink.add(
            "pdf-tagged",
            "the PDF has a structure tree but does not declare itself tagged (/MarkInfo /Marked)",
        )


def display_doc_title(backend: Backend, sink: Sink) -> None:
    value = catalog_flag(backend, "/ViewerPreferences", "/DisplayDocTitle")
    if value is None:
        sink.add("pdf-display-doc-title", "/ViewerPreferences has no /DisplayDocTitle true")
    elif value is False:
        sink.add("pdf-display-doc-title", "/ViewerPreferences sets /DisplayDocTitle false")


def catalog_flag(backend: Backend, entry: str, key: str) -> bool | None:
    """A boolean in a dictionary of the catalogue (``/ViewerPreferences
    /DisplayDocTitle``); None when it is not set (``bool()`` of a pypdf
    BooleanObject is always true, so the value is compared).  Only the pypdf
    backend can tell; with another backend the flag is taken as set."""
    if not isinstance(backend, PypdfBackend):
        return True
    try:
        root: Any = backend.reader.root_object
        holder = root.get(entry)
        holder = holder.get_object() if holder is not None else None
        value = holder.get(key) if holder is not None and hasattr(holder, "get") else None
        value = value.get_object() if value is not None else None
    except Exception:  # a damaged catalogue: as if not set
        return None
    if value is None:
        return None
    return value is True or str(value).strip().lower() == "true"


def sample_pages(count: int, limit: int = MAX_PAGES) -> list[int]:
    """At most ``limit`` 0-based page indexes spread evenly over ``count``
    pages, the first and the last included."""
    if count <= limit:
        return list(range(count))
    step = (count - 1) / (limit - 1)
    return sorted({round(i * step) for i in range(limit)})


class _Pages:
    """Pages read once, with the bounded number of operators."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.read: dict[int, PageData] = {}

    def __call__(self, index: int) -> PageData:
        if index not in self.read:
            self.read[index] = self.backend.page(index, max_operations=MAX_OPERATIONS)
        return self.read[index]


def untagged_content(pages: _Pages, count: int, structure: StructElement, sink: Sink) -> None:
    tree = referenced(structure)
    for index in sample_pages(count):
        page = pages(index)
        loose = [s for s in page.spans if s.mcid is None and not s.artifact and s.text.strip()]
        orphan = [
            s
            for s in page.spans
            if s.mcid is not None and not s.artifact and s.text.strip() and (index, s.mcid) not in tree
        ]
        where = f"page {index + 1}"
        if loose:
            sink.add(
                "pdf-content-untagged",
                f"{_runs(len(loose))} neither tagged nor marked as an artifact "
                f"(first: {_snippet(loose[0].text)!r})",
                where=where,
            )
        if orphan:
            sink.add(
                "pdf-content-untagged",
                f"{_runs(len(orphan))} in marked content that no structure element refers to "
                f"(first: {_snippet(orphan[0].text)!r})",
                where=where,
            )


def _runs(n: int) -> str:
    return "1 text run is" if n == 1 else f"{n} text runs are"


def _snippet(text: str) -> str:
    text = collapse_ws(text)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


# ------------------------------------------------------------------ the model


def declared_meta(doc: Document, info: DocumentInfo) -> Document:
    """``doc`` with the title and language the file declares, and nothing else."""
    title = next((t for t in (collapse_ws(v) for v in info.xmp.get("title", ())) if t), None)
    title = title or collapse_ws(info.info.get("Title", "")) or None
    lang = collapse_ws(info.lang or "") or None
    return replace(doc, meta=replace(doc.meta, title=title, lang=lang))


def restore_title_heading(doc: Document, structure: StructElement, pages: _Pages) -> Document:
    """The PDF reader drops the body's first heading when it repeats the
    title; put back the structure tree's first heading when that is what
    happened, so that the heading rules see the tags as they are."""
    title = doc.meta.title
    first = _first_heading(structure)
    if title is None or first is None:
        return doc
    text = collapse_ws(first.actual_text or "") or _text_of(refs(first), pages)
    key = normalise_key(title)
    if not text or normalise_key(text) != key:
        return doc
    blocks = list(doc.blocks)
    if any(isinstance(b, Heading) and normalise_key(_plain(b)) == key for b in blocks[:8]):
        return doc  # not dropped
    level = 1 if first.type in ("H", "Title") else int(first.type[1])
    src = SourceRef(page=first.page + 1 if first.page is not None else None, how="tag")
    at = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), 0)
    blocks.insert(at, Heading(level, (Text(text),), src=src))
    return replace(doc, blocks=tuple(blocks))


def _first_heading(root: StructElement) -> StructElement | None:
    stack: list[Any] = [root]
    while stack:
        el = stack.pop()
        if isinstance(el, StructElement):
            if el.type in _HEADINGS:
                return el
            stack.extend(reversed(el.kids))
    return None


def _text_of(content: Sequence[ContentRef], pages: _Pages) -> str:
    texts: dict[int, dict[int, list[str]]] = {}  # page -> mcid -> text runs
    parts: list[str] = []
    for ref in content[:200]:
        if ref.page not in texts:
            by_mcid: dict[int, list[str]] = {}
            for span in pages(ref.page).spans:
                if span.mcid is not None:
                    by_mcid.setdefault(span.mcid, []).append(span.text)
            texts[ref.page] = by_mcid
        parts.extend(texts[ref.page].get(ref.mcid, ()))
    return collapse_ws(" ".join(parts))


def _plain(h: Heading) -> str:
    return plain_text(h.content)
