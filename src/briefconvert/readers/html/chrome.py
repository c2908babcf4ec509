"""Web chrome inside the chosen content: navigation, site header and footer,
share/print/download bars, cookie banners, newsletter boxes, comments, author
cards, related-publication teasers (and their headings), "On this page"
sidebars.  Summary boxes and a table of contents that belongs to the text are
recognised here and kept."""

from __future__ import annotations

from urllib.parse import unquote

from .context import Context
from .dom import (
    HEADINGS,
    Element,
    TextStats,
    attr,
    collapse,
    drop,
    elements,
    level,
    roles,
    tag,
    text_of,
    tokens,
    unwrap,
)
from .hints import (
    CHROME_TAGS,
    chrome_hint,
    chrome_role,
    is_chrome_action,
    is_chrome_heading,
    is_on_this_page,
    is_summary_heading,
    summary_hint,
)

_SECTIONING = frozenset({"article", "section", "aside", "main", "nav", "blockquote", "figure"})
_PERMALINK_TEXT = frozenset({"", "¶", "#", "§", "🔗", "⚓", "link", "permalink"})
_PERMALINK_WORDS = frozenset({"anchor", "headerlink", "permalink", "anchorjs", "hash", "heading-anchor"})
_TOC_WORDS = frozenset({"toc", "contents", "tableofcontents"})
# Not searched for furniture inside: running text and its inline elements.
_TEXT_BLOCKS = frozenset(
    {
        "p",
        "pre",
        "code",
        "blockquote",
        "em",
        "strong",
        "b",
        "i",
        "sup",
        "sub",
        "a",
        "q",
        "cite",
        "abbr",
        "math",
        "svg",
    }
)


