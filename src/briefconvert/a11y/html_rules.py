"""HTML: the format rules on the page itself (landmarks, ids, list structure,
viewport, frames, form fields, buttons), then the page read into the model
as written (``HtmlReaderOptions(main_content=False, keep_faults=True)``) for
the semantic rules.

``check_xhtml_tree`` runs the same format rules on one parsed EPUB content
document (namespaced XHTML), without the main-landmark rule: a chapter of a
book needs no ``<main>``.

Elements hidden from every reader (``hidden``, inline ``display:none`` or
``visibility:hidden``, on the element or above it) are not checked, as in
browsers' accessibility trees.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..diagnostics import Report
from ..model import Document
from ..options import HtmlReaderOptions
from ..readers.html import read_tree
from ..readers.html.decode import decode_html
from ..readers.html.parse import check_size, parse_html
from .findings import Sink

Element = etree._Element

_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
_NO_LABEL_TYPES = frozenset({"hidden", "submit", "reset", "button", "image"})
_LIST_CHILDREN = frozenset({"li", "script", "template"})
_LISTS = frozenset({"ul", "ol", "menu"})
_NEVER_SHOWN = frozenset({"head", "script", "style", "template", "noscript"})


def inspect(data: bytes, path: Path, sink: Sink) -> Document:
    """Run the HTML format rules on ``data`` and return the page's model, read
    as written (title only from ``<title>``, language only from ``<html lang>``,
    faults kept).  Raises LimitExceeded over the reader's size limit."""
    options = HtmlReaderOptions(main_content=False, keep_faults=True)
    check_size(data, options)
    text, _encoding = decode_html(data, Report())
    root = parse_html(text, None, options.max_elements)
    if root is None:
        return Document()
    _check(root, sink, part=None, landmarks=True)
    # A text/html page takes its language from lang alone: browsers ignore xml:lang there.
    declared = " ".join((root.get("lang") or "").split()) or None
    doc = read_tree(root, base=path.parent, options=options, report=Report())  # (changes the tree)
    if path.suffix.lower() != ".xhtml" and declared != doc.meta.lang:
        doc = replace(doc, meta=replace(doc.meta, lang=declared))
    return doc


def check_xhtml_tree(root: Element, sink: Sink, *, part: str) -> None:
    """The HTML format rules on one EPUB content document (``part``: its name
    inside the container), main landmark excepted."""
    _check(root, sink, part=part, landmarks=False)


# ------------------------------------------------------------------ helpers


