"""Embedded content the model cannot hold (MathML, SVG, iframes, media):
its text alternative becomes text, with a diagnostic when content is lost."""

from __future__ import annotations

from ...model import Inline, Link, Text
from ...textnorm import collapse_ws
from .context import Context
from .dom import Element, attr, tag
from .links import resolve_href


def math_text(ctx: Context, el: Element) -> list[Inline]:
    alt = attr(el, "alttext") or attr(el, "aria-label")
    if not alt:
        for ann in el.iter("annotation"):
            if "tex" in attr(ann, "encoding").lower():
                alt = "".join(ann.itertext())
                break
    if not alt:
        alt = _text_without_annotations(el)
    alt = collapse_ws(alt)
    if alt:
        ctx.report.info(
            "content-simplified", "MathML formula replaced by its text alternative", ctx.where(el)
        )
        return [Text(alt)]
    ctx.report.warning("content-dropped", "MathML formula without a text alternative dropped", ctx.where(el))
    return []


def svg_text(ctx: Context, el: Element) -> list[Inline]:
    label = attr(el, "aria-label")
    if not label:
        title = next((t for t in el.iter() if tag(t) == "title"), None)
        label = collapse_ws("".join(title.itertext())) if title is not None else ""
    if label:
        ctx.report.info("content-simplified", "inline SVG replaced by its title", ctx.where(el))
        return [Text(collapse_ws(label))]
    ctx.report.info("content-dropped", "inline SVG without a title dropped", ctx.where(el))
    return []


def media_text(ctx: Context, el: Element) -> list[Inline]:
    """iframe, video, audio, embed: a link to the source when it is a web URL,
    named by the element's title; else just the title."""
    t = tag(el)
    label = collapse_ws(attr(el, "title") or attr(el, "aria-label"))
    if ctx.keep:  # keep_faults: no link made up from an embed (html_rules checks frames)
        return [Text(label)] if label else []
    src = attr(el, "src") or attr(el, "data-src")
    url = resolve_href(ctx, src, el) if src and not src.startswith("#") else None
    ctx.report.warning(
        "content-dropped", f"<{t}> cannot be converted; {'a link to it' if url else 'its title'} is kept"
        if (url or label) else f"<{t}> without a title dropped", ctx.where(el),
    )  # fmt: skip
    if url:
        return [Link((Text(label or url),), url)]
    return [Text(label)] if label else []


def _text_without_annotations(el: Element) -> str:
    parts: list[str] = []
    stack: list[Element | str] = [el]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if tag(item) in ("annotation", "annotation-xml"):
            if item.tail:
                parts.append(item.tail)
            continue
        if item.tail and item is not el:
            stack.append(item.tail)
        for child in reversed(item):
            stack.append(child)
        if item.text:
            stack.append(item.text)
    return " ".join(parts)
