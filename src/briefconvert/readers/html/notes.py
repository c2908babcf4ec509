"""Footnotes and endnotes in the patterns the web uses.

* pandoc: ``a.footnote-ref`` -> ``section.footnotes > ol > li``
* DPUB-ARIA: ``role=doc-noteref`` -> ``role=doc-endnote|doc-footnote`` inside ``doc-endnotes``
* plain: ``sup > a[href="#fn1"]`` -> an ordered list of notes
* Word/MediaWiki: ``a[href="#_ftn1"]`` -> ``a[name="_ftn1"]``; ``sup.reference`` -> ``ol.references``
* inline: ``span.footnote`` / ``aside[role=doc-footnote]`` sitting in the text

Detection marks, per reference element, the note body it points to; the
notes' sections are removed from the flow by the block converter (which puts
an Endnotes marker there) and back-links are deleted from the bodies here.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .context import Notes, NoteTarget
from .dom import HEADINGS, Element, collapse, drop, elements, raw_classes, roles, tag, tokens
from .hints import notes_hint

_MARKER = re.compile(r"^[\[(]?(?:\d{1,4}[a-z]?|[*†‡§¶]{1,3}|[a-z]|[ivxlc]{1,6})[\])]?$", re.I)
_NOTE_ID = re.compile(
    r"^(?:fn|ftn|_ftn|footnote|note|endnote|edn|_edn|en|cite[_-]?note|sdfootnote\d*sym)[-_:.]?\w*", re.I
)
_REF_ID = re.compile(r"^(?:fnref|ftnref|_ftnref|footnote-?ref|noteref|ednref|_ednref|cite[_-]?ref)", re.I)
_REF_WORDS = frozenset({"footnote", "footnoteref", "fnref", "noteref", "ftnref", "endnoteref", "reference"})
_BACK_WORDS = frozenset({"backlink", "backref", "reversefootnote", "footnoteback", "fnback", "back"})
_BACK_TEXT = frozenset({"↩", "↩︎", "↑", "^", "⤴", "⮌", "⏎", "↵", "back", "return", "zurück", "retour"})
_INLINE_NOTE_CLASSES = frozenset({"footnote", "sidenote", "marginnote", "inline-footnote"})
_NOTE_ROLES = frozenset({"doc-endnote", "doc-footnote"})
_LANDMARKS = frozenset({"body", "main", "article", "html"})
_BODY_TAGS = frozenset({"li", "aside", "div", "p", "section", "dd", "td", "footer"})


def _ref_words(el: Element) -> bool:
    words = set(tokens(el))
    if words & _REF_WORDS:
        return True
    joined = "-".join(tokens(el))
    return any(p in joined for p in ("footnote-ref", "note-ref", "fn-ref", "footnote-link"))


def _strong_ref(a: Element) -> bool:
    parent = a.getparent()
    for el in (a, parent) if parent is not None and tag(parent) in ("sup", "span") else (a,):
        if "doc-noteref" in roles(el) or _ref_words(el):
            return True
        if _REF_ID.match(el.get("id") or "") or _REF_ID.match(el.get("name") or ""):
            return True
    return False


def _weak_ref(a: Element, text: str) -> bool:
    parent = a.getparent()
    in_sup = (parent is not None and tag(parent) == "sup") or any(tag(c) == "sup" for c in a)
    return in_sup or bool(_MARKER.match(text))


def _strong_target(target: Element, frag: str, memo: dict[Element, bool]) -> bool:
    """Whether the target looks like a note: a note-like id, or a note role or
    notes class on it or near above it."""
    if _NOTE_ID.match(frag):
        return True
    el: Element | None = target
    for _ in range(5):
        if el is None:
            break
        known = memo.get(el)
        if known is None:
            known = memo[el] = bool(roles(el) & _NOTE_ROLES) or notes_hint(el)
        if known:
            return True
        el = el.getparent()
    return False


def _body_of(target: Element) -> Element | None:
    """The block that holds a note's text, from the element a reference points to."""
    el: Element | None = target
    while el is not None and tag(el) not in _BODY_TAGS:
        if tag(el) in _LANDMARKS or tag(el) in HEADINGS:
            return None
        el = el.getparent()
    if el is None or tag(el) in _LANDMARKS:
        return None
    if next(el.iter(*HEADINGS), None) is not None:
        return None
    return el


def _ref_element(a: Element) -> Element:
    """The element the Note replaces: the ``a``, or a ``sup`` that holds only it."""
    parent = a.getparent()
    alone = collapse(a.tail or "") == "" and len(parent) == 1 if parent is not None else False
    if parent is not None and alone and tag(parent) == "sup" and collapse(parent.text or "") == "":
        return parent
    return a


