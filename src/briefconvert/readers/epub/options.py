"""Options and safety limits of the EPUB reader.

Kept here until ``EpubReaderOptions`` joins the other reader options in
``briefconvert.options`` (a shared module this reader's author does not own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...options import HtmlReaderOptions


def _chapter_options() -> HtmlReaderOptions:
    return HtmlReaderOptions(main_content=False)


@dataclass(frozen=True, slots=True)
class EpubReaderOptions:
    max_bytes: int = 256 * 1024 * 1024  # the .epub file itself (LimitExceeded above it)
    max_entries: int = 10_000  # zip entries
    max_entry_bytes: int = 64 * 1024 * 1024  # decompressed size of one entry (larger: not read)
    max_total_bytes: int = 512 * 1024 * 1024  # everything decompressed while reading one file
    max_documents: int = 2_000  # content documents read from the spine
    # How each content document is read: the whole body (no chrome removal);
    # ``keep_faults=True`` for `briefconvert check`.
    html: HtmlReaderOptions = field(default_factory=_chapter_options)
