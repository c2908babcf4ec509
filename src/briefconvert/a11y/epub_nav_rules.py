"""EPUB navigation rules: the table of contents (``epub-nav-toc``) and the
page list against the page-break markers (``epub-page-list``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from ..readers.epub.container import Element, resolve
from ..readers.epub.xhtml import ContentDoc, local
from ..record import Record
from .epub_context import EpubContext, elements, is_pagebreak, nav_of, short


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Entry(Record):
    href: str
    el: Element
    doc: str | None  # the document it points to (None: outside the container)
    frag: str


def _entries(ctx: EpubContext, nav_el: Element) -> list[_Entry]:
    nav = ctx.book.nav
    assert nav is not None
    out: list[_Entry] = []
    for a in elements(nav_el):
        href = (a.get("href") or "").strip() if local(a) == "a" else ""
        if href:
            ref, _, frag = href.partition("#")
            out.append(_Entry(href, a, resolve(nav.name, ref) if ref else nav.name, unquote(frag)))
    return out


def _target_problem(ctx: EpubContext, entry: _Entry) -> str | None:
    """Why an entry's target is not in the spine, or None."""
    if entry.doc is None or entry.doc not in ctx.spine:
        if entry.doc is not None and ctx.book.container.has(entry.doc):
            return f"points to {entry.doc}, which is not a content document of the spine"
        return "points to a document the book does not have"
    if entry.frag and (entry.doc, entry.frag) not in ctx.order:
        return f"points to #{short(entry.frag)}, which {entry.doc} does not have"
    return None


def toc_rules(ctx: EpubContext) -> None:
    nav = ctx.book.nav
    if nav is None:
        if ctx.pkg.epub3:
            ctx.opf(
                "epub-nav-toc",
                'the package lists no navigation document (manifest item with properties="nav")',
            )
        return
    if nav.root is None:
        ctx.sink.add("epub-nav-toc", "the navigation document cannot be parsed", part=nav.name)
        return
    toc = nav_of(nav, "toc")
    if toc is None:
        ctx.sink.add(
            "epub-nav-toc", 'the navigation document has no <nav epub:type="toc">', part=nav.name, line=1
        )
        return
    entries = _entries(ctx, toc)
    if not entries:
        ctx.at("epub-nav-toc", "the table of contents has no entries", nav, toc)
        return
    position = -1
    for entry in entries:
        why = _target_problem(ctx, entry)
        if why is not None:
            ctx.at("epub-nav-toc", f"the table of contents entry {short(entry.href)!r} {why}", nav, entry.el)
            continue
        assert entry.doc is not None
        found = ctx.order[(entry.doc, entry.frag)]
        if found < position:
            ctx.at(
                "epub-nav-toc",
                f"the table of contents entry {short(entry.href)!r} is out of reading order",
                nav,
                entry.el,
            )
            position = -1  # one report per disorder, as Ace does
            break
        position = found


def page_list_rules(ctx: EpubContext) -> None:
    nav = ctx.book.nav
    listed: set[tuple[str, str]] = set()
    if ctx.page_list is not None and nav is not None:
        for entry in _entries(ctx, ctx.page_list):
            why = _target_problem(ctx, entry)
            if why is None and entry.doc is not None:
                listed.add((entry.doc, entry.frag))
                target = ctx.spine[entry.doc]
                el = _by_id(target, entry.frag) if entry.frag else None
                if (
                    entry.frag
                    and el is not None
                    and not is_pagebreak(el)
                    and not ctx.pkg.layout_pre_paginated
                ):
                    why = f"points to #{short(entry.frag)}, which is not marked as a page break"
            if why is not None:
                ctx.at("epub-page-list", f"the page list entry {short(entry.href)!r} {why}", nav, entry.el)
    unlisted: list[tuple[ContentDoc, Element]] = []
    for doc, el in ctx.markers:
        if not _accessible_name(el):
            ctx.at("epub-page-list", "a page-break marker has no label (title, aria-label or text)", doc, el)
        ident = (el.get("id") or "").strip()
        if not ident:
            if ctx.page_list is not None:
                ctx.at(
                    "epub-page-list",
                    "a page-break marker has no id, so the page list cannot point to it",
                    doc,
                    el,
                )
        elif (doc.name, ident) not in listed:
            unlisted.append((doc, el))
    if not unlisted or ctx.pkg.layout_pre_paginated:
        return
    if ctx.page_list is None:
        doc, el = unlisted[0]
        ctx.at(
            "epub-page-list", f"the book has {len(unlisted)} page-break marker(s) but no page list", doc, el
        )
        return
    for doc, el in unlisted:
        ctx.at(
            "epub-page-list",
            f"the page-break marker #{short(el.get('id') or '')} is not in the page list",
            doc,
            el,
        )


def _by_id(doc: ContentDoc, ident: str) -> Element | None:
    return next((el for el in elements(doc.root) if el.get("id") == ident), None)


def _accessible_name(el: Element) -> str:
    for key in ("aria-label", "title"):
        value = (el.get(key) or "").strip()
        if value:
            return value
    if (el.get("aria-labelledby") or "").strip():
        return el.get("aria-labelledby") or ""
    return " ".join("".join(el.itertext()).split())
