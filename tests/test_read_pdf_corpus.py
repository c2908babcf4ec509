"""Quality floors of the PDF reader on ../shared/corpus (generated briefs in
five renderings, real third-party PDFs), measured with benchmarks/eval_pdf.py.
Floors may only rise; the acceptance targets of the PDF issue are the
minimum they started from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import SHARED, require_shared

CORPUS = SHARED / "corpus"
require_shared(CORPUS)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from eval_pdf import Result, cases, evaluate  # noqa: E402

# kind -> heading F1, exact level accuracy, alt carried, reading order (means)
FLOORS = {
    "tagged": (1.0, 1.0, 1.0, 1.0),
    "untagged+outline": (1.0, 1.0, None, 1.0),
    "untagged-no-outline": (0.98, 1.0, None, 1.0),
    "real": (0.98, 1.0, 1.0, 1.0),
}


@pytest.fixture(scope="module")
def results() -> list[Result]:
    return [evaluate(c, output=False) for c in cases(CORPUS)]


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_kind_floors(kind: str, results: list[Result]) -> None:
    group = [r for r in results if r.case.kind == kind]
    assert group, f"no {kind} PDFs in the corpus"
    assert all(r.ok for r in group), [(r.case.name, r.error) for r in group if not r.ok]
    scored = [r for r in group if r.case.headings is not None]
    f1_floor, level_floor, alt_floor, order_floor = FLOORS[kind]
    assert sum(r.f1 for r in scored) / len(scored) >= f1_floor
    assert sum(r.level_acc for r in scored) / len(scored) >= level_floor
    if alt_floor is not None:
        assert sum(r.alts for r in group) / len(group) >= alt_floor
    assert sum(r.order for r in group) / len(group) >= order_floor
    assert all(r.title_ok and r.lang_ok for r in group)


def test_no_furniture_left_in_the_body(results: list[Result]) -> None:
    assert [(r.case.name, r.furniture) for r in results if r.furniture] == []
