"""Which part of the page is the document: a ``<main>``/``role=main``
landmark, else a single dominant ``<article>``, else the element that holds
most of the page's prose (text that is not link text, outside elements whose
tag, role or class marks them as furniture)."""

from __future__ import annotations

from ...diagnostics import Report
from .dom import Element, TextStats, elements, has_ancestor, roles, tag
from .hints import CHROME_TAGS, chrome_hint, chrome_role, positive_hint

# A landmark must hold at least this share of the page's prose to be trusted.
_LANDMARK_SHARE = 0.2
# Below this much prose (characters) a page is too small to second-guess its landmarks.
_TOO_LITTLE = 200
# Scoring descends into a child while it keeps this share of the page's prose.
_KEEP_SHARE = 0.85
_KEEP_SHARE_HINTED = 0.6
_PARAGRAPHS = frozenset({"p", "pre", "blockquote", "li", "dd", "td"})
_PARAGRAPH_BONUS = 50


def _prose(stats: TextStats, el: Element) -> int:
    return stats.text_len(el) - stats.link.get(el, 0)


def choose_root(body: Element, stats: TextStats, report: Report) -> Element:
    total = max(_prose(stats, body), 1)
    mains = [e for e in elements(body) if tag(e) == "main" or "main" in roles(e)]
    mains = [m for m in mains if not any(a in mains for a in m.iterancestors())]
    if mains:
        best = max(mains, key=lambda m: _prose(stats, m))
        if _prose(stats, best) >= _LANDMARK_SHARE * total or total < _TOO_LITTLE:
            report.info("main-content", f"main content: the <{tag(best)}> landmark", _where(best))
            return best
    articles = [a for a in body.iter("article") if not has_ancestor(a, frozenset({"article"}))]
    if articles:
        ranked = sorted(articles, key=lambda a: -_prose(stats, a))
        sizes = [_prose(stats, a) for a in ranked]
        dominant = len(sizes) == 1 or sizes[0] >= 2 * sizes[1]
        if dominant and sizes[0] >= 0.5 * sum(sizes) and sizes[0] >= _LANDMARK_SHARE * total:
            report.info("main-content", "main content: the page's <article>", _where(ranked[0]))
            return ranked[0]
    root = _by_score(body, stats)
    report.info("main-content", f"main content: <{tag(root)}> chosen by text density", _where(root))
    return root


def _furniture(el: Element) -> bool:
    return (
        tag(el) in CHROME_TAGS
        or tag(el) in ("header", "footer", "aside")
        or chrome_role(el)
        or chrome_hint(el)
    )


def _by_score(body: Element, stats: TextStats) -> Element:
    """Weight = prose (non-link text) outside furniture, plus a bonus per
    paragraph; descend from the body into the child that keeps most of it
    while it keeps ``_KEEP_SHARE`` (``_KEEP_SHARE_HINTED`` for a child whose
    class names content: "entry-content", "article-body")."""
    order = list(elements(body))
    weight: dict[Element, int] = {}
    for el in reversed(order):
        if tag(el) == "a":
            weight[el] = 0
            continue
        own = len((el.text or "").strip())
        w = 0
        for child in el:
            if isinstance(child.tag, str) and not _furniture(child):
                w += weight.get(child, 0)
            if child.tail:
                own += len(child.tail.strip())
        if tag(el) in _PARAGRAPHS and own + w >= 40:
            w += _PARAGRAPH_BONUS
        weight[el] = own + w
    node = body
    total = weight.get(body, 0)
    while total:
        kids = [c for c in node if isinstance(c.tag, str) and not _furniture(c)]
        if not kids:
            return node
        best = max(kids, key=lambda c: weight.get(c, 0))
        share = weight.get(best, 0) / total
        if share >= _KEEP_SHARE or (share >= _KEEP_SHARE_HINTED and positive_hint(best)):
            node = best
        else:
            return node
    return node


def _where(el: Element) -> str | None:
    return f"line {el.sourceline}" if el.sourceline else None
