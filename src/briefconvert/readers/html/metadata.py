"""Document metadata from the page head: ``<title>``, ``<html lang>``,
``<meta name|property|http-equiv>`` (plain, ``citation_*``, Dublin Core,
Open Graph) and JSON-LD.  Language only ever comes from document-level
declarations; it is never guessed from the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...textnorm import collapse_ws
from .dates import normalise_date
from .dom import Element, attr, tag
from .hints import fold
from .jsonld import JsonLd, read_jsonld

_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$", re.I)
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·•»/:]|::)\s+")
_URL = re.compile(r"^https?://", re.I)


def normalise_lang(value: str | None) -> str | None:
    """A BCP 47 tag in canonical case (``en_gb`` -> ``en-GB``), or None."""
    if not value:
        return None
    first = value.split(",")[0].split(";")[0].strip().replace("_", "-")
    if not _LANG.match(first):
        return None
    parts = first.split("-")
    primary = parts[0].lower()
    if primary in ("und", "mul", "zxx", "mis", "x", "i"):
        return None
    out = [primary]
    for p in parts[1:]:
        if len(p) == 2 and p.isalpha():
            out.append(p.upper())
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        else:
            out.append(p.lower())
    return "-".join(out)


@dataclass(slots=True)
class HeadMeta:
    """Every candidate value found, by field, in priority order."""

    values: dict[str, list[str]] = field(default_factory=dict)
    title_tag: str | None = None
    html_lang: str | None = None
    body_lang: str | None = None
    canonical: str | None = None
    base_href: str | None = None
    license_href: str | None = None
    jsonld: JsonLd = field(default_factory=JsonLd)

    def get(self, *keys: str) -> str | None:
        for key in keys:
            for v in self.values.get(key, ()):
                if v:
                    return v
        return None

    def all(self, *keys: str) -> list[str]:
        out: list[str] = []
        for key in keys:
            for v in self.values.get(key, ()):
                if v and v not in out:
                    out.append(v)
        return out


def read_head(root: Element) -> HeadMeta:
    meta = HeadMeta(jsonld=read_jsonld(root))
    meta.html_lang = attr(root, "lang") or attr(root, "xml:lang") or None
    for el in root.iter("meta", "title", "link", "base", "body"):
        t = tag(el)
        if t == "title":
            if meta.title_tag is None:
                meta.title_tag = collapse_ws("".join(el.itertext())) or None
        elif t == "body":
            meta.body_lang = attr(el, "lang") or attr(el, "xml:lang") or None
        elif t == "base":
            meta.base_href = meta.base_href or attr(el, "href") or None
        elif t == "link":
            rel = attr(el, "rel").lower().split()
            href = attr(el, "href")
            if "canonical" in rel and href and meta.canonical is None:
                meta.canonical = href
            if "license" in rel and href and meta.license_href is None:
                meta.license_href = href
        else:
            key = (attr(el, "name") or attr(el, "property") or attr(el, "itemprop")).lower()
            if not key:
                key = attr(el, "http-equiv").lower()
            content = el.get("content")
            if key and content is not None:
                value = collapse_ws(content)
                if value:
                    meta.values.setdefault(key, []).append(value)
    return meta


def site_names(head: HeadMeta) -> list[str]:
    """Names the site goes by: og:site_name, application-name, publisher, and
    the labels of the page's host name."""
    names = [
        n
        for n in (
            head.get("og:site_name"),
            head.get("application-name"),
            head.get("citation_publisher", "dc.publisher", "dcterms.publisher"),
            head.jsonld.publisher,
        )
        if n
    ]
    for url in (head.canonical, head.get("og:url")):
        if url and _URL.match(url):
            host = urlsplit(url).hostname or ""
            names.extend(label for label in host.split(".") if len(label) > 3 and label != "www")
    return names


def strip_site(title: str, names: list[str]) -> str:
    """``"Title | Site"`` -> ``"Title"`` (and ``"Site – Title"`` -> ``"Title"``)
    when the other part is one of the site's names."""
    folded_names = [fold(n) for n in names if fold(n)]
    if not folded_names:
        return title

    def is_site(part: str) -> bool:
        f = fold(part)
        return bool(f) and any(f == n or f.replace(" ", "") == n.replace(" ", "") for n in folded_names)

    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return title
    last, first = seps[-1], seps[0]
    if is_site(title[last.end() :]) and title[: last.start()].strip():
        return title[: last.start()].strip()
    if is_site(title[: first.start()]) and title[first.end() :].strip():
        return title[first.end() :].strip()
    return title


