"""The Python API: briefconvert.convert() and briefconvert.read()."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefconvert
from briefconvert.diagnostics import Severity
from briefconvert.errors import InputError, UnsupportedFormat
from briefconvert.model import Figure, Heading, Image
from briefconvert.walk import plain_text, query

BRIEF = Path(__file__).resolve().parent.parent / "fixtures" / "brief" / "brief.html"


def test_read_returns_the_model() -> None:
    doc = briefconvert.read(BRIEF)
    assert (
        doc.meta.title
        == "Energy Security after the Gas Crisis: What Europe Learned, and What It Still Has to Do"
    )
    assert doc.meta.authors == ("Katrin Lehmann", "Piotr Nowak")
    assert doc.meta.date == "2025-02-18"
    assert doc.meta.lang == "en"
    images = query(doc, Image)
    assert len(images) == 2 and all(i.resource in doc.resources for i in images)
    assert all(i.alt for i in images)


def test_sample_brief_keeps_content_and_drops_chrome() -> None:
    doc = briefconvert.read(BRIEF)
    headings = [(h.level, plain_text(h.content)) for h in query(doc, Heading)]
    assert headings == [
        (2, "Summary: Key Findings"),
        (2, "Introduction"),
        (2, "What worked"),
        (3, "Storage obligations"),
        (3, "Joint purchasing and demand reduction"),
        (2, "What remains to be done"),
        (2, "Recommendations"),
        (2, "Notes"),
        (2, "Bibliographic data"),
    ]
    text = plain_text(doc.blocks, notes=True)
    kept = ("155 billion cubic metres", "Versorgungssicherheit", "Quarterly Report on European Gas Markets",
            "Lehmann, Katrin and Piotr Nowak: Energy Security")  # fmt: skip
    for snippet in kept:
        assert snippet in text, snippet
    chrome = ("cookies", "External Publications", "Share on", "Related publications", "Hydrogen Illusion",
              "Subscribe", "Imprint", "Home", "download the full text")  # fmt: skip
    for snippet in chrome:
        assert snippet not in text, snippet
    assert len(query(doc, Figure)) == 2


def test_convert_returns_outputs_and_diagnostics() -> None:
    result = briefconvert.convert(BRIEF, to=["html", "txt"])
    assert set(result.outputs) == {"html", "txt"}
    first_line = next(line for line in result.outputs["txt"].data.decode().splitlines() if line.strip("= "))
    assert first_line.startswith("Energy Security after the Gas Crisis")
    assert len(result.outputs["html"].attachments) == 2
    assert all(d.severity <= Severity.WARNING for d in result.diagnostics)


def test_convert_bytes_reads_no_local_files() -> None:
    result = briefconvert.convert(BRIEF.read_bytes(), to="html")
    images = query(result.document, Image)
    assert images and all(i.resource is None for i in images)
    assert [i.alt for i in images] == [i.alt for i in query(briefconvert.read(BRIEF), Image)]
    assert result.outputs["html"].attachments == ()


def test_bad_format_fails_before_reading(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        briefconvert.convert(tmp_path / "missing.html", to="rtf")
    with pytest.raises(InputError):
        briefconvert.convert(tmp_path / "missing.html", to="html")


def test_json_round_trip_through_files(tmp_path: Path) -> None:
    result = briefconvert.convert(BRIEF, to="json")
    path = tmp_path / "brief.json"
    path.write_bytes(result.outputs["json"].data)
    assert briefconvert.read(path) == result.document
    again = briefconvert.convert(path, to="json")
    assert again.outputs["json"].data == result.outputs["json"].data
