"""Per-call state and small helpers of the HTML writer.

:class:`HtmlContext` is created once per rendering (one page, one EPUB
book) and carries everything that a rendering needs to remember: note
numbering, id allocation, the heading sequence, the images used, and how
image ``src`` values are made.  Nothing here is global or shared between
calls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urlsplit

from lxml import etree

from ..diagnostics import Report
from ..model import Note, Resource
from ..record import Record

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# ASCII subset of an XML NCName: valid as an HTML id and as an XHTML id.
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}\Z")
# BCP 47 shape (not the registry): primary subtag of letters, then subtags.
_LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "ha", "he", "iw", "khw", "ks", "ps", "sd", "ur", "yi"})
_CODE_LANG = re.compile(r"[A-Za-z0-9_+#.-]{1,32}\Z")
# Characters that may stay unescaped in an href; everything else is %-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"

# Elements between which whitespace does not change the rendering.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "ul",
})  # fmt: skip

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Labels(Record):
    """The few words the writer itself adds (accessible names only)."""

    contents: str
    notes: str
    backlink: str  # with "{n}" for the note number


_LABELS: Mapping[str, Labels] = {
    "en": Labels("Contents", "Notes", "Back to note {n} reference"),
    "de": Labels("Inhalt", "Anmerkungen", "Zurück zum Verweis auf Anmerkung {n}"),
    "es": Labels("Índice", "Notas", "Volver a la llamada de la nota {n}"),
    "fr": Labels("Sommaire", "Notes", "Retour à l’appel de note {n}"),
    "it": Labels("Indice", "Note", "Torna al richiamo della nota {n}"),
    "nl": Labels("Inhoud", "Noten", "Terug naar de verwijzing naar noot {n}"),
    "pt": Labels("Índice", "Notas", "Voltar à chamada da nota {n}"),
}


def labels_for(lang: str | None) -> Labels:
    """Labels in the document's language where we have them, else English."""
    primary = (lang or "en").split("-")[0].lower()
    return _LABELS.get(primary, _LABELS["en"])


def valid_lang(lang: str | None) -> str | None:
    """``lang`` when it has the shape of a BCP 47 tag, else None."""
    if lang is None:
        return None
    lang = lang.strip()
    return lang if _LANG.match(lang) else None


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in _RTL


def code_language(language: str | None) -> str | None:
    return language if language is not None and _CODE_LANG.match(language) else None


def is_ncname(value: str) -> bool:
    return bool(_NCNAME.match(value))


