"""Rules about text alternatives and links: image-alt, image-alt-suspicious,
image-alt-caption, link-name, link-text-generic, link-text-vague and
note-ref-link.  Phrase lists cover English, German and French."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from ..model import (
    BlockQuote,
    Code,
    DefinitionItem,
    Document,
    Endnotes,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    Paragraph,
    Sup,
    Table,
    Text,
)
from ..walk import children, plain_text
from .findings import Sink
from .model_rules_scan import Visit, add, attr_of

# ------------------------------------------------------------------ phrases


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_IMAGE_EXT = r"(?:png|jpe?g|jfif|gif|webp|svg|bmp|tiff?|avif|heic|ico|eps|emf|wmf)"
_FILE_NAME = re.compile(rf"^[^\s/\\]*[\w)\]-]\.{_IMAGE_EXT}$|^[^\s]+[/\\][^\s]*\.{_IMAGE_EXT}$", re.I)
_CAMERA = re.compile(
    r"^(?:img|dsc|dscn|dscf|dcim|pxl|p|screenshot|scan|image|photo|bild)[_\- ]?\d{2,}\w*$", re.I
)
_URL = re.compile(r"^(?:https?://|ftp://|www\.|data:|file:|//)\S*$", re.I)
_PLACEHOLDER_WORDS = _words(
    """image images img picture pic pics photo photos photograph graphic graphics icon logo figure fig chart
    graph diagram illustration thumbnail banner spacer placeholder alt untitled blank screenshot
    null none undefined bild bilder foto grafik abbildung abb symbolbild diagramm platzhalter
    titelbild beitragsbild vorschaubild photographie graphique schéma schema icône icone diagramme
    vignette"""
)
_PLACEHOLDER_PHRASES = frozenset(
    {"alt text", "image description", "screen shot", "capture d écran", "capture décran", "no alt", "alt tag"}
)

# Link texts that name no destination.  "click" phrases are wrong in any context.
_CLICK = frozenset(
    {"click here", "click", "click this link", "click on this link", "tap here", "hier klicken",
     "klicken sie hier", "klicke hier", "klicken", "cliquez ici", "cliquer ici", "cliquez",
     "cliquez sur ce lien"}
)  # fmt: skip
_VAGUE = frozenset(
    {
        # English
        "here", "this", "this link", "link", "this page", "page", "more", "read more", "learn more",
        "see more", "more info", "more information", "details", "more details", "continue",
        "continue reading", "go", "go here", "website", "this website", "see here", "find out more",
        "full story", "download", "download here", "view",
        # German
        "hier", "mehr", "weiterlesen", "weiter lesen", "mehr erfahren", "mehr lesen", "mehr dazu",
        "mehr infos", "mehr informationen", "dieser link", "diesen link", "weiter", "siehe hier",
        "hier entlang", "hier herunterladen", "download hier",
        # French
        "ici", "en savoir plus", "lire la suite", "lire plus", "plus", "suite", "la suite", "voir plus",
        "en lire plus", "plus d infos", "plus d informations", "détails", "lien", "ce lien", "cette page",
        "voir ici", "télécharger", "télécharger ici",
    }
)  # fmt: skip
_STRIP = " \t.,:;!?…»«›‹→←⟶>|()[]\"'“”‘’„‚–—-•*"
_CONTEXT_WORDS = 3  # words around a vague link in its sentence that explain it
_SENTENCE_END = re.compile(r"[.!?]\s")
_NOTE_MARK = re.compile(r"^[\[(]?(?:\d{1,3}|[*†‡§]{1,3})[\])]?$")
_NOTES_HEADINGS = _words(
    """notes endnotes footnotes references sources anmerkungen fußnoten fussnoten endnoten quellen
    quellenangaben références"""
) | {"notes de bas de page", "notes and references", "notes et références"}
_CAPTION_LABEL = re.compile(
    r"^(?:figure|fig|chart|graph|graphic|table|map|exhibit|abbildung|abb|grafik|tabelle|karte|schaubild|"
    r"graphique|tableau|carte|schéma)\s*[\dIVXivx]+[a-z]?\s*",
)


def norm(text: str) -> str:
    """Case-folded, punctuation removed, white space collapsed."""
    out = "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c for c in text.casefold())
    return " ".join(out.split())


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ images


def image_name(doc: Document, image: Image) -> str:
    """How a message names an image: its file name where known."""
    res = doc.resources.get(image.resource) if image.resource else None
    origin = res.origin if res is not None else None
    if origin and not origin.startswith("data:"):
        name = unquote(origin.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1])
        if re.fullmatch(r"[^\s]+\.\w{2,5}", name):  # a file name, not a description ("page 2 image")
            return f"image {short(name, 50)!r}"
    return "an image"


def alt_problem(alt: str, doc: Document, image: Image) -> str | None:
    """Why ``alt`` tells the reader nothing (file name, URL, placeholder), or None."""
    text = alt.strip()
    if len(text) > 300:
        return None  # a long text is no file name, URL or placeholder
    if _URL.match(text):
        return "is a URL"
    if _FILE_NAME.match(text) or _CAMERA.match(text):
        return "is a file name"
    res = doc.resources.get(image.resource) if image.resource else None
    if res is not None and res.origin and not res.origin.startswith("data:"):
        stem = res.origin.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if len(stem) > 3 and norm(stem) == norm(text):
            return "is the image's file name"
    words = norm(text)
    if not words:
        return "has no letters or digits"
    if words in _PLACEHOLDER_PHRASES:
        return "is a placeholder"
    bits = [w for w in words.split() if not w.isdigit() and not re.fullmatch(r"n?\d+[a-z]?", w)]
    if bits and all(w in _PLACEHOLDER_WORDS for w in bits) and len(bits) <= 2:
        return "is a placeholder"
    return None


def caption_repeat(alt: str, caption: tuple[Inline, ...]) -> bool:
    """Whether ``alt`` is the caption again (its label, "Figure 2:", aside)."""
    cap = norm(plain_text(caption))
    a = norm(alt)
    if not a or not cap:
        return False
    return a == cap or a == _CAPTION_LABEL.sub("", cap).strip() or _CAPTION_LABEL.sub("", a).strip() == cap


def image_rules(doc: Document, visits: Iterable[Visit], sink: Sink, enabled: frozenset[str]) -> None:
    for v in visits:
        image = v.node
        if not isinstance(image, Image):
            continue
        src = image.src or v.scope.src
        name = image_name(doc, image)
        if image.alt is None or (image.alt and not image.alt.strip()):
            if "image-alt" in enabled:
                what = (
                    "has no text alternative" if image.alt is None else "has an alt text of white space only"
                )
                add(sink, "image-alt", f"{name} {what}", src)
            continue
        if not image.alt:
            continue  # decorative
        if "image-alt-suspicious" in enabled:
            why = alt_problem(image.alt, doc, image)
            if why:
                add(sink, "image-alt-suspicious", f"the alt text {short(image.alt)!r} of {name} {why}", src)
        fig = v.scope.figure
        if "image-alt-caption" in enabled and fig is not None and caption_repeat(image.alt, fig.caption):
            # "text alternative", not "alt text": in HTML and EPUB it may be the
            # caption itself, named by aria-labelledby (how our writers name a
            # captioned image that has no alt), and then it is read twice too.
            add(sink, "image-alt-caption", f"the text alternative of {name} repeats its caption", src)


# ------------------------------------------------------------------ links


def link_text(link: Link) -> str:
    return plain_text(link.content)


def generic_kind(text: str) -> str | None:
    """ "click" for click-here texts, "vague" for other texts that name no
    destination (including a bare URL), None for a descriptive text."""
    stripped = text.strip(_STRIP)
    if _URL.match(stripped) and " " not in stripped:
        return "vague"
    key = " ".join(stripped.casefold().replace("’", " ").replace("'", " ").split())
    if key in _CLICK:
        return "click"
    if key in _VAGUE:
        return "vague"
    return None


def _sentence_words(block: object, link: Link) -> int:
    """Words of the link's sentence outside the link (0 when it stands alone)."""
    pieces: list[str] = []
    stack: list[object] = list(reversed(_inlines_of(block)))
    while stack:
        n = stack.pop()
        if n is link:
            pieces.append("\x00")
            continue
        match n:
            case Text(text=t) | Code(text=t):
                pieces.append(t)
            case Image(alt=alt):
                pieces.append(alt or "")
            case LineBreak():
                pieces.append(". ")
            case Note():
                pass
            case _:
                stack.extend(reversed(children(n)))
    text = "".join(pieces)
    at = text.find("\x00")
    if at < 0:
        return 0
    before = _SENTENCE_END.split(text[:at])[-1]
    after = _SENTENCE_END.split(text[at + 1 :])[0]
    return sum(1 for w in re.findall(r"\w+", before + " " + after) if len(w) > 1 or w.isdigit())


