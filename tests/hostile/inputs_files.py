"""Hostile files: zero-byte and misnamed files, things that are not files,
zip bombs and hostile containers (EPUB, DOCX), hostile model JSON."""

# ruff: noqa: E501  (hostile markup is clearest on one line)

from __future__ import annotations

import base64
import functools
import json
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from . import pdfgen
from .inputs import SAFE_TEXT, Case, Env, Outcome, html_page, png

CASES: list[Case] = []
GiB = 1 << 30


def case(
    cls: str,
    outcome: Outcome = "any",
    *,
    error: str | None = None,
    keeps: str | None = None,
    isolate: bool = False,
    check: bool = True,
) -> Callable[[Callable[[Env], Path]], Callable[[Env], Path]]:
    def deco(fn: Callable[[Env], Path]) -> Callable[[Env], Path]:
        CASES.append(Case(fn.__name__.replace("_", "-"), cls, fn, outcome, error, keeps, isolate, check))
        return fn

    return deco


# ------------------------------------------------- zero-byte and misnamed


@case("zero-misnamed", "error", error="empty")
def zero_byte_html(env: Env) -> Path:
    return env.write("empty.html", b"")


@case("zero-misnamed", "error", error="empty")
def zero_byte_pdf(env: Env) -> Path:
    return env.write("empty.pdf", b"")


@case("zero-misnamed", "error", error="empty")
def whitespace_only(env: Env) -> Path:
    return env.write("blank.html", b" \r\n\t\x0c\n" * 100)


@case("zero-misnamed", "ok", keeps="ordinary text")
def pdf_named_html(env: Env) -> Path:
    return env.write("really-a-pdf.html", pdfgen.simple())


@case("zero-misnamed", "error")
def png_named_pdf(env: Env) -> Path:
    return env.write("picture.pdf", png(20, 20))


@case("zero-misnamed")
def png_named_html(env: Env) -> Path:
    return env.write("picture.html", png(20, 20))


@case("zero-misnamed")
def gzip_named_html(env: Env) -> Path:
    import gzip

    return env.write("page.html", gzip.compress(html_page("<p>zipped</p>").encode()))


@case("zero-misnamed")
def html_named_pdf(env: Env) -> Path:
    return env.write("page.pdf", html_page("<p>html, not pdf</p>"))


@case("zero-misnamed", "error", error="director")
def a_directory(env: Env) -> Path:
    path = env.folder / "folder.html"
    path.mkdir()
    (path / "index.html").write_text(html_page(""), encoding="utf-8")
    return path


@case("zero-misnamed", "error", error="regular file", isolate=True)
def a_fifo(env: Env) -> Path:
    path = env.folder / "pipe.html"
    os.mkfifo(path)
    return path


@case("zero-misnamed", "error", error="regular file")
def a_device(env: Env) -> Path:
    path = env.folder / "zero.pdf"
    os.symlink("/dev/zero", path)
    return path


@case("zero-misnamed", "error", error="no such file")
def a_dangling_symlink(env: Env) -> Path:
    path = env.folder / "gone.html"
    os.symlink(env.folder / "does-not-exist.html", path)
    return path


# ------------------------------------------------------------ zip files


@functools.cache
def _raw_deflate_zeros(size: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """Raw deflate data expanding to ``size`` zeros, and their CRC-32."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    block = bytes(chunk)
    for _ in range(size // chunk):
        crc = zlib.crc32(block, crc)
    return first + again * (size // chunk - 1) + b"\x03\x00", crc


def _zip(entries: list[tuple[str, bytes, int, int, bool]]) -> bytes:
    """A zip file from (name, stored data, uncompressed size, crc, deflated)
    entries, written by hand so that names and sizes may be anything."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc, deflated in entries:
        raw = name.encode("utf-8")
        method = 8 if deflated else 0
        at = len(out)
        zip64 = size >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
        usize, csize = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (size, len(data))
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 45, 0x800, method, 0, 0x21, crc, csize, usize, len(raw), len(extra)
        )
        out += raw + extra + data
        cextra = struct.pack("<HHQQQ", 1, 24, size, len(data), at) if zip64 else b""
        offset = 0xFFFFFFFF if zip64 else at
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0x800, method, 0, 0x21, crc, csize, usize, len(raw),
            len(cextra), 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw + cextra
    cd_at = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_at, 0)
    return bytes(out)


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int, bool]:
    return name, data, len(data), zlib.crc32(data), False


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, bool]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, comp.compress(data) + comp.flush(), len(data), zlib.crc32(data), True


