"""``briefconvert check`` on the command line: arguments, exit codes, where
output goes, rule listing, start-up imports; then end to end with the real
inspectors and rules on known-bad files and on briefconvert's own outputs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefconvert.a11y.rules import RULES
from briefconvert.cli import main as cli_main
from briefconvert.commands.check import main
from check_fakes import install
from conftest import FIXTURES, SHARED

SAMPLES = SHARED / "tools" / "validate" / "samples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Stand-in rules; the current directory is an empty temporary one (no pyproject.toml above it
    has a [tool.briefconvert.check] table, unless a test writes one)."""
    install(monkeypatch)
    monkeypatch.delenv("BRIEFCONVERT_DEBUG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------- exit codes


def test_clean_file_exits_0(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "good.html", "TITLE:Good\n")
    assert run(capsys, "good.html") == (0, "no findings in 1 file.\n", "")


def test_findings_exit_1(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "bad.html", "\n\nFAULT:image-alt\n")
    code, out, err = run(capsys, "bad.html")
    assert code == 1
    assert out.splitlines() == [
        "bad.html (html: 2 errors)",
        "bad.html: error document-title the document has no title",
        "bad.html:3:1: error image-alt planted image-alt",
        "",
        "2 errors in 1 file (1 file checked); 2 at or above warning.",
    ]
    assert err == ""


def test_fail_on_threshold(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "w.html", "TITLE:T FAULT:heading-order\n")
    assert run(capsys, "w.html")[0] == 1  # the default threshold is warning
    assert run(capsys, "w.html", "--fail-on", "error")[0] == 0
    assert run(capsys, "w.html", "--fail-on", "info")[0] == 1
    out = run(capsys, "w.html", "--fail-on", "error")[1]
    assert "w.html:1:9: warning heading-order planted heading-order" in out  # still shown


def test_unreadable_input_exits_2_and_others_are_reported(
    fakes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(fakes, "a.html", "TITLE:A FAULT:link-name\n")
    write(fakes, "b.html", "RAISE:input\n")
    write(fakes, "c.html", "TITLE:C\n")
    code, out, err = run(capsys, "c.html", "b.html", "a.html", "missing.pdf")
    assert code == 2
    assert "a.html:1:9: error link-name planted link-name" in out
    assert out.splitlines()[-1] == (
        "1 error in 1 file (2 files checked); 2 files could not be checked; 1 at or above warning."
    )
    assert err.splitlines() == [
        "b.html: error: not an HTML document",
        "missing.pdf: error: no such file or directory",
    ]


def test_internal_error_is_one_line_without_traceback(
    fakes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(fakes, "bug.html", "RAISE:bug\n")
    code, _, err = run(capsys, "bug.html")
    assert code == 2
    assert err.startswith("bug.html: error: internal error (ValueError: boom); please report it")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_timeout(fakes: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    slow_module = sys.modules["briefconvert.a11y.html_rules"]
    original = slow_module.inspect

    def slow(data: bytes, path: Path, sink: object) -> object:
        if b"SLOW" in data:
            time.sleep(5)
        return original(data, path, sink)

    monkeypatch.setattr(slow_module, "inspect", slow)
    write(fakes, "slow.html", "SLOW\n")
    write(fakes, "fast.html", "TITLE:F\n")
    started = time.monotonic()
    code, out, err = run(capsys, "slow.html", "fast.html", "--timeout", "0.3")
    assert time.monotonic() - started < 4
    assert code == 2
    assert err == "slow.html: error: gave up after 0.3 s (--timeout)\n"
    assert "no findings in 1 file; 1 file could not be checked." in out


def test_dispatch_from_the_main_cli(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "bad.html", "FAULT:link-name\n")
    assert cli_main(["check", "bad.html", "--select", "link-name", "-q"]) == 1
    assert capsys.readouterr().out == "bad.html:1:1: error link-name planted link-name\n"


# ------------------------------------------------------------ usage errors


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give at least one PATH"),
        (["a.html", "--select", "image-alt,nope"], "--select: unknown rule id 'nope'"),
        (["a.html", "--ignore", "heading-ordr"], "did you mean 'heading-order'?"),
        (["a.html", "--select", ","], "--select names no rule"),
        (["a.html", "--fail-on", "fatal"], "invalid choice: 'fatal'"),
        (["a.html", "--format", "xml"], "invalid choice: 'xml'"),
        (["a.html", "--timeout", "-1"], "--timeout must be 0 or more"),
        (["a.html", "--max-input-size", "0"], "--max-input-size must be positive"),
        (["a.html", "--alt-text", "nope.toml"], "--alt-text: nope.toml: no such file"),
        (["a.html", "--config", "nope.toml"], "nope.toml: cannot read"),
        (["--explain", "nope"], "--explain: unknown rule id 'nope'"),
    ],
)
def test_usage_errors_exit_2(
    fakes: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    write(fakes, "a.html", "FAULT:link-name\n")
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code  # type: ignore[assignment]
    assert code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_argparse_errors_exit_2(fakes: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["a.html", "--bogus"])
    assert info.value.code == 2


# ------------------------------------------------------------- notes, -q


def test_notes_go_to_stderr_and_quiet_hides_them(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "p.html", "TITLE:T\n<!-- briefconvert: ignore=nope -->\n")
    write(fakes, "readme.txt", "")
    write(fakes, "site/a.html", "TITLE:A\n")
    write(fakes, "site/a.css", "")
    code, out, err = run(capsys, "p.html", "readme.txt", "site")
    assert code == 0
    assert out == "no findings in 2 files; 1 skipped.\n"
    assert err.splitlines() == [
        "briefconvert check: note: site: skipped 1 other file (not HTML, EPUB, DOCX or PDF)",
        "p.html: note: line 2: unknown rule id 'nope' in a suppression comment (ignored)",
        "readme.txt: note: skipped: not HTML, EPUB, DOCX or PDF",
    ]
    assert run(capsys, "p.html", "readme.txt", "site", "-q") == (0, "", "")


def test_empty_folder(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fakes / "empty").mkdir()
    code, out, err = run(capsys, "empty")
    assert code == 0
    assert err == "briefconvert check: note: no HTML, EPUB, DOCX or PDF file found\n"
    assert out == "no findings in 0 files.\n"


# ------------------------------------------------------- formats, output file


def test_json_and_sarif_to_stdout_and_file(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "bad.html", "TITLE:T\nFAULT:heading-order\n")
    code, out, _ = run(capsys, "bad.html", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["files"][0]["findings"][0]["rule"] == "heading-order"
    assert data["summary"]["exit_code"] == 1

    code, out, err = run(capsys, "bad.html", "--format", "sarif", "-o", "out/report.sarif")
    assert (code, out, err) == (1, "", "")
    sarif = json.loads((fakes / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "heading-order"
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "bad.html"
    }

    code, out, _ = run(capsys, "bad.html", "-o", "report.txt")
    assert out == ""
    assert (fakes / "report.txt").read_text(encoding="utf-8").startswith("bad.html (html: 1 warning)\n")


def test_unwritable_output_is_a_usage_error(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "a.html", "TITLE:A\n")
    write(fakes, "blocker", "a file, not a folder")
    code, _, err = run(capsys, "a.html", "--format", "json", "-o", "blocker/report.json")
    assert code == 2
    assert err.startswith("briefconvert check: error: cannot write blocker/report.json")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(fakes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(fakes, "bad.html", "FAULT:link-name\n")
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["bad.html"]) == 1
    assert "\x1b[" in tty.getvalue()

    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    monkeypatch.setenv("NO_COLOR", "1")
    main(["bad.html"])
    assert "\x1b[" not in tty.getvalue()
    assert "bad.html:1:1: error link-name planted link-name" in tty.getvalue()


def test_no_colour_when_piped(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fakes, "bad.html", "FAULT:link-name\n")
    assert "\x1b[" not in run(capsys, "bad.html")[1]


# ---------------------------------------------------------------- rules


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "severity", "kind", "formats", "summary"]
    assert len(lines) == len(RULES) + 1
    for rule, line in zip(RULES, lines[1:], strict=True):
        assert line.split()[:3] == [rule.id, str(rule.severity), rule.kind]
        assert line.endswith(rule.summary)
    assert any(line.split()[3] == "epub" for line in lines if line.startswith("epub-nav-toc"))


def test_list_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-rules", "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == [r.id for r in RULES]


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--explain", "table-header")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "table-header: A data table has no header cells"
    assert "  severity  error" in lines
    assert "  formats   html, epub, docx, pdf" in lines
    assert "  standard  WCAG 2.2 SC 1.3.1 Info and Relationships" in lines
    assert "Mark the header row or column" in out
    assert lines[-1] == "More: docs/rules.md#table-header"
    assert all(len(line) <= 78 for line in lines[6:-2])


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "briefconvert check --list-rules" in out
    assert "exit codes: 0" in out


# -------------------------------------------------------- start-up imports


HEAVY = ("lxml", "pypdf", "docx", "PIL", "rich", "cryptography", "nh3")


def imported_after(argv: list[str], cwd: Path) -> set[str]:
    """Top-level packages of HEAVY that ``briefconvert ARGV`` imports."""
    code = (
        "import sys\n"
        "from briefconvert.cli import main\n"
        f"rc = main({argv!r})\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode in (0, 1), proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    return set(json.loads(last.replace("'", '"')))


def test_list_rules_imports_nothing_heavy(tmp_path: Path) -> None:
    assert imported_after(["check", "--list-rules"], tmp_path) == set()
    assert imported_after(["check", "--explain", "image-alt"], tmp_path) == set()


def test_checking_html_imports_no_pdf_docx_or_rich(tmp_path: Path) -> None:
    page = write(tmp_path, "p.html", '<!DOCTYPE html><html lang="en"><title>T</title><main><h1>T</h1></main>')
    assert imported_after(["check", str(page)], tmp_path) & {"pypdf", "docx", "rich", "cryptography"} == set()


# ------------------------------------------------------------- end to end
# These use the real inspectors and rules (a11y/html_rules.py, epub_rules.py,
# docx_rules.py, pdf_rules.py, model_rules.py).


def cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFCONVERT_DEBUG", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "briefconvert", "check", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def rule_ids(report: dict[str, object], path_end: str) -> set[str]:
    files = report["files"]
    assert isinstance(files, list)
    (entry,) = [f for f in files if f["path"].endswith(path_end)]
    return {f["rule"] for f in entry["findings"]}


@pytest.fixture(scope="module")
def samples() -> Path:
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SAMPLES} is missing in CI")
        pytest.skip(f"{SAMPLES} not found (the shared folder sits beside the checkout)")
    return SAMPLES


def test_known_bad_samples(samples: Path, tmp_path: Path) -> None:
    proc = cli(
        str(samples / "bad.html"),
        str(samples / "bad" / "bad.epub"),
        str(samples / "bad" / "bad.docx"),
        "--format",
        "json",
        "--no-config",
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["status"] for f in report["files"]] == ["findings"] * 3
    assert {"document-lang", "heading-order", "image-alt", "link-name", "table-header"} <= rule_ids(
        report, "bad.html"
    )
    epub = rule_ids(report, "bad.epub")
    assert {"epub-a11y-metadata", "image-alt", "heading-order"} <= epub
    assert epub & {"epub-package-lang", "document-lang"}
    assert {
        "docx-heading-styles",
        "docx-fake-heading",
        "image-alt",
        "table-header",
        "document-title",
        "link-text-generic",
    } <= rule_ids(report, "bad.docx")


def test_broken_files_exit_2_and_the_rest_is_checked(samples: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "broken.docx").write_bytes(b"not a zip at all")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (tmp_path / "bad.html").write_bytes((samples / "bad.html").read_bytes())
    proc = cli(".", "--no-config", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr  # the inspectors raise BriefconvertError for these
    errors = sorted(line.split(":")[0] for line in proc.stderr.splitlines() if ": error: " in line)
    assert errors == ["broken.docx", "broken.epub", "broken.pdf"]
    assert "\nbad.html:11: error image-alt " in proc.stdout


def test_inline_suppression_with_real_rules(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>A page</title></head>\n<body><main>\n'
        "<h1>A page</h1>\n<p>Text.</p>\n"
        "<!-- briefconvert: ignore=image-alt -- described in the next paragraph -->\n"
        '<p><img src="chart.png"></p>\n'
        '<p><img src="other.png"></p>\n'
        "</main></body>\n</html>\n",
    )
    proc = cli(str(page), "--format", "json", "--no-config", cwd=tmp_path)
    report = json.loads(proc.stdout)
    findings = report["files"][0]["findings"]
    assert [(f["rule"], f["line"]) for f in findings if f["rule"] == "image-alt"] == [("image-alt", 9)]
    assert report["files"][0]["suppressed"] == 1


def own_outputs(source: Path, folder: Path) -> list[Path]:
    from briefconvert.pipeline import convert

    result = convert(source, ["html", "epub", "docx"])
    written = []
    for fmt, output in result.outputs.items():
        from briefconvert.files import write_output

        target = folder / f"{source.parent.name}.{fmt}"
        write_output(target, output)
        written.append(target)
    return written


def test_own_outputs_pass(tmp_path: Path) -> None:
    sources = [FIXTURES / "brief" / "brief.html"]
    sources += sorted((SHARED / "corpus" / "generated").glob("*/source.html"))
    files = [f for s in sources for f in own_outputs(s, tmp_path / s.parent.name)]
    proc = cli(*map(str, files), "--format", "json", "--no-config", cwd=tmp_path)
    report = json.loads(proc.stdout)
    failing = [
        f"{entry['path']}: {f['severity']} {f['rule']} {f['message']}"
        for entry in report["files"]
        for f in entry["findings"]
        if f["severity"] in ("error", "warning")
    ]
    errors = [f"{e['path']}: {e['error']}" for e in report["files"] if e["error"]]
    assert not errors
    assert not failing
    assert proc.returncode == 0
    assert report["summary"]["checked"] == len(files)


def test_alt_text_sidecar_end_to_end(samples: Path, tmp_path: Path) -> None:
    for name in ("brief.html", "figure1-emissions.png", "figure2-map.png"):
        (tmp_path / name).write_bytes((samples / name).read_bytes())
    before = cli("brief.html", "--select", "image-alt", "--no-config", cwd=tmp_path)
    assert before.returncode == 1
    assert "brief.html:62: error image-alt" in before.stdout

    made = subprocess.run(
        [sys.executable, "-m", "briefconvert", "alt-text", "brief.html"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    sidecar = tmp_path / "brief.alt.toml"
    text = sidecar.read_text(encoding="utf-8")
    missing = 'status = "missing"\nalt = ""'
    assert text.count(missing) == 1
    sidecar.write_text(
        text.replace(missing, 'status = "described"\nalt = "Map: canopy cover is lowest in the east."'),
        encoding="utf-8",
    )
    after = cli(
        "brief.html", "--select", "image-alt", "--alt-text", "brief.alt.toml", "--no-config", cwd=tmp_path
    )
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout == "no findings in 1 file.\n"


def test_sarif_of_real_findings_is_valid(samples: Path, tmp_path: Path) -> None:
    from test_check_formats import jsonschema_module, sarif_schema

    jsonschema = jsonschema_module()

    bad = [samples / "bad.html", samples / "bad" / "bad.epub", samples / "bad" / "bad.docx"]
    proc = cli(*map(str, bad), "--format", "sarif", "-o", "out.sarif", "--no-config", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    errors = [
        f"{list(e.path)}: {e.message}" for e in jsonschema.Draft4Validator(sarif_schema()).iter_errors(log)
    ]
    assert not errors
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"image-alt", "epub-a11y-metadata", "docx-fake-heading"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {Path(p).resolve().as_uri() for p in bad}  # outside the current directory: absolute
