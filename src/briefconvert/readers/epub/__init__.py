"""The EPUB reader: an EPUB 2 or 3 book -> Document.

Steps, each in its own module: the ZIP container under limits, its
``mimetype`` and ``META-INF/container.xml`` (container) -> the package
document: metadata, manifest, spine (package) -> the spine's XHTML documents
parsed once (xhtml, book) -> each read with the HTML reader, its images taken
from the container, and joined into one model (chapters).

* Metadata is only what the package declares (package.book_meta): nothing is
  inferred from headings, nothing defaulted.
* The navigation document is not content: it is not read into the model
  (the rules look at it).
* Locations: nodes carry ``SourceRef(line=..., part=<entry name>)``.
* Safety: entry names are dictionary keys, never paths; every entry is
  decompressed through a cap (zip bombs); XML is parsed with an explicit safe
  parser; nothing outside the file is read.
"""

from __future__ import annotations

from pathlib import Path

from ...diagnostics import Report
from ...model import Document
from ...options import EpubReaderOptions
from .book import Book, open_book
from .chapters import read_documents
from .package import book_meta

__all__ = ["Book", "EpubReaderOptions", "open_book", "read_book", "read_epub"]


def read_epub(
    data: bytes, *, base: Path | None = None, options: EpubReaderOptions | None = None, report: Report
) -> Document:
    """Read an EPUB.  ``base`` is unused (a book carries its images).  Raises
    InputError when ``data`` is not a readable EPUB and LimitExceeded when a
    safety limit is reached; anything else becomes diagnostics."""
    del base
    options = options or EpubReaderOptions()
    return read_book(open_book(data, options, report), options, report)


def read_book(book: Book, options: EpubReaderOptions, report: Report) -> Document:
    """The document model of an opened book."""
    return read_documents(book, book_meta(book.package), options, report)
