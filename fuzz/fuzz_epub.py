"""Fuzz the EPUB reader (``make fuzz``; run alone: ``python fuzz/fuzz_epub.py -max_total_time=60``).
Seeds: our own EPUB outputs of the golden models."""

from __future__ import annotations

import atheris
from _harness import Report, fuzz, written

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert.readers.epub import read_epub


def read(data: bytes, report: Report) -> object:
    return read_epub(data, report=report)


if __name__ == "__main__":
    fuzz(read, written("epub"))  # type: ignore[arg-type]
