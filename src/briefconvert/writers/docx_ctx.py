"""Per-call state of the DOCX writer.

:class:`DocxContext` is created once per :func:`write_docx` call and holds
everything that the rendering remembers: the python-docx parts, list
numbering, footnotes, bookmarks, relationship caches, id counters and the
heading sequence.  :class:`Env` is the immutable rendering environment that
blocks pass down to the blocks they contain (style, indent, language, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..diagnostics import Report
from ..model import Attr, Document, Link, Note
from ..record import Record
from ..walk import walk
from .docx_opc import RT_HYPERLINK, Package, Part
from .docx_parts import Numbering
from .docx_xml import XML_SPACE, ParaProps, W, sub

NO_PROPS = ParaProps()

MAX_DEPTH = 40  # nesting of blocks or inlines past which content is flattened to text
_BOOKMARK_BAD = re.compile(r"[^A-Za-z0-9_]")
_BOOKMARK_MAX = 40  # Word's limit on bookmark names


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Env(Record):
    """How the blocks at this point of the tree are rendered."""

    style: str | None = None  # paragraph style of plain paragraphs: Quote, FootnoteText
    indent: int = 0  # left indent of plain paragraphs (twips): lists, definitions
    list_level: int = -1  # ilvl of the enclosing list item; -1 outside lists
    num: tuple[int, int] | None = None  # (numId, ilvl): the first paragraph of a list item
    box: bool = False  # inside an Aside: bordered, shaded paragraphs
    bold: bool = False  # inside a header cell
    lang: str | None = None  # language in force (None: the document's)
    in_note: bool = False
    keep_next: bool = False  # keep with the next paragraph (figure image before its caption)


class HeadingGuard:
    """Heading levels without skips and with a single Heading 1.

    The title (when the document has one) is the Heading 1.  A model heading
    of level n becomes Heading n, except that it is clamped to one more than
    the previous heading's level and that a second level 1 is demoted to 2.
    """

    def __init__(self, title: bool) -> None:
        self.previous = 1 if title else 0
        self.has_h1 = title

    def level_for(self, level: int) -> int:
        new = min(max(level, 1), self.previous + 1, 6)
        if new == 1 and self.has_h1:
            new = 2
        return new

    def commit(self, level: int) -> None:
        self.previous = level
        self.has_h1 = self.has_h1 or level == 1


@dataclass(slots=True)
class DocxContext:
    doc: Document
    report: Report
    package: Package
    document_part: Part
    numbering: Numbering
    headings: HeadingGuard
    lang: str | None  # the document's language
    text_width: int  # EMU
    text_height: int  # EMU
    new_footnotes_part: Callable[[], tuple[Part, etree._Element]]
    part: Part | None = None  # the story part being written (document or footnotes): relationships go there
    footnotes: etree._Element | None = None
    footnotes_part: Part | None = None
    footnote_count: int = 0
    note_ref_pending: bool = False  # the next paragraph starts with the footnote's own number
    bookmarks: dict[str, str] = field(default_factory=dict)  # model id -> bookmark name (targets only)
    placed: set[str] = field(default_factory=set)  # ids whose bookmark exists
    pending: list[str] = field(default_factory=list)  # bookmark names for the next paragraph
    next_bookmark: int = 0
    next_docpr: int = 1
    images: dict[tuple[int, str], tuple[str, int, int]] = field(default_factory=dict)  # -> rId, px w, h
    image_count: int = 0
    depth: int = 0
    depth_reported: bool = False
    render_note: Callable[[DocxContext, Note, Env], None] | None = None

    def __post_init__(self) -> None:
        self.part = self.document_part
        self.bookmarks = _bookmark_names(self.doc)

    def ensure_footnotes(self) -> etree._Element:
        """The footnotes part's root, created on the first note."""
        if self.footnotes is None:
            self.footnotes_part, self.footnotes = self.new_footnotes_part()
        return self.footnotes

    # ------------------------------------------------------------ paragraphs

    def new_paragraph(self, parent: etree._Element, props: ParaProps = NO_PROPS) -> etree._Element:
        """A new ``w:p`` in ``parent``; the first paragraph of a footnote
        starts with the footnote's number."""
        p: etree._Element = etree.SubElement(parent, W + "p")
        props.apply(p)
        if self.note_ref_pending:
            self.note_ref_pending = False
            self.footnote_ref_run(p)
        return p

    def footnote_ref_run(self, p: etree._Element) -> None:
        run = sub(p, "r")
        rpr = sub(run, "rPr")
        sub(rpr, "rStyle", val="FootnoteReference")
        sub(run, "footnoteRef")
        space = sub(sub(p, "r"), "t")  # the space Word itself puts between the number and the text
        space.set(XML_SPACE, "preserve")
        space.text = " "

    def finish_paragraph(self, p: etree._Element, *, keep_empty: bool = False) -> bool:
        """Place pending bookmarks in ``p``; drop ``p`` when it carries
        nothing (no text, drawing or note reference), keeping the bookmarks
        pending for the next paragraph.  Returns whether ``p`` stayed."""
        if not keep_empty and not has_content(p):
            parent = p.getparent()
            assert parent is not None
            parent.remove(p)
            return False
        if self.pending:
            self.wrap_bookmarks(p, self.pending)
            self.pending = []
        return True

    def wrap_bookmarks(self, p: etree._Element, names: list[str]) -> None:
        ppr = p.find(W + "pPr")
        at = 0 if ppr is None else 1
        for name in names:
            bid = str(self.next_bookmark)
            self.next_bookmark += 1
            start = etree.Element(W + "bookmarkStart", {W + "id": bid, W + "name": name})
            p.insert(at, start)
            at += 1
            sub(p, "bookmarkEnd", id=bid)

    # ------------------------------------------------------------- bookmarks

    def target(self, model_id: str | None) -> str | None:
        """The bookmark name for ``model_id`` when it is a link target placed
        for the first time here, else None."""
        if model_id is None or model_id in self.placed:
            return None
        name = self.bookmarks.get(model_id)
        if name is not None:
            self.placed.add(model_id)
        return name

    def mark(self, model_id: str | None) -> None:
        """Bookmark the next paragraph written as ``model_id`` (if a target)."""
        name = self.target(model_id)
        if name is not None:
            self.pending.append(name)

    # ---------------------------------------------------------- relationships

    def hyperlink_rid(self, url: str) -> str:
        """The external relationship id for ``url`` in the current part."""
        assert self.part is not None
        return self.part.relate(RT_HYPERLINK, url, external=True)

    def next_docpr_id(self) -> int:
        n = self.next_docpr
        self.next_docpr += 1
        return n


