"""schema.org metadata from JSON-LD ``<script type="application/ld+json">``
blocks: the article-like object's headline, authors, date, language,
publisher, description and keywords.  Malformed JSON is skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .dom import Element

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "report", "scholarlyarticle", "techarticle",
        "analysisnewsarticle", "opinionnewsarticle", "reportagenewsarticle", "backgroundnewsarticle",
        "reviewnewsarticle", "socialmediaposting", "creativework", "chapter", "thesis", "book",
    }
)  # fmt: skip
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"})
_MAX_SCRIPT = 2_000_000  # characters
_MAX_NODES = 5_000


@dataclass(slots=True)
class JsonLd:
    headline: str | None = None
    alternative_headline: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    lang: str | None = None
    publisher: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    url: str | None = None
    identifier: str | None = None
    rights: str | None = None


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    items = t if isinstance(t, list) else [t]
    return {s.rsplit("/", 1)[-1].lower() for s in items if isinstance(s, str)}


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD value (``@graph`` and nested lists too), iteratively."""
    stack: list[Any] = [data]
    seen = 0
    while stack and seen < _MAX_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
            main = item.get("mainEntity")
            if isinstance(main, (dict, list)):
                stack.append(main)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("@value", "name", "alternateName"):
            got = _text(value.get(key))
            if got:
                return got
    if isinstance(value, list):
        for v in value:
            got = _text(v)
            if got:
                return got
    return None


def _name(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    if set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)
    name = _text(value.get("name"))
    if name:
        return name
    given, family = _text(value.get("givenName")), _text(value.get("familyName"))
    if given or family:
        return " ".join(x for x in (given, family) if x)
    return None


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        name = _name(item, by_id)
        if name and name not in out and not name.startswith(("http://", "https://")):
            out.append(name)
    return out


def read_jsonld(root: Element) -> JsonLd:
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = "".join(script.itertext())
        if not raw.strip() or len(raw) > _MAX_SCRIPT:
            continue
        try:
            data = json.loads(raw.strip().removeprefix("<![CDATA[").removesuffix("]]>"))
        except (ValueError, RecursionError):
            continue
        try:
            found.extend(_nodes(data))
        except RecursionError:  # pragma: no cover - _nodes is iterative
            continue
    by_id = {n["@id"]: n for n in found if isinstance(n.get("@id"), str)}
    articles = [n for n in found if _types(n) & _ARTICLE_TYPES]
    pages = [n for n in found if _types(n) & _PAGE_TYPES]
    out = JsonLd()
    for node in articles + pages:
        _fill(out, node, by_id)
    return out


def _fill(out: JsonLd, node: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> None:
    """Fill the fields that are still empty from ``node``."""
    out.headline = out.headline or _text(node.get("headline")) or _text(node.get("name"))
    out.alternative_headline = out.alternative_headline or _text(node.get("alternativeHeadline"))
    if not out.authors:
        out.authors = _names(node.get("author"), by_id) or _names(node.get("creator"), by_id)
    out.date = out.date or _text(node.get("datePublished")) or _text(node.get("dateCreated"))
    out.lang = out.lang or _text(node.get("inLanguage")) or _text(node.get("language"))
    if out.publisher is None:
        out.publisher = _name(node.get("publisher"), by_id)
    out.description = out.description or _text(node.get("description")) or _text(node.get("abstract"))
    if not out.keywords:
        kw = node.get("keywords")
        if isinstance(kw, str):
            out.keywords = [k.strip() for k in kw.split(",") if k.strip()]
        elif isinstance(kw, list):
            out.keywords = [t for t in (_text(k) for k in kw) if t]
    url = _text(node.get("url"))
    if out.url is None and url and url.startswith(("http://", "https://")):
        out.url = url
    ident = node.get("identifier")
    out.identifier = out.identifier or (ident.strip() if isinstance(ident, str) and ident.strip() else None)
    lic = node.get("license")
    out.rights = out.rights or (_text(lic) if lic is not None else None)