def _bomb(name: str, size: int) -> tuple[str, bytes, int, int, bool]:
    data, crc = _raw_deflate_zeros(size)
    return name, data, size, crc, True


CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def _opf(chapter: str = "ch1.xhtml", dtd: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{dtd}<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id" xml:lang="en"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">x</dc:identifier><dc:title>Hostile book</dc:title><dc:language>en</dc:language>'
        '</metadata><manifest><item id="c1" href="' + chapter + '" media-type="application/xhtml+xml"/>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/></manifest>'
        '<spine><itemref idref="c1"/></spine></package>'
    )


def _chapter(body: str, dtd: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{dtd}<html xmlns="http://www.w3.org/1999/xhtml" lang="en">'
        f"<head><title>c</title></head><body><h1>Chapter</h1><p>{SAFE_TEXT}</p>{body}</body></html>"
    )


def _epub(
    env: Env,
    name: str,
    extra: list[tuple[str, bytes, int, int, bool]],
    chapter: str | None = None,
    opf: str | None = None,
) -> Path:
    entries = [
        _stored("mimetype", b"application/epub+zip"),
        _deflated("META-INF/container.xml", CONTAINER.encode()),
        _deflated("EPUB/package.opf", (opf or _opf()).encode()),
        _deflated(
            "EPUB/nav.xhtml",
            _chapter(
                '<nav epub:type="toc" xmlns:epub="http://www.idpf.org/2007/ops"><ol><li><a href="ch1.xhtml">c</a></li></ol></nav>'
            ).encode(),
        ),
        _deflated("EPUB/ch1.xhtml", (chapter or _chapter("")).encode()),
        *extra,
    ]
    return env.write(name, _zip(entries))


@case("zip", isolate=True)
def epub_zip_bomb(env: Env) -> Path:
    bombs = [_bomb("EPUB/big.xhtml", GiB), _bomb("EPUB/images/big.png", GiB), _bomb("EPUB/x.css", GiB)]
    return _epub(env, "bomb.epub", bombs, opf=_opf("big.xhtml"))


@case("zip", isolate=True)
def docx_zip_bomb(env: Env) -> Path:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    entries = [
        _deflated("[Content_Types].xml", types.encode()),
        _deflated("_rels/.rels", rels.encode()),
        _bomb("word/document.xml", GiB),
        _bomb("word/styles.xml", GiB),
        _bomb("word/media/image1.png", GiB),
    ]
    return env.write("bomb.docx", _zip(entries))


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@case("zip", isolate=True)
def docx_paragraph_flood(env: Env) -> Path:
    body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1_500_000  # 50 MB of XML, 2 million elements
    doc = (
        b'<?xml version="1.0"?><w:document ' + W_NS.encode() + b"><w:body>" + body + b"</w:body></w:document>"
    )
    return env.write(
        "flood.docx",
        _zip([_deflated("[Content_Types].xml", TYPES.encode()), _deflated("word/document.xml", doc)]),
    )


@case("zip")
def epub_chapter_flood(env: Env) -> Path:
    chapter = _chapter("<p>x</p>" * 2_000_000)
    return _epub(env, "flood.epub", [], chapter=chapter)


@case("zip")
def epub_with_many_entries(env: Env) -> Path:
    extra = [_stored(f"EPUB/x/{i}.txt", b"") for i in range(60_000)]
    return _epub(env, "many.epub", extra)


