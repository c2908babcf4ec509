"""Quality floors of the PDF reader on the project's own fixtures, scored the
way benchmarks/eval_pdf.py scores the corpus (the title as h1 plus the body
headings, levels normalised like a writer does).  Floors may only rise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefconvert.diagnostics import Report
from briefconvert.readers.pdf import PdfReaderOptions, read_pdf
from conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from eval_pdf import model_headings, model_paragraphs, output_headings, reading_order, score

BRIEF = [
    (1, "Water Security in European Cities"),
    (2, "Background"),
    (2, "Findings"),
    (3, "Leakage"),
    (3, "Storage"),
    (4, "Green roofs"),
    (2, "Recommendations"),
    (2, "Notes"),
]
TWO_COLUMNS = [
    (1, "Rivers and Regional Resilience"),
    (2, "1. Introduction"),
    (3, "1.1 Scope"),
    (3, "1.2 Method"),
    (2, "2. Results"),
    (3, "2.1 Costs"),
    (2, "3. Outlook"),
]
TWO_COLUMNS_ORDER = [
    "Rivers shape the economy",
    "We look at twelve",
    "Data came from regional",
    "Regions that invested in",
    "Repairs cost less where",
    "Maintenance of embankments takes",
    "Planning across borders remains",
]

# fixture -> (expected headings, reading order, floors: heading F1, level accuracy, order)
CASES = {
    "tagged/brief.pdf": (BRIEF, [], 1.0, 1.0, 1.0),
    "untagged/brief-outline.pdf": (BRIEF, [], 1.0, 1.0, 1.0),
    "untagged/brief-nooutline.pdf": (BRIEF, [], 1.0, 1.0, 1.0),
    "untagged/two-columns.pdf": (TWO_COLUMNS, TWO_COLUMNS_ORDER, 1.0, 1.0, 1.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_floors(name: str) -> None:
    expected, order, f1_floor, level_floor, order_floor = CASES[name]
    doc = read_pdf(
        (FIXTURES / "pdf" / name).read_bytes(), base=None, options=PdfReaderOptions(), report=Report()
    )
    got = output_headings(doc.meta.title, model_headings(doc))
    _p, _r, f1, level, _pair = score(expected, got)
    assert f1 >= f1_floor, got
    assert level >= level_floor, got
    assert reading_order(order, model_paragraphs(doc)) >= order_floor
