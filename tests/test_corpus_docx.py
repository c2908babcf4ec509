"""The sample brief and the shared corpus's generated briefs as DOCX: every
heading with its right style level and text (checked against truth.json),
no image without alt text, every table with a header row, title and language
set, and LibreOffice opens the file (the independent DOCX inspector in
../shared/tools/validate)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest

import briefconvert
from conftest import FIXTURES, SHARED, require_shared, run_validators

require_shared(SHARED / "corpus" / "generated")
BRIEFS = [FIXTURES / "brief" / "brief.html", *sorted((SHARED / "corpus" / "generated").glob("*/source.html"))]


def _name(path: Path) -> str:
    return path.parent.name


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus-docx")
    out = {}
    for source in BRIEFS:
        target = folder / f"{_name(source)}.docx"
        target.write_bytes(briefconvert.convert(source, to="docx").outputs["docx"].data)
        out[_name(source)] = target
    return out


@pytest.fixture(scope="module")
def validated(outputs: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return run_validators(outputs)


def _headings(path: Path) -> list[tuple[int, str]]:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    out = []
    for p in document.paragraphs:
        style = p.style.name if p.style is not None else ""
        if style.startswith("Heading "):
            out.append((int(style.split()[-1]), " ".join(p.text.split())))
    return out


@pytest.mark.parametrize("source", BRIEFS[1:], ids=_name)
def test_heading_styles_match_the_truth(outputs: dict[str, Path], source: Path) -> None:
    truth = json.loads((source.parent / "truth.json").read_text())
    expected = [(h["level"], h["text"]) for h in truth["headings"]]
    got = _headings(outputs[_name(source)])
    assert got == expected


@pytest.mark.validators
@pytest.mark.parametrize("source", BRIEFS, ids=_name)
def test_inspector_and_libreoffice(validated: dict[str, dict[str, Any]], source: Path) -> None:
    summary = validated[_name(source)]["summary"]
    found = summary["docx"]
    details = json.dumps(found, indent=1, ensure_ascii=False)
    assert found["heading_level_skips"] == [], details
    assert found["headings_by_style"].get("Heading 1") == 1, details
    assert found["images"] >= 1 and found["images_without_alt"] == 0, details
    assert found["images_alt_looks_like_filename"] == 0, details
    assert found["tables"] >= 1 and found["tables_without_header_row"] == 0, details
    assert found["title"], details
    assert found["language_core"] and found["language_styles_default"] == found["language_core"], details
    assert found["footnotes"] >= 1 and found["hyperlinks_empty_text"] == 0, details
    assert summary["libreoffice"]["opens"] is True
    assert summary["libreoffice"]["pdf_pages"] >= 1