def _inlines_of(block: object) -> tuple[object, ...]:
    match block:
        case Paragraph(content=c) | Heading(content=c):
            return c
        case Figure(caption=c) | Table(caption=c):
            return c
        case BlockQuote(attribution=c):
            return c
        case DefinitionItem(term=t):
            return t
    return ()


def link_rules(visits: Iterable[Visit], sink: Sink, enabled: frozenset[str]) -> None:
    for v in visits:
        link = v.node
        if not isinstance(link, Link):
            continue
        text = link_text(link)
        src = v.scope.src
        url = short(link.url, 80)
        if not text:
            if "link-name" in enabled and not (link.title and link.title.strip()):
                add(sink, "link-name", f"the link to {url!r} has no text", src)
            continue
        kind = generic_kind(text)
        if kind is None:
            continue
        if link.title and generic_kind(link.title) is None and len(link.title.strip()) > len(text):
            continue  # its accessible name (aria-label) says where it goes
        in_context = kind == "vague" and _sentence_words(v.scope.block, link) >= _CONTEXT_WORDS
        if not in_context and "link-text-generic" in enabled:
            why = "is a bare URL" if _URL.match(text.strip(_STRIP)) else "does not say where the link goes"
            add(sink, "link-text-generic", f"the link text {short(text)!r} {why} ({url})", src)
        elif in_context and "link-text-vague" in enabled:
            add(
                sink,
                "link-text-vague",
                f"the link text {short(text)!r} names no destination; only its sentence explains it ({url})",
                src,
            )


