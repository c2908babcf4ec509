"""The HTML reader never crashes, never touches the network and never reads a
file outside the input's own folder."""

from __future__ import annotations

import builtins
import io
import os
import random
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefconvert.diagnostics import Report
from briefconvert.errors import LimitExceeded
from briefconvert.model import Document, Image, Paragraph
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.html import read_html
from briefconvert.walk import plain_text, query
from conftest import FIXTURES

HTML = FIXTURES / "html"
PNG = (HTML / "images" / "pixel.png").read_bytes()


def _read(data: bytes, base: Path | None = None, **options: Any) -> tuple[Document, Report]:
    report = Report()
    return read_html(data, base=base, options=HtmlReaderOptions(**options), report=report), report


# ------------------------------------------------------------------ never crash


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t ", b"\x00" * 64, b"<!DOCTYPE html>", b"<html></html>", b"<!-- only a comment -->"]
)
def test_empty_inputs(data: bytes) -> None:
    doc, report = _read(data)
    assert doc == Document()
    assert "html-empty" in [d.code for d in report.diagnostics]


def test_stray_angle_brackets_are_text() -> None:
    doc, _ = _read(b"< <<>> a < b")
    assert plain_text(list(doc.blocks)) == "< <<>> a < b"


@pytest.mark.parametrize("seed", range(8))
def test_binary_garbage(seed: int) -> None:
    data = random.Random(seed).randbytes(20_000)
    doc, _ = _read(data)
    assert isinstance(doc, Document)


def test_an_image_file_given_as_html() -> None:
    doc, _ = _read(PNG)
    assert isinstance(doc, Document)


@pytest.mark.parametrize("tag", ["div", "span", "blockquote", "section", "em", "li", "td"])
def test_deep_nesting(tag: str) -> None:
    depth = 5000
    inner = {"li": "<ul><li>", "td": "<table><tr><td>"}.get(tag, f"<{tag}>")
    data = ("<p>start</p>" + inner * depth + "deep text" + "</x>" * 10).encode()
    doc, report = _read(data)
    text = plain_text(list(doc.blocks))
    assert "start" in text and "deep text" in text
    assert "html-nesting" in [d.code for d in report.diagnostics]


def test_unclosed_and_misnested_tags() -> None:
    data = b"<h2>Open heading<p>para <em>emph <strong>both</em> strong</p><ul><li>one<li>two<table><tr><td>x"
    doc, _ = _read(data)
    text = plain_text(list(doc.blocks))
    for word in ("Open heading", "para", "emph", "both", "strong", "one", "two", "x"):
        assert word in text


def test_too_large_input_is_refused() -> None:
    with pytest.raises(LimitExceeded, match=r"1,001 bytes.*limit of 1,000 bytes.*max_bytes"):
        _read(b"x" * 1001, max_bytes=1000)
    doc, _ = _read(b"<p>" + b"x" * 990 + b"</p>", max_bytes=1000)
    assert doc.blocks


def test_entities_and_doctype_are_not_resolved() -> None:
    data = b"""<!DOCTYPE html SYSTEM "file:///etc/passwd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <html><body><p>A &amp; B &xxe; &eacute;</p></body></html>"""
    doc, _ = _read(data)
    text = plain_text(list(doc.blocks))
    assert "A & B" in text and "é" in text and "root:" not in text


_TAGS = [
    "p",
    "div",
    "span",
    "a",
    "em",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "h2",
    "sup",
    "img",
    "pre",
    "aside",
    "main",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from([f"<{t}>" for t in _TAGS] + [f"</{t}>" for t in _TAGS]),
            st.sampled_from(
                ['<a href="#fn1">1</a>', '<li id="fn1">', "<br>", '<img alt="">', "&nbsp;", "<hr>"]
            ),
            st.text(max_size=20),
        ),
        max_size=60,
    )
)
def test_random_tag_soup_never_raises(parts: list[str]) -> None:
    doc, _ = _read("".join(parts).encode("utf-8", "surrogatepass"))
    assert isinstance(doc, Document)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    doc, _ = _read(data)
    assert isinstance(doc, Document)


