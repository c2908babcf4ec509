"""``briefconvert alt-text`` and ``--alt-text FILE`` on conversions."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefconvert.alttext import load_sidecar
from briefconvert.cli import main
from conftest import SHARED, require_shared

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Water brief</title></head>
<body><main><h1>Water brief</h1>
<p>Reservoirs were at half their capacity in August.</p>
<figure><img src="levels.png"><figcaption>Figure 1: Reservoir levels</figcaption></figure>
<p>Again: <img src="levels.png"> and <img src="logo.png" alt=""></p>
</main></body></html>
"""


def png(rgb: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (30, 20), rgb).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "levels.png").write_bytes(png((10, 80, 200)))
    (folder / "logo.png").write_bytes(png((250, 250, 0)))
    path = folder / "water.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def levels_sha(page: Path) -> str:
    return hashlib.sha256((page.parent / "levels.png").read_bytes()).hexdigest()


def describe(sidecar: Path, digest: str, alt: str) -> None:
    text = sidecar.read_text(encoding="utf-8")
    head, sep, rest = text.partition(f'sha256 = "{digest}"')
    assert sep, f"{digest} not in {sidecar}"
    start = head.rindex("[[image]]")
    table = head[start:]
    table = re.sub(r'^status = ".*"$', 'status = "described"', table, count=1, flags=re.M)
    table = re.sub(r'^alt = ".*"$', f'alt = "{alt}"', table, count=1, flags=re.M)
    sidecar.write_text(head[:start] + table + sep + rest, encoding="utf-8")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefconvert", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_writes_the_sidecar_in_the_current_directory(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["alt-text", str(page)]) == 0
    sidecar = tmp_path / "water.alt.toml"
    data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    assert data["source"] == "water.html"
    assert [(t["status"], len(t["locations"])) for t in data["image"]] == [("missing", 2), ("decorative", 1)]
    assert data["image"][0]["sha256"] == levels_sha(page)
    err = capsys.readouterr().err
    assert "2 image(s), 1 without alt text, 1 decorative" in err and str(sidecar) in err


