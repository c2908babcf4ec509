"""The command line: exit codes, messages, output placement, atomic writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefconvert import files
from briefconvert.cli import main
from briefconvert.output import Attachment, Output

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "fixtures" / "brief" / "brief.html"

SIMPLE = b"""<!DOCTYPE html><html lang="en"><head><title>A short brief</title></head>
<body><main><h1>A short brief</h1><h2>Findings</h2><p>Prices fell by a third.</p>
<p>Remote chart: <img src="https://example.org/chart.png" alt="Chart of prices"></p></main></body></html>"""


@pytest.fixture
def simple(tmp_path: Path) -> Path:
    p = tmp_path / "in" / "simple.html"
    p.parent.mkdir()
    p.write_bytes(SIMPLE)
    return p


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefconvert", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_version_is_fast_and_light() -> None:
    start = time.perf_counter()
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("briefconvert ")
    # the real start-up figure is in benchmarks/bench_html.py; here we only
    # check that --version does not import the heavy libraries
    code = (
        "import sys; from briefconvert.cli import main\ntry: main(['--version'])\nexcept SystemExit: pass\n"
    )
    code += "print(sorted(m for m in ('lxml', 'PIL', 'docx', 'pypdf', 'ebooklib') if m in sys.modules))"
    r2 = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r2.stdout.strip().splitlines()[-1] == "[]"
    assert time.perf_counter() - start < 30


def test_images_bring_in_only_their_own_pillow_plugin(tmp_path: Path) -> None:
    """A page with a PNG, converted to every format, loads Pillow's PNG
    plugin and no other (PIL.Image.open and save with a format argument would
    import five: start-up time of every run)."""
    shutil.copy(ROOT / "fixtures" / "brief" / "figure1-imports.png", tmp_path / "f.png")
    page = tmp_path / "p.html"
    page.write_text('<html lang="en"><title>T</title><p>x <img src="f.png" alt="a chart"></p></html>')
    code = (
        "import sys; from briefconvert.pipeline import convert\n"
        f"convert({str(page)!r}, ('epub', 'docx', 'html', 'md', 'txt'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('PIL.') and m.endswith('Plugin')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "['PIL.PngImagePlugin']"


def test_help_has_examples() -> None:
    r = run("--help")
    assert r.returncode == 0
    assert "examples:" in r.stdout and "--to" in r.stdout and "exit codes" in r.stdout


def test_missing_input_is_one_line_exit_2(tmp_path: Path) -> None:
    r = run(str(tmp_path / "nope.html"), "--to", "txt", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == f"{tmp_path / 'nope.html'}: error: no such file"
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.html", "the file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "x.pdf", "x.pdf: error: "),
        (b"PK\x03\x04 not a brief", "x.zip", "cannot read this .zip file"),
    ],
)
def test_unreadable_inputs(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    r = run(str(p), "--to", "txt", "-o", str(tmp_path / "out.txt"))
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.txt").exists()


def test_a_directory_as_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--to", "txt", "-o", str(tmp_path / "o.txt")]) == 2
    assert f"{tmp_path}: error: is a directory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "message"),
    [("rtf", "unknown output format 'rtf'"), ("", "--to names no format")],
)
def test_bad_formats(simple: Path, fmt: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(simple), "--to", fmt]) == 2
    assert message in capsys.readouterr().err


def test_stdout_text(simple: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main([str(simple), "--to", "txt", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert next(line for line in out.splitlines() if line.strip("= ")) == "A short brief"
    assert "Prices fell by a third." in out


def test_stdout_refuses_many(simple: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(simple), "--to", "txt,md", "-o", "-"]) == 2
    assert "-o - takes one input and one format" in capsys.readouterr().err


def test_output_file(simple: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "result.md"
    assert main([str(simple), "--to", "md", "-o", str(target), "-q"]) == 0
    assert target.read_text().startswith("# A short brief")


def test_output_dir_for_many_formats(simple: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(simple), "--to", "html,txt,md,json", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["simple.html", "simple.json", "simple.md", "simple.txt"]


def test_file_name_for_many_outputs_is_refused(
    simple: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(simple), "--to", "html,txt", "-o", str(tmp_path / "x.html")]) == 2
    assert "give a folder" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_default_output_in_cwd(simple: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([str(simple), "--to", "txt"]) == 0
    assert (tmp_path / "simple.txt").is_file()


def test_never_overwrites_the_input(
    simple: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(simple.parent)
    before = simple.read_bytes()
    assert main([str(simple.name), "--to", "html"]) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert simple.read_bytes() == before


def test_html_images_go_beside_the_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(BRIEF), "--to", "html", "-o", f"{out}/", "-q"]) == 0
    page = (out / "brief.html").read_text()
    images = sorted((out / "brief_files").iterdir())
    assert len(images) == 2
    for img in images:
        assert f'src="brief_files/{img.name}"' in page


def test_all_formats(simple: Path, tmp_path: Path) -> None:
    assert main([str(simple), "--to", "all", "-o", str(tmp_path / "o"), "-q"]) == 0
    assert {p.suffix for p in (tmp_path / "o").iterdir()} == {
        ".html",
        ".txt",
        ".md",
        ".json",
        ".docx",
        ".epub",
    }


def test_diagnostics_and_fail_on(simple: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "o.txt")
    assert main([str(simple), "--to", "txt", "-o", out]) == 0
    err = capsys.readouterr().err
    assert f"{simple}: warning: resource-remote: 1 remote image was not fetched" in err
    assert main([str(simple), "--to", "txt", "-o", out, "--strict"]) == 1
    assert main([str(simple), "--to", "txt", "-o", out, "--fail-on", "warning"]) == 1
    assert main([str(simple), "--to", "txt", "-o", out, "--fail-on", "error"]) == 0
    capsys.readouterr()
    assert main([str(simple), "--to", "txt", "-o", out, "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_one_bad_input_does_not_stop_the_others(
    simple: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    out = tmp_path / "o"
    assert main([str(bad), str(simple), "--to", "txt", "-o", str(out)]) == 2
    assert (out / "simple.txt").is_file() and not (out / "bad.txt").exists()
    assert f"{bad}: error: the file is empty" in capsys.readouterr().err


def test_usage_errors_exit_2() -> None:
    r = run("--to", "txt")
    assert r.returncode == 2 and "usage:" in r.stderr
    r = run("x.html", "--width", "-3")
    assert r.returncode == 2


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.html"
    target.write_bytes(b"old")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_attachments_cannot_escape(tmp_path: Path) -> None:
    for bad in ("../x.png", "/etc/x.png", ""):
        with pytest.raises(ValueError):
            files.write_output(tmp_path / "p.html", Output(b"x", (Attachment(bad, b"1"),)))
    assert list(tmp_path.iterdir()) == []


def test_write_error_is_reported(simple: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main([str(simple), "--to", "txt", "-o", str(blocker / "sub" / "x.txt")]) == 2
    assert "cannot write output" in capsys.readouterr().err


def test_internal_errors_are_one_line(simple: Path, tmp_path: Path) -> None:
    code = "import sys; from briefconvert.cli import main; sys.exit(main(sys.argv[1:]))"
    r = subprocess.run(
        [sys.executable, "-c", "import briefconvert.writers.text as t\n"
         "def broken(*a, **k): raise KeyError('bug')\nt.write_txt = broken\n" + code,
         str(simple), "--to", "txt", "-o", str(tmp_path / "o.txt")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "BRIEFCONVERT_DEBUG": ""},
    )  # fmt: skip
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "internal error (KeyError: 'bug'); please report it" in r.stderr
    assert not (tmp_path / "o.txt").exists()


def test_html_and_markdown_share_one_image_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(BRIEF), "--to", "html,md", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["brief.html", "brief.md", "brief_files"]
    md = (out / "brief.md").read_text()
    for img in (out / "brief_files").iterdir():
        assert f"](brief_files/{img.name})" in md


PDF = ROOT / "fixtures" / "pdf" / "tagged" / "brief.pdf"


def test_pdf_to_every_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(PDF), "--to", "all", "-o", str(out), "-q"]) == 0
    assert {p.suffix for p in out.iterdir() if p.is_file()} == {
        ".html",
        ".txt",
        ".md",
        ".json",
        ".docx",
        ".epub",
    }
    page = (out / "brief.html").read_text()
    assert page.count("<h1") == 1 and 'role="doc-pagebreak"' in page


def test_encrypted_pdf_needs_its_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    out = tmp_path / "o.txt"
    assert main([str(locked), "--to", "txt", "-o", str(out)]) == 2
    assert "give --password" in capsys.readouterr().err and not out.exists()
    assert main([str(locked), "--to", "txt", "-o", str(out), "--password", "wrong"]) == 2
    assert "wrong password" in capsys.readouterr().err and not out.exists()
    assert main([str(locked), "--to", "txt", "-o", str(out), "--password", "s3cret", "-q"]) == 0
    assert out.read_text().strip()


def test_scanned_pdf_is_not_an_empty_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (300, 200), (240, 240, 240)).save(scan, format="PDF")
    out = tmp_path / "scan.txt"
    # a warning on stderr and a visible notice in the output: exit 0, or 1 with --strict
    assert main([str(scan), "--to", "txt", "-o", str(out)]) == 0
    assert "warning: pdf-no-text: no text layer" in capsys.readouterr().err
    words = " ".join(out.read_text().replace("|", " ").split())
    assert "briefconvert found no text to convert in this document: no text layer" in words
    assert main([str(scan), "--to", "txt", "-o", str(out), "--strict"]) == 1


def test_timeout_gives_up_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_vs_pandoc import article

    big = tmp_path / "big.html"
    big.write_text(article(1_500_000), encoding="utf-8")
    out = tmp_path / "big.docx"
    start = time.perf_counter()
    assert main([str(big), "--to", "docx", "-o", str(out), "--timeout", "0.3"]) == 2
    assert time.perf_counter() - start < 5
    assert f"{big}: error: gave up after 0.3 s (--timeout)" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == [big]
