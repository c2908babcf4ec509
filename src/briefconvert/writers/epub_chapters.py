"""Chapters: the rendered body split into content documents.

The whole body is rendered once (so that note numbers and ids are unique in
the book); this module cuts the element list into chapters and makes the
links between them work.

Split points
    Every top-level section starts a chapter: an ``h2`` at the top of the
    body, or at the top of a plain ``<div>`` (a model ``Div`` carrying an id
    or a language, as the HTML reader makes of ``<section id>``) that is
    itself at the top.  Such a div is cut into pieces, each a shallow copy
    that keeps its language; the id stays on the first piece.  Headings in
    boxes (the summary box's "Key findings") are not split points.
    Everything before the first split point, including the title header and
    the summary box, is the first chapter.

Links
    ``#id`` links whose target ends up in another chapter are rewritten to
    ``chapter-NNN.xhtml#id`` (note references, back links, internal links).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .html_context import local_name, text_of

CHAPTER_NAME = "chapter-{:03d}.xhtml"


@dataclass(slots=True)
class Chapter:
    number: int  # 1-based
    name: str  # file name inside text/, "chapter-001.xhtml"
    elements: list[etree._Element]
    title: str | None  # the text of its opening heading (None for a chapter without one)


def _plain_div(e: etree._Element) -> bool:
    """A div that the renderer made of a model ``Div`` (no class, no role)."""
    return local_name(e) == "div" and e.get("class") is None and e.get("role") is None


def _has_split_point(e: etree._Element) -> bool:
    return any(local_name(c) == "h2" or (_plain_div(c) and _has_split_point(c)) for c in e)


def _pieces(elements: list[etree._Element]) -> list[list[etree._Element]]:
    """``elements`` cut before each split point; the first piece may be empty."""
    pieces: list[list[etree._Element]] = [[]]
    for e in elements:
        if local_name(e) == "h2":
            pieces.append([e])
        elif _plain_div(e) and _has_split_point(e):
            inner = _pieces(list(e))
            first = 0 if inner[0] else 1  # the id goes with the first content
            for n, part in enumerate(inner):
                if not part:
                    continue
                shell = _shell(e, keep_id=n == first)
                shell.extend(part)
                if n == 0:
                    pieces[-1].append(shell)
                else:
                    pieces.append([shell])
        else:
            pieces[-1].append(e)
    return pieces


def _shell(div: etree._Element, *, keep_id: bool) -> etree._Element:
    """A childless copy of ``div`` (its language, and its id if ``keep_id``)."""
    shell = copy.copy(div)
    for child in list(shell):
        shell.remove(child)
    shell.text = None
    shell.tail = None
    if not keep_id:
        shell.attrib.pop("id", None)
    return shell


def split(header: etree._Element | None, body: list[etree._Element]) -> list[Chapter]:
    """The chapters of the book, in reading order (at least one)."""
    pieces = _pieces(body)
    if header is not None:
        pieces[0].insert(0, header)
    pieces = [p for p in pieces if p] or [[]]
    chapters = []
    for n, elements in enumerate(pieces, 1):
        chapters.append(Chapter(n, CHAPTER_NAME.format(n), elements, _opening_heading(elements)))
    return chapters


def _opening_heading(elements: list[etree._Element]) -> str | None:
    for e in elements:
        while _plain_div(e) and len(e):
            e = e[0]
        if local_name(e) in ("h1", "h2"):
            return heading_text(e) or None
        return None
    return None


def heading_text(heading: etree._Element) -> str:
    """A heading's text without its note references."""
    clone = copy.deepcopy(heading)
    clone.tail = None
    for a in list(clone.iter()):
        if a.get("role") == "doc-noteref":
            parent = a.getparent()
            target = parent if parent is not None and local_name(parent) == "sup" and len(parent) == 1 else a
            holder = target.getparent()
            if holder is not None:
                _remove_keep_tail(target, holder)
    return text_of(clone)


def _remove_keep_tail(e: etree._Element, parent: etree._Element) -> None:
    tail = e.tail or ""
    prev = e.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(e)


def _descendants(chapter: Chapter) -> Iterator[etree._Element]:
    for top in chapter.elements:
        yield from top.iter()


def id_files(chapters: list[Chapter]) -> dict[str, str]:
    """Each id in the book -> the name of the chapter file that holds it."""
    where: dict[str, str] = {}
    for chapter in chapters:
        for e in _descendants(chapter):
            ident = e.get("id")
            if ident is not None:
                where.setdefault(ident, chapter.name)
    return where


def link_across(chapters: list[Chapter], where: dict[str, str]) -> int:
    """Rewrite ``#id`` links whose target is in another chapter; returns how many."""
    changed = 0
    for chapter in chapters:
        for e in _descendants(chapter):
            href = e.get("href")
            if local_name(e) != "a" or href is None or not href.startswith("#"):
                continue
            target = where.get(href[1:])
            if target is not None and target != chapter.name:
                e.set("href", f"{target}{href}")
                changed += 1
    return changed
