"""Inline content: text, emphasis, links, images, notes, language changes."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import (
    Attr,
    Block,
    Code,
    Emph,
    Inline,
    LineBreak,
    Link,
    Note,
    Paragraph,
    Span,
    Strong,
    Sub,
    Sup,
    Text,
)
from ...textnorm import clean_text, collapse_ws
from .context import Context, NoteTarget
from .dom import BLOCK_TAGS, Element, attr, collapse, tag
from .embedded import math_text, media_text, svg_text
from .images import labelled_by, read_image
from .links import resolve_href
from .metadata import normalise_lang
from .parse import MAX_DEPTH
from .whitespace import finish

_WS = re.compile(r"[ \t\n\r\f]+")
_EMPH = frozenset({"em", "i", "cite", "dfn", "var"})
_STRONG = frozenset({"strong", "b"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_MEDIA = frozenset({"iframe", "video", "audio", "embed"})
_QUOTES = {"de": ("„", "“"), "pl": ("„", "”"), "fr": ("« ", " »"), "it": ("«", "»"), "es": ("«", "»")}

BlocksOf = Callable[[Element, int, "str | None"], list[Block]]


def text(raw: str) -> Text:
    """A text node with white space runs collapsed (not trimmed: see whitespace.finish)."""
    return Text(clean_text(_WS.sub(" ", raw)))


def lang_change(el: Element, inherited: str | None, keep: bool = False) -> tuple[str | None, str | None]:
    """(the language for the element's content, the new language if it changes here).

    ``keep`` (keep_faults): a tag that is not valid BCP 47 is kept as written
    (``lang=""`` still means "no change"), so that check can report it."""
    raw = el.get("lang")
    if raw is None:
        raw = el.get("xml:lang")
    if raw is None:
        return inherited, None
    written = collapse_ws(raw)
    fixed = normalise_lang(raw)
    if keep and written and (fixed is None or fixed.lower() != written.lower()):
        return written, (None if written == inherited else written)
    lang = normalise_lang(raw)
    if lang is None or (inherited is not None and lang.lower() == inherited.lower()):
        return (lang or inherited), None
    return lang, lang


class InlineReader:
    """Converts inline content; ``blocks_of`` converts a note's body."""

    def __init__(self, ctx: Context, blocks_of: BlocksOf) -> None:
        self.ctx = ctx
        self.blocks_of = blocks_of

    def content(self, el: Element, depth: int, lang: str | None) -> list[Inline]:
        """The inline content of ``el`` (its text, children and their tails)."""
        out: list[Inline] = []
        if el.text:
            out.append(text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.extend(self.element(child, depth + 1, lang))
            if child.tail:
                out.append(text(child.tail))
        return out

    def finished(self, el: Element, depth: int, lang: str | None) -> tuple[Inline, ...]:
        return finish(self.content(el, depth, lang), self.ctx.keep)

    def element(self, el: Element, depth: int, lang: str | None) -> list[Inline]:
        ctx = self.ctx
        if depth > MAX_DEPTH:
            ctx.too_deep = True
            flat = collapse("".join(el.itertext()))
            return [text(flat)] if flat else []
        if el in ctx.notes.refs:
            return self.note_ref(el, depth)
        if el in ctx.notes.bodies:
            return []  # a note body sitting in the text; its content travels with its reference
        inner_lang, new_lang = lang_change(el, lang, ctx.keep)
        out = self._element(el, tag(el), depth, inner_lang)
        owner = ctx.id_owner.get(el)
        if new_lang or owner:
            return [Span(tuple(out), Attr(id=owner, lang=new_lang))]
        return out

    def _element(self, el: Element, t: str, depth: int, lang: str | None) -> list[Inline]:
        ctx = self.ctx
        if t == "br":
            return [LineBreak()]
        if t == "wbr":
            return []
        if t == "img":
            image = read_image(ctx, el)
            return [image] if image is not None else []
        if t == "a":
            return self.link(el, depth, lang)
        if t in _EMPH:
            return [Emph(tuple(self.content(el, depth, lang)))]
        if t in _STRONG:
            return [Strong(tuple(self.content(el, depth, lang)))]
        if t == "sub":
            return [Sub(tuple(self.content(el, depth, lang)))]
        if t == "sup":
            return [Sup(tuple(self.content(el, depth, lang)))]
        if t in _CODE:
            code = clean_text(_WS.sub(" ", "".join(el.itertext())))
            return [Code(code)] if code else []
        if t == "q":
            open_q, close_q = _QUOTES.get((lang or "en").split("-")[0], ("“", "”"))
            return [Text(open_q), *self.content(el, depth, lang), Text(close_q)]
        if t == "math":
            return math_text(ctx, el)
        if t == "svg":
            return svg_text(ctx, el)
        if t in _MEDIA:
            return media_text(ctx, el)
        if t in ("rp",):
            return []
        if t in BLOCK_TAGS:  # a block inside inline content: keep its words apart
            return [Text(" "), *self.content(el, depth, lang), Text(" ")]
        return self.content(el, depth, lang)  # span, font, abbr, time, mark, small, object, canvas...

    def link(self, el: Element, depth: int, lang: str | None) -> list[Inline]:
        content = _unlink(self.content(el, depth, lang))
        href = el.get("href")
        if href is None:
            return content
        url = resolve_href(self.ctx, href, el)
        if url is None:
            return content
        title = collapse_ws(attr(el, "title")) or None
        if self.ctx.keep:  # the link's accessible name, when ARIA gives it one
            title = collapse_ws(attr(el, "aria-label")) or labelled_by(el) or title
        return [Link(tuple(content), url, title)]

    def note_ref(self, el: Element, depth: int) -> list[Inline]:
        ctx = self.ctx
        target = ctx.notes.refs[el]
        marker = collapse("".join(el.itertext()))
        if target is None and ctx.keep:  # as written: a link to a missing note
            inner_lang, _ = lang_change(el, ctx.lang, True)
            return self._element(el, tag(el), depth, inner_lang)
        if target is None or target.body in ctx.notes.in_progress:
            ctx.report.warning(
                "note-unresolved", f"note reference {marker!r} points to no note; kept as text", ctx.where(el)
            )
            return [Sup((text(marker),))] if marker else []
        if target.body in ctx.notes.used and not target.inline:
            ctx.report.info(
                "note-repeated",
                f"note {marker!r} is referenced more than once; its text is repeated",
                ctx.where(el),
            )
        ctx.notes.used.add(target.body)
        return [Note(self.note_blocks(target, depth), src=ctx.src(el))]

    def note_blocks(self, target: NoteTarget, depth: int) -> tuple[Block, ...]:
        if target.blocks is not None:
            return target.blocks
        ctx = self.ctx
        ctx.notes.in_progress.add(target.body)
        try:
            if target.inline and tag(target.body) not in BLOCK_TAGS:
                content = finish(self.content(target.body, depth, ctx.lang), ctx.keep)
                blocks: tuple[Block, ...] = (Paragraph(content, src=ctx.src(target.body)),) if content else ()
            else:
                blocks = tuple(self.blocks_of(target.body, depth, ctx.lang))
        finally:
            ctx.notes.in_progress.discard(target.body)
        target.blocks = blocks
        return blocks


def _unlink(items: list[Inline]) -> list[Inline]:
    """Links cannot nest: an inner link keeps only its content."""
    out: list[Inline] = []
    for it in items:
        match it:
            case Link(content=c):
                out.extend(_unlink(list(c)))
            case Emph(content=c):
                out.append(Emph(tuple(_unlink(list(c)))))
            case Strong(content=c):
                out.append(Strong(tuple(_unlink(list(c)))))
            case Span(content=c, attr=a):
                out.append(Span(tuple(_unlink(list(c))), a))
            case Sub(content=c):
                out.append(Sub(tuple(_unlink(list(c)))))
            case Sup(content=c):
                out.append(Sup(tuple(_unlink(list(c)))))
            case _:
                out.append(it)
    return out


__all__ = ["InlineReader", "lang_change", "text"]
