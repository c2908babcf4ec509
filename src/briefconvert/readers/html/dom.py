"""Small helpers over lxml elements: tag names, hint tokens, text statistics,
safe removal.  Nothing here recurses: every walk is iterative."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

Element = etree._Element

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Elements that start a new block when they appear in running text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
        "hgroup", "hr", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        "xmp", "caption", "colgroup", "search",
    }
    | HEADINGS
)  # fmt: skip

_WS = re.compile(r"[ \t\n\r\f]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def tag(el: Element) -> str:
    """The tag name (the HTML parser gives them in lower case), or "" for
    comments and other non-elements."""
    t = el.tag
    return t if isinstance(t, str) else ""


def attr(el: Element, name: str) -> str:
    """An attribute's value with surrounding whitespace removed ("" when absent)."""
    value = el.get(name)
    return value.strip() if value else ""


def level(el: Element) -> int:
    """The level of an h1..h6 element (0 for anything else)."""
    t = tag(el)
    return int(t[1]) if t in HEADINGS else 0


def collapse(text: str) -> str:
    """Whitespace runs (ASCII white space only, as browsers do) to one space, trimmed."""
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def tokens_of(raw: str) -> tuple[str, ...]:
    """Lower-case words of a class or id value, camelCase split.  (Pure; the
    cache only saves re-splitting the class strings a page repeats.)"""
    if not raw.strip():
        return ()
    return tuple(w for w in _SPLIT.split(_CAMEL.sub(r"\1 \2", raw).lower()) if w)


def tokens(el: Element) -> tuple[str, ...]:
    """Lower-case words of an element's class and id, camelCase split:
    ``class="c-shareBar mw-editsection"`` -> ("c", "share", "bar", "mw", "editsection")."""
    return tokens_of(f"{el.get('class') or ''} {el.get('id') or ''}")


def raw_classes(el: Element) -> frozenset[str]:
    return frozenset((el.get("class") or "").split())


_NO_ROLES: frozenset[str] = frozenset()


def roles(el: Element) -> frozenset[str]:
    role = el.get("role")
    return frozenset(role.lower().split()) if role else _NO_ROLES


def text_of(el: Element) -> str:
    """Whitespace-collapsed text content."""
    return collapse("".join(el.itertext()))


def has_ancestor(el: Element, names: frozenset[str], stop: Element | None = None) -> bool:
    for anc in el.iterancestors():
        if anc is stop:
            return False
        if tag(anc) in names:
            return True
    return False


def is_inside(el: Element, root: Element) -> bool:
    """Whether ``el`` is ``root`` or one of its descendants."""
    if el is root:
        return True
    return any(anc is root for anc in el.iterancestors())


def drop(el: Element) -> None:
    """Remove ``el`` and its subtree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _append_text(parent: Element, before: Element | None, text: str) -> None:
    """Add ``text`` after ``before`` (or at the start of ``parent``)."""
    if before is not None:
        before.tail = (before.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def unwrap(el: Element) -> None:
    """Replace ``el`` by its content (text, children and tail stay in place)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    prev = el.getprevious()
    if el.text:
        _append_text(parent, prev, el.text)
    kids = list(el)
    tail = el.tail
    el.tail = None
    parent.remove(el)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)
    if tail:
        _append_text(parent, kids[-1] if kids else prev, tail)


def elements(root: Element) -> Iterator[Element]:
    """``root`` and its descendant elements (comments and PIs skipped)."""
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


@dataclass(slots=True)
class TextStats:
    """Per-element text length and link-text length, computed in one
    bottom-up pass (lengths count characters of stripped text nodes)."""

    text: dict[Element, int]
    link: dict[Element, int]

    def text_len(self, el: Element) -> int:
        return self.text.get(el, 0)

    def link_density(self, el: Element) -> float:
        n = self.text.get(el, 0)
        return self.link.get(el, 0) / n if n else 0.0


def text_stats(root: Element) -> TextStats:
    order = [el for el in root.iter() if isinstance(el.tag, str)]
    text: dict[Element, int] = {}
    link: dict[Element, int] = {}
    for el in reversed(order):
        t = el.text
        n = len(t.strip()) if t else 0
        lk = 0
        for child in el:
            if child in text:
                n += text[child]
                lk += link[child]
            tail = child.tail
            if tail:
                n += len(tail.strip())
        if el.tag == "a" and el.get("href") is not None:
            lk = n
        text[el] = n
        link[el] = lk
    return TextStats(text, link)