def name(el: Element) -> str:
    """Lower-case local name ("" for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return (tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag).lower()


def _get(el: Element, key: str) -> str:
    return (el.get(key) or "").strip()


def _roles(el: Element) -> set[str]:
    return set(_get(el, "role").lower().split())


def _hidden_map(root: Element) -> set[Element]:
    """Elements hidden from every reader: ``hidden``, inline display:none or
    visibility:hidden, or inside such an element."""
    hidden: set[Element] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        inherited = parent is not None and parent in hidden
        own = el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
        if inherited or own or name(el) in _NEVER_SHOWN:
            hidden.add(el)
    return hidden


class _Page:
    """One checked document: its hidden set, ids and the sink."""

    def __init__(self, root: Element, sink: Sink, part: str | None) -> None:
        self.root = root
        self.sink = sink
        self.part = part
        self.hidden = _hidden_map(root)
        self.by_id: dict[str, Element] = {}
        for el in root.iter():
            if isinstance(el.tag, str):
                ident = el.get("id")
                if ident and ident not in self.by_id:
                    self.by_id[ident] = el
        self.labels: dict[str, list[Element]] = {}
        for el in root.iter():
            if name(el) == "label" and _get(el, "for"):
                self.labels.setdefault(_get(el, "for"), []).append(el)

    def add(self, rule: str, message: str, el: Element) -> None:
        self.sink.add(rule, message, line=el.sourceline, part=self.part)

    def text(self, el: Element, skip: Element | None = None) -> str:
        """The visible text of ``el`` with image alt text (hidden parts and
        ``skip`` left out)."""
        parts: list[str] = []
        stack: list[Element | str] = [el]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            if item is not el and item.tail:
                stack.append(item.tail)  # after the element's own content
            if item is skip or not isinstance(item.tag, str) or (item is not el and item in self.hidden):
                continue
            if name(item) == "img":
                parts.append(" " + _get(item, "alt") + " ")
                continue
            if item.text:
                parts.append(item.text)
            stack.extend(reversed(list(item)))
        return " ".join("".join(parts).split())

    def labelled_by(self, el: Element) -> str:
        ids = _get(el, "aria-labelledby").split()
        return " ".join(self.plain(self.by_id[i]) for i in ids if i in self.by_id).strip()

    def plain(self, el: Element) -> str:
        return " ".join("".join(el.itertext()).split())

    def aria_name(self, el: Element) -> str:
        return _get(el, "aria-label") or self.labelled_by(el) or _get(el, "title")


def _check(root: Element, sink: Sink, *, part: str | None, landmarks: bool) -> None:
    page = _Page(root, sink, part)
    if landmarks:
        _main_landmark(page)
    _duplicate_ids(page)
    _viewport(page)
    for el in root.iter():
        if not isinstance(el.tag, str) or el in page.hidden:
            continue
        n = name(el)
        if n in ("ul", "ol") and _get(el, "role").lower() in ("", "list"):
            _list(page, el, n)
        elif n == "li":
            _list_item(page, el)
        elif n in ("iframe", "frame"):
            _frame(page, el, n)
        elif n in ("input", "select", "textarea"):
            _field(page, el, n)
        if n == "button" or (n == "input" and _get(el, "type").lower() == "button") or "button" in _roles(el):
            _button(page, el, n)


# ------------------------------------------------------------------ rules


def _main_landmark(page: _Page) -> None:
    mains = [
        el
        for el in page.root.iter()
        if isinstance(el.tag, str) and el not in page.hidden and (name(el) == "main" or "main" in _roles(el))
    ]
    if not mains:
        page.sink.add("html-main-landmark", "the page has no <main> element (or role=main)", part=page.part)
    elif len(mains) > 1:
        lines = ", ".join(str(m.sourceline) for m in mains[:5] if m.sourceline)
        page.add("html-main-landmark", f"the page has {len(mains)} main landmarks (lines {lines})", mains[1])


def _duplicate_ids(page: _Page) -> None:
    seen: dict[str, list[Element]] = {}
    for el in page.root.iter():
        if isinstance(el.tag, str):
            ident = el.get("id")
            if ident:
                seen.setdefault(ident, []).append(el)
    for ident, els in seen.items():
        if len(els) > 1:
            first = els[0].sourceline
            at = f" (first at line {first})" if first else ""
            page.add("html-duplicate-id", f"id {ident[:60]!r} is used {len(els)} times{at}", els[1])


def _list(page: _Page, el: Element, n: str) -> None:
    if (el.text or "").strip():
        page.add("html-list-structure", f"<{n}> holds text outside its <li> items", el)
        return
    for child in el:
        cn = name(child)
        if not cn:
            if (child.tail or "").strip():
                page.add("html-list-structure", f"<{n}> holds text outside its <li> items", el)
                return
            continue
        if child in page.hidden:
            continue
        if cn not in _LIST_CHILDREN:
            page.add("html-list-structure", f"<{n}> contains <{cn}>; only <li> may be its child", child)
            return
        if (child.tail or "").strip():
            page.add("html-list-structure", f"<{n}> holds text outside its <li> items", child)
            return


def _list_item(page: _Page, el: Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    pn = name(parent)
    if pn in _LISTS or "list" in _roles(parent):
        return
    page.add("html-list-structure", f"<li> is not inside a list (its parent is <{pn or '?'}>)", el)


def _viewport(page: _Page) -> None:
    for el in page.root.iter():
        if name(el) != "meta" or _get(el, "name").lower() != "viewport":
            continue
        props: dict[str, str] = {}
        for item in re.split(r"[,;]", _get(el, "content")):
            key, _, value = item.partition("=")
            if key.strip():
                props[key.strip().lower()] = value.strip().lower()
        scalable = props.get("user-scalable")
        number = _number(scalable) if scalable is not None else None
        if scalable in ("no", "0") or (number is not None and -1 < number < 1):
            page.add("html-meta-viewport", f"the viewport meta sets user-scalable={scalable}", el)
            continue
        maximum = props.get("maximum-scale")
        value = _number(maximum) if maximum is not None else None
        if value is not None and value < 2:
            page.add("html-meta-viewport", f"the viewport meta sets maximum-scale={maximum} (below 2)", el)


def _number(value: str) -> float | None:
    """A viewport number: "yes" is 1, device-width/-height are large."""
    if value == "yes":
        return 1.0
    if value.startswith("device-"):
        return 10.0
    try:
        return float(value)
    except ValueError:
        return None


def _frame(page: _Page, el: Element, n: str) -> None:
    if _roles(el) & {"none", "presentation"} or _get(el, "aria-hidden").lower() == "true":
        return
    if page.aria_name(el):
        return
    src = _get(el, "src")
    what = f"the <{n}> showing {src[:60]!r}" if src else f"an <{n}>"
    page.add("html-frame-title", f"{what} has no title", el)


def _field(page: _Page, el: Element, n: str) -> None:
    kind = _get(el, "type").lower() if n == "input" else ""
    if n == "input" and kind in _NO_LABEL_TYPES:
        return
    if _roles(el) & {"none", "presentation"} or _get(el, "aria-hidden").lower() == "true":
        return
    if page.aria_name(el) or (n != "select" and _get(el, "placeholder")):
        return
    ident = _get(el, "id")
    if ident and any(page.text(label) for label in page.labels.get(ident, ())):
        return
    outer = next((a for a in el.iterancestors() if name(a) == "label"), None)
    if outer is not None and page.text(outer, skip=el):
        return
    what = f"<input type={kind!r}>" if kind else f"<{n}>"
    field_id = f" (id {ident!r})" if ident else ""
    page.add("html-form-label", f"the form field {what}{field_id} has no label", el)


def _button(page: _Page, el: Element, n: str) -> None:
    if _get(el, "aria-hidden").lower() == "true":
        return
    if page.aria_name(el):
        return
    if n == "input":
        if _get(el, "value"):
            return
    elif page.text(el):
        return
    what = (
        "<input type='button'>" if n == "input" else ("<button>" if n == "button" else f"<{n} role=button>")
    )
    page.add("html-button-name", f"the {what} has no accessible name", el)
