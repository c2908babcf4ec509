"""``briefconvert batch``: arguments, usage errors (exit 2) and the all-good exit 0."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import briefconvert.batch
from briefconvert.batch.report import ReportWriter
from briefconvert.cli import main as cli_main
from briefconvert.commands.batch import main

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_help_has_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["batch", "--help"]) == 0
    out = capsys.readouterr().out
    assert (
        "examples:" in out and "exit codes:" in out and "--scheduler" in out and "--worker-setup" not in out
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--to", "nope"], "unknown output format"),
        (["--jobs", "0"], "--jobs must be 1 or more"),
        (["--timeout", "-1"], "--timeout must be"),
        (["--memory-limit", "-5"], "--memory-limit must be"),
        (["--worker-setup", "briefconvert.batch.faults:nothing"], "--worker-setup"),
        (["--ext", ","], "--ext names no extension"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    assert main([str(tmp_path / "a.html"), "--out-dir", str(tmp_path / "out"), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out" / "a.html").exists()


def test_missing_input_and_clashing_outputs_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nope.pdf"), "--out-dir", str(tmp_path / "out")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    (tmp_path / "in").mkdir()
    shutil.copy(FIXTURES / "html" / "dl.html", tmp_path / "in" / "a.html")
    shutil.copy(FIXTURES / "pdf" / "untagged" / "two-columns.pdf", tmp_path / "in" / "a.pdf")
    assert main([str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"), "--to", "epub"]) == 2
    assert "would both write" in capsys.readouterr().err
    assert main(["--out-dir", str(tmp_path / "out")]) == 2  # argparse: INPUT is required


def test_a_second_batch_on_the_same_report_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "html" / "dl.html", tmp_path / "a.html")
    out = tmp_path / "out"
    with ReportWriter(out / "briefconvert-report.jsonl"):
        assert main([str(tmp_path / "a.html"), "--out-dir", str(out)]) == 2
    assert "another batch is running" in capsys.readouterr().err


def test_dask_without_the_extra_is_a_clear_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "briefconvert.batch.dask", raising=False)
    monkeypatch.delattr(briefconvert.batch, "dask", raising=False)
    shutil.copy(FIXTURES / "html" / "dl.html", tmp_path / "a.html")
    assert main([str(tmp_path / "a.html"), "--out-dir", str(tmp_path / "out"), "--dask", "local"]) == 2
    assert "pip install 'briefconvert[dask]'" in capsys.readouterr().err


@pytest.mark.enable_socket  # the worker pool talks to its forkserver over a Unix socket
def test_all_good_exits_0_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    (src / "deep").mkdir(parents=True)
    shutil.copy(FIXTURES / "html" / "dl.html", src / "one.html")
    shutil.copy(FIXTURES / "html" / "lists-nested.html", src / "deep" / "two.htm")
    listing = tmp_path / "todo.txt"
    listing.write_text("in\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main([f"@{listing}", "--to", "md,txt", "--out-dir", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (out / "one.md").is_file() and (out / "deep" / "two.txt").is_file()
    assert "2 inputs: 2 converted, 0 failed" in err and "report:" in err
    lines = [
        json.loads(x) for x in (out / "briefconvert-report.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [x["type"] for x in lines] == ["run", "input", "input", "summary"]
    # nothing left to do: exit 0 again, quietly
    assert main([f"@{listing}", "--to", "md,txt", "--out-dir", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_an_empty_folder_is_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty"), "--out-dir", str(tmp_path / "out")]) == 0
    assert "0 inputs" in capsys.readouterr().err
