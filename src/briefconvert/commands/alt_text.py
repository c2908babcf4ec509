"""``briefconvert alt-text INPUT``: write an alt-text sidecar listing the
document's images for editors to describe (see docs/alt-text.md)."""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cli import Parser

if TYPE_CHECKING:
    from ..alttext import AltTextEntry
    from ..diagnostics import Report
    from ..model import Document

EXIT_OK, EXIT_ERROR = 0, 2

# Readers that may not be registered in briefconvert.registry yet: extension -> module, function.
_EXTRA_READERS = {
    ".docx": ("briefconvert.readers.docx", "read_docx"),
    ".epub": ("briefconvert.readers.epub", "read_epub"),
}
MAX_CONTAINER_BYTES = 256 * 1024 * 1024

EPILOG = """\
examples:
  briefconvert alt-text brief.pdf                  writes brief.alt.toml here
  briefconvert alt-text brief.pdf --update         after a revision: keeps the text editors wrote
  briefconvert brief.pdf --to epub --alt-text brief.alt.toml
  briefconvert check brief.epub --alt-text brief.alt.toml
exit codes: 0 written, 2 usage or input error
"""


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="briefconvert alt-text",
        description="List a document's images in a TOML sidecar file for editors to give them alt text.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="INPUT", help="an HTML, PDF, EPUB or DOCX file")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the sidecar to write, or - for stdout "
        "(default: INPUT's stem + .alt.toml in the current directory)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--update",
        action="store_true",
        help="merge into an existing sidecar: keep the text editors wrote, add new images, refresh locations",
    )
    mode.add_argument(
        "--force", action="store_true", help="replace an existing sidecar (editors' text is lost)"
    )
    p.add_argument("--password", metavar="TEXT", help="password of an encrypted PDF")
    p.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS",
        help="give up on a document that takes longer (default 300; 0 for none)",
    )  # fmt: skip
    return p


def _error(label: str, message: str) -> int:
    print(f"{label}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _extra_reader(path: Path) -> Callable[..., Any] | None:
    spec = _EXTRA_READERS.get(path.suffix.lower())
    if spec is None:
        return None
    from .. import registry

    if any(path.suffix.lower() in r.extensions for r in registry.READERS.values()):
        return None  # registered: pipeline.read handles it
    module_name, func = spec
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        from ..errors import UnsupportedInput

        raise UnsupportedInput(f"this briefconvert cannot read {path.suffix} files yet") from None
    fn: Callable[..., Any] | None = getattr(module, func, None)
    if fn is None:
        from ..errors import UnsupportedInput

        raise UnsupportedInput(f"{module_name} has no {func}(): cannot read {path.suffix} files")
    return fn


def read_document(path: Path, *, password: str | None, report: Report) -> Document:
    """Read any input briefconvert reads, untransformed."""
    from ..errors import InputError, LimitExceeded
    from ..options import ConvertOptions, PdfReaderOptions

    fn = _extra_reader(path)
    if fn is None:
        from ..pipeline import read

        return read(
            path, options=ConvertOptions(pdf_reader=PdfReaderOptions(password=password)), report=report
        )
    try:
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else "not a regular file")
        if path.stat().st_size > MAX_CONTAINER_BYTES:
            raise LimitExceeded(f"input is over the limit of {MAX_CONTAINER_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {"report": report}
    if "base" in params:
        kwargs["base"] = path.parent
    if "options" in params and params["options"].default is inspect.Parameter.empty:
        kwargs["options"] = None
    doc: Document = fn(data, **kwargs)
    return doc


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    from ..alttext import collect, count_unloaded, load_sidecar, merge, write_sidecar
    from ..diagnostics import Report
    from ..errors import BriefconvertError
    from ..files import write_atomic
    from ..limits import TimedOut, time_limit

    inp = Path(args.input)
    label = str(inp)
    to_stdout = args.output == "-"
    target = None if to_stdout else Path(args.output) if args.output else Path.cwd() / f"{inp.stem}.alt.toml"
    if to_stdout and args.update:
        return _error(label, "--update needs the sidecar file to update: give -o FILE")
    if target is not None:
        if target.exists() and target.resolve() == inp.resolve():
            return _error(label, f"the sidecar {target} would overwrite the input (use -o)")
        if target.is_dir():
            return _error(label, f"{target} is a directory: give the sidecar's file name")
        if target.exists() and not (args.update or args.force):
            return _error(
                label,
                f"{target} exists: --update merges into it (keeping editors' text), --force replaces it",
            )
    try:
        with time_limit(args.timeout):
            doc = read_document(inp, password=args.password, report=Report())
        fresh = collect(doc, source=inp.name)
        result = None
        if args.update and target is not None and target.exists():
            result = merge(fresh, load_sidecar(target))
        sidecar = result.sidecar if result else fresh
        data = write_sidecar(sidecar, name=target.name if target else None)
    except BriefconvertError as exc:
        return _error(label, str(exc))
    except TimedOut:
        return _error(label, f"gave up after {args.timeout:g} s (--timeout)")
    except (RecursionError, MemoryError) as exc:
        return _error(label, f"input too complex to read ({exc.__class__.__name__})")
    except Exception as exc:  # a bug of ours: one line, not a traceback
        if os.environ.get("BRIEFCONVERT_DEBUG"):
            raise
        return _error(
            label,
            f"internal error ({exc.__class__.__name__}: {str(exc)[:200]}); please report it with the input "
            "file (BRIEFCONVERT_DEBUG=1 shows the traceback)",
        )
    try:
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_atomic(target, data)
    except OSError as exc:
        return _error(label, f"cannot write {target}: {exc.strerror or exc}")
    images = sidecar.entries[: len(fresh.entries)]  # a merge appends the entries whose image is gone
    missing = sum(1 for e in images if e.alt is None)
    decorative = sum(1 for e in images if e.alt == "")
    line = f"{label}: {len(images)} image(s), {missing} without alt text, {decorative} decorative"
    unloaded = count_unloaded(doc)
    if unloaded:
        line += f"; {unloaded} image(s) without image data cannot be listed"
    print(line + (f"; wrote {target}" if target else ""), file=sys.stderr)
    if result is not None:
        print(
            f"{label}: kept the text of {result.kept} image(s), added {result.added} new image(s), "
            f"kept {result.orphans} entr(ies) whose image is gone",
            file=sys.stderr,
        )
        for entry in result.conflicts:
            print(
                f"{label}: note: image {entry.sha256[:12]}… ({_name(entry)}): the document's alt text "
                "differs from the sidecar's; the sidecar's is kept (see the comment in the file)",
                file=sys.stderr,
            )
    return EXIT_OK


def _name(entry: AltTextEntry) -> str:
    text: str = entry.caption or (entry.locations[0] if entry.locations else "") or "no caption"
    return text[:60]
