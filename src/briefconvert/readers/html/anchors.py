"""Which ids survive, and where: an internal link must land on something the
model keeps.  Headings keep their ids; a section's id moves to its first
heading; an anchor inside a heading gives the heading its id; other
referenced ids stay on their block (or a Div/Span that carries them)."""

from __future__ import annotations

from urllib.parse import unquote

from ...textnorm import clean_text
from .context import Context
from .dom import HEADINGS, Element, elements, tag

_CARRIERS = frozenset(
    ["p", "ul", "ol", "dl", "blockquote", "figure", "table", "aside", "li", "pre", "listing", "xmp"]
)
_CONTAINERS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "hgroup",
        "nav",
        "details",
        "address",
        "center",
        "body",
    ]
)
_CLIMB_TO = {
    **dict.fromkeys(("td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup"), "table"),
    "dt": "dl",
    "dd": "dl",
    "figcaption": "figure",
}


def assign_ids(root: Element, ctx: Context) -> None:
    referenced: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href.startswith("#") and len(href) > 1:
            referenced.add(unquote(href[1:]))
    owner = ctx.id_owner
    alias = ctx.id_alias
    taken: set[str] = set()

    def give(el: Element, ident: str) -> None:
        owner[el] = clean_text(ident)
        alias[ident] = owner[el]
        taken.add(ident)

    for h in root.iter(*HEADINGS):
        ident = (h.get("id") or "").strip()
        if ident and ident not in taken:
            give(h, ident)
    for el in elements(root):
        ident = (
            (el.get("id") or el.get("name") or "").strip() if tag(el) == "a" else (el.get("id") or "").strip()
        )
        if not ident or ident in alias or ident not in referenced or el in owner:
            continue
        target = _carrier(el, root)
        if target in owner:
            alias[ident] = owner[target]
        elif ident not in taken:
            give(target, ident)


def _carrier(el: Element, root: Element) -> Element:
    """The element whose model node will carry ``el``'s id."""
    t = tag(el)
    if t in HEADINGS or t in _CARRIERS:
        return el
    heading = next((a for a in el.iterancestors() if tag(a) in HEADINGS), None)
    if heading is not None:
        return heading
    if t in _CONTAINERS:
        first = next((h for h in el.iter(*HEADINGS)), None)
        if first is not None and _leads(el, first):
            return first
        return el
    if t in _CLIMB_TO:
        up = next((a for a in el.iterancestors() if tag(a) == _CLIMB_TO[t]), None)
        return up if up is not None else el
    return el


def _leads(container: Element, heading: Element) -> bool:
    """Whether ``heading`` opens ``container`` (no text before it)."""
    if (container.text or "").strip():
        return False
    above = set(heading.iterancestors())
    for node in container.iterdescendants():
        if node is heading:
            return True
        if not isinstance(node.tag, str):
            continue
        if (node.text or "").strip():
            return False
        if node not in above and (node.tail or "").strip():
            return False
    return True
