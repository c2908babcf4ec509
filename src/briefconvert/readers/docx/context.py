"""Per-call state of the DOCX reader: the package, styles, numbering, the
story part being read (document, footnotes, endnotes), open fields and the
resources loaded so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...diagnostics import Report
from ...model import Block, Resource, SourceRef
from ...options import DocxReaderOptions
from ...record import Record
from .ns import Element
from .numbering import Counters, Numbering
from .package import Package, Rel
from .styles import Styles

MAX_DEPTH = 24  # tables in cells, text boxes in text boxes ...: deeper content becomes plain text
MAX_FIELDS = 32  # nested complex fields tracked


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LinkTarget(Record):
    """Where the runs of one hyperlink go; ``n`` keeps two adjacent links to
    the same place apart."""

    n: int
    url: str
    title: str | None = None


@dataclass(slots=True)
class Field:
    """A complex field (``w:fldChar`` begin ... separate ... end) being read."""

    instr: list[str] = field(default_factory=list)
    in_result: bool = False
    link: LinkTarget | None = None  # for HYPERLINK fields


@dataclass(slots=True)
class Story:
    """The part whose paragraphs are being read and its numbering of them."""

    name: str  # "word/document.xml"
    rels: dict[str, Rel]
    numbers: dict[Element, int]  # w:p -> 1-based position in the part


@dataclass(slots=True)
class ReadContext:
    pkg: Package
    main: str  # the main document part's name
    options: DocxReaderOptions
    report: Report
    styles: Styles
    numbering: Numbering
    base_lang: str | None  # the language of text that declares none
    anchors: frozenset[str]  # bookmark names that links point to
    story: Story
    read_blocks: Callable[[ReadContext, Element], tuple[Block, ...]]
    resources: dict[str, Resource] = field(default_factory=dict)
    images: dict[str, str | None] = field(default_factory=dict)  # image part -> resource key
    notes: dict[tuple[str, str], tuple[Block, ...]] = field(default_factory=dict)
    note_parts: dict[str, tuple[Story, dict[str, Element]] | None] = field(default_factory=dict)
    counters: Counters = field(default_factory=Counters)
    fields: list[Field] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    in_note: bool = False
    in_header: bool = False  # reading a header row: its bold is the row's look, not emphasis
    depth: int = 0
    depth_reported: bool = False
    next_link: int = 0
    floats: list[Block] = field(default_factory=list)  # text-box content of the paragraph being read

    def src(self, p: Element | None) -> SourceRef:
        """Where a node comes from: the story part and the paragraph's
        1-based position in it (``line`` counts paragraphs: DOCX has no lines)."""
        line = self.story.numbers.get(p) if p is not None else None
        return SourceRef(line=line, part=self.story.name)

    def link(self, url: str, title: str | None = None) -> LinkTarget:
        self.next_link += 1
        return LinkTarget(self.next_link, url, title)
