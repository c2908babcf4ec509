"""The title and the masthead: which heading is the document's title, and the
subtitle, byline, date and series line around it.  The masthead often sits
outside ``<main>``; it feeds the metadata and leaves the flow either way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...textnorm import collapse_ws
from .dates import normalise_date
from .dom import HEADINGS, Element, TextStats, attr, drop, has_ancestor, level, roles, tag, text_of, tokens
from .hints import fold

_SUBTITLE = frozenset(
    {"subtitle", "subheading", "subhead", "standfirst", "strapline", "dek", "deck", "tagline", "untertitel",
     "subtitulo", "sottotitolo", "podtytul", "alternativeheadline"}
)  # fmt: skip
_BYLINE = frozenset(
    [
        "byline",
        "author",
        "authors",
        "contributor",
        "contributors",
        "creator",
        "writer",
        "autor",
        "autoren",
        "autori",
        "autores",
        "auteur",
        "auteurs",
        "autorzy",
        "verfasser",
    ]
)
_DATE = frozenset(
    {"date", "published", "pubdate", "dateline", "timestamp", "time", "datetime", "posted", "datum", "fecha",
     "publie", "veroeffentlicht"}
)  # fmt: skip
_SERIES = frozenset(
    {"series", "kicker", "eyebrow", "overline", "category", "categories", "rubric", "topic", "topics",
     "label", "type", "supertitle", "pretitle", "reihe"}
)  # fmt: skip
_NAME = frozenset({"author", "name", "fn", "given", "family"})
_BY = re.compile(
    r"^\s*(?:by|von|par|por|door|przez|written by|autor(?:in|es|zy|s)?|authors?|auteurs?|autori|di|da)"
    r"\b\s*:?\s*",
    re.I,
)
_BY_STRICT = re.compile(
    r"^\s*(?:by|von|par|por|door|przez|written by|authors?|autor(?:in|es|zy)?)\b\s*:?\s+\S", re.I
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\boraz\b|\bi\b|\ben\b)\s*", re.I)
_CHROME_PARENTS = frozenset({"nav", "footer"})


@dataclass(slots=True)
class Masthead:
    title: str | None = None
    title_el: Element | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)  # from marked-up names
    byline_authors: list[str] = field(default_factory=list)  # from byline text
    date: str | None = None
    used: list[Element] = field(default_factory=list)  # leave the flow


def _match(meta_title: str, heading: str) -> int:
    """How well a heading shows a metadata title: 3 same text, 2 one starts
    the other ("Title" in "Title - Site"), 1 one contains the other, 0 no."""
    a, b = fold(meta_title), fold(heading)
    if not a or not b:
        return 0
    if a == b:
        return 3
    short, long_ = sorted((a, b), key=len)
    ratio = len(short) / len(long_)
    if long_.startswith(short + " ") and ratio >= 0.3:
        return 2
    if ratio >= 0.5 and f" {short} " in f" {long_} ":
        return 1
    return 0


def _usable_h1(h: Element) -> bool:
    if has_ancestor(h, _CHROME_PARENTS):
        return False
    return not any(roles(a) & {"navigation", "contentinfo", "banner"} for a in h.iterancestors())


def find_title(
    body: Element, candidates: list[str], authoritative: bool
) -> tuple[str | None, Element | None]:
    """The title and the heading element that shows it (None when the title
    comes from metadata alone).  ``authoritative``: a ``citation_title``
    exists and beats an unmatched heading."""
    h1s = [h for h in body.iter("h1") if text_of(h) and _usable_h1(h)]
    in_content = [
        h for h in h1s if any(tag(a) in ("main", "article") or "main" in roles(a) for a in h.iterancestors())
    ]
    for cand in candidates:
        # a heading in the content beats one in the page's banner (a logo that
        # repeats the site name in "Article - Site")
        scored = [
            (h in in_content, quality, -i, h)
            for i, h in enumerate(h1s)
            if (quality := _match(cand, text_of(h))) >= (1 if h in in_content else 2)
        ]
        if scored:
            best = max(scored, key=lambda s: s[:3])
            return collapse_ws(text_of(best[3])), best[3]
    first_heading = next((h for h in body.iter(*HEADINGS) if text_of(h) and _usable_h1(h)), None)
    if first_heading is not None and level(first_heading) > 1:
        for cand in candidates:
            if fold(cand) == fold(text_of(first_heading)):
                return collapse_ws(text_of(first_heading)), first_heading
    unique = in_content[0] if len(in_content) == 1 else (h1s[0] if len(h1s) == 1 else None)
    if unique is not None and not authoritative:
        return collapse_ws(text_of(unique)), unique
    if candidates:
        return candidates[0], None
    if h1s:
        return collapse_ws(text_of(h1s[0])), h1s[0]
    return None, None


def _region(h1: Element, stats: TextStats) -> Element | None:
    """The small container around the title (``<header>``, ``<hgroup>`` or a
    title block), or None when the title stands in the running text."""
    limit = stats.text_len(h1) + 600
    best: Element | None = None
    for i, anc in enumerate(h1.iterancestors()):
        if i >= 4 or tag(anc) in ("body", "html", "main", "article", "section") or "main" in roles(anc):
            break
        if stats.text_len(anc) > limit:
            break
        others = [
            h for h in anc.iter(*HEADINGS) if h is not h1 and not has_ancestor(h, frozenset({"hgroup"}))
        ]
        if any(level(h) <= 3 for h in others):
            break
        paras = sum(1 for d in anc.iter("p", "li", "blockquote", "table", "pre") if len(text_of(d)) > 200)
        if paras:
            break
        best = anc
        if tag(anc) in ("header", "hgroup") and not has_ancestor(anc, frozenset({"header"})):
            break
    return best


def _names(el: Element) -> list[str]:
    """Author names marked up inside a byline (``span.author``, ``rel=author``,
    ``itemprop=author``), outermost marks only."""
    found: list[str] = []
    marked_els: list[Element] = []
    for d in el.iterdescendants():
        if not isinstance(d.tag, str) or any(a in marked_els for a in d.iterancestors()):
            continue
        marked = (
            bool(set(tokens(d)) & _NAME)
            or "author" in attr(d, "rel").lower().split()
            or attr(d, "itemprop").lower() in ("author", "name")
        )
        if marked:
            marked_els.append(d)
            name = collapse_ws(_BY.sub("", text_of(d)))
            if name and name not in found and len(name) <= 100:
                found.append(name)
    return found


def split_byline(value: str) -> list[str]:
    value = _BY.sub("", collapse_ws(value))
    out: list[str] = []
    for part in _SPLIT.split(value):
        part = part.strip(" .·|–—-")
        if part and len(part) <= 100 and part.lower() not in ("et al", "al") and part not in out:
            out.append(part)
    return out


def _date_of(el: Element) -> str | None:
    times = [el] if tag(el) == "time" else list(el.iter("time"))
    for t in times:
        iso = normalise_date(attr(t, "datetime")) or normalise_date(text_of(t))
        if iso:
            return iso
    content = attr(el, "content") or attr(el, "datetime")
    return normalise_date(content) or normalise_date(text_of(el))


def read_masthead(title: str | None, title_el: Element | None, stats: TextStats) -> Masthead:
    m = Masthead(title=title, title_el=title_el)
    if title_el is None:
        return m
    m.used.append(title_el)
    region = _region(title_el, stats)
    if region is not None:
        above = set(title_el.iterancestors())
        seen_title = False
        for el in region.iterdescendants():
            if el is title_el:
                seen_title = True
            elif isinstance(el.tag, str) and el not in above and not _taken(el, m, title_el):
                _classify(el, m, before_title=not seen_title, in_region=True)
        return m
    prev = title_el.getprevious()
    if (
        prev is not None
        and isinstance(prev.tag, str)
        and set(tokens(prev)) & _SERIES
        and len(text_of(prev)) < 150
    ):
        m.used.append(prev)
    for sib in title_el.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if stats.text_len(sib) > 300 or tag(sib) in HEADINGS:
            break
        if _classify(sib, m, before_title=False, in_region=False):
            continue
        if tag(sib) not in ("div", "p", "span", "header", "section"):
            break
        inner = [d for d in sib.iterdescendants() if isinstance(d.tag, str)]
        used = [d for d in inner if not _taken(d, m, title_el) and _classify(d, m, False, False)]
        if not used:
            break
    return m


def _taken(el: Element, m: Masthead, title_el: Element) -> bool:
    return any(a in m.used for a in el.iterancestors())


def _classify(el: Element, m: Masthead, before_title: bool, in_region: bool) -> bool:
    """Take ``el`` as subtitle, byline, date or series line; True when taken."""
    words = set(tokens(el))
    txt = text_of(el)
    t = tag(el)
    if not txt and t != "time":
        return False
    in_hgroup = has_ancestor(el, frozenset({"hgroup"}))
    if (
        words & _SUBTITLE or (in_hgroup and not before_title and t in ("p", "h2", "h3", "h4", "h5", "h6"))
    ) and (m.subtitle is None):
        m.subtitle = collapse_ws(txt)
    elif (
        words & _BYLINE
        or "author" in attr(el, "rel").lower().split()
        or attr(el, "itemprop").lower() == "author"
        or t == "address"
        or _BY_STRICT.match(txt)
    ) and len(txt) <= 300:
        if not m.authors and not m.byline_authors:
            names = _names(el)
            if names:
                m.authors = names
            else:
                without_dates = txt
                for time_el in el.iter("time"):
                    without_dates = without_dates.replace(text_of(time_el), " ")
                m.byline_authors = split_byline(without_dates)
        if m.date is None and next(el.iter("time"), None) is not None:
            m.date = _date_of(el)
    elif (
        t == "time"
        or words & _DATE
        or attr(el, "itemprop").lower() in ("datepublished", "datecreated")
        or (len(txt) <= 40 and len(el) == 0 and "-" in (normalise_date(txt) or ""))
    ) and len(txt) <= 100:
        m.date = m.date or _date_of(el)
    elif (words & _SERIES or (in_region and before_title and t in ("p", "div", "span", "a"))) and len(
        txt
    ) <= 150:
        pass  # the series/kicker line: furniture
    else:
        return False
    m.used.append(el)
    return True


_RESIDUE = re.compile(
    r"^(?:[\W_]|\b(?:by|von|par|por|di|da|de|door|przez|autor\w*|authors?|and|und|et|y|e|i|oraz|published|"
    r"veröffentlicht|am|publié|le|publicado|el|pubblicato|il|opublikowano)\b)*$",
    re.I,
)


def drop_used(m: Masthead) -> None:
    """Remove the masthead's metadata elements from the page, and what they
    leave behind ("By", " · ") in their parents."""
    parents: list[Element] = []
    for el in m.used:
        parent = el.getparent()
        if parent is not None and parent not in parents:
            parents.append(parent)
        drop(el)
    for parent in parents:
        for _ in range(2):
            up = parent.getparent()
            if (
                up is None
                or tag(parent) in ("body", "main", "article", "section", "html")
                or "main" in roles(parent)
            ):
                break
            rest = text_of(parent)
            if len(rest) > 40 or not _RESIDUE.match(rest) or next(parent.iter("img"), None) is not None:
                break
            drop(parent)
            parent = up
