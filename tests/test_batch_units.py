"""Batch conversion, the parts that need no worker processes: input
expansion and mirroring, the options digest, the report (torn lines, lock,
resume), run_job in this process, the HTML report and progress output."""

from __future__ import annotations

import io
import json
import pickle
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
from lxml import html as lxml_html

from briefconvert import __version__, registry
from briefconvert.batch import BatchUsageError, Job, JobResult, Status, run_job
from briefconvert.batch.engine import remove_stale_temp_files
from briefconvert.batch.faults import install as install_faults
from briefconvert.batch.faults import marker
from briefconvert.batch.html_report import build_page
from briefconvert.batch.inputs import expand_inputs, output_paths, parse_extensions
from briefconvert.batch.job import WORKER_CRASH, crash_message, hard_timeout
from briefconvert.batch.progress import PlainProgress, QuietProgress, RichProgress
from briefconvert.batch.report import ReportWriter, Summary, load_state, options_digest, resume
from briefconvert.options import ConvertOptions, PdfReaderOptions, TextWriterOptions

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _touch(path: Path, data: bytes = b"<p>x</p>") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- inputs ---------------------------------------------------------------------------------------


def test_folder_is_walked_recursively_by_extension_and_mirrored(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    _touch(root / "a.html")
    _touch(root / "2024" / "b.PDF", b"%PDF-1.7")
    _touch(root / "2024" / "fig.png", b"png")
    _touch(root / ".hidden" / "c.html")
    _touch(root / ".d.html")
    sources = expand_inputs([str(root)], cwd=tmp_path)
    assert [s.rel for s in sources] == [PurePosixPath("a.html"), PurePosixPath("2024/b.PDF")]
    assert [s.display for s in sources] == ["briefs/a.html", "briefs/2024/b.PDF"]
    assert all(s.path.is_absolute() for s in sources)


def test_output_folder_inside_the_input_folder_is_not_read(tmp_path: Path) -> None:
    _touch(tmp_path / "in" / "a.html")
    _touch(tmp_path / "in" / "out" / "a.html")  # an output of an earlier run
    sources = expand_inputs([str(tmp_path / "in")], exclude=[tmp_path / "in" / "out"], cwd=tmp_path)
    assert [s.rel.as_posix() for s in sources] == ["a.html"]


def test_glob_mirrors_below_its_fixed_folders(tmp_path: Path) -> None:
    _touch(tmp_path / "cat" / "x" / "a.pdf", b"%PDF")
    _touch(tmp_path / "cat" / "y" / "b.pdf", b"%PDF")
    _touch(tmp_path / "cat" / "y" / "notes.txt", b"t")
    sources = expand_inputs(["cat/**/*"], cwd=tmp_path)
    assert [s.rel.as_posix() for s in sources] == ["x/a.pdf", "y/b.pdf"]


def test_list_file_entries_are_relative_to_the_list(tmp_path: Path) -> None:
    _touch(tmp_path / "lists" / "docs" / "a.html")
    _touch(tmp_path / "lists" / "more" / "b.html")
    (tmp_path / "lists" / "todo.txt").write_text("# to convert\n\ndocs/a.html\n  more  \n", encoding="utf-8")
    sources = expand_inputs(["@lists/todo.txt"], cwd=tmp_path)
    assert [s.rel.as_posix() for s in sources] == ["docs/a.html", "b.html"]


def test_direct_files_keep_their_path_below_the_current_folder_and_duplicates_go(tmp_path: Path) -> None:
    a = _touch(tmp_path / "sub" / "a.html")
    outside = _touch(tmp_path.parent / f"{tmp_path.name}-outside.html")
    try:
        sources = expand_inputs(["sub/a.html", str(a), str(outside), "sub"], cwd=tmp_path)
    finally:
        outside.unlink()
    assert [s.rel.as_posix() for s in sources] == ["sub/a.html", outside.name]


@pytest.mark.parametrize(("arg", "message"), [("nope.html", "no such file"), ("*.nope", "matches no file")])
def test_missing_inputs_are_usage_errors(tmp_path: Path, arg: str, message: str) -> None:
    with pytest.raises(BatchUsageError, match=message):
        expand_inputs([arg], cwd=tmp_path)


def test_two_inputs_writing_one_output_are_refused(tmp_path: Path) -> None:
    _touch(tmp_path / "a.html")
    _touch(tmp_path / "a.pdf", b"%PDF")
    sources = expand_inputs([str(tmp_path)], cwd=tmp_path)
    with pytest.raises(BatchUsageError, match="would both write"):
        output_paths(sources, [".epub"], tmp_path / "out")
    assert len(output_paths(sources[:1], [".epub", ".html"], tmp_path / "out")[0]) == 2


def test_an_output_may_not_overwrite_an_input(tmp_path: Path) -> None:
    _touch(tmp_path / "a.html")
    sources = expand_inputs([str(tmp_path)], cwd=tmp_path)
    with pytest.raises(BatchUsageError, match="overwrite an input"):
        output_paths(sources, [".html"], tmp_path)


def test_extensions_parse() -> None:
    assert parse_extensions("PDF, .htm") == frozenset({".pdf", ".htm"})
    with pytest.raises(BatchUsageError):
        parse_extensions(" , ")


# -- options digest ---------------------------------------------------------------------------------


def test_options_digest_is_canonical_and_sensitive() -> None:
    base = options_digest(["html", "epub"], ConvertOptions())
    assert base == options_digest(["epub", "html"], ConvertOptions())
    assert len(base) == 64 and int(base, 16) >= 0
    assert base != options_digest(["html"], ConvertOptions())
    assert base != options_digest(["html", "epub"], ConvertOptions(txt=TextWriterOptions(width=60)))
    one = options_digest(["html"], ConvertOptions(pdf_reader=PdfReaderOptions(password="s3cret")))
    two = options_digest(["html"], ConvertOptions(pdf_reader=PdfReaderOptions(password="other")))
    assert one != two
    # the per-input asset folder does not change the digest
    opts = ConvertOptions()
    per_input = replace(opts, html=replace(opts.html, assets_dir="x_files"))
    assert options_digest(["html"], opts) == options_digest(["html"], per_input)


# -- jobs and results -------------------------------------------------------------------------------


def _job(
    tmp_path: Path, src: Path, *, formats: tuple[str, ...] = ("html", "epub"), timeout: float = 0
) -> Job:
    out = tmp_path / "out"
    opts = ConvertOptions()
    stem = src.stem
    opts = replace(
        opts,
        html=replace(opts.html, assets_dir=f"{stem}_files"),
        md=replace(opts.md, assets_dir=f"{stem}_files"),
    )
    return Job(
        key=src.name,
        input=str(src),
        display=src.name,
        sha256="0" * 64,
        formats=formats,
        targets=tuple(str(out / f"{stem}{registry.WRITERS[f].extension}") for f in formats),
        out_dir=str(out),
        options=opts,
        digest="d" * 64,
        version=__version__,
        timeout=timeout,
    )


def test_run_job_writes_outputs_and_counts_diagnostics(tmp_path: Path) -> None:
    src = tmp_path / "brief.html"
    shutil.copytree(FIXTURES / "brief", tmp_path, dirs_exist_ok=True)
    result = run_job(_job(tmp_path, src))
    assert result.status == Status.OK, result
    assert "brief.html" in result.outputs and "brief.epub" in result.outputs
    images = [o for o in result.outputs if o.startswith("brief_files/")]
    assert images and all((tmp_path / "out" / o).is_file() for o in result.outputs)
    with zipfile.ZipFile(tmp_path / "out" / "brief.epub") as z:
        assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
    page = lxml_html.fromstring((tmp_path / "out" / "brief.html").read_bytes())
    assert page.find(".//main") is not None
    assert sum(n for _, n in result.severities) == sum(n for _, n in result.codes)
    assert result.peak_rss is None or result.peak_rss > 1_000_000
    assert result.seconds > 0
    assert not [p for p in (tmp_path / "out").rglob("*.tmp")]


def test_run_job_records_a_bad_input_and_never_raises(tmp_path: Path) -> None:
    empty = _touch(tmp_path / "empty.html", b"")
    result = run_job(_job(tmp_path, empty))
    assert (result.status, result.error_class, result.error) == (
        Status.FAILED,
        "InputError",
        "the file is empty",
    )
    assert result.outputs == ()
    missing = run_job(_job(tmp_path, tmp_path / "gone.pdf"))
    assert missing.status == Status.FAILED and missing.error_class == "InputError"


def test_run_job_soft_timeout_in_the_main_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "sniff_reader", registry.sniff_reader)  # restored after the test
    install_faults()
    slow = _touch(tmp_path / "slow.html", marker("slow"))
    result = run_job(_job(tmp_path, slow, timeout=0.3))
    assert result.status == Status.TIMEOUT and result.error == "gave up after 0.3 s (--timeout)"
    assert 0.25 < result.seconds < 5