# ------------------------------------------------------------------ no network, no files outside


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise AssertionError(f"network access: {name}{args!r}")

        return _refuse

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return calls


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file path opened while the test runs."""
    seen: list[Path] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)):
            seen.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(Path(path).resolve())
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return seen


def test_pages_never_touch_the_network(no_network: list[str]) -> None:
    for page in sorted(HTML.glob("*.html")):
        _read(page.read_bytes(), base=HTML)
    assert no_network == []


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    """A base folder with the images fixture and a PNG outside it (reached by
    ``../``, by absolute path and through a symlink)."""
    base = tmp_path / "base"
    (base / "images").mkdir(parents=True)
    shutil.copy(HTML / "images" / "pixel.png", base / "images" / "pixel.png")
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (base / "images" / "link.png").symlink_to(outside)
    return base, outside


def test_only_files_inside_the_base_folder_are_read(
    sandbox: tuple[Path, Path], opened: list[Path], no_network: list[str]
) -> None:
    base, outside = sandbox
    html = f"""<main>
    <p><img src="images/pixel.png" alt="inside"></p>
    <p><img src="../secret.png" alt="parent"></p>
    <p><img src="images/../../secret.png" alt="sneaky"></p>
    <p><img src="{outside}" alt="absolute"></p>
    <p><img src="file://{outside}" alt="file url"></p>
    <p><img src="images/link.png" alt="symlink"></p>
    <p><img src="https://example.org/x.png" alt="remote"></p>
    <p><img src="//example.org/x.png" alt="protocol relative"></p>
    <p><img src="%2E%2E/secret.png" alt="encoded"></p>
    </main>"""
    doc, report = _read(html.encode(), base=base)
    images = query(doc, Image)
    assert [(i.alt, i.resource is not None) for i in images] == [
        ("inside", True),
        ("parent", False),
        ("sneaky", False),
        ("absolute", False),
        ("file url", False),
        ("symlink", False),
        ("remote", False),
        ("protocol relative", False),
        ("encoded", False),
    ]
    assert all(base.resolve() in p.parents for p in opened), opened
    assert outside.resolve() not in opened
    got = [d.code for d in report.diagnostics if d.code.startswith("resource")]
    assert got == ["resource-outside"] * 5 + ["resource-remote"] * 2 + ["resource-outside", "resource-remote"]
    assert report.diagnostics[-1].message.startswith("2 remote images were not fetched")
    assert no_network == []


def test_stdin_input_reads_no_file(opened: list[Path]) -> None:
    doc, report = _read(b'<p><img src="images/pixel.png" alt="x"></p>', base=None)
    assert query(doc, Image)[0].resource is None
    assert opened == []
    assert [d.code for d in report.diagnostics if d.code.startswith("resource")] == ["resource-missing"]


def test_image_over_the_pixel_limit(sandbox: tuple[Path, Path]) -> None:
    base, _ = sandbox
    doc, report = _read(b'<p><img src="images/pixel.png" alt="x"></p>', base=base, max_image_pixels=1)
    assert query(doc, Image)[0].resource is None
    assert "resource-too-large" in [d.code for d in report.diagnostics]


def test_bad_data_uris() -> None:
    doc, report = _read(
        b'<p><img src="data:image/png;base64,@@@@" alt="a"><img src="data:text/html;base64,PGI+" alt="b">'
        b'<img src="data:image/png,rawbytes" alt="c"></p>'
    )
    assert [i.resource for i in query(doc, Image)] == [None, None, None]
    assert [d.code for d in report.diagnostics if d.code.startswith("resource")] == [
        "resource-unsupported",
        "resource-unsupported",
        "resource-unsupported",
    ]


def test_diagnostics_point_at_source_lines(sandbox: tuple[Path, Path]) -> None:
    base, _ = sandbox
    doc, report = _read(b"<main>\n<p>one</p>\n\n<p><img src='missing.png' alt='m'></p>\n</main>", base=base)
    missing = next(d for d in report.diagnostics if d.code == "resource-missing")
    assert missing.where == "line 4"
    para = doc.blocks[1]
    assert isinstance(para, Paragraph) and para.src is not None and para.src.line == 4
