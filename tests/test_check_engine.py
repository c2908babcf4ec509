"""The engine of ``briefconvert check`` (a11y/check.py, a11y/suppress.py),
with stand-in inspectors and rules (tests/check_fakes.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefconvert.a11y import suppress
from briefconvert.a11y.check import (
    CheckConfig,
    FileResult,
    check_file,
    check_paths,
    exit_code,
    expand,
    format_of,
    sort_key,
    summarize,
)
from briefconvert.a11y.findings import Finding
from briefconvert.diagnostics import Severity
from check_fakes import install, make_epub

E, W = Severity.ERROR, Severity.WARNING


@pytest.fixture(autouse=True)
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch)
    monkeypatch.delenv("BRIEFCONVERT_DEBUG", raising=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(result: FileResult) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings]


# ------------------------------------------------------------ formats, files


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.xhtml", "html"),
        ("b.epub", "epub"),
        ("c.DOCX", "docx"),
        ("d.pdf", "pdf"),
        ("e.txt", None),
        ("f.doc", None),
        ("html", None),
    ],
)
def test_format_by_extension(name: str, fmt: str | None) -> None:
    assert format_of(Path(name)) == fmt


def test_findings_sorted_and_located(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        "TITLE:T FAULT:link-name\n\n   FAULT:heading-order FAULT:heading-empty\nIMG\n",
    )
    result = check_file(page, CheckConfig(), display="shown/p.html")
    assert result.status == "findings"
    assert result.format == "html"
    assert [(f.rule, f.line, f.col) for f in result.findings] == [
        ("link-name", 1, 9),
        ("heading-order", 3, 4),
        ("heading-empty", 3, 24),
        ("image-alt", 4, None),
    ]
    assert {f.path for f in result.findings} == {"shown/p.html"}
    assert [f.severity for f in result.findings] == [E, W, E, E]


def test_file_level_findings_come_first(tmp_path: Path) -> None:
    page = write(tmp_path, "p.html", "FAULT:link-name\n")
    result = check_file(page, CheckConfig())
    assert rules_of(result) == [("document-title", None), ("link-name", 1)]
    assert result.findings[0].path == str(page)


def test_docx_lines_are_paragraphs(tmp_path: Path) -> None:
    # the DOCX reader counts paragraphs in SourceRef.line: shown as where="paragraph N"
    doc = write(tmp_path, "r.docx", "TITLE:T\n" + "\n" * 8 + "FAULT:table-header\nFAULT:heading-order\n")
    result = check_file(doc, CheckConfig())
    assert [(f.rule, f.line, f.col, f.where) for f in result.findings] == [
        ("table-header", None, None, "paragraph 10"),
        ("heading-order", None, None, "paragraph 11"),
    ]


def test_sort_key_orders_pages_naturally() -> None:
    fs = [
        Finding("image-alt", E, "m", "a.pdf", where="page 10"),
        Finding("image-alt", E, "m", "a.pdf", where="page 2"),
        Finding("document-lang", E, "m", "a.pdf"),
        Finding("heading-order", W, "m", "a.epub", part="EPUB/b.xhtml", line=1),
        Finding("heading-order", W, "m", "a.epub", part="EPUB/a.xhtml", line=9),
    ]
    ordered = sorted(fs, key=sort_key)
    assert [(f.path, f.part, f.where) for f in ordered] == [
        ("a.epub", "EPUB/a.xhtml", None),
        ("a.epub", "EPUB/b.xhtml", None),
        ("a.pdf", None, None),
        ("a.pdf", None, "page 2"),
        ("a.pdf", None, "page 10"),
    ]


def test_exact_repeats_are_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from briefconvert.a11y.findings import Sink
    from briefconvert.model import Document, Meta

    def inspect(data: bytes, path: Path, sink: Sink) -> Document:
        sink.add("link-name", "link has no text", line=2)
        sink.add("link-name", "link has no text", line=2)
        sink.add("link-name", "another link has no text", line=2)
        return Document(meta=Meta(title="T"))

    monkeypatch.setattr(sys.modules["briefconvert.a11y.html_rules"], "inspect", inspect)
    page = write(tmp_path, "p.html", "")
    result = check_file(page, CheckConfig())
    assert [f.message for f in result.findings] == ["another link has no text", "link has no text"]


# --------------------------------------------------------------- selection


def test_select_and_ignore(tmp_path: Path) -> None:
    page = write(tmp_path, "p.html", "FAULT:heading-order FAULT:heading-empty FAULT:link-name IMG\n")
    everything = {f.rule for f in check_file(page, CheckConfig()).findings}
    assert everything == {"heading-order", "heading-empty", "link-name", "image-alt", "document-title"}

    only = check_file(page, CheckConfig(select=("heading-*",)))
    assert {f.rule for f in only.findings} == {"heading-order", "heading-empty"}

    ignored = check_file(page, CheckConfig(ignore=("heading-empty", "image-*")))
    assert {f.rule for f in ignored.findings} == {"heading-order", "link-name", "document-title"}

    both = check_file(page, CheckConfig(select=("heading-*", "link-name"), ignore=("heading-order",)))
    assert {f.rule for f in both.findings} == {"heading-empty", "link-name"}


def test_config_enabled() -> None:
    config = CheckConfig(select=("epub-*", "image-alt"), ignore=("epub-type-role",))
    assert config.enabled("epub-nav-toc")
    assert config.enabled("image-alt")
    assert not config.enabled("image-alt-caption")
    assert not config.enabled("epub-type-role")
    assert CheckConfig().enabled("pdf-tagged")
    with pytest.raises(ValueError, match=r"CheckConfig\.ignore: unknown rule id 'imagealt'"):
        CheckConfig(ignore=("imagealt",))


# ------------------------------------------------------------ suppressions


def test_inline_suppression_covers_its_line_and_the_next(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        "TITLE:T\n"
        "<!-- briefconvert: ignore=link-name -->\n"  # 2
        "FAULT:link-name\n"  # 3: suppressed (next line)
        "FAULT:link-name\n"  # 4: reported
        "FAULT:heading-order <!-- briefconvert: ignore=heading-order,link-name -->\n"  # 5: same line
        "FAULT:link-name FAULT:heading-empty\n",  # 6: link-name suppressed, heading-empty not
    )
    result = check_file(page, CheckConfig())
    assert rules_of(result) == [("link-name", 4), ("heading-empty", 6)]
    assert result.suppressed == 3
    assert result.notes == ()


def test_ignore_file_and_all(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        "FAULT:link-name\nFAULT:heading-order\nIMG\n<!-- briefconvert: ignore-file=link-name,image-* -->\n",
    )
    result = check_file(page, CheckConfig())
    # ignore-file covers every line and findings without a line
    assert rules_of(result) == [("document-title", None), ("heading-order", 2)]

    page = write(tmp_path, "q.html", "<!-- briefconvert: ignore-file=all -->\nFAULT:link-name\nIMG\n")
    result = check_file(page, CheckConfig())
    assert result.findings == ()
    assert result.suppressed == 3
    assert result.status == "ok"


def test_line_suppression_leaves_findings_without_line(tmp_path: Path) -> None:
    page = write(tmp_path, "p.html", "<!-- briefconvert: ignore=document-title -->\nFAULT:link-name\n")
    assert rules_of(check_file(page, CheckConfig())) == [("document-title", None), ("link-name", 2)]


def test_multiline_comment_and_reason(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        "TITLE:T\n<!-- briefconvert:\n  ignore = link-name -- the link is labelled by the figure -->\n"
        "FAULT:link-name\nFAULT:link-name\n",
    )
    # the comment spans lines 2-3: lines 2, 3 and 4 are covered, line 5 is not
    assert rules_of(check_file(page, CheckConfig())) == [("link-name", 5)]


def test_unknown_ids_in_suppressions_are_notes(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.html",
        "TITLE:T\n<!-- briefconvert: ignore=imge-alt,link-name -->\nFAULT:link-name IMG\n"
        "<!-- briefconvert: skip=image-alt -->\n<!-- just a comment -->\n",
    )
    result = check_file(page, CheckConfig())
    assert rules_of(result) == [("image-alt", 3)]
    assert result.notes == (
        "line 2: unknown rule id 'imge-alt' in a suppression comment (ignored)",
        "line 4: unrecognised briefconvert comment (use ignore=RULES or ignore-file=RULES)",
    )


def test_suppression_in_utf16_html(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    text = "TITLE:T\n<!-- briefconvert: ignore=link-name -->\nFAULT:link-name\nFAULT:link-name\n"
    page.write_bytes(text.encode("utf-16"))
    rules = suppress.parse(suppress.decode(page.read_bytes()))
    assert rules.line_rules == {2: ("link-name",), 3: ("link-name",)}


def test_suppression_in_epub_chapters(tmp_path: Path) -> None:
    book = tmp_path / "book.epub"
    book.write_bytes(
        make_epub(
            {
                "EPUB/ch1.xhtml": "TITLE:B\n<!-- briefconvert: ignore=link-name -->\nFAULT:link-name\n"
                "FAULT:link-name\n",
                "EPUB/ch2.xhtml": "FAULT:link-name\nFAULT:link-name\nIMG\n",
                "EPUB/ch3.xhtml": "<!-- briefconvert: ignore-file=image-alt,nope -->\nIMG\nFAULT:link-name\n",
            }
        )
    )
    result = check_file(book, CheckConfig())
    assert [(f.part, f.rule, f.line) for f in result.findings] == [
        ("EPUB/ch1.xhtml", "link-name", 4),
        ("EPUB/ch2.xhtml", "link-name", 1),
        ("EPUB/ch2.xhtml", "link-name", 2),
        ("EPUB/ch2.xhtml", "image-alt", 3),
        ("EPUB/ch3.xhtml", "link-name", 3),
    ]
    assert result.suppressed == 2
    assert result.notes == (
        "EPUB/ch3.xhtml: line 1: unknown rule id 'nope' in a suppression comment (ignored)",
    )


def test_parse_ignores_other_comments() -> None:
    assert not suppress.parse("<!-- a comment --><p>briefconvert</p>")
    rules = suppress.parse("x\n<!--briefconvert:ignore=all-->")
    assert rules.line_rules == {2: ("all",), 3: ("all",)}


# ------------------------------------------------------------------- errors


def test_unreadable_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.html", "RAISE:input\n")
    result = check_file(bad, CheckConfig())
    assert result.status == "error"
    assert result.error == "not an HTML document"
    assert result.findings == ()


def test_internal_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bug = write(tmp_path, "bug.html", "RAISE:bug\n")
    result = check_file(bug, CheckConfig())
    assert result.error is not None
    assert result.error.startswith("internal error (ValueError: boom)")
    assert "\n" not in result.error
    monkeypatch.setenv("BRIEFCONVERT_DEBUG", "1")
    with pytest.raises(ValueError, match="boom"):
        check_file(bug, CheckConfig())


def test_too_deep_input(tmp_path: Path) -> None:
    deep = write(tmp_path, "deep.html", "RAISE:deep\n")
    assert check_file(deep, CheckConfig()).error == "input too complex to check (RecursionError)"


def test_size_limit(tmp_path: Path) -> None:
    page = write(tmp_path, "p.html", "TITLE:T\n" + "x" * 100)
    result = check_file(page, CheckConfig(max_bytes=50))
    assert result.error == "larger than the 50 byte limit (--max-input-size)"
    assert check_file(page, CheckConfig(max_bytes=len(page.read_bytes()))).error is None


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    folder = tmp_path / "folder.html"
    folder.mkdir()
    result = check_file(tmp_path / "gone.html", CheckConfig())
    assert result.error is not None and result.error.startswith("cannot read: ")
    corrupt = tmp_path / "corrupt.epub"
    corrupt.write_bytes(b"PK\x03\x04 not a zip")
    assert check_file(corrupt, CheckConfig()).error == "not an EPUB (not a zip file)"


def test_other_files_are_skipped(tmp_path: Path) -> None:
    notes = write(tmp_path, "notes.txt", "FAULT:link-name")
    result = check_file(notes, CheckConfig())
    assert result.skipped and result.status == "skipped" and result.findings == ()


# -------------------------------------------------------------- expansion


def test_expand_directories(tmp_path: Path) -> None:
    write(tmp_path, "site/b.html", "")
    write(tmp_path, "site/a.htm", "")
    write(tmp_path, "site/sub/c.xhtml", "")
    write(tmp_path, "site/sub/book.EPUB", "")
    write(tmp_path, "site/style.css", "")
    write(tmp_path, "site/logo.png", "")
    write(tmp_path, "site/.hidden.html", "")
    write(tmp_path, "site/.git/d.html", "")
    write(tmp_path, "x.pdf", "")
    write(tmp_path, "readme.md", "")
    site = tmp_path / "site"
    expansion = expand(
        [site, tmp_path / "x.pdf", tmp_path / "readme.md", site / "b.html", tmp_path / "nope.docx"]
    )
    shown = [t.display for t in expansion.targets]
    assert shown == [
        str(site / "a.htm"),
        str(site / "b.html"),
        str(site / "sub" / "book.EPUB"),
        str(site / "sub" / "c.xhtml"),
        str(tmp_path / "x.pdf"),
    ]
    assert [(r.path, r.status) for r in expansion.results] == [
        (str(tmp_path / "nope.docx"), "error"),
        (str(tmp_path / "readme.md"), "skipped"),
    ]
    assert expansion.notes == (f"{site}: skipped 2 other files (not HTML, EPUB, DOCX or PDF)",)


def test_expand_keeps_the_users_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "docs/a.html", "")
    monkeypatch.chdir(tmp_path)
    assert [t.display for t in expand(["docs"]).targets] == ["docs/a.html"]
    assert [t.display for t in expand(["./docs/"]).targets] == ["./docs/a.html"]
    assert [t.display for t in expand(["."]).targets] == ["docs/a.html"]


def test_check_paths_reports_every_file(tmp_path: Path) -> None:
    write(tmp_path, "a.html", "TITLE:A\n")
    write(tmp_path, "b.html", "RAISE:input\n")
    write(tmp_path, "c.html", "TITLE:C\nFAULT:heading-order\n")
    results = check_paths([tmp_path], CheckConfig())
    assert [(Path(r.path).name, r.status) for r in results] == [
        ("a.html", "ok"),
        ("b.html", "error"),
        ("c.html", "findings"),
    ]
    assert exit_code(results, Severity.WARNING) == 2
    assert exit_code([r for r in results if r.error is None], Severity.WARNING) == 1
    assert exit_code([r for r in results if r.error is None], Severity.ERROR) == 0


def test_summary_counts(tmp_path: Path) -> None:
    write(tmp_path, "a.html", "TITLE:A\nFAULT:heading-order FAULT:link-name\n")
    write(tmp_path, "b.html", "TITLE:B\n<!-- briefconvert: ignore-file=all -->FAULT:link-name\n")
    write(tmp_path, "c.html", "RAISE:input\n")
    write(tmp_path, "d.txt", "")
    results = check_paths([*sorted(tmp_path.iterdir())], CheckConfig())
    s = summarize(results, Severity.ERROR)
    assert (s.files, s.checked, s.with_findings, s.errors, s.skipped) == (4, 2, 1, 1, 1)
    assert (s.findings, s.suppressed, s.failing) == (2, 1, 1)
    assert s.by_severity == {Severity.ERROR: 1, Severity.WARNING: 1, Severity.INFO: 0}


# ---------------------------------------------------------------- alt text


def test_alt_text_sidecar_fills_missing_alt(tmp_path: Path) -> None:
    from briefconvert.a11y.findings import Sink
    from briefconvert.alttext import collect, load_sidecar, write_sidecar
    from check_fakes import html_inspect

    page = write(tmp_path, "p.html", "TITLE:T\nIMG\n")
    assert rules_of(check_file(page, CheckConfig())) == [("image-alt", 2)]

    doc = html_inspect(page.read_bytes(), page, Sink(str(page)))
    listed = collect(doc, source="p.html")
    assert [e.alt for e in listed.entries] == [None]
    described = dataclasses.replace(
        listed, entries=tuple(dataclasses.replace(e, alt="A bar chart of imports") for e in listed.entries)
    )
    sidecar = tmp_path / "p.alt.toml"
    sidecar.write_bytes(write_sidecar(described))
    assert load_sidecar(sidecar).entries[0].alt == "A bar chart of imports"

    result = check_file(page, CheckConfig(alt_text=sidecar))
    assert result.findings == ()
    results = check_paths([page], CheckConfig(alt_text=sidecar))
    assert results[0].findings == ()


def test_unreadable_sidecar_raises_from_check_paths(tmp_path: Path) -> None:
    from briefconvert.errors import BriefconvertError

    page = write(tmp_path, "p.html", "TITLE:T\n")
    bad = write(tmp_path, "bad.toml", "this is [not toml")
    with pytest.raises(BriefconvertError):
        check_paths([page], CheckConfig(alt_text=bad))
    # check_file reports it as the file's error instead
    assert check_file(page, CheckConfig(alt_text=bad)).error is not None
