"""First pass over the parsed page: remove what is never content (scripts,
styles, form controls, templates) and what the page hides from every reader
(``hidden``, ``aria-hidden``, inline ``display:none``/``visibility:hidden``)."""

from __future__ import annotations

import re

from ...diagnostics import Report
from .dom import Element, TextStats, attr, drop, elements, tag, text_stats
from .hints import hidden_class

_NEVER = frozenset(
    {
        "script", "style", "noscript", "template", "link", "meta", "base", "input", "button", "select",
        "textarea", "option", "optgroup", "datalist", "output", "param", "source", "track", "map",
        "area", "slot", "frameset", "frame", "head", "progress", "meter",
    }
)  # fmt: skip
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)", re.I
)
# A "hidden" element holding this share of the page's text is kept: a page
# that hides its own content until a script runs should not lose it.
_KEEP_SHARE = 0.5


def _hidden(el: Element) -> bool:
    if el.get("hidden") is not None and attr(el, "hidden").lower() != "until-found":
        return True
    if attr(el, "aria-hidden").lower() == "true" and tag(el) not in ("img", "picture"):
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return hidden_class(el)


def clean(root: Element, report: Report) -> TextStats:
    """Remove non-content and hidden elements in place; return text statistics
    of what is left."""
    body = root.find("body")
    scope = body if body is not None else root
    for el in list(root.iter(*_NEVER)):
        drop(el)
    hidden: list[Element] = []
    stack = [scope]
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if _hidden(child):
                hidden.append(child)
            else:
                stack.append(child)
    if hidden:
        total = sum(len(t.strip()) for t in scope.itertext())
        for el in hidden:
            size = sum(len(t.strip()) for t in el.itertext())
            if size >= 500 and total and size / total >= _KEEP_SHARE:
                report.info(
                    "hidden-content-kept", "most of the page's text is marked hidden: kept", _where(el)
                )
            else:
                drop(el)
    return text_stats(scope)


def _where(el: Element) -> str | None:
    return f"line {el.sourceline}" if el.sourceline else None


def body_of(root: Element) -> Element:
    body = root.find("body")
    if body is not None:
        return body
    return next((e for e in elements(root) if tag(e) == "body"), root)
