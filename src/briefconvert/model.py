"""The intermediate document model.

Every reader produces a :class:`Document`; every writer consumes one.  Nodes are
frozen, slotted dataclasses whose children are tuples, so a tree is a value:
two documents with the same content compare equal, and a transform rebuilds
the parts it changes with :func:`dataclasses.replace`.  (Equality, hashing
and repr come from :class:`briefconvert.record.Record`, written once instead
of generated per class at import: see that module.)

Conventions that the whole code base relies on:

* ``Image.alt is None`` means the text alternative is *unknown* (a fault that
  the accessibility rules report); ``""`` means the image was declared
  decorative.  Nothing ever invents placeholder alt text.
* Provenance (:class:`SourceRef`) is keyword-only, defaults to ``None`` and is
  excluded from equality, so goldens and round trips ignore it.
* There is no raw-markup pass-through node: what the model cannot hold becomes
  text plus a diagnostic.
* Footnotes are inline :class:`Note` nodes at the point of reference (the
  content travels with the reference); writers number them.  An
  :class:`Endnotes` block marks where the collected notes go (the heading
  above it, if any, is an ordinary :class:`Heading`); without one, writers put
  them at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

from .record import Record

# The JSON form of the model (writers/jsonmodel.py, readers/jsonmodel.py, docs/model.md).
JSON_SCHEMA = "briefconvert-model"
JSON_SCHEMA_VERSION = 2  # 2: SourceRef.part


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SourceRef(Record):
    """Where a node came from: a line of an HTML file or a region of a PDF page."""

    line: int | None = None
    page: int | None = None  # 1-based physical page index
    bbox: tuple[float, float, float, float] | None = None
    how: str | None = None  # which signal produced the node: "tag", "outline", "style", ...
    part: str | None = None  # a file inside a container (EPUB chapter, DOCX part) holding ``line``


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Attr(Record):
    """Identity and language of a node.  ``lang`` marks a change of language."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    lang: str | None = None


NO_ATTR = Attr()


# --------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Text(Record):
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Emph(Record):
    """Emphasised text (HTML em)."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Strong(Record):
    """Strongly emphasised text (HTML strong)."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Sub(Record):
    """Subscript."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Sup(Record):
    """Superscript."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Code(Record):
    """Inline code."""

    text: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Link(Record):
    """A hyperlink: http(s), mailto or an internal #fragment."""

    content: tuple[Inline, ...]
    url: str
    title: str | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Image(Record):
    """An image.  ``resource`` is a key of ``Document.resources``, or ``None``
    when the image could not (or must not) be loaded: then only its text
    alternative survives."""

    resource: str | None
    alt: str | None
    title: str | None = None
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Note(Record):
    """A footnote or endnote: its content, placed where it is referenced."""

    blocks: tuple[Block, ...]
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Span(Record):
    """Inline content with an identity or a change of language."""

    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LineBreak(Record):
    """A forced line break."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PageBreak(Record):
    """Where a page of the print edition begins; ``label`` is its printed page
    number (from the PDF's page labels, else the page's position).  Writers
    that know pages (EPUB page list, HTML) mark it; the others skip it."""

    label: str
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


Inline: TypeAlias = (
    Text | Emph | Strong | Sub | Sup | Code | Link | Image | Note | Span | LineBreak | PageBreak
)


# ---------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Paragraph(Record):
    """A paragraph of inline content."""

    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Heading(Record):
    """A heading; ``level`` 1..6."""

    level: int  # 1..6, as found in the source; transforms make levels contiguous
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ListItem(Record):
    """An item of a list: blocks."""

    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BulletList(Record):
    """An unordered list."""

    items: tuple[ListItem, ...]
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


NumberStyle = Literal["1", "a", "A", "i", "I"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class OrderedList(Record):
    """A numbered list starting at ``start`` in the given number style."""

    items: tuple[ListItem, ...]
    start: int = 1
    style: NumberStyle = "1"
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DefinitionItem(Record):
    """A term and its definitions."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DefinitionList(Record):
    """A list of terms and definitions."""

    items: tuple[DefinitionItem, ...]
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BlockQuote(Record):
    """A quotation, with its attribution kept apart."""

    blocks: tuple[Block, ...]
    attribution: tuple[Inline, ...] = ()  # "— Name, source": not part of the quote
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Figure(Record):
    """A figure (usually an image) with its caption."""

    blocks: tuple[Block, ...]  # usually one Paragraph holding the Image(s)
    caption: tuple[Inline, ...] = ()
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


Scope = Literal["col", "row", "colgroup", "rowgroup"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Cell(Record):
    """A table cell; ``header`` cells are th with an optional ``scope``."""

    blocks: tuple[Block, ...]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    scope: Scope | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Row(Record):
    """A table row."""

    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Table(Record):
    """A table: header rows, one or more bodies, footer rows, caption."""

    head: tuple[Row, ...]
    bodies: tuple[tuple[Row, ...], ...]
    foot: tuple[Row, ...] = ()
    caption: tuple[Inline, ...] = ()
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


AsideKind = Literal["summary", "box", "sidebar"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Aside(Record):
    """A box set apart from the flow: a "Key findings" summary, a text box."""

    blocks: tuple[Block, ...]
    kind: AsideKind = "box"
    attr: Attr = NO_ATTR
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CodeBlock(Record):
    """Preformatted code or text."""

    text: str
    language: str | None = None
    src: SourceRef | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ThematicBreak(Record):
    """A thematic break (HTML hr)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Div(Record):
    """A generic group of blocks; used to carry a language change or an id."""

    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Endnotes(Record):
    """Marks where the document's collected notes are rendered."""


Block: TypeAlias = (
    Paragraph
    | Heading
    | BulletList
    | OrderedList
    | DefinitionList
    | BlockQuote
    | Figure
    | Table
    | Aside
    | CodeBlock
    | ThematicBreak
    | Div
    | Endnotes
)


# -------------------------------------------------------------------- document


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Resource(Record):
    """Binary content (an image), stored once under its content-hash key."""

    key: str  # "sha256-<12 hex>.<ext>", see resources.resource_key
    media_type: str
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None
    origin: str | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Meta(Record):
    """The document's metadata."""

    title: str | None = None
    subtitle: str | None = None
    lang: str | None = None  # BCP 47
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD) where known
    publisher: str | None = None
    description: str | None = None
    identifier: str | None = None
    source_url: str | None = None
    keywords: tuple[str, ...] = ()
    rights: str | None = None
    page_source: str | None = None  # the print edition that PageBreak labels refer to (ISBN, URL, title)


def _frozen(mapping: Mapping[str, Resource] | None = None) -> Mapping[str, Resource]:
    return MappingProxyType(dict(sorted((mapping or {}).items())))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Document(Record):
    """A whole document: metadata, blocks and the resources they use."""

    meta: Meta = Meta()
    blocks: tuple[Block, ...] = ()
    resources: Mapping[str, Resource] = field(default_factory=_frozen)

    def __post_init__(self) -> None:
        if not isinstance(self.resources, MappingProxyType):
            object.__setattr__(self, "resources", _frozen(self.resources))


BLOCK_TYPES: tuple[type, ...] = (
    Paragraph, Heading, BulletList, OrderedList, DefinitionList, BlockQuote, Figure,
    Table, Aside, CodeBlock, ThematicBreak, Div, Endnotes,
)  # fmt: skip
INLINE_TYPES: tuple[type, ...] = (
    Text, Emph, Strong, Sub, Sup, Code, Link, Image, Note, Span, LineBreak, PageBreak,
)  # fmt: skip
