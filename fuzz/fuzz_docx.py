"""Fuzz the DOCX reader (``make fuzz``; run alone: ``python fuzz/fuzz_docx.py -max_total_time=60``).
Seeds: our own DOCX outputs of the golden models."""

from __future__ import annotations

import atheris
from _harness import Report, fuzz, written

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert.readers.docx import read_docx


def read(data: bytes, report: Report) -> object:
    return read_docx(data, report=report)


if __name__ == "__main__":
    fuzz(read, written("docx"))  # type: ignore[arg-type]