@case("zip")
def epub_with_hostile_content(env: Env) -> Path:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE html [<!ENTITY l0 "lol">{laughs}<!ENTITY xxe SYSTEM "file://{env.canary}">]>'
    body = (
        f'<p>&xxe; &l9;</p><script>alert(1)</script><p onclick="alert(2)"><a href="javascript:alert(3)">js</a>'
        f'<img src="../../../../secret/canary.png" alt="up"/><img src="file://{env.canary_png}" alt="file"/>'
        f'<img src="{env.url}/remote.png" alt="remote"/></p>'
    )
    extra = [_deflated("../../evil.txt", b"zip slip"), _deflated("/abs/evil.txt", b"absolute")]
    opf = _opf(dtd=f'<!DOCTYPE package [<!ENTITY xxe SYSTEM "file://{env.canary}">]>').replace(
        "Hostile book", "&xxe;"
    )
    return _epub(env, "hostile.epub", extra, chapter=_chapter(body, dtd), opf=opf)


@case("zip")
def empty_member_names(env: Env) -> Path:
    return _epub(env, "empty-names.epub", [_stored("", b"x"), _stored("/", b"y")])


@case("zip")
def docx_with_empty_member_name(env: Env) -> Path:
    entries = [_stored("", b"x"), _deflated("word/document.xml", b"<w:document/>")]
    return env.write("empty-name.docx", _zip(entries))


@case("zip")
def corrupt_zip_as_docx(env: Env) -> Path:
    data = _zip([_deflated("word/document.xml", b"<w:document/>" * 100)])
    return env.write("broken.docx", data[: len(data) // 2] + os.urandom(64))


# ------------------------------------------------------------ model JSON


def _model(
    blocks: list[object], meta: dict[str, object] | None = None, resources: dict[str, object] | None = None
) -> bytes:
    doc = {
        "schema": "briefconvert-model",
        "version": 2,
        "meta": {"t": "Meta", "title": "Hostile model", **(meta or {})},
        "blocks": blocks,
        "resources": resources or {},
    }
    return json.dumps(doc).encode()


def _para(*content: object) -> dict[str, object]:
    return {"t": "Paragraph", "content": list(content)}


def _text(text: str) -> dict[str, object]:
    return {"t": "Text", "text": text}


@case("model-json", "ok", keeps=SAFE_TEXT)
def model_with_unsafe_links_and_markup(env: Env) -> Path:
    urls = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:x", "vbscript:x", "data:text/html,x",
            f"file://{env.canary}", "../../secret/canary.txt", f"{env.url}/x", "java\tscript:x"]  # fmt: skip
    links = [{"t": "Link", "content": [_text(f"link {i}")], "url": u} for i, u in enumerate(urls)]
    blocks = [
        _para(_text(SAFE_TEXT)),
        _para(*links),
        _para(_text('<script>alert(1)</script> "><img src=x onerror=alert(1)>')),
        {"t": "CodeBlock", "text": "</pre><script>alert(1)</script>", "language": '"><script>'},
        {
            "t": "Heading",
            "level": 2,
            "content": [_text("h")],
            "attr": {"t": "Attr", "id": '"><script>', "classes": ['" onclick="x'], "lang": 'en" onclick="x'},
        },
    ]
    return env.write(
        "unsafe.json", _model(blocks, meta={"lang": 'en" onload="x', "source_url": "javascript:alert(1)"})
    )


@case("model-json", "error")
def model_nested_100k_deep(env: Env) -> Path:
    return env.write(
        "deep.json",
        b'{"schema": "briefconvert-model", "version": 2, "blocks": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    )


@case("model-json")
def model_with_hostile_resources(env: Env) -> Path:
    huge = base64.b64encode(png(100_000, 100_000, zlib.compress(bytes(100)))).decode()
    key = "../../../secret/evil.png"
    blocks = [_para(_text(SAFE_TEXT)), _para({"t": "Image", "resource": key, "alt": "evil key"})]
    resources = {key: {"t": "Resource", "key": key, "media_type": "image/png", "data": huge, "origin": "x"}}
    return env.write("resources.json", _model(blocks, resources=resources))
