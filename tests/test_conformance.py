"""Conformance of real EPUB outputs: Ace by DAISY (and EPUBCheck) through the
project's own tools/conformance/run.py.

Books: the model samples (rich, minimal), the sample brief
fixtures/brief/brief.html and every ../shared/corpus/generated/*/source.html,
the HTML ones read, transformed and written as the pipeline does.  Every book
must have no Ace violation of any impact and no EPUBCheck message.

The tools are installed by tools/conformance/setup.sh (``make conformance``).
Without them the tests are skipped locally with the reason and fail in CI
(``CI`` set).  All books are checked in one run per module (Ace starts a
browser per book, two at a time).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import briefconvert
from briefconvert.diagnostics import Report
from briefconvert.model import Document, Image, Meta, Resource
from briefconvert.options import EpubWriterOptions
from briefconvert.writers.epub import write_epub
from conftest import FIXTURES, SHARED
from model_samples import PNG, PNG_KEY, P, minimal_document, rich_document

pytestmark = pytest.mark.conformance

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((SHARED / "corpus" / "generated").glob("*/source.html"))
TAGGED_PDFS = sorted((SHARED / "corpus" / "generated").glob("*/weasyprint-ua.pdf")) + sorted(
    (SHARED / "corpus" / "generated").glob("*/libreoffice-tagged.pdf")
)
BRIEF = FIXTURES / "brief" / "brief.html"


def _load_conformance() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "conformance_run", ROOT / "tools" / "conformance" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conformance = _load_conformance()


def _from_model(make: Callable[[], Document]) -> Callable[[], bytes]:
    return lambda: write_epub(make(), options=EpubWriterOptions(), report=Report()).data


def _converted(path: Path) -> Callable[[], bytes]:
    """The file converted as the CLI does, through ``briefconvert.convert``."""
    return lambda: briefconvert.convert(path, to="epub").outputs["epub"].data


BOOKS: dict[str, Callable[[], bytes]] = {
    "rich": _from_model(rich_document),
    "minimal": _from_model(minimal_document),
    "brief": _converted(BRIEF),
    **{f"corpus-{p.parent.name}": _converted(p) for p in CORPUS},
    # PDF -> EPUB, with page lists from the PDFs' pages
    "pdf-fixture": _converted(FIXTURES / "pdf" / "tagged" / "brief.pdf"),
    **{f"pdf-{p.parent.name}-{p.stem}": _converted(p) for p in TAGGED_PDFS},
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"conformance tools unavailable in CI: {reason}")
    pytest.skip(f"conformance tools unavailable: {reason}")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every book written and checked once: name -> run.py's result."""
    missing = conformance.missing(["ace", "epubcheck"])
    if missing:
        _unavailable("; ".join(f"{tool}: {why}" for tool, why in sorted(missing.items())))
    folder = tmp_path_factory.mktemp("conformance")
    paths: dict[str, Path] = {}
    for name, make in BOOKS.items():
        path = folder / f"{name}.epub"
        path.write_bytes(make())
        paths[name] = path
    results = {Path(r["file"]): r for r in conformance.check(list(paths.values()))}
    out = {name: results[path] for name, path in paths.items()}
    errors = {name: r["tool_errors"] for name, r in out.items() if r["tool_errors"]}
    if errors:
        _unavailable(json.dumps(errors)[:1500])
    return out


def test_corpus_is_present() -> None:
    if not CORPUS:
        if os.environ.get("CI"):
            pytest.fail(f"no corpus under {SHARED / 'corpus' / 'generated'} in CI")
        pytest.skip("the shared corpus is not beside the checkout")
    assert len(CORPUS) >= 4


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_ace_reports_no_violation(checked: dict[str, dict[str, Any]], name: str) -> None:
    ace = checked[name]["ace"]
    assert ace["outcome"] != "parse-error", ace.get("log")
    assert ace["violations"] == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0, "total": 0}, (
        json.dumps(ace["findings"], indent=1)
    )
    assert ace["outcome"] == "pass"


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_epubcheck_reports_nothing(checked: dict[str, dict[str, Any]], name: str) -> None:
    e = checked[name]["epubcheck"]
    assert (e["fatal"], e["error"], e["warning"], e["usage"]) == (0, 0, 0, 0), json.dumps(
        e["messages"], indent=1
    )


def test_ace_finds_a_violation_in_a_flawed_book(tmp_path: Path) -> None:
    """Negative control: the run is not vacuous.  An image without a text
    alternative outside a figure is a real fault, and Ace must say so."""
    if conformance.missing(["ace"]):
        _unavailable(conformance.missing(["ace"])["ace"])
    doc = Document(
        Meta(title="Flawed", lang="en"),
        (P("A chart: ", Image(PNG_KEY, None)),),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )
    path = tmp_path / "flawed.epub"
    path.write_bytes(write_epub(doc, options=EpubWriterOptions(), report=Report()).data)
    (result,) = conformance.check([path], skip=["epubcheck"])
    if result["tool_errors"]:
        _unavailable(json.dumps(result["tool_errors"])[:1500])
    assert result["ace"]["rules"].get("image-alt", 0) >= 1
    assert result["ace"]["violations"]["critical"] >= 1