def test_job_and_result_pickle_and_records_round_trip(tmp_path: Path) -> None:
    job = _job(tmp_path, tmp_path / "a.html")
    assert pickle.loads(pickle.dumps(job)) == job
    result = JobResult(
        key="a.html",
        input="in/a.html",
        sha256="1" * 64,
        digest="2" * 64,
        version="9.9",
        status=Status.OK,
        outputs=("a.html",),
        severities=(("warning", 2),),
        codes=(("image-alt", 2),),
        seconds=0.5,
        peak_rss=123,
        attempts=2,
    )
    assert pickle.loads(pickle.dumps(result)) == result
    record = json.loads(json.dumps(result.to_record()))
    assert record["status"] == "ok" and record["diagnostics"] == {"warning": 2}
    assert JobResult.from_record(record) == result


def test_timeouts_and_crash_messages() -> None:
    assert hard_timeout(0) is None
    hard = hard_timeout(120)
    assert hard is not None and 120 < hard <= 130
    assert "SIGKILL" in crash_message(-9) and "exit code 3" in crash_message(3)


# -- report and resume -------------------------------------------------------------------------------


def _result(job: Job, status: Status = Status.OK, **kw: object) -> JobResult:
    base = JobResult(
        key=job.key,
        input=job.display,
        sha256=job.sha256,
        digest=job.digest,
        version=job.version,
        status=status,
        outputs=tuple(Path(t).name for t in job.targets),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_torn_last_line_is_ignored_and_closed(tmp_path: Path) -> None:
    job = _job(tmp_path, tmp_path / "a.html")
    report = tmp_path / "r.jsonl"
    with ReportWriter(report) as w:
        w.write(_result(job).to_record())
    with report.open("ab") as f:
        f.write(b'{"type": "input", "path": "b.ht')  # kill -9 in the middle of a line
    assert list(load_state(report)) == ["a.html"]
    with ReportWriter(report) as w:
        w.write(_result(replace(job, key="c.html")).to_record())
    lines = report.read_bytes().split(b"\n")
    assert lines[1] == b'{"type": "input", "path": "b.ht' and json.loads(lines[2])["path"] == "c.html"
    assert sorted(load_state(report)) == ["a.html", "c.html"]


def test_report_is_locked_against_a_second_batch(tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    with ReportWriter(report), pytest.raises(BatchUsageError, match="another batch"):
        ReportWriter(report)
    with ReportWriter(report):  # released
        pass


def test_skipped_lines_do_not_replace_the_state(tmp_path: Path) -> None:
    job = _job(tmp_path, tmp_path / "a.html")
    report = tmp_path / "r.jsonl"
    with ReportWriter(report) as w:
        w.write(_result(job).to_record())
        w.write(_result(job, Status.SKIPPED, previous=Status.OK).to_record())
    assert load_state(report)["a.html"].status == Status.OK


def test_resume_rules(tmp_path: Path) -> None:
    job = _job(tmp_path, tmp_path / "a.html")
    for target in job.targets:
        _touch(Path(target))
    ok = _result(job)
    skipped = resume(job, ok, force=False, retry_failed=False)
    assert skipped is not None and skipped.status == Status.SKIPPED and skipped.previous == Status.OK
    assert resume(job, ok, force=True, retry_failed=False) is None
    assert resume(job, None, force=False, retry_failed=False) is None
    for changed in ({"sha256": "f" * 64}, {"digest": "e" * 64}, {"version": "0.0.1"}):
        assert resume(job, replace(ok, **changed), force=False, retry_failed=False) is None  # type: ignore[arg-type]
    Path(job.targets[1]).unlink()
    assert resume(job, ok, force=False, retry_failed=False) is None  # an output is missing
    _touch(Path(job.targets[1]))
    with_image = replace(ok, outputs=(*ok.outputs, "a_files/sha256-x.png"))
    assert resume(job, with_image, force=False, retry_failed=False) is None  # an attachment is missing
    bad = _result(job, Status.FAILED, error_class="InputError", error="the file is empty", outputs=())
    kept = resume(job, bad, force=False, retry_failed=False)
    assert kept is not None and kept.previous == Status.FAILED and kept.failed
    assert resume(job, bad, force=False, retry_failed=True) is None
    slow = _result(job, Status.TIMEOUT, error_class="Timeout", outputs=())
    assert resume(job, slow, force=False, retry_failed=False) is not None
    crash = _result(job, Status.FAILED, error_class=WORKER_CRASH, outputs=())
    assert resume(job, crash, force=False, retry_failed=False) is None  # one crash: killed from outside?
    twice = replace(crash, attempts=2)
    assert resume(job, twice, force=False, retry_failed=False) is not None  # killed a fresh worker too
    io_error = _result(job, Status.FAILED, error_class="PermissionError", outputs=())
    assert resume(job, io_error, force=False, retry_failed=False) is None


def test_stale_temp_files_of_planned_outputs_are_removed(tmp_path: Path) -> None:
    job = _job(tmp_path, tmp_path / "a.html")
    out = Path(job.out_dir)
    stale = [_touch(out / ".a.html.k2j4_x9q.tmp"), _touch(out / "a_files" / ".sha256-1.png.abcdefgh.tmp")]
    kept = [_touch(out / ".other.html.k2j4_x9q.tmp"), _touch(out / "notes.tmp"), _touch(out / "a.html")]
    assert remove_stale_temp_files([job]) == 2
    assert not any(p.exists() for p in stale) and all(p.exists() for p in kept)


# -- summary, HTML report, progress ------------------------------------------------------------------


def _summary(tmp_path: Path) -> Summary:
    job = _job(tmp_path, tmp_path / "a.html")
    results = (
        _result(job, seconds=1.5, codes=(("image-alt", 2),), severities=(("error", 2),)),
        _result(
            replace(job, key="b.pdf", display="in/b.pdf"),
            Status.FAILED,
            error_class="InputError",
            error="not a readable PDF <script>",
            outputs=(),
        ),
        _result(
            replace(job, key="c.html", display="in/c.html"),
            Status.TIMEOUT,
            error_class="Timeout",
            error="gave up",
            outputs=(),
            seconds=3.0,
        ),
        _result(
            replace(job, key="d.html", display="in/d.html"),
            Status.SKIPPED,
            previous=Status.OK,
            codes=(("image-alt", 1), ("heading-order", 1)),
        ),
    )
    return Summary(results, 12.5)


def test_summary_counts_and_exit_code(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    assert summary.exit_code == 1 and len(summary.failures) == 2
    assert [r.key for r in summary.slowest(2)] == ["c.html", "a.html"]
    assert summary.common_diagnostics() == [("image-alt", 3), ("heading-order", 1)]
    rec = summary.to_record()
    assert (rec["ok"], rec["failed"], rec["timeout"], rec["skipped"]) == (1, 1, 1, 1)
    assert "1 converted, 1 failed, 1 timed out, 1 up to date" in summary.lines()[0]
    assert Summary(summary.results[:1] + summary.results[3:], 1.0).exit_code == 0


def test_html_report_is_accessible_and_safe(tmp_path: Path) -> None:
    page_path = tmp_path / "reports" / "batch.html"
    data = build_page(_summary(tmp_path), out_dir=tmp_path / "out", page_path=page_path)
    assert data.startswith(b"<!DOCTYPE html>")
    doc = lxml_html.fromstring(data)
    assert doc.get("lang") == "en" and doc.findtext(".//title")
    main = doc.find(".//main")
    assert main is not None and len(main.findall(".//h1")) == 1 and main.findall(".//h2")
    tables = main.findall(".//table")
    assert tables and all(t.find("caption") is not None for t in tables)
    assert all(th.get("scope") in ("col", "row") for th in main.iter("th"))
    assert not doc.findall(".//script") and b"<script>" not in data  # message text is escaped
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert "../out/a.html" in hrefs
    assert "timeout" in main.text_content() and "InputError" in main.text_content()


def test_plain_and_quiet_progress(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    stream = io.StringIO()
    plain = PlainProgress(stream)
    plain.start(4, summary.results[3:])
    for r in summary.results[:3]:
        plain.done(r)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("skipping 1 of 4 inputs")
    assert lines[1] == "[2/4] ok a.html (1.50 s)"
    assert lines[2] == "[3/4] in/b.pdf: failed: InputError: not a readable PDF <script>"
    quiet_stream = io.StringIO()
    quiet = QuietProgress(quiet_stream)
    quiet.start(4, ())
    for r in summary.results:
        quiet.done(r)
    assert quiet_stream.getvalue().splitlines() == [
        "in/b.pdf: failed: InputError: not a readable PDF <script>",
        "in/c.html: timeout: Timeout: gave up",
    ]


def test_rich_progress_prints_failures_and_counts(tmp_path: Path) -> None:
    from rich.console import Console

    buffer = io.StringIO()
    progress = RichProgress(Console(file=buffer, force_terminal=True, width=160))
    summary = _summary(tmp_path)
    progress.start(4, summary.results[3:])
    for r in summary.results[:3]:
        progress.done(r)
    progress.close()
    out = buffer.getvalue()
    assert "in/b.pdf: failed: InputError" in out
    assert "1 ok" in out and "2 failed" in out and "1 skipped" in out and "3/3" in out
