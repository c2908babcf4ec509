"""Format names -> the functions that read or write them, imported on demand
so that the CLI starts without loading lxml, Pillow or python-docx."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UnsupportedFormat, UnsupportedInput
from .model import JSON_SCHEMA
from .record import Record


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class WriterSpec(Record):
    name: str
    extension: str
    target: str | None  # "module:function"; None = not available yet
    text: bool  # may be written to stdout
    options_field: str  # attribute of ConvertOptions holding this writer's options
    summary: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ReaderSpec(Record):
    name: str
    extensions: tuple[str, ...]
    target: str
    options_field: str | None


WRITERS: dict[str, WriterSpec] = {
    s.name: s
    for s in (
        WriterSpec(
            "html", ".html", "briefconvert.writers.html:write_html", True, "html", "accessible HTML5 page"
        ),
        WriterSpec("epub", ".epub", "briefconvert.writers.epub:write_epub", False, "epub", "EPUB 3"),
        WriterSpec("docx", ".docx", "briefconvert.writers.docx:write_docx", False, "docx", "Word document"),
        WriterSpec("txt", ".txt", "briefconvert.writers.text:write_txt", True, "txt", "plain text"),
        WriterSpec(
            "md", ".md", "briefconvert.writers.markdown:write_md", True, "md", "Markdown (CommonMark + GFM)"
        ),
        WriterSpec(
            "json", ".json", "briefconvert.writers.jsonmodel:write_json", True, "json", "the document model"
        ),
    )
}

READERS: dict[str, ReaderSpec] = {
    s.name: s
    for s in (
        ReaderSpec("html", (".html", ".htm", ".xhtml"), "briefconvert.readers.html:read_html", "html_reader"),
        ReaderSpec("pdf", (".pdf",), "briefconvert.readers.pdf:read_pdf", "pdf_reader"),
        ReaderSpec("json", (".json",), "briefconvert.readers.jsonmodel:read_json", None),
    )
}

FORMAT_ALIASES = {"text": "txt", "markdown": "md", "htm": "html", "model": "json"}


def writer_spec(name: str) -> WriterSpec:
    key = FORMAT_ALIASES.get(name.lower(), name.lower())
    spec = WRITERS.get(key)
    if spec is None:
        raise UnsupportedFormat(f"unknown output format {name!r} (choose from {', '.join(WRITERS)})")
    if spec.target is None:
        raise UnsupportedFormat(f"output format {spec.name!r} is not supported yet")
    return spec


def _load(target: str) -> Callable[..., Any]:
    module, _, func = target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), func)
    return fn


def writer(spec: WriterSpec) -> Callable[..., Any]:
    assert spec.target is not None
    return _load(spec.target)


def reader(spec: ReaderSpec) -> Callable[..., Any]:
    return _load(spec.target)


def sniff_reader(data: bytes, path: Path | None) -> ReaderSpec:
    """Pick the reader from the content first, the file name second."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    ext = path.suffix.lower() if path else ""
    if head.startswith(b"%pdf-") or (b"%PDF-" in data[:1024] and ext == ".pdf"):
        return READERS["pdf"]
    if head.startswith(b"{") and (ext == ".json" or f'"{JSON_SCHEMA}"'.encode() in data[:4096]):
        return READERS["json"]
    if ext in READERS["html"].extensions or head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<!--")):
        return READERS["html"]
    if head.startswith(b"<") and b"<html" in data[:65536].lower():
        return READERS["html"]
    kind = f"{ext} file" if ext else "input"
    raise UnsupportedInput(f"cannot read this {kind}: briefconvert reads HTML and PDF")
