"""Shared by the fuzz targets: run one input through a reader, the
transforms and the fast writers; seed a temporary corpus; start atheris.

A finding is any exception other than BriefconvertError (the clean refusal
every reader may raise): a crash, a RecursionError, a writer failing on
what a reader produced.  libFuzzer's own limits (-timeout, -rss_limit_mb,
set by ``make fuzz``) turn hangs and memory blow-ups into findings too.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent

with atheris.instrument_imports(include=["briefconvert"]):
    from briefconvert import transforms
    from briefconvert.diagnostics import Report
    from briefconvert.errors import BriefconvertError
    from briefconvert.model import Document
    from briefconvert.pipeline import write

Reader = Callable[[bytes, Report], Document]
WRITERS = ("html", "txt", "md")


def exercise(read: Reader, data: bytes) -> None:
    report = Report()
    try:
        doc = read(data, report)
    except BriefconvertError:
        return
    doc = transforms.apply(doc, report)
    for fmt in WRITERS:
        write(doc, fmt, report=report)


def fuzz(read: Reader, seeds: Iterable[bytes]) -> None:
    """Fuzz ``read`` from ``seeds`` (written to a temporary corpus folder,
    so that nothing in the checkout is touched), with sys.argv's libFuzzer
    flags."""
    corpus = Path(tempfile.mkdtemp(prefix="briefconvert-fuzz-"))
    try:
        for i, seed in enumerate(seeds):
            (corpus / f"seed-{i:03d}").write_bytes(seed)
        args = [*sys.argv, str(corpus)]
        atheris.Setup(args, lambda data: exercise(read, data))
        atheris.Fuzz()
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


def files(pattern: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(ROOT.glob(pattern)) if p.is_file()]


def written(fmt: str) -> list[bytes]:
    """Seeds made by our own writers from the golden models."""
    from briefconvert.readers.jsonmodel import read_json

    out = []
    for data in files("tests/golden/jsonmodel/*.json"):
        try:
            doc = read_json(data, base=None, options=None, report=Report())
        except BriefconvertError:
            continue
        out.append(write(doc, fmt, report=Report()).data)
    return out