def _container(body: Element, bodies: set[Element], holders: set[Element]) -> Element | None:
    """The notes section that groups ``body`` with its siblings, or None for a
    note that stands alone in the flow.  ``holders``: ancestors of bodies."""

    def noteish(el: Element) -> bool:
        return el in bodies or el in holders or tag(el) in HEADINGS or tag(el) in ("hr", "br")

    parent = body.getparent()
    if parent is None:
        return None
    grouped = tag(parent) in ("ol", "ul") or notes_hint(parent) or "doc-endnotes" in roles(parent)
    container: Element | None = parent if grouped else None
    el = parent
    for _ in range(4):
        if tag(el) in _LANDMARKS or "main" in roles(el):
            break
        kids = [c for c in el if isinstance(c.tag, str)]
        if not (all(noteish(c) for c in kids) or notes_hint(el) or "doc-endnotes" in roles(el)):
            break
        container = el
        up = el.getparent()
        if up is None:
            break
        el = up
    return container


def find_notes(scope: Element) -> Notes:
    """Find references, note bodies and notes sections under ``scope``, and
    delete back-links from the bodies."""
    notes = Notes()
    ids: dict[str, Element] = {}
    for el in elements(scope):
        for key in ("id", "name") if tag(el) == "a" else ("id",):
            value = el.get(key)
            if value and value not in ids:
                ids[value] = el
    ref_ids: set[str] = set()
    memo: dict[Element, bool] = {}
    for a in list(scope.iter("a")):
        href = (a.get("href") or "").strip()
        if len(href) < 2 or not href.startswith("#"):
            continue
        frag = unquote(href[1:])
        if _REF_ID.match(frag) or _looks_backlink(a):
            continue  # a way back to a reference, not a reference
        text = collapse("".join(a.itertext()))
        strong = _strong_ref(a)
        weak = strong or _weak_ref(a, text)
        if not weak:
            continue
        target = ids.get(frag)
        wanted = target is not None and (strong or _strong_target(target, frag, memo))
        body = _body_of(target) if target is not None and wanted else None
        if body is not None and (body is a or any(anc is body for anc in a.iterancestors())):
            body = None  # a link to its own container is not a note reference
        if body is not None:
            if body not in notes.bodies:
                notes.bodies[body] = NoteTarget(body)
            notes.refs[_ref_element(a)] = notes.bodies[body]
        elif strong or (target is None and _NOTE_ID.match(frag) and weak):
            notes.refs[_ref_element(a)] = None
        else:
            continue
        parent = a.getparent()
        for holder in (a,) if parent is None else (a, parent):
            for key in ("id", "name"):
                value = holder.get(key)
                if value:
                    ref_ids.add(value)
    _inline_notes(scope, notes)
    _remove_backlinks(notes, ref_ids)
    bodies = {b for b, t in notes.bodies.items() if not t.inline}
    holders = {anc for b in bodies for anc in b.iterancestors()}
    seen: set[Element] = set()
    for body in bodies:
        container = _container(body, bodies, holders)
        if container is not None and container not in seen:
            seen.add(container)
            notes.containers.append(container)
    # A container inside another one is covered by the outer one.
    outer = [c for c in notes.containers if not any(anc in seen for anc in c.iterancestors())]
    notes.containers = outer
    return notes


def _inline_notes(scope: Element, notes: Notes) -> None:
    for el in elements(scope):
        if el in notes.bodies:
            continue
        t = tag(el)
        note_role = bool(roles(el) & _NOTE_ROLES)
        spanned = t in ("span", "small") and bool(raw_classes(el) & _INLINE_NOTE_CLASSES or note_role)
        if not (spanned or (t in ("aside", "div") and note_role)):
            continue
        if any(anc in notes.bodies for anc in el.iterancestors()):
            continue
        target = NoteTarget(el, inline=True)
        notes.bodies[el] = target
        notes.refs[el] = target


def _looks_backlink(a: Element) -> bool:
    if "doc-backlink" in roles(a):
        return True
    words = set(tokens(a))
    return bool(words & _BACK_WORDS) or "footnote-back" in "-".join(tokens(a))


def _is_backlink(a: Element, ref_ids: set[str]) -> bool:
    if _looks_backlink(a):
        return True
    href = (a.get("href") or "").strip()
    if href.startswith("#") and unquote(href[1:]) in ref_ids:
        return True
    return collapse("".join(a.itertext())).lower() in _BACK_TEXT


def _remove_backlinks(notes: Notes, ref_ids: set[str]) -> None:
    for body in notes.bodies:
        doomed: list[Element] = []
        for el in body.iter():
            if not isinstance(el.tag, str) or el is body:
                continue
            is_link = tag(el) == "a" and _is_backlink(el, ref_ids)
            if is_link or (tag(el) in ("span", "sup") and set(tokens(el)) & _BACK_WORDS):
                doomed.append(el)
        for el in doomed:
            if el.getparent() is not None:
                drop(el)