def title_candidates(head: HeadMeta) -> list[str]:
    """Metadata titles, best first, with site-name affixes removed."""
    names = site_names(head)
    raw = [
        head.get("citation_title"),
        head.get("og:title"),
        head.jsonld.headline,
        head.get("dc.title", "dcterms.title"),
        head.get("twitter:title"),
        head.title_tag,
    ]
    out: list[str] = []
    for t in raw:
        if t:
            cleaned = strip_site(t, names)
            if cleaned not in out:
                out.append(cleaned)
    return out


def document_lang(head: HeadMeta) -> str | None:
    for value in (
        head.html_lang,
        head.get("content-language"),
        head.get("og:locale"),
        head.get("dc.language", "dcterms.language"),
        head.get("citation_language"),
        head.jsonld.lang,
        head.body_lang,
    ):
        lang = normalise_lang(value)
        if lang:
            return lang
    return None


def _split_names(value: str) -> list[str]:
    """``"A. Smith, B. Jones"`` -> two names; ``"Smith, John"`` stays one."""
    parts = [p.strip() for p in re.split(r";|\s+(?:and|&|und|et|y|e|i|oraz|en)\s+", value) if p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    return out


def display_name(name: str) -> str:
    """Write "Lehmann, Katrin" (the citation_* and library convention) as "Katrin
    Lehmann"; anything that is not one surname-comma-given-names pair is kept."""
    name = collapse_ws(name)
    family, comma, given = name.partition(",")
    family, given = family.strip(), given.strip()
    if not comma or not family or not given or "," in given:
        return name
    if len(family.split()) > 3 or len(given.split()) > 3 or any(c.isdigit() for c in name):
        return name
    return f"{given} {family}"


def authors(head: HeadMeta) -> list[str]:
    for found in (
        head.all("citation_author"),
        head.jsonld.authors,
        head.all("dc.creator", "dcterms.creator"),
    ):
        names = [display_name(n) for n in found if not _URL.match(n)]
        if names:
            return names
    return []


def meta_author_names(head: HeadMeta) -> list[str]:
    """Authors from ``<meta name=author>`` (a weaker source than a byline)."""
    out: list[str] = []
    for value in head.all("author", "article:author", "twitter:creator"):
        if _URL.match(value) or value.startswith("@"):
            continue
        for name in _split_names(value):
            if name not in out:
                out.append(name)
    return out


def meta_date(head: HeadMeta) -> str | None:
    for value in (
        head.get("citation_publication_date", "citation_date", "citation_online_date"),
        head.jsonld.date,
        head.get("article:published_time", "og:published_time"),
        head.get("dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created"),
        head.get("dc.date.created", "date", "pubdate", "publish-date", "publication_date", "datepublished"),
    ):
        iso = normalise_date(value)
        if iso:
            return iso
    return None


def absolute_url(value: str | None) -> str | None:
    if value and _URL.match(value) and not any(c in value for c in " \n\t<>\"'"):
        return value
    return None


@dataclass(slots=True)
class MetaFields:
    """The head's answer for each Meta field (before the masthead fills gaps)."""

    description: str | None
    keywords: tuple[str, ...]
    publisher: str | None
    identifier: str | None
    source_url: str | None
    rights: str | None


def other_fields(head: HeadMeta) -> MetaFields:
    keywords: list[str] = []
    for value in head.all("citation_keywords", "keywords", "news_keywords", "dc.subject", "dcterms.subject"):
        for k in re.split(r"[;,]", value):
            k = collapse_ws(k)
            if k and k not in keywords:
                keywords.append(k)
    for k in [*head.all("article:tag"), *head.jsonld.keywords]:
        k = collapse_ws(k)
        if k and k not in keywords:
            keywords.append(k)
    doi = head.get("citation_doi", "dc.identifier.doi")
    identifier = (
        f"doi:{doi.removeprefix('doi:').strip()}"
        if doi
        else head.get("dc.identifier", "dcterms.identifier", "citation_isbn") or head.jsonld.identifier
    )
    return MetaFields(
        description=head.get(
            "description",
            "og:description",
            "dc.description",
            "dcterms.description",
            "dcterms.abstract",
            "twitter:description",
            "citation_abstract",
        )
        or head.jsonld.description,
        keywords=tuple(keywords),
        publisher=head.get(
            "citation_publisher", "citation_technical_report_institution", "dc.publisher", "dcterms.publisher"
        )
        or head.jsonld.publisher
        or head.get("og:site_name"),
        identifier=identifier,
        source_url=absolute_url(head.canonical)
        or absolute_url(head.get("og:url"))
        or absolute_url(
            head.get("citation_abstract_html_url", "citation_fulltext_html_url", "citation_public_url")
        )
        or head.jsonld.url,
        rights=head.get("dc.rights", "dcterms.rights", "dcterms.license", "copyright", "rights")
        or absolute_url(head.license_href)
        or head.jsonld.rights,
    )
