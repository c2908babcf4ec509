"""Fuzz the PDF reader (``make fuzz``; run alone: ``python fuzz/fuzz_pdf.py -max_total_time=60``)."""

from __future__ import annotations

import atheris
from _harness import Report, files, fuzz

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert.options import PdfReaderOptions
    from briefconvert.readers.pdf import read_pdf


def read(data: bytes, report: Report) -> object:
    return read_pdf(data, base=None, options=PdfReaderOptions(), report=report)


if __name__ == "__main__":
    fuzz(read, files("fixtures/pdf/untagged/two-columns.pdf") + files("fixtures/pdf/tagged/*.pdf"))  # type: ignore[arg-type]
