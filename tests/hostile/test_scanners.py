"""The output scanners catch what they are meant to catch (a scanner that
passes everything would make every other test in this suite worthless),
and pass briefconvert's real outputs."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from briefconvert.pipeline import convert
from conftest import FIXTURES

from .inputs import CANARY_SIZE, png
from .safety import blobs, image_sizes, scan_docx, scan_epub, scan_html, scan_txt

HEAD = "<!DOCTYPE html><html><head><title>t</title></head><body><main>"
TAIL = "</main></body></html>"


@pytest.mark.parametrize(
    "body",
    [
        "<script>x()</script>", '<p onclick="x()">p</p>', '<a href="javascript:x()">a</a>',
        '<a href=" jav&#x09;ascript:x()">a</a>', '<a href="data:text/html,x">a</a>',
        '<a href="vbscript:x">a</a>', '<img src="https://example.org/x.png" alt="">',
        '<img src="//example.org/x.png" alt="">', '<img srcset="x.png 2x" alt="">',
        '<img src="file:///etc/passwd" alt="">', '<link rel="stylesheet" href="https://x/y.css">',
        "<iframe></iframe>", "<object></object>", "<embed>", "<form></form>", "<style>p{}</style>",
        '<p style="color:red">p</p>', '<meta http-equiv="refresh" content="0;url=x">', "<svg></svg>",
        '<a href="../../etc/passwd">a</a>', "<base href=x>", "p\x07",
    ],
)  # fmt: skip
def test_the_html_scanner_catches(body: str) -> None:
    assert scan_html(f"{HEAD}{body}{TAIL}".encode()) != []


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


CH1 = "EPUB/text/chapter-001.xhtml"
XHTML = '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{}</body></html>'


@pytest.mark.parametrize(
    "entries",
    [
        {"mimetype": b"application/epub+zip", CH1: XHTML.format("<script/>").encode()},
        {"mimetype": b"application/epub+zip", "../evil.xhtml": b"x"},
        {"mimetype": b"application/epub+zip", CH1: b"<p>not well-formed"},
        {CH1: XHTML.format("<p/>").encode(), "mimetype": b"application/epub+zip"},
        {"mimetype": b"application/epub+zip",
         CH1: XHTML.format('<img src="https://x/y.png" alt=""/>').encode()},
    ],
)  # fmt: skip
def test_the_epub_scanner_catches(entries: dict[str, bytes]) -> None:
    assert scan_epub(_zip(entries)) != []


RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" '
    'Target="{}" TargetMode="External"/></Relationships>'
)


@pytest.mark.parametrize(
    "entries",
    [
        {"word/_rels/document.xml.rels": RELS.format("image", "https://example.org/x.png").encode()},
        {"word/_rels/document.xml.rels": RELS.format("hyperlink", "file:///etc/passwd").encode()},
        {"word/_rels/document.xml.rels": RELS.format("attachedTemplate", "https://x/t.dotm").encode()},
        {"word/vbaProject.bin": b"x"},
        {"word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                              b'<w:instrText>INCLUDEPICTURE "https://x/y.png"</w:instrText></w:document>'},
        {"word/document.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"},
    ],
)  # fmt: skip
def test_the_docx_scanner_catches(entries: dict[str, bytes]) -> None:
    assert scan_docx(_zip(entries)) != []


def test_the_text_scanner_catches_control_characters_and_bad_utf8() -> None:
    assert scan_txt(b"ok\x1b[31m") != [] and scan_txt(b"\xff") != [] and scan_txt(b"fine\n\ttext") == []


def test_canaries_are_found_inside_zips_and_data_uris() -> None:
    token = b"CANARY-0123"
    inner = _zip({"EPUB/x.txt": b"..." + token})
    assert any(token in b for b in blobs(inner))
    uri = b"data:text/plain;base64," + base64.b64encode(b"xx" + token)
    assert any(token in b for b in blobs(b"<p>" + uri + b"</p>"))
    image = _zip({"word/media/image1.png": png(*CANARY_SIZE)})
    assert CANARY_SIZE in set(image_sizes(image))


@pytest.mark.parametrize("fmt", ["html", "epub", "docx", "txt"])
def test_our_own_outputs_pass(fmt: str) -> None:
    result = convert(FIXTURES / "brief" / "brief.html", [fmt])
    scanner = {"html": scan_html, "epub": scan_epub, "docx": scan_docx, "txt": scan_txt}[fmt]
    assert scanner(result.outputs[fmt].data) == []
