"""The PDF reader: bytes of a PDF -> Document.

Steps: open under limits and decrypt (backend_pypdf) -> metadata (meta) ->
pages as spans, images and links (backend) -> the structure tree, trusted
page by page when it covers most of the text (tagged) -> layout heuristics
for everything else (untagged: layout, furniture, blocks, headings) ->
title, page breaks, diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pypdf.errors import LimitReachedError

from ...diagnostics import Report
from ...errors import InputError, LimitExceeded
from ...model import Block, Document, Heading, Inline, Meta, PageBreak, Paragraph
from ...walk import plain_text
from .backend import (
    Backend,
    ImagePlacement,
    LinkAnnotation,
    Opener,
    OutlineEntry,
    PageData,
    StructElement,
    TextSpan,
)
from .backend_pypdf import limit_error, open_pypdf
from .images import ImageLoader, is_decoration
from .inlines import Flow, normalise_key
from .meta import read_meta
from .notes import link_endnotes, link_footnotes
from .options import PdfReaderOptions
from .tagged import TaggedContext, TaggedInput, read_tagged, referenced
from .untagged import read_untagged

__all__ = ["PdfReaderOptions", "open_pdf", "read_opened", "read_pdf"]


def read_pdf(data: bytes, *, base: Path | None, options: PdfReaderOptions, report: Report) -> Document:
    """Read a PDF.  ``base`` is unused (a PDF carries its own images).
    Raises InputError (unreadable, encrypted without the right password) and
    LimitExceeded; everything recoverable becomes a diagnostic."""
    del base
    with open_pdf(data, options, report) as backend:
        return read_opened(backend, options, report)


@contextmanager
def open_pdf(data: bytes, options: PdfReaderOptions, report: Report) -> Iterator[Backend]:
    """The PDF opened under the options' limits and decrypted, for
    :func:`read_opened` and for whoever needs more of the file (the PDF
    accessibility rules): the same errors as :func:`read_pdf`, and repairs
    reported once."""
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            f"input is {len(data)} bytes, over the limit of {options.max_bytes} (--max-input-size)"
        )
    messages: list[str] = []
    opener: Opener = open_pypdf
    try:
        with opener(
            data, password=options.password, max_stream_bytes=options.max_stream_bytes, messages=messages
        ) as backend:
            yield backend
    except LimitReachedError as exc:  # one the backend did not translate: still a clean refusal
        raise limit_error(exc) from None
    finally:
        if messages:
            shown = "; ".join(dict.fromkeys(messages[:5]))
            report.info(
                "pdf-repaired", f"the PDF is damaged; {len(messages)} problem(s) worked around: {shown}"
            )


def _page_break(label: str) -> Inline | None:
    return PageBreak(label)


def read_opened(backend: Backend, options: PdfReaderOptions, report: Report) -> Document:
    """The model of an opened PDF (see :func:`open_pdf`)."""
    info = backend.info()
    count = info.page_count
    if count == 0:
        raise InputError("the PDF has no pages")
    if count > options.max_pages:
        raise LimitExceeded(f"the PDF has {count} pages, over the limit of {options.max_pages} (--max-pages)")
    meta = read_meta(info)
    pages = [backend.page(i, max_operations=options.max_objects_per_page) for i in range(count)]
    damaged = [p.index + 1 for p in pages if p.truncated]
    if damaged:
        report.warning(
            "pdf-page-damaged",
            f"the content of {_pages(damaged)} could not be read completely; some text may be missing",
        )
    flow = Flow([p.label for p in pages], page_break=_page_break)
    chars = 0
    for p in pages:
        for s in p.spans:
            flow.words.add(s.text)
            chars += len(s.text.strip())
    if chars == 0:
        images = sum(1 for p in pages for i in p.images if not is_decoration(i))
        detail = f" ({images} page image(s))" if images else ""
        report.warning(
            "pdf-no-text", f"no text layer{detail}; OCR is not performed, so the output has no text"
        )
        return Document(meta=meta)
    loader = ImageLoader(backend.image, report, options.max_image_pixels, enabled=options.images)
    structure = backend.structure() if info.has_structure else None
    trusted = _trusted_pages(structure, pages, options, report, marked=info.marked)
    outline = backend.outline()
    if trusted:
        assert structure is not None
        blocks = _tagged(structure, pages, trusted, flow, loader, report, meta)
        visible = None
        title_how = "tag"
    else:
        report.warning(
            "pdf-untagged",
            "the PDF is not tagged: headings, lists and reading order are inferred from the layout",
        )
        blocks, visible, meta = _untagged(pages, outline, flow, loader, report, meta)
        title_how = "style"
    blocks, joined = link_endnotes(blocks)
    if joined:
        report.info("pdf-notes", f"{joined} note(s) joined to their calls in the text")
    meta, blocks = _title(meta, blocks, visible, report, title_how)
    return Document(meta=meta, blocks=tuple(blocks), resources=loader.resources)


def _pages(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"page{'s' if len(numbers) > 1 else ''} {shown}{more}"


# ------------------------------------------------------------------- tags


def _trusted_pages(
    structure: StructElement | None,
    pages: Sequence[PageData],
    options: PdfReaderOptions,
    report: Report,
    *,
    marked: bool,
) -> set[int]:
    """Pages whose text the structure tree covers well enough to follow it."""
    if structure is None:
        return set()
    refs = referenced(structure)
    covered_total = 0
    text_total = 0
    trusted: set[int] = set()
    weak: list[int] = []
    for p in pages:
        text = 0
        covered = 0
        for s in p.spans:
            if s.artifact or not s.upright:
                continue
            n = len(s.text.strip())
            text += n
            if s.mcid is not None and (p.index, s.mcid) in refs:
                covered += n
        covered_total += covered
        text_total += text
        if text == 0 or covered >= options.trust_tags_min_coverage * text:
            trusted.add(p.index)
        else:
            weak.append(p.index + 1)
    share = covered_total / text_total if text_total else 0.0
    if share < options.trust_tags_min_coverage or not refs:
        report.warning(
            "pdf-tags-partial",
            f"the structure tree covers {share:.0%} of the text; it is ignored and the layout is used",
        )
        return set()
    if weak:
        report.warning(
            "pdf-tags-partial",
            f"the structure tree covers too little of the text on {_pages(weak)}; "
            "the layout is used for those pages",
        )
    if not marked:
        report.info("pdf-tags-unmarked", "the PDF has a structure tree but does not declare itself tagged")
    return trusted


def _tagged(
    structure: StructElement,
    pages: Sequence[PageData],
    trusted: set[int],
    flow: Flow,
    loader: ImageLoader,
    report: Report,
    meta: Meta,
) -> list[Block]:
    spans: dict[tuple[int, int], list[TextSpan]] = {}
    images: dict[tuple[int, int], list[ImagePlacement]] = {}
    annots: dict[int, LinkAnnotation] = {}
    page_links: dict[int, list[LinkAnnotation]] = {}
    page_images: dict[int, list[ImagePlacement]] = {}
    for p in pages:
        if p.index not in trusted:
            continue
        page_images[p.index] = list(p.images)
        for s in p.spans:
            if s.mcid is not None and not s.artifact:
                spans.setdefault((p.index, s.mcid), []).append(s)
        for img in p.images:
            if img.mcid is not None and not img.artifact:
                images.setdefault((p.index, img.mcid), []).append(img)
        for a in p.links:
            if a.ref is not None:
                annots[a.ref] = a
            page_links.setdefault(p.index, []).append(a)
    ctx = TaggedContext(
        data=TaggedInput(spans, images, annots, page_links, page_images),
        flow=flow,
        report=report,
        make_image=loader.image,
        doc_lang=meta.lang,
    )
    blocks = read_tagged(structure, ctx)
    sizes = [s for p in pages if p.index in trusted for s in p.spans if s.mcid is not None]
    blocks, footnotes = link_footnotes(blocks, ctx.geometry, _body_size(sizes))
    if footnotes:
        report.info("pdf-notes", f"{footnotes} footnote(s) joined to their calls in the text")
    if ctx.figures_without_alt:
        report.info(  # a summary: the writers warn about each image (image-alt)
            "image-alt-unknown",
            f"{ctx.figures_without_alt} tagged figure(s) without /Alt: their text alternative is unknown",
        )
    untrusted = [p for p in pages if p.index not in trusted]
    if untrusted:
        blocks = _merge_untagged(blocks, untrusted, flow, loader, report, meta)
    return blocks


def _merge_untagged(
    blocks: list[Block],
    untrusted: Sequence[PageData],
    flow: Flow,
    loader: ImageLoader,
    report: Report,
    meta: Meta,
) -> list[Block]:
    """Insert the layout reading of the untrusted pages after the tagged
    blocks of the pages before them."""
    extra, _, _ = _untagged(untrusted, (), flow, loader, report, meta, title=False)
    out = list(blocks)
    for b in extra:
        page = _page_of(b)
        pos = len(out)
        for i, existing in enumerate(out):
            p = _page_of(existing)
            if p is not None and page is not None and p > page:
                pos = i
                break
        out.insert(pos, b)
    return out


def _body_size(spans: Sequence[TextSpan]) -> float:
    weights: dict[float, int] = {}
    for s in spans:
        key = round(s.size * 2) / 2
        weights[key] = weights.get(key, 0) + len(s.text.strip())
    return max(weights.items(), key=lambda kv: (kv[1], -kv[0]))[0] if weights else 10.0


def _page_of(b: Block) -> int | None:
    src = getattr(b, "src", None)
    return src.page if src is not None else None


# ------------------------------------------------------------- untagged


def _untagged(
    pages: Sequence[PageData],
    outline: Sequence[OutlineEntry],
    flow: Flow,
    loader: ImageLoader,
    report: Report,
    meta: Meta,
    *,
    title: bool = True,
) -> tuple[list[Block], str | None, Meta]:
    """The layout reading of ``pages``, the visible title it found and the
    metadata completed with the visible subtitle."""
    result = read_untagged(
        pages,
        outline=outline,
        flow=flow,
        make_image=loader.image,
        meta_title=meta.title if title else "",
    )
    if result.images_without_alt:
        report.info(  # a summary: the writers warn about each image (image-alt)
            "image-alt-unknown",
            f"{result.images_without_alt} image(s) have no text alternative (the PDF is untagged); "
            "alt text is left unknown, never invented",
        )
    if result.footnotes:
        report.info("pdf-notes", f"{result.footnotes} footnote(s) joined to their calls in the text")
    if result.furniture:
        report.info(
            "pdf-furniture", f"{result.furniture} running header, footer or page-number line(s) dropped"
        )
    if result.headings_by:
        parts = ", ".join(f"{n} from {how}" for how, n in sorted(result.headings_by.items()))
        report.info("pdf-headings", f"headings found: {parts}")
    if title and result.subtitle and meta.subtitle is None:
        meta = replace(meta, subtitle=result.subtitle)
    return result.blocks, (result.title if title else None), meta


# ---------------------------------------------------------------- title


def _title(
    meta: Meta, blocks: list[Block], visible: str | None, report: Report, how: str
) -> tuple[Meta, list[Block]]:
    """Meta.title from the file, else the visible title or the first top
    heading; the body does not repeat it."""
    if meta.title is None:
        if visible:
            meta = replace(meta, title=visible)
            report.info("title-from-layout", f"document title taken from the first page: {visible!r}")
        else:
            heads = [b for b in blocks if isinstance(b, Heading)]
            if heads:
                top = min(h.level for h in heads)
                first = next(h for h in heads if h.level == top)
                text = plain_text(first.content)
                if text:
                    meta = replace(meta, title=text)
                    report.info("title-from-heading", f"document title taken from a {how} heading: {text!r}")
    if meta.title is not None:
        key = normalise_key(meta.title)
        for i, b in enumerate(blocks[:8]):
            if isinstance(b, Heading):
                if normalise_key(plain_text(b.content)) == key:
                    blocks = blocks[:i] + _keep_breaks(b, blocks[i + 1 : i + 2]) + blocks[i + 2 :]
                break
    return meta, blocks


def _keep_breaks(h: Heading, following: list[Block]) -> list[Block]:
    """The block after a dropped title heading, with the page-break markers
    the heading held put at its start (in a paragraph of their own when that
    block holds no inline content)."""
    marks = tuple(n for n in h.content if isinstance(n, PageBreak))
    if not marks:
        return following
    match following:
        case [Paragraph() | Heading() as nxt]:
            return [replace(nxt, content=marks + nxt.content)]
        case _:
            return [Paragraph(marks), *following]