def has_content(p: etree._Element) -> bool:
    """Whether a paragraph shows something: non-blank text, a drawing or a
    note reference."""
    for el in p.iter(W + "t", W + "drawing", W + "footnoteReference", W + "footnoteRef"):
        if el.tag != W + "t" or (el.text and el.text.strip()):
            return True
    return False


def _bookmark_names(doc: Document) -> dict[str, str]:
    """Bookmark names for the ids that internal links (``#id``) point to,
    in document order, made valid for Word (letters, digits, underscore; a
    letter first; at most 40 characters) and unique."""
    targets = {n.url[1:] for n in walk(doc) if isinstance(n, Link) and n.url.startswith("#")}
    targets.discard("")
    if not targets:
        return {}
    ids = [a.id for n in walk(doc) if isinstance(a := getattr(n, "attr", None), Attr) and a.id]
    names: dict[str, str] = {}
    used: set[str] = set()
    for model_id in ids:
        if model_id not in targets or model_id in names:
            continue
        base = _BOOKMARK_BAD.sub("_", model_id)
        if not base[:1].isalpha():
            base = "id_" + base
        base = base[:_BOOKMARK_MAX]
        name, n = base, 2
        while name.lower() in used:  # Word compares bookmark names case-insensitively
            suffix = f"_{n}"
            name = base[: _BOOKMARK_MAX - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        names[model_id] = name
    return names
