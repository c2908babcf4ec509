"""Inline content -> runs (``w:r``), hyperlinks, footnote references,
bookmarks and pictures, appended to a paragraph (or a ``w:hyperlink``)."""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never
from urllib.parse import quote, urlsplit

from lxml import etree

from ..model import (
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    PageBreak,
    Span,
    Strong,
    Sub,
    Sup,
    Text,
)
from ..walk import plain_text
from .docx_ctx import MAX_DEPTH, DocxContext, Env
from .docx_images import drawing_run
from .docx_xml import R_ID, RunFmt, W, add_text, sub, valid_lang, xml_safe

_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters that may stay as they are in a relationship target; the rest is %-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def run_lang(ctx: DocxContext, lang: str | None) -> str | None:
    """The ``w:lang`` a run needs: ``lang`` when it differs from the document's."""
    return lang if lang and lang != ctx.lang else None


def inlines(
    ctx: DocxContext, parent: etree._Element, nodes: tuple[Inline, ...], fmt: RunFmt, env: Env
) -> None:
    """Append the runs for ``nodes`` to ``parent`` (a ``w:p`` or ``w:hyperlink``)."""
    ctx.depth += 1
    try:
        if ctx.depth > MAX_DEPTH:
            _too_deep(ctx, parent, nodes, fmt)
            return
        for node in nodes:
            _inline(ctx, parent, node, fmt, env)
    finally:
        ctx.depth -= 1


def _too_deep(ctx: DocxContext, parent: etree._Element, nodes: tuple[Inline, ...], fmt: RunFmt) -> None:
    if not ctx.depth_reported:
        ctx.depth_reported = True
        ctx.report.warning(
            "docx-depth", f"content nested more than {MAX_DEPTH} levels deep is written as text"
        )
    add_text(parent, plain_text(nodes), fmt)


def _inline(ctx: DocxContext, parent: etree._Element, node: Inline, fmt: RunFmt, env: Env) -> None:
    match node:
        case Text(text=text):
            add_text(parent, text, fmt)
        case Emph(content=content):
            inlines(ctx, parent, content, replace(fmt, italic=True), env)
        case Strong(content=content):
            inlines(ctx, parent, content, replace(fmt, bold=True), env)
        case Sub(content=content):
            inlines(ctx, parent, content, replace(fmt, vert="subscript"), env)
        case Sup(content=content):
            inlines(ctx, parent, content, replace(fmt, vert="superscript"), env)
        case Code(text=text):
            # One character style per run: inside a link the link's, plus a direct monospace font.
            code_fmt = (
                replace(fmt, mono=True) if fmt.style == "Hyperlink" else replace(fmt, style="VerbatimChar")
            )
            add_text(parent, text, code_fmt)
        case Link():
            _link(ctx, parent, node, fmt, env)
        case Image():
            _image(ctx, parent, node, fmt)
        case Note():
            _note(ctx, parent, node, fmt, env)
        case Span(content=content, attr=attr):
            lang = valid_lang(attr.lang)
            inner_env = replace(env, lang=lang) if lang else env
            inner_fmt = replace(fmt, lang=run_lang(ctx, lang)) if lang else fmt
            name = ctx.target(attr.id)
            if name is None:
                inlines(ctx, parent, content, inner_fmt, inner_env)
            else:
                bid = str(ctx.next_bookmark)
                ctx.next_bookmark += 1
                sub(parent, "bookmarkStart", id=bid, name=name)
                inlines(ctx, parent, content, inner_fmt, inner_env)
                sub(parent, "bookmarkEnd", id=bid)
        case PageBreak():
            pass  # Word paginates by itself; print page numbers of the source do not apply
        case LineBreak():
            run = etree.SubElement(parent, W + "r")
            fmt.apply(run)
            etree.SubElement(run, W + "br")
        case _:
            assert_never(node)


def safe_url(url: str) -> str | None:
    """``url`` %-encoded for a relationship target when it is http, https or
    mailto with somewhere to go; None otherwise (javascript:, data:, file:,
    relative references: written as plain text)."""
    url = xml_safe(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        return None
    if scheme == "mailto" and not parts.path:
        return None
    if scheme != "mailto" and not parts.netloc:
        return None
    host = parts.hostname or ""
    if not host.isascii():  # an internationalised domain name: its ASCII (punycode) form
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        url = url.replace(parts.netloc, parts.netloc.lower().replace(host, ascii_host), 1)
    return quote(url, safe=_URL_SAFE)


def _link(ctx: DocxContext, parent: etree._Element, link: Link, fmt: RunFmt, env: Env) -> None:
    if parent.tag == W + "hyperlink":  # no hyperlink inside a hyperlink: keep the text
        inlines(ctx, parent, link.content, fmt, env)
        return
    if link.url.startswith("#"):
        name = ctx.bookmarks.get(link.url[1:])
        if name is None:
            ctx.report.info("link-target", f"link to {link.url[:80]!r}: no such id; written as text")
            inlines(ctx, parent, link.content, fmt, env)
            return
        attrs = {W + "anchor": name, W + "history": "1"}
    else:
        url = safe_url(link.url)
        if url is None:
            ctx.report.info(
                "link-dropped", f"link to {link.url[:80]!r} is not http, https or mailto; written as text"
            )
            inlines(ctx, parent, link.content, fmt, env)
            return
        attrs = {R_ID: ctx.hyperlink_rid(url), W + "history": "1"}
    if link.title:
        attrs[W + "tooltip"] = xml_safe(link.title)
    hyperlink = etree.SubElement(parent, W + "hyperlink", attrs)
    inlines(ctx, hyperlink, link.content, replace(fmt, style="Hyperlink"), env)


def _image(ctx: DocxContext, parent: etree._Element, image: Image, fmt: RunFmt) -> None:
    ctx.image_count += 1
    where = f"image {ctx.image_count}"
    if image.alt is None:
        ctx.report.warning("image-alt", "image without a text alternative", where)
    res = ctx.doc.resources.get(image.resource) if image.resource else None
    if image.resource and res is None:
        ctx.report.warning(
            "resource-missing", f"image resource {image.resource} is not in the document", where
        )
    if res is not None and drawing_run(ctx, parent, image, res):
        return
    if image.alt:  # not loaded: its text alternative, in brackets
        add_text(parent, f"[{image.alt}]", fmt)


def _note(ctx: DocxContext, parent: etree._Element, note: Note, fmt: RunFmt, env: Env) -> None:
    if env.in_note or ctx.render_note is None:
        # Word has no footnote inside a footnote: the inner note's text goes in brackets.
        ctx.report.info("note-nested", "a note inside a note is written in brackets")
        text = plain_text(note.blocks)
        if text:
            add_text(parent, f" ({text})", fmt)
        return
    ctx.footnote_count += 1
    run = etree.SubElement(parent, W + "r")
    rpr = sub(run, "rPr")
    sub(rpr, "rStyle", val="FootnoteReference")
    sub(run, "footnoteReference", id=str(ctx.footnote_count))
    ctx.render_note(ctx, note, env)