def test_refuses_to_overwrite_then_update_merges(
    page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = tmp_path / "water.alt.toml"
    assert main(["alt-text", str(page), "-o", str(sidecar)]) == 0
    describe(sidecar, levels_sha(page), "Bar chart: reservoirs at 48 % in August")
    edited = sidecar.read_bytes()
    capsys.readouterr()

    assert main(["alt-text", str(page), "-o", str(sidecar)]) == 2
    assert "--update" in capsys.readouterr().err
    assert sidecar.read_bytes() == edited

    # a revision adds an image; --update keeps the editor's text and lists the new one
    (page.parent / "map.png").write_bytes(png((0, 120, 0)))
    page.write_text(PAGE.replace("</main>", '<p><img src="map.png"></p></main>'), encoding="utf-8")
    assert main(["alt-text", str(page), "-o", str(sidecar), "--update"]) == 0
    err = capsys.readouterr().err
    # kept: the description and the decorative logo
    assert "kept the text of 2 image(s), added 1 new image(s)" in err
    loaded = load_sidecar(sidecar)
    assert [e.alt for e in loaded.entries] == ["Bar chart: reservoirs at 48 % in August", "", None]

    assert main(["alt-text", str(page), "-o", str(sidecar), "--force"]) == 0
    assert [e.alt for e in load_sidecar(sidecar).entries] == [None, "", None]


def test_update_with_a_broken_sidecar_leaves_it_alone(
    page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = tmp_path / "water.alt.toml"
    sidecar.write_text("[[image]\n", encoding="utf-8")
    assert main(["alt-text", str(page), "-o", str(sidecar), "--update"]) == 2
    err = capsys.readouterr().err
    assert f"{sidecar}:1:" in err and "not valid TOML" in err
    assert sidecar.read_text(encoding="utf-8") == "[[image]\n"


def test_stdout(page: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["alt-text", str(page), "-o", "-"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert tomllib.loads(out)["image"][0]["caption"] == "Figure 1: Reservoir levels"
    assert main(["alt-text", str(page), "-o", "-", "--update"]) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.html", None, "no such file"),
        ("notes.bin", b"\x00\x01 binary", "cannot read"),
        ("broken.pdf", b"%PDF-1.7\n garbage", "error:"),
        ("empty.html", b"  \n", "empty"),
    ],
)
def test_unreadable_inputs_exit_2_in_one_line(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    r = run("alt-text", str(path), cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert message in r.stderr
    assert not list(tmp_path.glob("*.alt.toml"))


def test_never_overwrites_the_input(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = page.read_bytes()
    assert main(["alt-text", str(page), "-o", str(page), "--force"]) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert page.read_bytes() == before


def test_conversion_applies_the_sidecar(page: Path, tmp_path: Path) -> None:
    sidecar = tmp_path / "water.alt.toml"
    assert main(["alt-text", str(page), "-o", str(sidecar)]) == 0
    describe(sidecar, levels_sha(page), "Bar chart: reservoirs at 48 % in August")
    out = tmp_path / "out"
    r = run(str(page), "--to", "html,epub", "-o", str(out) + "/", "--alt-text", str(sidecar), "--strict")
    assert r.returncode == 0, r.stderr
    html = (out / "water.html").read_text(encoding="utf-8")
    assert html.count('alt="Bar chart: reservoirs at 48 % in August"') == 2
    with zipfile.ZipFile(out / "water.epub") as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert xhtml.count('alt="Bar chart: reservoirs at 48 % in August"') == 2
    # without the sidecar the same conversion reports the missing alt text
    r = run(str(page), "--to", "html", "-o", str(tmp_path / "plain.html"), "--strict")
    assert r.returncode == 1 and "image-alt" in r.stderr


def test_conversion_with_a_bad_sidecar_is_a_usage_error(page: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.alt.toml"
    bad.write_text('[[image]]\nsha256 = "12"\n', encoding="utf-8")
    r = run(str(page), "--to", "html", "-o", str(tmp_path / "x.html"), "--alt-text", str(bad))
    assert r.returncode == 2
    assert f"{bad}:2: image 1: 'sha256' must be the 64 hex digits" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "x.html").exists()
    missing = str(tmp_path / "none.toml")
    r = run(str(page), "--to", "html", "-o", str(tmp_path / "x.html"), "--alt-text", missing)
    assert r.returncode == 2 and "none.toml: no such file" in r.stderr


def test_untagged_pdf_from_the_corpus(tmp_path: Path) -> None:
    corpus = SHARED / "corpus" / "generated" / "cyber-resilience"
    require_shared(corpus)
    pdf = corpus / "libreoffice.pdf"
    sidecar = tmp_path / "cyber.alt.toml"
    r = run("alt-text", str(pdf), "-o", str(sidecar), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1 image(s), 1 without alt text" in r.stderr
    (entry,) = load_sidecar(sidecar).entries
    assert entry.locations and entry.locations[0].startswith("page ")
    describe(sidecar, entry.sha256, "Chart of incidents by sector")
    r = run(str(pdf), "--to", "docx", "-o", str(tmp_path / "cyber.docx"), "--alt-text", str(sidecar), "-v")
    assert r.returncode == 0, r.stderr
    assert "alt-text-applied" in r.stderr
    with zipfile.ZipFile(tmp_path / "cyber.docx") as z:
        assert 'descr="Chart of incidents by sector"' in z.read("word/document.xml").decode()


def _reader_available(module: str, func: str) -> bool:
    from briefconvert import registry

    ext = "." + module.rsplit(".", 1)[1]
    if any(ext in r.extensions for r in registry.READERS.values()):
        return True
    if importlib.util.find_spec(module) is None:
        return False
    return hasattr(importlib.import_module(module), func)


def test_epub_and_docx_inputs(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Our own EPUB/DOCX outputs as inputs: listed when their readers exist
    (being written), a clean one-line refusal otherwise."""
    assert main([str(page), "--to", "epub,docx", "-o", str(tmp_path) + "/", "-q"]) == 0
    for ext in (".epub", ".docx"):
        capsys.readouterr()
        sidecar = tmp_path / f"{ext[1:]}.alt.toml"
        code = main(["alt-text", str(tmp_path / f"water{ext}"), "-o", str(sidecar)])
        err = capsys.readouterr().err
        if _reader_available(f"briefconvert.readers.{ext[1:]}", f"read_{ext[1:]}"):
            assert code == 0, err
            entries = load_sidecar(sidecar).entries
            assert [e.status for e in entries].count("missing") == 1
            assert levels_sha(page) in [e.sha256 for e in entries]  # the same bytes, the same hash
        else:
            assert code == 2 and f"cannot read {ext} files" in err and len(err.splitlines()) == 1
            assert not sidecar.exists()


def test_help() -> None:
    r = run("alt-text", "--help")
    assert r.returncode == 0 and "--update" in r.stdout and "examples:" in r.stdout
    r = run("--help")
    assert "--alt-text FILE" in r.stdout
