"""The HTML reader: bytes of a web page or an HTML file -> Document.

Steps, each in its own module: decode (encoding) -> parse (safe lxml parser)
-> metadata (head, JSON-LD) -> clean (scripts, hidden elements) -> notes
(footnote patterns) -> masthead (title, byline, date) -> content (main
content) -> chrome (furniture inside it) -> anchors (ids) -> blocks/inlines
(element -> model mapping).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ...diagnostics import Report
from ...model import Attr, Div, Document, Meta
from ...options import HtmlReaderOptions
from ...textnorm import collapse_ws
from .anchors import assign_ids
from .blocks import BlockReader
from .chrome import prune_chrome
from .clean import body_of, clean
from .content import choose_root
from .context import Context
from .decode import decode_html
from .dom import Element, is_inside, tag
from .inlines import lang_change
from .masthead import Masthead, drop_used, read_masthead
from .masthead import find_title as _find_title
from .metadata import (
    HeadMeta,
    absolute_url,
    authors,
    document_lang,
    meta_author_names,
    meta_date,
    other_fields,
    read_head,
    title_candidates,
)
from .notes import find_notes
from .parse import MAX_DEPTH, check_size, parse_html

__all__ = ["read_html", "read_tree"]


def read_html(
    data: bytes,
    *,
    base: Path | None,
    options: HtmlReaderOptions,
    report: Report,
    fetch: Callable[[str], bytes | None] | None = None,
) -> Document:
    """Read an HTML page.  ``base`` is the folder local images are read from
    (None: no file is read); ``fetch``, when given, supplies the images a
    container holds instead (EPUB: reference -> bytes or None), and no file is
    read.  Raises LimitExceeded for inputs over
    ``options.max_bytes``; anything else becomes diagnostics."""
    check_size(data, options)
    text, _encoding = decode_html(data, report)
    root = parse_html(text, report, options.max_elements)
    if root is None:
        report.warning("html-empty", "the input holds no HTML content")
        return Document()
    return read_tree(root, base=base, options=options, report=report, fetch=fetch)


def read_tree(
    root: Element,
    *,
    base: Path | None,
    options: HtmlReaderOptions,
    report: Report,
    fetch: Callable[[str], bytes | None] | None = None,
) -> Document:
    """Read a page already parsed by :func:`parse.parse_html` (the tree is
    changed on the way: chrome is removed)."""
    first = len(report.diagnostics)
    head = read_head(root)
    keep = options.keep_faults
    lang = _declared_lang(root) if keep else document_lang(head)
    ctx = Context(options=options, report=report, base=base, lang=lang, fetch=fetch)
    if keep:
        ctx.file_ids = _all_ids(root)
    ctx.base_url = (
        absolute_url(head.base_href) or absolute_url(head.canonical) or absolute_url(head.get("og:url"))
    )
    stats = clean(root, report)
    body = body_of(root)

    candidates = title_candidates(head)
    title, title_el = _find_title(body, candidates, authoritative=head.get("citation_title") is not None)
    masthead = read_masthead(title, title_el, stats)
    ctx.notes = find_notes(body)
    if not keep:
        drop_used(masthead)

    if options.main_content:
        content_root = choose_root(body, stats, report)
        removed = prune_chrome(content_root, ctx, stats)
        if removed:
            report.info(
                "chrome-removed", f"{removed} page furniture element(s) removed (navigation, banners, ...)"
            )
    else:
        content_root = body
    live = {ref for ref in ctx.notes.refs if is_inside(ref, content_root)}
    ctx.notes.live = {t.body for ref, t in ctx.notes.refs.items() if ref in live and t is not None}
    assign_ids(content_root, ctx)

    reader = BlockReader(ctx)
    inherited = _inherited_lang(content_root, ctx.lang, keep)
    blocks = reader.children(content_root, 0, inherited)
    if inherited != ctx.lang and inherited is not None:
        blocks = [Div(tuple(blocks), Attr(lang=inherited))]
    if ctx.too_deep:
        report.warning(
            "html-nesting", f"elements nested deeper than {MAX_DEPTH} levels were read as plain text"
        )
    _summarise_remote_images(report, first)
    meta = _meta(head, masthead, ctx.lang)
    if keep:  # only what the page itself declares: no title from headings or other metadata
        meta = replace(meta, title=head.title_tag)
    if not blocks and not meta.title:
        report.warning("html-empty", "no content found in the page")
    return Document(meta=meta, blocks=tuple(blocks), resources=ctx.resources)


def _declared_lang(root: Element) -> str | None:
    """``<html lang>`` (or ``xml:lang``) as written, valid or not (keep_faults)."""
    for name in ("lang", "xml:lang", "{http://www.w3.org/XML/1998/namespace}lang"):
        value = collapse_ws(root.get(name) or "")
        if value:
            return value
    return None


def _all_ids(root: Element) -> set[str]:
    """Every id (and ``a@name``) in the page, before anything is removed."""
    out: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for key in ("id", "name") if tag(el) == "a" else ("id",):
            value = el.get(key)
            if value:
                out.add(value.strip())
    return out


def _summarise_remote_images(report: Report, first: int) -> None:
    """One warning for all remote images (each is listed as info): outputs
    will lack them, which the user must hear about, without a warning per image."""
    remote = sum(1 for d in report.diagnostics[first:] if d.code == "resource-remote")
    if remote:
        what = "1 remote image was" if remote == 1 else f"{remote} remote images were"
        report.warning(
            "resource-remote", f"{what} not fetched (briefconvert never uses the network); alt text is kept"
        )


def _inherited_lang(root: Element, doc_lang: str | None, keep: bool) -> str | None:
    """The language in force at ``root``: ``lang`` attributes on its ancestors
    (below ``<html>``, whose ``lang`` is the document's) override the document's."""
    lang = doc_lang
    for anc in reversed([root, *root.iterancestors()]):
        if tag(anc) != "html":
            lang, _ = lang_change(anc, lang, keep)
    return lang


def _clean(value: str | None) -> str | None:
    return (collapse_ws(value) or None) if value else None


def _meta(head: HeadMeta, masthead: Masthead, lang: str | None) -> Meta:
    other = other_fields(head)
    names = authors(head) or masthead.authors or meta_author_names(head) or masthead.byline_authors
    unique: list[str] = []
    for name in names:
        cleaned = collapse_ws(name)
        if cleaned and cleaned not in unique:
            unique.append(cleaned)
    return Meta(
        title=_clean(masthead.title),
        subtitle=_clean(masthead.subtitle or head.jsonld.alternative_headline),
        lang=lang,
        authors=tuple(unique),
        date=meta_date(head) or masthead.date,
        publisher=_clean(other.publisher),
        description=_clean(other.description),
        identifier=_clean(other.identifier),
        source_url=_clean(other.source_url),
        keywords=tuple(k for k in (collapse_ws(k) for k in other.keywords) if k),
        rights=_clean(other.rights),
    )
