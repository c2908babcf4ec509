"""Options and safety limits of the DOCX reader.

Kept here until ``DocxReaderOptions`` joins the other reader options in
``briefconvert.options`` (a shared module this reader's author does not own).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocxReaderOptions:
    max_bytes: int = 256 * 1024 * 1024  # the .docx file itself (LimitExceeded above it)
    max_entries: int = 20_000  # zip entries
    max_part_bytes: int = 128 * 1024 * 1024  # decompressed size of one XML part
    max_image_bytes: int = 64 * 1024 * 1024  # decompressed size of one image (larger: alt text only)
    max_total_bytes: int = 512 * 1024 * 1024  # everything decompressed while reading one file
    max_image_pixels: int = 40_000_000
    max_elements: int = 1_000_000  # XML elements in one part (a 2,000-page report has about 500,000)
    images: bool = True  # load embedded images (False: Image nodes keep their alt text only)
