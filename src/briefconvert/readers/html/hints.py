"""Vocabulary that tells web chrome from content: class/id words, ARIA roles
and the short phrases that chrome uses, in the languages briefs come in
(English, German, French, Spanish, Italian, Polish, Dutch)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .dom import Element, raw_classes, roles, tokens, tokens_of

# Class/id words that mark page furniture.
CHROME_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "menus", "megamenu", "submenu", "breadcrumb",
        "breadcrumbs", "share", "shares", "sharing", "sharebar", "sharer", "social", "socials",
        "related", "comment", "comments", "commentlist", "respond", "disqus", "cookie", "cookies",
        "consent", "gdpr", "newsletter", "newsletters", "subscribe", "subscription", "signup",
        "promo", "promos", "promotion", "advert", "advertisement", "ads", "ad", "sponsor",
        "sponsored", "widget", "widgets", "sidebar", "modal", "dialog", "popup",
        "footer", "skip", "skiplink", "toolbar", "pagination", "pager", "print", "download",
        "downloads", "tags", "taglist", "tagcloud", "editsection", "noprint", "offcanvas",
        "teaser", "teasers", "readmore",
    }
)  # fmt: skip
# Words that mark chrome also when glued to another word ("printfooter", "navbox").
CHROME_AFFIXES = ("footer", "sidebar", "breadcrumb", "cookie", "newsletter", "navbox", "social", "share")
# Word pairs that mark chrome only together.
CHROME_PAIRS = (
    ("author", "card"), ("author", "box"), ("author", "bio"), ("author", "bios"),
    ("author", "profile"), ("author", "info"), ("authors", "card"), ("authors", "box"),
    ("on", "this", "page"), ("in", "this", "article"), ("read", "next"), ("more", "stories"),
    ("also", "like"), ("jump", "link"), ("jump", "to"), ("page", "nav"), ("local", "nav"),
    ("in", "page", "nav"), ("anchor", "nav"), ("toc", "sidebar"), ("sticky", "toc"), ("site", "header"),
    ("site", "footer"), ("global", "header"), ("page", "tools"), ("article", "tools"), ("post", "meta"),
    ("entry", "meta"), ("entry", "footer"), ("post", "footer"), ("edit", "link"), ("edit", "section"),
    ("back", "to", "top"), ("search", "form"), ("language", "switcher"), ("lang", "switcher"),
)  # fmt: skip
POSITIVE_WORDS = frozenset(
    {
        "content", "article", "post", "entry", "main", "body", "text", "story", "publication",
        "report", "brief", "paper", "prose", "richtext", "bodytext", "abstract",
    }
)  # fmt: skip
CHROME_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog",
        "menu", "menubar", "toolbar", "tablist", "form",
    }
)  # fmt: skip
# Elements that never hold document content.
CHROME_TAGS = frozenset({"nav", "form", "dialog", "menu", "search"})

SUMMARY_WORDS = frozenset(
    {
        "summary", "abstract", "keypoints", "keyfindings", "highlights", "takeaways", "tldr",
        "overview", "synopsis", "zusammenfassung", "resume", "resumen", "sintesi", "riassunto",
        "streszczenie", "samenvatting",
    }
)  # fmt: skip
SUMMARY_PAIRS = (
    ("key", "points"), ("key", "findings"), ("key", "messages"), ("key", "takeaways"),
    ("at", "a", "glance"), ("executive", "summary"), ("auf", "einen", "blick"), ("en", "bref"),
    ("in", "brief"), ("in", "short"), ("points", "cles"), ("puntos", "clave"), ("punti", "chiave"),
)  # fmt: skip

NOTES_WORDS = frozenset(
    {
        "footnotes", "footnote", "endnotes", "endnote", "notes", "references", "reflist",
        "fussnoten", "anmerkungen", "przypisy", "notas",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: for phrase matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


# Headings of chrome blocks (compared folded: lower case, no accents, no punctuation).
_CHROME_HEADINGS = frozenset(
    _fold(s)
    for s in (
        "On this page", "In this article", "In this section", "Jump to", "Contents of this page",
        "Auf dieser Seite", "In diesem Artikel", "Sur cette page", "Dans cet article",
        "En esta página", "En este artículo", "In questa pagina", "In questo articolo",
        "Na tej stronie", "W tym artykule", "Op deze pagina",
        "Related", "Related publications", "Related content", "Related articles", "Related reading",
        "Related posts", "Related research", "Related topics", "Read more", "Read next", "More on this topic",
        "More from this author", "You may also like", "You might also like",
        "Recommended for you", "Latest publications", "Latest news", "Most read",
        "Share", "Share this", "Share this page", "Share this article", "Follow us",
        "Subscribe", "Subscribe to our newsletter", "Newsletter", "Sign up", "Stay informed",
        "Leave a reply", "Leave a comment", "Comments", "Join the discussion",
        "Weitere Publikationen", "Das könnte Sie auch interessieren", "Mehr zum Thema",
        "Ähnliche Beiträge", "Verwandte Themen", "Teilen", "Artikel teilen", "Newsletter abonnieren",
        "À lire aussi", "A lire aussi", "Sur le même sujet", "Publications liées", "Articles liés",
        "Partager", "Partager cet article", "Abonnez-vous", "Lire aussi",
        "Te puede interesar", "Relacionados", "Publicaciones relacionadas", "Artículos relacionados",
        "Compartir", "Suscríbete", "Lee también",
        "Potrebbe interessarti", "Articoli correlati", "Pubblicazioni correlate", "Leggi anche",
        "Condividi", "Iscriviti",
        "Zobacz także", "Zobacz też", "Powiązane", "Powiązane publikacje", "Czytaj także",
        "Udostępnij", "Zapisz się", "Komentarze",
    )
)  # fmt: skip
# Short link/button texts that are furniture ("Share", "Print", "Download the full text").
_CHROME_ACTIONS = (
    "share", "print", "download", "tweet", "email", "e mail", "mail", "send", "save", "cite this",
    "back to top", "to top", "skip to", "jump to", "read more", "subscribe", "follow",
    "teilen", "drucken", "herunterladen", "download", "nach oben", "weiterlesen",
    "partager", "imprimer", "telecharger", "haut de page", "lire la suite",
    "compartir", "imprimir", "descargar", "volver arriba", "leer mas",
    "condividi", "stampa", "scarica", "torna su", "leggi di piu",
    "udostepnij", "drukuj", "pobierz", "do gory", "czytaj wiecej", "pdf",
)  # fmt: skip
_ON_THIS_PAGE = frozenset(
    _fold(s)
    for s in (
        "On this page", "In this article", "In this section", "Jump to", "Contents of this page",
        "Auf dieser Seite", "In diesem Artikel", "Sur cette page", "Dans cet article",
        "En esta página", "En este artículo", "In questa pagina", "In questo articolo",
        "Na tej stronie", "W tym artykule", "Op deze pagina",
    )
)  # fmt: skip
SUMMARY_HEADINGS = frozenset(
    _fold(s)
    for s in (
        "Summary", "Executive summary", "Key findings", "Key points", "Key messages", "Key takeaways",
        "Highlights", "At a glance", "In brief", "In short", "Abstract", "Main findings", "TL;DR",
        "Auf einen Blick", "Zusammenfassung", "Das Wichtigste in Kürze", "Kernaussagen", "Kurzfassung",
        "En bref", "Résumé", "Points clés", "L'essentiel", "Synthèse",
        "Resumen", "Puntos clave", "En resumen", "Resumen ejecutivo",
        "Sintesi", "In sintesi", "Punti chiave", "Riassunto",
        "Streszczenie", "Najważniejsze wnioski", "W skrócie", "Samenvatting",
    )
)  # fmt: skip


def fold(text: str) -> str:
    return _fold(text)


def is_chrome_heading(text: str) -> bool:
    return _fold(text) in _CHROME_HEADINGS


def is_on_this_page(text: str) -> bool:
    return _fold(text) in _ON_THIS_PAGE


def is_summary_heading(text: str) -> bool:
    return _fold(text) in SUMMARY_HEADINGS


def is_chrome_action(text: str) -> bool:
    """Whether a short link/button text is a furniture action like "Share" or
    "Download the full text (PDF, 2 MB)"."""
    folded = _fold(text)
    if not folded or len(folded) > 60:
        return False
    return any(folded == a or folded.startswith(a + " ") for a in _CHROME_ACTIONS)


def _pairs(pairs: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple("-" + "-".join(p) + "-" for p in pairs)


_CHROME_PAIR_KEYS = _pairs(CHROME_PAIRS)
_SUMMARY_PAIR_KEYS = _pairs(SUMMARY_PAIRS)


def _has_pair(words: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    if len(words) < 2:
        return False
    joined = "-" + "-".join(words) + "-"
    return any(k in joined for k in keys)


def _leading_text(el: Element, limit: int = 300) -> str:
    out: list[str] = []
    size = 0
    for piece in el.itertext():
        out.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return "".join(out)


def chrome_hint(el: Element) -> bool:
    """Whether the element's class, id or aria-label names page furniture.  An
    id that is a slug of the element's own text (``<section
    id="share-of-renewables"><h2>Share of renewables``) says nothing about
    what the element is, so it does not count."""
    cls, ident, label = el.get("class"), el.get("id"), el.get("aria-label")
    if not (cls or ident or label):
        return False
    words = tokens_of(cls or "")
    if label:
        words = (*words, *_fold(label).split())
    if words and _chrome_words(words):
        return True
    if not ident:
        return False
    ids = tokens_of(ident)
    if not ids or not _chrome_words((*words, *ids)):
        return False
    head = _fold(_leading_text(el))
    return not (head and set(ids) <= set(head.split()))


_AFFIX_RE = re.compile(r"(?:^| )(?:{0})[a-z0-9]+|[a-z0-9]+(?:{0})(?: |$)".format("|".join(CHROME_AFFIXES)))


@lru_cache(maxsize=4096)
def _chrome_words(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    if not CHROME_WORDS.isdisjoint(words):
        return True
    if _AFFIX_RE.search(" ".join(words)):
        return True
    return _has_pair(words, _CHROME_PAIR_KEYS)


def positive_hint(el: Element) -> bool:
    return any(w in POSITIVE_WORDS for w in tokens(el))


def chrome_role(el: Element) -> bool:
    return bool(roles(el) & CHROME_ROLES)


def summary_hint(el: Element) -> bool:
    words = tokens(el)
    if any(w in SUMMARY_WORDS for w in words):
        return True
    return _has_pair(words, _SUMMARY_PAIR_KEYS) or "doc-abstract" in roles(el)


def notes_hint(el: Element) -> bool:
    if roles(el) & {"doc-endnotes", "doc-footnotes", "doc-bibliography"}:
        return True
    return any(w in NOTES_WORDS for w in tokens(el))


def hidden_class(el: Element) -> bool:
    """Utility classes that hide an element from everyone (not the
    screen-reader-only ones, which carry accessible text)."""
    return bool(raw_classes(el) & {"hidden", "d-none", "is-hidden", "hide", "display-none", "u-hidden"})
