"""A last structural check over every XHTML document before it is packed.

The HTML rendering already guarantees all of this (no input markup reaches
the output, links are filtered, images are ours); this check makes a
regression there a loud failure instead of an unsafe book.  It refuses:

* active or embedding elements (``script``, ``iframe``, ``object``, ``embed``,
  ``form`` and controls, ``base``, ``style``, media elements, SVG and MathML,
  which can carry their own scripts and links) and any element outside the
  XHTML namespace;
* event-handler attributes (``on*``) and ``style`` attributes;
* URL-bearing attributes other than ``href`` and ``src`` (``srcset``,
  ``action``, ``xlink:href``, ``poster`` …);
* an ``href`` that is not http, https, mailto or one of our own names
  (``chapter-NNN.xhtml``, ``nav.xhtml``, an ``#id``; the stylesheet link in
  the head);
* a ``src`` that is not one of our own image names;

and it runs nh3 (the Ammonia allowlist sanitiser, see ``html_safety.py``)
over the body: anything nh3 would remove fails the book.

:func:`check_book` checks a whole book's documents with one sanitiser pass
over all their bodies (per-call set-up dominates on books of many short
chapters); only when that pass finds something does it look for the
document to name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NoReturn

from lxml import etree

from .html_context import XHTML_NS, local_name
from .html_safety import UnsafeOutputError, nh3_removes

__all__ = ["UnsafeOutputError", "check_book", "check_document"]

FORBIDDEN_ELEMENTS = frozenset({
    "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "form", "input", "button", "select", "textarea", "option", "base", "style", "meta",
    "audio", "video", "source", "track", "canvas", "template", "portal", "svg", "math",
})  # fmt: skip
URL_ATTRIBUTES = frozenset({
    "action", "formaction", "srcset", "poster", "data", "background", "cite", "longdesc",
    "ping", "manifest", "usemap", "codebase", "archive", "imagesrcset", "xmlns:xlink",
})  # fmt: skip
_OWN_HREF = re.compile(r"(?:(?:chapter-\d{3,6}|nav)\.xhtml)?(?:#[A-Za-z_][A-Za-z0-9_.-]*)?\Z")
_OWN_SRC = re.compile(r"\.\./images/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)\Z")
_WEB_HREF = re.compile(r"(?:https?://[^\s]+|mailto:[^\s]+)\Z", re.IGNORECASE)
_STYLESHEET = "../css/style.css"


def check_document(root: etree._Element, name: str) -> None:
    """Raise :class:`UnsafeOutputError` when ``root`` breaks a rule above."""
    check_book([(name, root)])


def check_book(documents: Sequence[tuple[str, etree._Element]]) -> None:
    """Raise :class:`UnsafeOutputError` when a document (name, root) breaks
    a rule above: the structural rules one document at a time, then one nh3
    pass over every body."""
    for name, root in documents:
        _check_structure(root, name)
    bodies = [body for _, root in documents if (body := root.find(BODY)) is not None]
    if _sanitiser_removes(bodies):
        for name, root in documents:  # name the document (and what nh3 removes there)
            body = root.find(BODY)
            removed = _sanitiser_removes([body] if body is not None else [])
            if removed:
                _fail(name, f"the sanitiser (nh3) would remove {', '.join(removed[:5])}")
        _fail(", ".join(name for name, _ in documents), "the sanitiser (nh3) would remove content")


BODY = f"{{{XHTML_NS}}}body"


def _sanitiser_removes(bodies: list[etree._Element]) -> list[str]:
    elements = [child for body in bodies for child in body]
    fragment = "".join(etree.tostring(c, method="html", encoding="unicode") for c in elements)
    return nh3_removes(fragment, elements, own_src=_own_src, own_href=_own_href)


def _check_structure(root: etree._Element, name: str) -> None:
    for e in root.iter():
        if not isinstance(e.tag, str):
            _fail(name, f"a comment or processing instruction ({e!r})")
        tag = local_name(e)
        if not e.tag.startswith(f"{{{XHTML_NS}}}"):
            _fail(name, f"element {e.tag!r} outside the XHTML namespace")
        if tag in FORBIDDEN_ELEMENTS:
            _fail(name, f"forbidden element <{tag}>")
        for attr, value in e.attrib.items():
            attr_name = attr.rpartition("}")[2].lower()
            if attr_name.startswith("on") or attr_name == "style":
                _fail(name, f"attribute {attr_name!r} on <{tag}>")
            if attr_name in URL_ATTRIBUTES or (attr_name == "href" and attr.startswith("{")):
                _fail(name, f"URL attribute {attr!r} on <{tag}>")
            if attr_name == "href" and not _href_ok(tag, value, e):
                _fail(name, f"href {value[:80]!r} on <{tag}>")
            if attr_name == "src" and not (tag == "img" and _OWN_SRC.match(value)):
                _fail(name, f"src {value[:80]!r} on <{tag}>")
        if tag == "link" and (e.get("rel") != "stylesheet" or e.get("href") != _STYLESHEET):
            _fail(name, "a <link> other than our stylesheet")


def _own_src(value: str) -> bool:
    return bool(_OWN_SRC.match(value))


def _own_href(value: str) -> bool:
    if ":" in value:
        return bool(_WEB_HREF.match(value))
    return bool(value) and bool(_OWN_HREF.match(value))


def _href_ok(tag: str, value: str, e: etree._Element) -> bool:
    if tag == "link":
        parent = e.getparent()
        return value == _STYLESHEET and parent is not None and local_name(parent) == "head"
    if tag != "a":
        return False
    if value.startswith(("http:", "https:", "mailto:", "HTTP:", "HTTPS:", "MAILTO:")) or ":" in value:
        return bool(_WEB_HREF.match(value))
    return bool(value) and bool(_OWN_HREF.match(value))


def _fail(name: str, what: str) -> NoReturn:
    raise UnsafeOutputError(f"{name}: {what}")