class _Pruner:
    def __init__(self, root: Element, ctx: Context, stats: TextStats) -> None:
        self.root = root
        self.ctx = ctx
        self.stats = stats
        self.root_len = max(stats.text_len(root), 1)
        self.ids = {e.get("id") for e in elements(root) if e.get("id")}
        self.protect: set[Element] = set()
        for keep in [*ctx.notes.containers, *ctx.notes.bodies]:
            self.protect.add(keep)
            self.protect.update(keep.iterancestors())

    def heavy(self, el: Element) -> bool:
        """Holds much of the content: never furniture, whatever its class says."""
        n = self.stats.text_len(el)
        return n >= 500 and n >= 0.5 * self.root_len and self.stats.link_density(el) < 0.3

    def first_heading_text(self, el: Element) -> str | None:
        for i, child in enumerate(c for c in el if isinstance(c.tag, str)):
            if i > 2:
                return None
            if tag(child) in HEADINGS:
                return text_of(child)
            inner = next(child.iter(*HEADINGS), None)
            if inner is not None and self.stats.text_len(child) <= self.stats.text_len(inner) + 40:
                return text_of(inner)
        return None

    def is_toc(self, el: Element) -> bool:
        t = tag(el)
        if not (t == "nav" or roles(el) & {"navigation", "doc-toc"} or set(tokens(el)) & _TOC_WORDS):
            return False
        hrefs = [attr(a, "href") for a in el.iter("a") if a.get("href") is not None]
        internal = [h for h in hrefs if h.startswith("#") and unquote(h[1:]) in self.ids]
        if len(internal) < 2 or len(internal) < 0.6 * len(hrefs):
            return False
        heading = self.first_heading_text(el)
        if heading is not None and is_on_this_page(heading):
            return False
        style = attr(el, "style").replace(" ", "").lower()
        if "position:sticky" in style or "position:fixed" in style:
            return False
        for anc in [el, *el.iterancestors()]:
            if anc is self.root:
                break
            if anc is not el and (tag(anc) == "aside" or "complementary" in roles(anc)):
                return False
            if chrome_hint(anc) and not set(tokens(anc)) & _TOC_WORDS:
                return False
        return True

    def is_summary(self, el: Element) -> bool:
        t = tag(el)
        if t not in ("aside", "div", "section"):
            return False
        if not summary_hint(el):
            if t != "aside":
                return False
            heading = self.first_heading_text(el)
            if heading is None or not is_summary_heading(heading):
                return False
        n = self.stats.text_len(el)
        boxed = n <= 4000 or n <= 0.4 * self.root_len
        subsections = sum(1 for h in el.iter("h2", "h3") if text_of(h))
        return boxed and subsections <= 1

    def is_chrome(self, el: Element) -> bool:
        t = tag(el)
        if t in CHROME_TAGS:
            return not self.heavy(el)
        if attr(el, "aria-modal").lower() == "true" or "breadcrumblist" in attr(el, "itemtype").lower():
            return True
        if t == "footer":
            return not any(tag(a) in ("blockquote", "figure") for a in el.iterancestors())
        if t == "header":
            sectioned = any(
                tag(a) in _SECTIONING or "main" in roles(a) for a in [*el.iterancestors()] if a is not None
            )
            return not sectioned and not self.heavy(el)
        if t == "aside" or "complementary" in roles(el):
            heading = self.first_heading_text(el)
            return (
                chrome_hint(el)
                or self.stats.link_density(el) > 0.5
                or next(el.iter("form"), None) is not None
                or (heading is not None and (is_chrome_heading(heading) or is_on_this_page(heading)))
            )
        if (chrome_role(el) or chrome_hint(el)) and not self.heavy(el):
            return True
        if t in ("div", "section", "ul", "ol", "p", "li", "span"):
            n = self.stats.text_len(el)
            if 0 < n <= 80 and self.stats.link_density(el) >= 0.9:
                links = [text_of(a) for a in el.iter("a")]
                if links and all(is_chrome_action(x) for x in links if x):
                    return True
            heading = self.first_heading_text(el) if t in ("div", "section") else None
            if heading is not None and is_chrome_heading(heading) and self.stats.link_density(el) >= 0.3:
                return not self.heavy(el)
        return False

    def run(self) -> list[Element]:
        ctx = self.ctx
        doomed: list[Element] = []
        stack = [c for c in reversed(self.root) if isinstance(c.tag, str)]
        while stack:
            el = stack.pop()
            if el in ctx.notes.containers or el in ctx.notes.bodies:
                continue
            if tag(el) in HEADINGS:
                doomed.extend(self.permalinks(el))
                doomed.extend(d for d in el.iterdescendants() if isinstance(d.tag, str) and chrome_hint(d))
                continue
            if self.is_toc(el):
                continue  # a table of contents that belongs to the text: kept as it is
            if self.is_summary(el):
                ctx.summary_boxes.add(el)
            elif self.is_chrome(el) and el not in self.protect:
                doomed.append(el)
                continue
            if tag(el) not in _TEXT_BLOCKS:
                stack.extend(c for c in reversed(el) if isinstance(c.tag, str))
        doomed.extend(self.teasers(doomed))
        doomed.extend(self.orphan_headings(doomed))
        return doomed

    def permalinks(self, h: Element) -> list[Element]:
        """Anchor links in a heading: a "¶"/"#" permalink is furniture (returned
        for removal); a link around the heading's own text that points at the
        heading itself is unwrapped here."""
        out: list[Element] = []
        own = {h.get("id")} | {a.get("id") for a in list(h.iterancestors())[:2]}
        for a in list(h.iter("a")):
            href = attr(a, "href")
            words = set(tokens(a))
            text = collapse("".join(a.itertext())).lower()
            if (href.startswith("#") and text in _PERMALINK_TEXT) or (
                words & _PERMALINK_WORDS and len(text) <= 2
            ):
                out.append(a)
            elif href.startswith("#") and unquote(href[1:]) in own - {None}:
                unwrap(a)
        return out

    def teasers(self, doomed: list[Element]) -> list[Element]:
        """Cards whose heading is a link to another page (related publications,
        "read next"): when there are several and they are not the whole text."""
        gone = set(doomed)
        headings = [
            h
            for h in self.root.iter(*HEADINGS)
            if text_of(h) and not any(a in gone for a in h.iterancestors())
        ]
        linked = [h for h in headings if self._links_away(h)]
        if len(linked) < 2 or len(linked) == len(headings):
            return []
        cards: list[Element] = []
        for h in linked:
            card = h
            limit = self.stats.text_len(h) + 500
            for anc in h.iterancestors():
                if anc is self.root or self.stats.text_len(anc) > limit or anc in self.protect:
                    break
                if any(x is not h and text_of(x) for x in anc.iter(*HEADINGS)):
                    break
                card = anc
            if card not in cards:
                cards.append(card)
        return cards

    def _links_away(self, h: Element) -> bool:
        n = len(text_of(h))
        link_text = sum(
            len(text_of(a))
            for a in h.iter("a")
            if a.get("href") is not None and not attr(a, "href").startswith("#")
        )
        return n > 0 and link_text >= 0.8 * n

    def orphan_headings(self, doomed: list[Element]) -> list[Element]:
        """The heading of a removed block ("Related publications" above the
        teasers) when nothing of its section is left."""
        gone = set(doomed)
        out: list[Element] = []
        for el in doomed:
            if self.stats.text_len(el) < 60 and next(el.iter(*HEADINGS), None) is None:
                continue  # a small widget (a share bar) says nothing about the section
            prev = el.getprevious()
            while prev is not None and (not isinstance(prev.tag, str) or prev in gone):
                prev = prev.getprevious()
            if prev is None:
                continue
            heading = prev if tag(prev) in HEADINGS else None
            if heading is None:
                inner = [h for h in prev.iter(*HEADINGS)]
                if len(inner) == 1 and text_of(prev) == text_of(inner[0]):
                    heading = inner[0]
            if heading is None or heading in gone or prev in gone:
                continue
            nxt = el.getnext()
            while nxt is not None and (not isinstance(nxt.tag, str) or nxt in gone or not text_of(nxt)):
                nxt = nxt.getnext()
            if nxt is None or (tag(nxt) in HEADINGS and level(nxt) <= level(heading)):
                out.append(prev)
                gone.add(prev)
        return out


def prune_chrome(root: Element, ctx: Context, stats: TextStats) -> int:
    """Remove web chrome under ``root`` in place; the number of elements removed."""
    doomed = _Pruner(root, ctx, stats).run()
    for el in doomed:
        drop(el)
    return len(doomed)