# ------------------------------------------------------------------ notes


def has_notes(doc: Document, visits: list[Visit]) -> bool:
    for v in visits:
        match v.node:
            case Note() | Endnotes():
                return True
            case Heading(content=c) if norm(plain_text(c)) in _NOTES_HEADINGS:
                return True
    return False


def note_rules(doc: Document, visits: list[Visit], sink: Sink) -> None:
    ids: set[str] = set()
    for v in visits:
        a = attr_of(v.node)
        if a is not None and a.id:
            ids.add(a.id)
    for v in visits:
        if isinstance(v.node, Link) and v.node.url.startswith("#") and len(v.node.url) > 1:
            frag = unquote(v.node.url[1:])
            if frag not in ids and frag.lower() != "top":
                add(
                    sink,
                    "note-ref-link",
                    f"the link to '#{short(frag, 40)}' points to no element of the document",
                    v.scope.src,
                )
    if not has_notes(doc, visits):
        return
    before: dict[int, str] = {}  # id(block) -> text seen so far in that block
    for v in visits:
        key = id(v.scope.block)
        match v.node:
            case Text(text=t) | Code(text=t):
                before[key] = (before.get(key, "") + t)[-40:]
            case Sup(content=c) if v.scope.link is None and not v.scope.in_note:
                marker = plain_text(c)
                if not _NOTE_MARK.match(marker) or _links_inside(c):
                    before[key] = (before.get(key, "") + marker)[-40:]
                    continue
                prev = before.get(key, "")
                if _marker_context(prev):
                    add(
                        sink,
                        "note-ref-link",
                        f"the note marker {marker!r} (after '{short(prev.strip()[-25:], 30)}') "
                        "is not a link to its note",
                        v.scope.src,
                    )
                before[key] = (prev + marker)[-40:]


def _links_inside(content: tuple[Inline, ...]) -> bool:
    stack: list[object] = list(content)
    while stack:
        n = stack.pop()
        if isinstance(n, Link | Note):
            return True
        stack.extend(children(n))
    return False


def _marker_context(prev: str) -> bool:
    """Whether a superscript after ``prev`` reads as a note marker: it follows
    a word (not a number, a unit like m² or a one-letter variable) and is not
    the first thing in its block (the label of a note's own text)."""
    text = prev.rstrip()
    if not text:
        return False
    if text[-1].isdigit():
        return False
    m = re.search(r"(\w+)\W*$", text)
    if m is None:
        return True  # after punctuation: "…policy."¹
    word = m.group(1)
    return len(word) > 2 and not word.isdigit()
