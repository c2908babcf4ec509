"""Fuzz the HTML reader (``make fuzz``; run alone: ``python fuzz/fuzz_html.py -max_total_time=60``)."""

from __future__ import annotations

import atheris
from _harness import Report, files, fuzz

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert.options import HtmlReaderOptions
    from briefconvert.readers.html import read_html


def read(data: bytes, report: Report) -> object:
    return read_html(data, base=None, options=HtmlReaderOptions(), report=report)


if __name__ == "__main__":
    fuzz(read, files("fixtures/html/*.html"))  # type: ignore[arg-type]
