"""Tagged PDFs, inline level: the content of a structure element as inline
tokens (marked content joined through (page, MCID), links through /OBJR,
emphasis, language changes, notes), and the per-document context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ...diagnostics import Report
from ...model import Image, Inline, SourceRef
from ...textnorm import collapse_ws
from .backend import AnnotRef, ContentRef, ImagePlacement, LinkAnnotation, StructElement, StructKid, TextSpan
from .inlines import Close, Flow, Lit, Open, Pic, Piece, Token, build_inlines, safe_url

MAX_INLINE_DEPTH = 24
SKIP = frozenset({"Artifact"})


@dataclass(slots=True)
class TaggedInput:
    """The page content a structure tree refers to."""

    spans: Mapping[tuple[int, int], Sequence[TextSpan]]  # (page, mcid) -> spans in content order
    images: Mapping[tuple[int, int], Sequence[ImagePlacement]]
    annots: Mapping[int, LinkAnnotation]  # object number -> link annotation
    page_links: Mapping[int, Sequence[LinkAnnotation]]  # page -> its link annotations
    page_images: Mapping[int, Sequence[ImagePlacement]] = field(default_factory=dict)  # all, in content order


@dataclass(slots=True)
class TaggedContext:
    data: TaggedInput
    flow: Flow
    report: Report
    make_image: Callable[[ImagePlacement, int, str | None], Image]
    doc_lang: str | None
    used: set[tuple[int, int]] = field(default_factory=set)
    captions: set[int] = field(default_factory=set)  # ids of Paragraphs made from Caption tags
    figures_without_alt: int = 0
    claimed: set[int] = field(default_factory=set)  # ids of placed images
    geometry: dict[int, tuple[int, float]] = field(
        default_factory=dict
    )  # paragraph id -> (page, largest size)


def inlines(
    kids: Sequence[StructKid], ctx: TaggedContext, lang: str | None, *, actual: str | None = None
) -> tuple[Inline, ...]:
    if actual is not None and collapse_ws(actual):
        found = [r for k in kids for r in ([k] if isinstance(k, ContentRef) else refs_el(k))]
        for r in found:
            spans_of_ref(r, ctx, consume=True)
        page = found[0].page if found else max(ctx.flow.cursor, 0)
        return build_inlines([Lit(actual, page)], ctx.flow)
    return build_inlines(_tokens(kids, ctx, lang), ctx.flow)


def refs_el(k: StructKid) -> list[ContentRef]:
    return refs(k) if isinstance(k, StructElement) else []


def _tokens(kids: Sequence[StructKid], ctx: TaggedContext, lang: str | None) -> list[Token]:
    """Flatten inline structure into tokens, iteratively."""
    out: list[Token] = []
    depth = 0  # wrappers open (links, emphasis, language spans), bounded
    stack: list[StructKid | Close] = list(reversed(kids))
    while stack:
        item = stack.pop()
        if isinstance(item, Close):
            out.append(item)
            depth -= 1
            continue
        if isinstance(item, ContentRef):
            out.extend(Piece(s, item.page) for s in spans_of_ref(item, ctx, consume=True))
            for placement in ctx.data.images.get((item.page, item.mcid), ()):
                ctx.claimed.add(id(placement))
                out.append(Pic(ctx.make_image(placement, item.page, None), item.page))
            continue
        if isinstance(item, AnnotRef):
            continue
        el = item
        if el.type in SKIP:
            continue
        if el.actual_text is not None and collapse_ws(el.actual_text):
            found = refs(el)
            for r in found:
                spans_of_ref(r, ctx, consume=True)
            out.append(Lit(el.actual_text, found[0].page if found else max(ctx.flow.cursor, 0)))
            continue
        if el.type == "Figure":
            alt = collapse_ws(el.alt) if el.alt is not None else None
            for r in refs(el):
                for placement in ctx.data.images.get((r.page, r.mcid), ()):
                    ctx.claimed.add(id(placement))
                    out.append(Pic(ctx.make_image(placement, r.page, alt), r.page))
                spans_of_ref(r, ctx, consume=True)
            continue
        wrapper = _wrapper(el, ctx, lang) if depth < MAX_INLINE_DEPTH else None
        if wrapper is not None:
            out.append(wrapper)
            depth += 1
            stack.append(Close())
        stack.extend(reversed(el.kids))
    return out


def _wrapper(el: StructElement, ctx: TaggedContext, lang: str | None) -> Open | None:
    own = el.lang.strip() if el.lang else None
    if own and own != lang:
        return Open("span", lang=own)
    match el.type:
        case "Link":
            return Open("link", url=_link_url(el, ctx))
        case "Em":
            return Open("emph")
        case "Strong":
            return Open("strong")
        case "Code":
            return Open("code")
        case "Sub":
            return Open("sub")
        case "Note" | "FENote":
            return Open("note")
    return None


def _link_url(el: StructElement, ctx: TaggedContext) -> str | None:
    for kid in el.kids:
        if isinstance(kid, AnnotRef):
            annot = ctx.data.annots.get(kid.ref)
            if annot is not None and safe_url(annot.uri):
                return annot.uri
    # no /OBJR: the annotation whose rectangle holds the link's text
    for ref in refs(el):
        for span in ctx.data.spans.get((ref.page, ref.mcid), ()):
            for annot in ctx.data.page_links.get(ref.page, ()):
                if annot.uri and _overlaps(span.bbox, annot.bbox):
                    return annot.uri
    return None


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3] + 2) - max(a[1], b[1] - 2) > 0


def refs(el: StructElement) -> list[ContentRef]:
    """Every marked-content reference below ``el``, in order (iterative)."""
    out: list[ContentRef] = []
    stack: list[StructKid] = [el]
    while stack:
        item = stack.pop()
        if isinstance(item, ContentRef):
            out.append(item)
        elif isinstance(item, StructElement):
            stack.extend(reversed(item.kids))
    return out


def spans_of_ref(ref: ContentRef, ctx: TaggedContext, *, consume: bool) -> Sequence[TextSpan]:
    key = (ref.page, ref.mcid)
    if key in ctx.used:
        return ()
    if consume:
        ctx.used.add(key)
    return ctx.data.spans.get(key, ())


def spans_of(el: StructElement, ctx: TaggedContext, *, consume: bool) -> Iterator[TextSpan]:
    for ref in refs(el):
        yield from spans_of_ref(ref, ctx, consume=consume)


def src_of(kids: Sequence[StructKid], how: str) -> SourceRef:
    page: int | None = None
    for k in kids:
        if isinstance(k, ContentRef):
            page = k.page
            break
        if isinstance(k, StructElement):
            found = refs(k)
            if found:
                page = found[0].page
                break
            if k.page is not None:
                page = k.page
                break
    return SourceRef(page=page + 1 if page is not None else None, how=how)


def referenced(root: StructElement) -> set[tuple[int, int]]:
    """Every (page, mcid) the tree refers to."""
    return {(r.page, r.mcid) for r in refs(root)}