# Latin letters that Unicode decomposition does not reduce to ASCII.
_TRANSLITERATE = str.maketrans(
    {"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D",
     "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


def slug(text: str, *, limit: int = 60) -> str:
    """An ASCII id made from ``text`` ("Key findings" -> "key-findings");
    empty when nothing usable is left."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-")
    if out and not out[0].isalpha():
        out = f"s-{out}"
    return out


def safe_href(url: str) -> str | None:
    """``url`` made safe to write (http, https, mailto or a #fragment), or None."""
    url = url.strip()
    if not url or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return None
    if url.startswith("#"):
        return url if len(url) > 1 else None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return quote(url, safe=_URL_SAFE) if _valid_host(parts) else None
    if scheme == "mailto" and parts.path:
        return quote(url, safe=_URL_SAFE)
    return None


# Code points a URL's host may not contain (WHATWG URL standard).
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")


def _valid_host(parts: SplitResult) -> bool:
    """Whether a browser (and nh3, the final sanitiser) can parse the host
    and port of an http(s) URL: a link to an unparsable host is kept as text."""
    try:
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        return False
    if not host:
        return False
    if parts.netloc.rpartition("@")[2].startswith("["):
        return True  # an IPv6 literal, already checked by urlsplit
    if _FORBIDDEN_HOST.search(host):
        return False
    try:
        ascii_host = host.encode("idna").decode("ascii")
        ascii_host.encode("ascii").decode("idna")  # refuses bad punycode (xn--...)
    except UnicodeError:
        return False
    return True


class IdAllocator:
    """Unique ids for one rendering; remembers which source id became which."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._from_source: dict[str, str] = {}

    def allocate(self, base: str) -> str:
        """``base`` (an NCName, or "section" when it is not) made unique."""
        if not is_ncname(base):
            base = "section"
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return candidate

    def from_source(self, source_id: str, fallback: str) -> str:
        """An id for an element that had ``source_id`` in the input: kept when
        it is safe and free, else a safe variant; links to ``source_id`` then
        resolve to it (the first element wins)."""
        base = source_id if is_ncname(source_id) else (slug(source_id) or fallback)
        new = self.allocate(base)
        self._from_source.setdefault(source_id, new)
        return new

    def resolve(self, source_id: str) -> str | None:
        """The output id of the element that had ``source_id``, if any."""
        return self._from_source.get(source_id)


@dataclass(slots=True)
class PendingNote:
    number: int
    note: Note
    ref_id: str
    note_id: str
    lang: str | None  # the language in force where the note is referenced


@dataclass(slots=True)
class CaptionSlot:
    """The caption of the figure being rendered: images without a text
    alternative are named by it (``aria-labelledby``)."""

    text: str
    id: str | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HeadingEntry(Record):
    level: int
    id: str
    element: etree._Element


@dataclass(eq=False)
class HtmlContext:
    """State of one rendering.  Create one per call (see :func:`new_context`)."""

    report: Report
    image_src: Callable[[Resource], str]  # how a resource is referenced from the page
    xhtml: bool = False  # elements in the XHTML namespace, xml:lang beside lang
    epub_types: bool = False  # add epub:type next to the DPUB-ARIA roles
    labels: Labels = field(default_factory=lambda: labels_for(None))
    lang: str | None = None  # the document's language (notes in another language are marked)
    first_heading_is_title: bool = False  # no title in the metadata: the first heading is the h1
    max_depth: int = 40  # nesting of model nodes beyond which content is flattened to text

    resources: Mapping[str, Resource] = field(default_factory=dict)
    ids: IdAllocator = field(default_factory=IdAllocator)
    notes: list[PendingNote] = field(default_factory=list)
    used_resources: dict[str, Resource] = field(default_factory=dict)
    headings: list[HeadingEntry] = field(default_factory=list)
    last_level: int = 1
    title_heading_done: bool = False
    depth: int = 0
    depth_reported: bool = False
    in_note: bool = False
    in_header_cell: int = 0  # inside <th>: no headings or sectioning elements allowed
    link_depth: int = 0
    deferred_refs: list[etree._Element] = field(default_factory=list)
    figures: list[CaptionSlot] = field(default_factory=list)
    endnotes_slot: etree._Element | None = None
    fragment_links: list[tuple[etree._Element, str]] = field(default_factory=list)
    landmark_names: set[tuple[str, str]] = field(default_factory=set)

    # ------------------------------------------------------------ elements

    def tag(self, name: str) -> str:
        return f"{{{XHTML_NS}}}{name}" if self.xhtml else name

    def el(self, name: str, attrib: Mapping[str, str] | None = None) -> etree._Element:
        e = etree.Element(self.tag(name), nsmap={None: XHTML_NS} if self.xhtml else None)
        for k, v in (attrib or {}).items():
            e.set(k, xml_safe(v))
        return e

    def sub(
        self, parent: etree._Element, name: str, attrib: Mapping[str, str] | None = None
    ) -> etree._Element:
        e: etree._Element = etree.SubElement(parent, self.tag(name))
        for k, v in (attrib or {}).items():
            e.set(k, xml_safe(v))
        return e

    def set_lang(self, e: etree._Element, lang: str | None, where: str) -> None:
        if lang is None:
            return
        good = valid_lang(lang)
        if good is None:
            self.report.warning("lang-invalid", f"language tag {lang!r} is not a BCP 47 tag; left out", where)
            return
        e.set("lang", good)
        if self.xhtml:
            e.set(XML_LANG, good)

    def set_epub_type(self, e: etree._Element, value: str) -> None:
        if self.epub_types:
            e.set(f"{{{EPUB_NS}}}type", value)


def local_name(e: etree._Element) -> str:
    tag = e.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


# Refused by XML, or forbidden in HTML (C1 controls, noncharacters).
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def xml_safe(text: str) -> str:
    """``text`` without the characters that XML (and so lxml) refuses.  The
    readers clean text on entry; this keeps a hand-made model from crashing
    the writer."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """``text`` XML-safe with whitespace collapsed (titles, names)."""
    return " ".join(xml_safe(text).split())


def lang_in_force(e: etree._Element) -> str | None:
    """The ``lang`` of ``e`` or of its nearest ancestor that has one."""
    node: etree._Element | None = e
    while node is not None:
        lang = node.get("lang")
        if lang is not None:
            return lang
        node = node.getparent()
    return None


def append_text(parent: etree._Element, text: str) -> None:
    """Add ``text`` at the end of ``parent``'s content."""
    text = xml_safe(text)
    if not text:
        return
    # the last child without len(parent), which counts every child (a page
    # of 100,000 inline elements would cost quadratic time)
    last = next(parent.iterchildren(reversed=True), None)
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def remove_keep_tail(e: etree._Element) -> None:
    """Remove ``e`` from its parent, keeping the text that followed it."""
    parent = e.getparent()
    if parent is None:
        return
    tail = e.tail or ""
    prev = e.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(e)


def unwrap(e: etree._Element) -> None:
    """Replace ``e`` by its content (text and children) in its parent."""
    parent = e.getparent()
    if parent is None:
        return
    index = parent.index(e)
    prev = e.getprevious()
    lead = e.text or ""
    if prev is not None:
        prev.tail = (prev.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(e)
    tail = e.tail or ""
    parent.remove(e)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    else:
        before = parent[index - 1] if index > 0 else None
        if before is not None:
            before.tail = (before.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def text_of(e: etree._Element) -> str:
    """The visible text of ``e`` plus the alt text of its images, collapsed."""
    parts: list[str] = []
    for node in e.iter():
        if local_name(node) == "img":
            parts.append(node.get("alt") or "")
    return " ".join(("".join(e.itertext()) + " " + " ".join(parts)).split())
