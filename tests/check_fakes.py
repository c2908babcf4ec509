"""Small stand-in inspectors and semantic rules for the engine tests of
``briefconvert check`` (tests/test_check_*.py), installed in sys.modules with
monkeypatch so that the engine is tested apart from the real rules.

The fake HTML inspector reads markers from the file:
``FAULT:rule-id`` reports that rule on the marker's line and column;
``TITLE:text`` sets the title; ``IMG`` adds an image without alt text on that
line; ``RAISE:input|bug|deep`` raises an InputError, a ValueError or a
RecursionError.  The fake EPUB inspector does the same for each .xhtml member,
with ``part=`` the member's name.  The fake semantic rules report
``document-title`` when the title is missing and ``image-alt`` for each image
whose alt is None.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from briefconvert.a11y.findings import Sink
from briefconvert.errors import InputError
from briefconvert.model import Block, Document, Image, Meta, Paragraph, Resource, SourceRef
from briefconvert.walk import walk

MARKER = re.compile(r"FAULT:([a-z0-9-]+)")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)
PNG_KEY = "sha256-000000000001.png"


def _scan(text: str, sink: Sink, part: str | None) -> Document:
    title = None
    blocks: list[Block] = []
    for n, line in enumerate(text.splitlines(), 1):
        if "RAISE:input" in line:
            raise InputError("not an HTML document")
        if "RAISE:bug" in line:
            raise ValueError("boom")
        if "RAISE:deep" in line:
            raise RecursionError("maximum recursion depth exceeded")
        for m in MARKER.finditer(line):
            sink.add(m.group(1), f"planted {m.group(1)}", line=n, col=m.start() + 1, part=part)
        if (t := re.search(r"TITLE:(\w+)", line)) is not None:
            title = t.group(1)
        if "IMG" in line:
            image = Image(PNG_KEY, None, src=SourceRef(line=n, part=part))
            blocks.append(Paragraph((image,), src=SourceRef(line=n, part=part)))
    resources = {PNG_KEY: Resource(PNG_KEY, "image/png", PNG)} if blocks else {}
    return Document(meta=Meta(title=title), blocks=tuple(blocks), resources=resources)


def html_inspect(data: bytes, path: Path, sink: Sink) -> Document:
    return _scan(data.decode("utf-8"), sink, None)


def epub_inspect(data: bytes, path: Path, sink: Sink) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not an EPUB (not a zip file)") from None
    title = None
    blocks: list[Block] = []
    resources: dict[str, Resource] = {}
    for name in sorted(zf.namelist()):
        if name.endswith(".xhtml"):
            doc = _scan(zf.read(name).decode("utf-8"), sink, name)
            title = title or doc.meta.title
            blocks += doc.blocks
            resources.update(doc.resources)
    return Document(meta=Meta(title=title), blocks=tuple(blocks), resources=resources)


def model_run(doc: Document, sink: Sink, *, fmt: str) -> None:
    if doc.meta.title is None:
        sink.add("document-title", "the document has no title")
    for block in doc.blocks:
        for node in walk(block):
            if isinstance(node, Image) and node.alt is None:
                src = node.src or SourceRef()
                sink.add("image-alt", f"image {node.resource} has no alt text", line=src.line, part=src.part)


def _module(name: str, **attrs: object) -> ModuleType:
    module = ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the fakes in place of the real inspectors and model rules."""
    fakes: dict[str, tuple[str, object]] = {
        "briefconvert.a11y.html_rules": ("inspect", html_inspect),
        "briefconvert.a11y.epub_rules": ("inspect", epub_inspect),
        "briefconvert.a11y.docx_rules": ("inspect", html_inspect),
        "briefconvert.a11y.pdf_rules": ("inspect", html_inspect),
        "briefconvert.a11y.model_rules": ("run", model_run),
    }
    for name, (attr, value) in fakes.items():
        monkeypatch.setitem(sys.modules, name, _module(name, **{attr: value}))


def make_epub(chapters: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in chapters.items():
            zf.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
