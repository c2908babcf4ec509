"""The pipeline: read -> transforms -> write.  Pure: nothing is written to disk
here (see files.py for that)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import registry, transforms
from .diagnostics import Diagnostic, Report
from .errors import InputError, LimitExceeded
from .model import Document
from .options import ConvertOptions
from .output import Output
from .record import Record

Source = str | os.PathLike[str] | bytes


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ConversionResult(Record):
    document: Document  # after transforms: what the writers saw
    outputs: Mapping[str, Output]  # format name -> output
    diagnostics: tuple[Diagnostic, ...]


def _load(source: Source, max_bytes: int) -> tuple[bytes, Path | None]:
    if isinstance(source, bytes):
        data, path = source, None
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise InputError("is a directory")
            if not path.is_file():
                raise InputError("not a regular file")
            if size > max_bytes:
                raise LimitExceeded(
                    f"input is {size} bytes, over the limit of {max_bytes} (--max-input-size)"
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError("no such file") from None
        except IsADirectoryError:
            raise InputError("is a directory") from None
        except PermissionError:
            raise InputError("permission denied") from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LimitExceeded(f"input is {len(data)} bytes, over the limit of {max_bytes} (--max-input-size)")
    if not data.strip():
        raise InputError("the file is empty")
    return data, path


def read(
    source: Source,
    *,
    options: ConvertOptions | None = None,
    report: Report | None = None,
) -> Document:
    """Read an HTML or PDF file (path or bytes) into the document model,
    untransformed.  Each reader enforces its own size limit."""
    options = options or ConvertOptions()
    report = report if report is not None else Report()
    data, path = _load(source, max(options.html_reader.max_bytes, options.pdf_reader.max_bytes))
    spec = registry.sniff_reader(data, path)
    read_fn = registry.reader(spec)
    reader_options = getattr(options, spec.options_field) if spec.options_field else None
    base = path.parent if path is not None else None
    doc: Document = read_fn(data, base=base, options=reader_options, report=report)
    return doc


def write(doc: Document, fmt: str, *, options: ConvertOptions | None = None, report: Report) -> Output:
    """Write an (already transformed) document in one format."""
    options = options or ConvertOptions()
    spec = registry.writer_spec(fmt)
    out: Output = registry.writer(spec)(doc, options=getattr(options, spec.options_field), report=report)
    return out


def convert(
    source: Source,
    to: str | Sequence[str] = ("html",),
    *,
    options: ConvertOptions | None = None,
) -> ConversionResult:
    """Convert ``source`` (a path or the bytes of an HTML file) to each format in ``to``.

    Raises a :class:`briefconvert.errors.BriefconvertError` when no output can
    be produced; everything else is reported in ``result.diagnostics``.
    """
    options = options or ConvertOptions()
    formats = [to] if isinstance(to, str) else list(to)
    specs = [registry.writer_spec(f) for f in formats]  # fail on a bad format before reading
    report = Report()
    doc = read(source, options=options, report=report)
    if options.alt_text is not None:  # editors' alt text, matched by image content (docs/alt-text.md)
        from .transforms.alt_text import apply_alt_text

        doc = apply_alt_text(doc, options.alt_text, report)
    doc = transforms.apply(doc, report)
    outputs = {spec.name: write(doc, spec.name, options=options, report=report) for spec in specs}
    return ConversionResult(doc, MappingProxyType(outputs), tuple(report.diagnostics))
