"""The seam between the PDF reader and the library that parses PDF files.

Everything the heuristics and the structure-tree mapping need is expressed
here as plain, frozen dataclasses; :class:`Backend` is the small interface an
implementation provides.  The only implementation today is
:mod:`.backend_pypdf`; a faster one (pypdfium2 exposes the same facts) can be
added without touching the heuristics.

Coordinates are PDF points in a top-down frame: the origin is the top-left
corner of the page's visible box (after ``/Rotate``), ``y`` grows downwards.
A bounding box is ``(x0, top, x1, bottom)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeAlias

from ...record import Record

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

BBox: TypeAlias = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TextSpan(Record):
    """A run of text drawn with one font at one position."""

    text: str
    bbox: BBox
    baseline: float  # y of the baseline (top-down)
    size: float  # font size in points, after all transformations
    font: str  # base font name without the subset prefix
    bold: bool = False
    italic: bool = False
    monospace: bool = False
    mcid: int | None = None  # innermost marked-content id in force
    artifact: bool = False  # inside /Artifact marked content
    upright: bool = True  # False for rotated or vertical text


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ImagePlacement(Record):
    """A raster image drawn on a page."""

    ref: int  # handle for :meth:`Backend.image`
    bbox: BBox
    pixel_width: int
    pixel_height: int
    mcid: int | None = None
    artifact: bool = False


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LinkAnnotation(Record):
    bbox: BBox
    uri: str | None  # the action's URI, unchecked
    ref: int | None  # object number, to match /OBJR references in the structure tree
    dest_page: int | None = None  # 0-based target page of an internal link


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PageData(Record):
    index: int  # 0-based
    width: float
    height: float
    label: str  # printed page label (/PageLabels), else the 1-based number
    spans: tuple[TextSpan, ...]
    images: tuple[ImagePlacement, ...] = ()
    links: tuple[LinkAnnotation, ...] = ()
    rules: tuple[BBox, ...] = ()  # filled rectangles and straight lines (tables, boxes)
    truncated: bool = False  # the content stream was cut at a limit


# ------------------------------------------------------------ structure tree


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ContentRef(Record):
    """Marked content ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AnnotRef(Record):
    """An annotation (a link) referenced from the structure tree (/OBJR)."""

    page: int | None
    ref: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StructElement(Record):
    type: str  # standard structure type after /RoleMap ("H1", "P", "Figure"...)
    kids: tuple[StructKid, ...] = ()
    page: int | None = None
    alt: str | None = None
    actual_text: str | None = None
    lang: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)  # Scope, ColSpan, RowSpan, Placement
    raw_type: str | None = None  # the type before /RoleMap when it differs


StructKid: TypeAlias = StructElement | ContentRef | AnnotRef


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class OutlineEntry(Record):
    title: str
    level: int  # 1 = top level
    page: int | None  # 0-based destination page
    top: float | None = None  # destination y (top-down), when given


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DocumentInfo(Record):
    info: Mapping[str, str]  # /Info entries without the slash: Title, Author, Subject...
    xmp: Mapping[str, tuple[str, ...]]  # XMP: "title", "creator", "date", "language", ...
    lang: str | None  # the catalog's /Lang
    marked: bool  # /MarkInfo /Marked true
    has_structure: bool  # a /StructTreeRoot exists
    page_count: int


class Backend(Protocol):
    """What the reader asks of a PDF library.  Calls are made inside the
    context manager returned by the opener (limits apply there)."""

    def info(self) -> DocumentInfo: ...

    def page(self, index: int, *, max_operations: int = 200_000) -> PageData: ...

    def structure(self) -> StructElement | None: ...

    def outline(self) -> tuple[OutlineEntry, ...]: ...

    def image(self, ref: int) -> PILImage | None: ...


class Opener(Protocol):
    """Opens a PDF under limits; raises InputError or LimitExceeded.  Messages
    about damage the library worked around are appended to ``messages``."""

    def __call__(
        self, data: bytes, *, password: str | None, max_stream_bytes: int, messages: list[str] | None = None
    ) -> AbstractContextManager[Backend]: ...
