"""Fuzz the model JSON reader (``make fuzz``; run alone: ``python fuzz/fuzz_json.py -max_total_time=60``)."""

from __future__ import annotations

import atheris
from _harness import Report, files, fuzz

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert.readers.jsonmodel import read_json


def read(data: bytes, report: Report) -> object:
    return read_json(data, base=None, options=None, report=report)


if __name__ == "__main__":
    fuzz(read, files("tests/golden/jsonmodel/*.json"))  # type: ignore[arg-type]
