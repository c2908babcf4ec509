"""External validators (axe-core in Chromium, the Nu HTML checker) on real
outputs of the HTML writer.

All files are validated in one run per module (starting the browser is
slow).  Without the validators the tests are skipped locally with the reason,
and fail in CI (``CI`` set).  The corpus part reads
``../shared/corpus/generated/*/source.html`` with the HTML reader.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import briefconvert
from briefconvert.diagnostics import Report
from briefconvert.model import Document
from briefconvert.options import HtmlWriterOptions
from briefconvert.output import Attachment
from briefconvert.writers.html import write_html
from conftest import SHARED, run_validators
from model_samples import minimal_document, rich_document
from test_write_html import edge_document, long_document

pytestmark = pytest.mark.validators

BRIEF = Path(__file__).resolve().parent.parent / "fixtures" / "brief" / "brief.html"
CORPUS = [
    BRIEF,
    *sorted((SHARED / "corpus" / "generated").glob("*/source.html")),
    *sorted((SHARED / "corpus" / "real" / "html").glob("*/source.html")),
]
TOOLS = ("axe", "vnu")

SAMPLES: dict[str, Callable[[], Document]] = {
    "rich": rich_document,
    "minimal": minimal_document,
    "edge": edge_document,
    "long": long_document,
}
OPTIONS = {"files": HtmlWriterOptions(), "embedded": HtmlWriterOptions(embed_images=True)}


def _write(doc: Document, options: HtmlWriterOptions, folder: Path) -> Path:
    out = write_html(doc, options=options, report=Report())
    folder.mkdir(parents=True)
    for attachment in out.attachments:
        target = folder / attachment.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(attachment.data)
    page = folder / "index.html"
    page.write_bytes(out.data)
    return page


class Outputs:
    """The pages written for this module, and their validation results."""

    def __init__(self) -> None:
        self.pages: dict[str, Path] = {}
        self.corpus_error: BaseException | None = None
        self.results: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    outputs = Outputs()
    root = tmp_path_factory.mktemp("html-validate")
    for name, make in SAMPLES.items():
        for variant, options in OPTIONS.items():
            key = f"{name}-{variant}"
            outputs.pages[key] = _write(make(), options, root / key)
    try:
        for source in CORPUS:  # the whole pipeline: reader, transforms, writer
            html = briefconvert.convert(source, to="html").outputs["html"]
            folder = root / f"corpus-{source.parent.name}"
            for file in (*html.attachments, Attachment("index.html", html.data)):
                (folder / file.path).parent.mkdir(parents=True, exist_ok=True)
                (folder / file.path).write_bytes(file.data)
            outputs.pages[f"corpus-{source.parent.name}"] = folder / "index.html"
    except Exception as exc:  # reported by the corpus tests, not hidden
        outputs.corpus_error = exc
    outputs.results = run_validators(outputs.pages, skip="heuristics", required=TOOLS)
    return outputs


def _assert_clean(result: dict[str, Any]) -> None:
    axe = result["summary"]["axe"]
    vnu = result["summary"]["vnu"]
    details = json.dumps(
        {
            "axe_wcag": axe["wcag_rules"],
            "axe_best_practice": axe["best_practice_rules"],
            "vnu_errors": result["details"]["vnu"]["errors"],
        },
        indent=1,
        ensure_ascii=False,
    )
    assert axe["wcag_violations"]["total"] == 0, details
    assert axe["best_practice_violations"]["total"] == 0, details
    assert vnu["errors"] == 0, details


@pytest.mark.parametrize("variant", sorted(OPTIONS))
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_documents_pass_the_validators(validated: Outputs, name: str, variant: str) -> None:
    _assert_clean(validated.results[f"{name}-{variant}"])


@pytest.mark.parametrize("source", CORPUS, ids=[p.parent.name for p in CORPUS])
def test_corpus_pages_pass_the_validators(validated: Outputs, source: Path) -> None:
    if validated.corpus_error is not None:
        raise validated.corpus_error
    _assert_clean(validated.results[f"corpus-{source.parent.name}"])
