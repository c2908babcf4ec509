"""Options: one frozen dataclass per reader and writer, composed in ConvertOptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .record import Record

if TYPE_CHECKING:
    from .alttext import AltTextSidecar


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HtmlReaderOptions(Record):
    main_content: bool = True  # find the main content and drop web chrome
    max_bytes: int = 64 * 1024 * 1024  # larger inputs are refused (LimitExceeded)
    max_image_pixels: int = 40_000_000
    # --max-elements: every element costs time in the reader and each writer (about 3 s for four
    # formats at this size), and a hostile page can hold millions in a few megabytes
    max_elements: int = 30_000
    # Read the page as written, faults included, for `briefconvert check`: the
    # title and language only from <title> and <html lang> (raw, even when not
    # a valid tag), invalid lang marks kept, the title heading and masthead kept
    # in the flow, empty headings and links kept, links kept whatever their
    # target, images named by aria-label/title.  Conversions leave it off.
    keep_faults: bool = False


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PdfReaderOptions(Record):
    password: str | None = None  # --password; the empty user password is always tried
    max_bytes: int = 256 * 1024 * 1024  # larger inputs are refused (LimitExceeded)
    max_pages: int = 2_000  # --max-pages
    max_image_pixels: int = 40_000_000  # per image; larger images keep only their alt text
    max_stream_bytes: int = 64 * 1024 * 1024  # decompressed size of one stream (--max-stream-size)
    max_objects_per_page: int = 200_000  # content-stream operators read per page
    trust_tags_min_coverage: float = 0.5  # share of a page's text the tags must cover
    images: bool = True  # extract embedded raster images


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DocxReaderOptions(Record):
    max_bytes: int = 256 * 1024 * 1024  # the .docx file itself (LimitExceeded above it)
    max_entries: int = 20_000  # zip entries
    max_part_bytes: int = 128 * 1024 * 1024  # decompressed size of one XML part
    max_image_bytes: int = 64 * 1024 * 1024  # decompressed size of one image (larger: alt text only)
    max_total_bytes: int = 512 * 1024 * 1024  # everything decompressed while reading one file
    max_image_pixels: int = 40_000_000
    max_elements: int = 1_000_000  # XML elements in one part (a 2,000-page report has about 500,000)
    images: bool = True  # load embedded images (False: Image nodes keep their alt text only)


def _chapter_options() -> HtmlReaderOptions:
    return HtmlReaderOptions(main_content=False)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EpubReaderOptions(Record):
    max_bytes: int = 256 * 1024 * 1024  # the .epub file itself (LimitExceeded above it)
    max_entries: int = 10_000  # zip entries
    max_entry_bytes: int = 64 * 1024 * 1024  # decompressed size of one entry (larger: not read)
    max_total_bytes: int = 512 * 1024 * 1024  # everything decompressed while reading one file
    max_documents: int = 2_000  # content documents read from the spine
    # How each content document is read: the whole body (no chrome removal);
    # ``keep_faults=True`` for `briefconvert check`.
    html: HtmlReaderOptions = field(default_factory=_chapter_options)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HtmlWriterOptions(Record):
    embed_images: bool = False  # data: URIs instead of files in ``assets_dir``
    assets_dir: str = "images"  # folder (relative to the page) for image files
    toc: bool | None = None  # None: a table of contents for long documents only
    stylesheet: bool = True


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TextWriterOptions(Record):
    width: int = 72  # wrap column; 0 means no wrapping


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MarkdownWriterOptions(Record):
    assets_dir: str = "images"  # folder (relative to the .md file) for image files


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class JsonWriterOptions(Record):
    resource_data: bool = True  # base64 resource bytes (needed for a round trip)
    provenance: bool = False  # include SourceRef data


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DocxWriterOptions(Record):
    # Page size: "auto" is US Letter for English without a region and for the
    # regions that use Letter (the US, Canada, Mexico, the Philippines, most of
    # Central America, Chile, Colombia, Venezuela), A4 for every other language.
    paper: Literal["auto", "a4", "letter"] = "auto"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EpubWriterOptions(Record):
    identifier: str | None = None  # dc:identifier; default derived from the content hash
    conforms_to: str | None = None  # a dcterms:conformsTo claim, only when the user makes it


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ConvertOptions(Record):
    html_reader: HtmlReaderOptions = field(default_factory=HtmlReaderOptions)
    pdf_reader: PdfReaderOptions = field(default_factory=PdfReaderOptions)
    html: HtmlWriterOptions = field(default_factory=HtmlWriterOptions)
    txt: TextWriterOptions = field(default_factory=TextWriterOptions)
    md: MarkdownWriterOptions = field(default_factory=MarkdownWriterOptions)
    json: JsonWriterOptions = field(default_factory=JsonWriterOptions)
    docx: DocxWriterOptions = field(default_factory=DocxWriterOptions)
    epub: EpubWriterOptions = field(default_factory=EpubWriterOptions)
    alt_text: AltTextSidecar | None = None  # --alt-text: applied right after reading (transforms/alt_text.py)
