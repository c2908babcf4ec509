"""The HTML writers' last line of defence: a structural check of the
finished page and an independent sanitiser pass (nh3, the Ammonia
allowlist sanitiser) over its content.

The rendering already guarantees safety (no input markup reaches the
output, links and image sources are filtered, every name is ours); these
checks make a regression there a loud failure (:class:`UnsafeOutputError`)
instead of an unsafe page.

* :func:`check_page` refuses, anywhere in the page: active or embedding
  elements (``script``, ``iframe``, ``object``, ``embed``, ``form`` and
  controls, ``base``, media, SVG, MathML), event-handler and ``style``
  attributes, URL-bearing attributes other than ``href``/``src``, an
  ``href`` other than http(s), mailto or a ``#fragment``, an image ``src``
  other than one of our own files or a ``data:`` image we encoded, and in
  the head anything but our metadata and our own stylesheet.
* :func:`nh3_removes` runs nh3 over the body with an allowlist of exactly
  what the writers produce, and lists every element or attribute that nh3
  would remove: the writer calls it and fails when the list is not empty.
  The comparison counts elements and attributes rather than comparing
  trees, so that nh3's HTML5 re-parsing of valid output cannot raise a
  false alarm.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NoReturn

import nh3
from lxml import etree

FORBIDDEN_ELEMENTS = frozenset({
    "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "form", "input", "button", "select", "textarea", "option", "base", "audio", "video", "source",
    "track", "canvas", "template", "portal", "svg", "math", "link", "picture", "map", "area",
})  # fmt: skip
URL_ATTRIBUTES = frozenset({
    "action", "formaction", "srcset", "poster", "data", "background", "cite", "longdesc", "ping",
    "manifest", "usemap", "codebase", "archive", "imagesrcset", "srcdoc", "xlink:href", "lowsrc",
    "dynsrc",
})  # fmt: skip

# What the body rendering writes (html_body, html_media, html_notes,
# html_table and the page shell); EPUB adds epub:type and xml:lang.
ALLOWED_TAGS = frozenset({
    "header", "hgroup", "main", "nav", "section", "aside", "footer", "div", "p", "span", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "pre", "code",
    "em", "strong", "i", "b", "sub", "sup", "br", "hr", "a", "time", "small", "abbr", "cite", "q",
    "details", "summary", "bdi", "bdo", "kbd", "samp", "var", "mark", "s", "u", "wbr", "data",
})  # fmt: skip
GLOBAL_ATTRIBUTES = frozenset({
    "id", "class", "lang", "dir", "role", "title", "aria-label", "aria-labelledby", "aria-describedby",
    "aria-hidden", "aria-level", "hidden", "epub:type", "xml:lang",
})  # fmt: skip
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "scope", "headers", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "bdo": frozenset({"dir"}),
    "details": frozenset({"open"}),
}
_HEAD_TAGS = frozenset({"meta", "title", "style"})
_META_NAMES = re.compile(r"(?:viewport|author|description|keywords|color-scheme|dcterms\.[a-z]+)\Z")
_WEB_HREF = re.compile(r"(?:https?://[^\s]+|mailto:[^\s]+)\Z", re.IGNORECASE)
_FRAGMENT = re.compile(r"#[^\s]+\Z")
_CONTROLS = re.compile(r"[\x00-\x20\x7f]")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+\Z")
_ASSET = re.compile(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)\Z"
)


class UnsafeOutputError(AssertionError):
    """An output document broke the safety rules: a bug in the writer."""


def _fail(name: str, what: str) -> NoReturn:
    raise UnsafeOutputError(f"{name}: {what}")


def own_image(src: str) -> bool:
    """An image source the HTML writer makes: a file in the assets folder
    named by its content hash, or a ``data:`` URI of an image we encoded."""
    return bool(_ASSET.match(src) or _DATA_IMAGE.match(src))


def web_or_fragment(href: str) -> bool:
    return bool(_FRAGMENT.match(href) or (_WEB_HREF.match(href) and not _CONTROLS.search(href)))


def check_page(root: etree._Element, stylesheet: str | None, name: str = "HTML page") -> None:
    """Raise :class:`UnsafeOutputError` when the page breaks a rule above."""
    for e in root.iter():
        if not isinstance(e.tag, str):
            _fail(name, f"a comment or processing instruction ({e!r})")
        tag = e.tag.lower()
        if tag in FORBIDDEN_ELEMENTS:
            _fail(name, f"forbidden element <{tag}>")
        if tag in _HEAD_TAGS:
            _check_head_element(e, tag, stylesheet, name)
        for attr, value in e.attrib.items():
            attr = attr.lower()
            if attr.startswith("on") or attr == "style":
                _fail(name, f"attribute {attr!r} on <{tag}>")
            if attr in URL_ATTRIBUTES:
                _fail(name, f"URL attribute {attr!r} on <{tag}>")
            if attr == "href" and not (tag == "a" and web_or_fragment(value)):
                _fail(name, f"href {value[:80]!r} on <{tag}>")
            if attr == "src" and not (tag == "img" and own_image(value)):
                _fail(name, f"src {value[:80]!r} on <{tag}>")
            if tag == "meta" and attr == "http-equiv":
                _fail(name, f"<meta http-equiv={value[:40]!r}>")


def _check_head_element(e: etree._Element, tag: str, stylesheet: str | None, name: str) -> None:
    parent = e.getparent()
    in_head = parent is not None and parent.tag == "head"
    if tag == "style" and (not in_head or stylesheet is None or (e.text or "").strip() != stylesheet.strip()):
        _fail(name, "a <style> element that is not our stylesheet")
    if tag == "meta":
        if not in_head:
            _fail(name, "<meta> outside the head")
        if e.get("name") is not None and not _META_NAMES.match(e.get("name") or ""):
            _fail(name, f"<meta name={e.get('name')!r}>")


# ------------------------------------------------------------------ nh3


def _attribute_filter(
    own_src: Callable[[str], bool], own_href: Callable[[str], bool]
) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr == "src":
            return value if tag == "img" and own_src(value) else None
        if attr == "href":
            return value if tag == "a" and own_href(value) else None
        return value

    return keep


def nh3_removes(
    fragment: str,
    elements: Iterable[etree._Element],
    *,
    own_src: Callable[[str], bool] = own_image,
    own_href: Callable[[str], bool] = web_or_fragment,
) -> list[str]:
    """What nh3 would remove from ``fragment`` (the serialisation of
    ``elements``, our own tree): elements and attributes, one entry each.
    Element names are compared in lower case, attributes by name and value."""
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=attributes,
        attribute_filter=_attribute_filter(own_src, own_href),
        url_schemes={"http", "https", "mailto", "data"},  # data: only for our images (the filter)
        link_rel=None,
        strip_comments=True,
    )
    before = _inventory(elements)
    parser = etree.HTMLParser(no_network=True, huge_tree=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(f"<html><body><div>{cleaned}</div></body></html>", parser)
    body = root.find("body") if root is not None else None
    after = _inventory(list(body[0]) if body is not None and len(body) else [])
    missing = before - after
    return [
        f"<{item[0]}>" if len(item) == 1 else f"{item[1]}={item[2][:60]!r} on <{item[0]}>" for item in missing
    ]


def _inventory(elements: Iterable[etree._Element]) -> Counter[tuple[str, ...]]:
    """Every element (by name) and attribute (by element, name and value)
    in ``elements`` and their descendants.  (Collected in a list and counted
    once: this runs over every element of every page and book.)"""
    seen: list[tuple[str, ...]] = []
    add = seen.append
    for top in elements:
        for e in top.iter(etree.Element):
            if not isinstance(qname := e.tag, str):
                continue
            tag = qname.rpartition("}")[2].lower()
            add((tag,))
            for attr, value in e.items():
                add((tag, _attr_name(attr) if attr[0] == "{" else attr.lower(), value))
    return Counter(seen)


_PREFIXES = {"http://www.idpf.org/2007/ops": "epub", "http://www.w3.org/XML/1998/namespace": "xml"}


def _attr_name(attr: str) -> str:
    if attr.startswith("{"):
        ns, _, local = attr[1:].partition("}")
        return f"{_PREFIXES.get(ns, ns)}:{local}"
    return attr.lower()
