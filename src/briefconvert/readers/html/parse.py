"""The one place that parses HTML: an explicit, safe lxml parser (no network,
no DTD, comments and processing instructions removed).

``etree.HTMLParser`` is used rather than ``lxml.html.HTMLParser``: the same
libxml2 parser with the same options, minus the ``HtmlElement`` class lookup
that the reader does not need (and that costs time on every element access).
"""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree

from ...diagnostics import Report
from ...errors import LimitExceeded
from ...options import HtmlReaderOptions
from .dom import Element

# Element nesting deeper than this is read as plain text (libxml2 itself caps
# HTML nesting at 255; we stay well below Python's recursion limit).
MAX_DEPTH = 150


# More start tags than this and the page is refused (HtmlReaderOptions.max_elements).
MAX_ELEMENTS = HtmlReaderOptions().max_elements  # the default; --max-elements changes it
# Attributes of one element beyond this are dropped before parsing: libxml2
# checks each new attribute against all earlier ones (quadratic time).
MAX_ATTRIBUTES = 256
_ATTR_SRC = r"""[\s/]*+[^\s/>=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+"""
_START_TAG = re.compile(rf"<[A-Za-z][^\s/>]*+((?:{_ATTR_SRC})*+)")
_ONE_ATTR = re.compile(_ATTR_SRC)
_LONG_ATTRS = 2 * MAX_ATTRIBUTES  # shorter attribute lists cannot hold too many


def limit_markup(text: str, report: Report | None = None, max_elements: int = MAX_ELEMENTS) -> str:
    """``text`` with the attributes past :data:`MAX_ATTRIBUTES` of any element
    removed; raises LimitExceeded when the page has more than
    ``max_elements`` start tags.  One linear pass (possessive patterns:
    no backtracking), stopped at the element limit."""
    pieces: list[str] = []
    pos = 0
    capped = 0
    for count, m in enumerate(_START_TAG.finditer(text), start=1):
        if count > max_elements:
            raise LimitExceeded(
                f"the HTML has more than {max_elements:,} elements (the limit of --max-elements)"
            )
        if m.end(1) - m.start(1) <= _LONG_ATTRS:
            continue
        found = list(islice(_ONE_ATTR.finditer(text, m.start(1), m.end(1)), MAX_ATTRIBUTES + 1))
        if len(found) > MAX_ATTRIBUTES:
            pieces.append(text[pos : found[MAX_ATTRIBUTES].start()])
            pos = m.end(1)
            capped += 1
    if not capped:
        return text
    pieces.append(text[pos:])
    if report is not None:
        report.warning(
            "html-attributes",
            f"{capped} element(s) have more than {MAX_ATTRIBUTES} attributes; the rest were ignored",
        )
    return "".join(pieces)


def check_size(data: bytes, options: HtmlReaderOptions) -> None:
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            f"the HTML input is {len(data):,} bytes, over the limit of {options.max_bytes:,} bytes "
            "(HtmlReaderOptions.max_bytes)"
        )


def _parser() -> etree.HTMLParser[Element]:
    # A new parser per call: lxml parsers keep state and are not thread-safe.
    return etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        recover=True,
        compact=True,
        default_doctype=False,
    )


def parse_html(text: str, report: Report | None = None, max_elements: int = MAX_ELEMENTS) -> Element | None:
    """The ``<html>`` element of ``text``, or None when there is nothing to parse.

    libxml2 stops parsing (keeping what it has, silently) where elements nest
    deeper than 255 levels.  When that happens the text is flattened past a
    safe depth (see ``flatten_deep``) and parsed again."""
    text = text.replace("\x00", "")  # browsers drop NUL characters from the text
    if not text.strip():
        return None
    text = limit_markup(text, report, max_elements)
    root, too_deep = _parse(text)
    if too_deep:
        # Elements with optional end tags are not counted, so a limit may not
        # be enough (nested tables): halve it until the parser accepts the page.
        for limit in (_FLATTEN_AT, _FLATTEN_AT // 2, _FLATTEN_AT // 4, _FLATTEN_AT // 8):
            flat, removed = flatten_deep(text, limit)
            again, too_deep = _parse(flat)
            if again is not None and not too_deep:
                root = again
                break
        if report is not None:
            if too_deep:
                report.warning(
                    "html-truncated", "elements nested too deeply: the page could only be read in part"
                )
            else:
                report.warning(
                    "html-nesting",
                    f"{removed} tag(s) nested deeper than {limit} levels were ignored (their text is kept)",
                )
    if root is not None:
        _repair_head(root)
    return root


def _parse(text: str) -> tuple[Element | None, bool]:
    parser = _parser()
    data = text.encode("utf-8", errors="replace")
    try:
        root: Element | None = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    too_deep = any("depth" in e.message.lower() for e in parser.error_log if e.level_name == "FATAL")
    return root, too_deep


# Element nesting counted by flatten_deep (elements with optional end tags and
# void elements are not counted, so the real tree stays under libxml2's 255).
_FLATTEN_AT = 100
_TAG = re.compile(
    r"""<!--.*?-->|<(/?)([a-zA-Z][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>""",
    re.S,
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext", "noscript", "template"})
_UNCOUNTED = frozenset(
    {
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc", "thead",
        "tbody", "tfoot", "colgroup", "caption", "head", "body", "html", "area", "base", "br", "col", "embed",
        "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip


def flatten_deep(text: str, limit: int) -> tuple[str, int]:
    """``text`` with the start and end tags of elements nested deeper than
    ``limit`` removed (their content stays).  A tag-level pass, only used after
    the parser has refused the page's depth."""
    out: list[str] = []
    depth = 0
    suppressed: dict[str, int] = {}
    removed = 0
    pos = 0
    raw_until: str | None = None
    for m in _TAG.finditer(text):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if raw_until is not None:
            if closing and name == raw_until:
                raw_until = None
            continue
        if not name or name in _UNCOUNTED or m.group(3).rstrip().endswith("/"):
            continue
        if not closing:
            if name in _RAW_TEXT:
                raw_until = name
            if depth >= limit:
                out.append(text[pos : m.start()])
                out.append(" ")
                pos = m.end()
                suppressed[name] = suppressed.get(name, 0) + 1
                removed += 1
            else:
                depth += 1
        elif suppressed.get(name):
            suppressed[name] -= 1
            out.append(text[pos : m.start()])
            out.append(" ")
            pos = m.end()
        else:
            depth = max(0, depth - 1)
    out.append(text[pos:])
    return "".join(out), removed


_HEAD_TAGS = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})


def _repair_head(root: Element) -> None:
    """libxml2 parses HTML 4: an HTML5 element it does not know (``<main>``,
    ``<section>``, ``<header>``) that comes before anything that opens the body
    is left inside ``<head>``.  Move it, and everything after it, to the body."""
    head = root.find("head")
    if head is None:
        return
    kids = list(head)
    start = next(
        (i for i, el in enumerate(kids) if isinstance(el.tag, str) and el.tag.lower() not in _HEAD_TAGS), None
    )
    if start is None:
        return
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    for el in reversed(kids[start:]):
        body.insert(0, el)
