"""The command line: ``briefconvert INPUT... --to FMT[,FMT...] [-o PATH]``, and the
subcommands ``check``, ``alt-text`` and ``batch`` (commands/ package).

Start-up matters (``--version``, ``--help`` and the pre-commit hook must be
fast), so nothing heavy is imported at module level.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .record import Record

if TYPE_CHECKING:
    from .diagnostics import Diagnostic, Severity
    from .options import ConvertOptions
    from .pipeline import ConversionResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EPILOG = """\
examples:
  briefconvert brief.pdf --to epub                  writes brief.epub here
  briefconvert secret.pdf --to docx --password pw   an encrypted PDF
  briefconvert brief.html --to html,txt,md -o out/  writes out/brief.html, out/brief.txt, out/brief.md
  briefconvert brief.html --to txt -o -             prints plain text
  briefconvert a.html b.html --to html -o site/     converts several files
  briefconvert brief.html --to html --strict        exit 1 if any warning is reported

formats: html, epub, docx, txt, md, json, or all
commands: briefconvert check FILE...      accessibility linter (HTML, EPUB, DOCX, PDF)
          briefconvert alt-text INPUT     list images in a sidecar file for editors to describe
          briefconvert batch INPUT... --to FMTS --out-dir DIR   parallel, resumable batch conversion
          (run "briefconvert COMMAND --help"; name a file called like a command as ./check)
exit codes: 0 ok, 1 converted but diagnostics at or above --fail-on, 2 usage or input error
"""


class Parser(argparse.ArgumentParser):
    """The parser of every command: a usage error prints the usage and one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="briefconvert",
        description="Convert policy briefs (HTML, PDF) to accessible HTML, EPUB 3, DOCX, text and Markdown.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="HTML or PDF files to convert")
    p.add_argument(
        "-t",
        "--to",
        default="html",
        metavar="FMT[,FMT...]",
        help="output formats, comma-separated (default: html)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file (one input, one format), directory, or - for stdout (text formats); "
        "default: <stem>.<ext> in the current directory",
    )
    p.add_argument("--version", action="version", version=f"briefconvert {__version__}")
    verbosity = p.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print informational diagnostics too")
    p.add_argument("--strict", action="store_true", help="same as --fail-on warning")
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="exit 1 when a diagnostic of this severity or worse is reported (default: error)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an output that is also an input")
    g = p.add_argument_group("accessibility")
    g.add_argument(
        "--alt-text",
        metavar="FILE",
        help="apply an alt-text sidecar written by 'briefconvert alt-text' (images matched by content)",
    )
    g = p.add_argument_group("time limit")
    g.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS",
        help="give up on a document that takes longer (default 300; 0 for none)",
    )  # fmt: skip
    add_conversion_options(p)
    return p


def add_conversion_options(p: argparse.ArgumentParser) -> None:
    """The flags that shape a conversion, read by :func:`convert_options`:
    the same for one file and for ``batch``."""
    g = p.add_argument_group("outputs")
    g.add_argument(
        "--embed-images", action="store_true", help="HTML: images as data: URIs (one self-contained file)"
    )
    g.add_argument(
        "--toc",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="HTML: table of contents (default: long documents)",
    )
    g.add_argument(
        "--paper",
        choices=("auto", "a4", "letter"),
        default="auto",
        help="DOCX: page size (default auto: Letter for en, en-US and other Letter countries, else A4)",
    )
    g.add_argument(
        "--width",
        type=int,
        default=72,
        metavar="N",
        help="text: wrap at N columns, 0 for no wrapping (default 72)",
    )
    g = p.add_argument_group("inputs")
    g.add_argument(
        "--password", metavar="TEXT", help="password of an encrypted PDF (the empty one is always tried)"
    )
    g.add_argument(
        "--max-input-size",
        type=int,
        metavar="BYTES",
        help="refuse larger inputs (default 64 MiB HTML, 256 MiB PDF)",
    )
    g.add_argument("--max-pages", type=int, metavar="N", help="refuse PDFs with more pages (default 2000)")
    g.add_argument(
        "--max-elements", type=int, metavar="N", help="refuse HTML pages with more elements (default 30000)"
    )
    g.add_argument(
        "--max-stream-size",
        type=int,
        metavar="BYTES",
        help="largest decompressed PDF stream (default 64 MiB)",
    )
    g.add_argument("--max-image-pixels", type=int, metavar="N", help="larger images keep only their alt text")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Plan(Record):
    """Where each (input, format) goes; ``None`` means stdout."""

    targets: tuple[tuple[Path, str, Path | None], ...]


def _plan(args: argparse.Namespace, formats: list[str], extensions: dict[str, str]) -> Plan:
    inputs = [Path(i) for i in args.inputs]
    out = args.output
    many = len(inputs) > 1 or len(formats) > 1
    if out == "-":
        if many:
            raise SystemExit(_usage("-o - takes one input and one format"))
        return Plan(((inputs[0], formats[0], None),))
    targets: list[tuple[Path, str, Path | None]] = []
    is_dir = out is not None and (out.endswith(("/", "\\")) or Path(out).is_dir())
    if out is not None and not many and not is_dir:
        return Plan(((inputs[0], formats[0], Path(out)),))
    if out is not None and not is_dir and Path(out).suffix.lower() in extensions.values():
        raise SystemExit(
            _usage(
                f"-o {out} names a file, but there are {len(inputs) * len(formats)} outputs; give a folder"
            )
        )
    folder = Path(out) if out is not None else Path.cwd()
    seen: dict[Path, Path] = {}
    for inp in inputs:
        for fmt in formats:
            target = folder / f"{inp.stem}{extensions[fmt]}"
            if target in seen and seen[target] != inp:
                raise SystemExit(_usage(f"{seen[target]} and {inp} would both write {target}"))
            seen[target] = inp
            targets.append((inp, fmt, target))
    return Plan(tuple(targets))


def _usage(message: str) -> int:
    print(f"briefconvert: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def convert_options(args: argparse.Namespace, stem: str, to_stdout: bool) -> ConvertOptions:
    """The conversion options the command-line flags in ``args`` ask for (shared with ``batch``)."""
    from .options import (
        ConvertOptions,
        DocxWriterOptions,
        HtmlReaderOptions,
        HtmlWriterOptions,
        MarkdownWriterOptions,
        PdfReaderOptions,
        TextWriterOptions,
    )

    reader = HtmlReaderOptions()
    pdf = PdfReaderOptions(password=args.password)
    if args.max_input_size:
        reader = replace(reader, max_bytes=args.max_input_size)
        pdf = replace(pdf, max_bytes=args.max_input_size)
    if args.max_pages:
        pdf = replace(pdf, max_pages=args.max_pages)
    if args.max_elements:
        reader = replace(reader, max_elements=args.max_elements)
    if args.max_stream_size:
        pdf = replace(pdf, max_stream_bytes=args.max_stream_size)
    if args.max_image_pixels:
        reader = replace(reader, max_image_pixels=args.max_image_pixels)
        pdf = replace(pdf, max_image_pixels=args.max_image_pixels)
    html = HtmlWriterOptions(
        embed_images=args.embed_images or to_stdout, assets_dir=f"{stem}_files", toc=args.toc
    )
    md = MarkdownWriterOptions(assets_dir=f"{stem}_files")
    return ConvertOptions(
        html_reader=reader,
        pdf_reader=pdf,
        html=html,
        txt=TextWriterOptions(width=args.width),
        md=md,
        docx=DocxWriterOptions(paper=args.paper),
        alt_text=getattr(args, "alt_text_sidecar", None),
    )


def _print_diagnostics(path: str, diags: Sequence[Diagnostic], shown: Severity, stream: TextIO) -> None:
    for d in diags:
        if d.severity >= shown:
            print(d.format(path), file=stream)


# subcommand -> module with ``main(argv) -> int``, imported only when used
COMMANDS = {
    "check": "briefconvert.commands.check",
    "alt-text": "briefconvert.commands.alt_text",
    "batch": "briefconvert.commands.batch",
}


def run() -> NoReturn:
    """The ``briefconvert`` console script and ``python -m briefconvert``:
    :func:`main`, then a quick exit (``process.exit_now``)."""
    code = main()
    from .process import exit_now

    exit_now(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        import importlib

        command: int = importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])
        return command
    args = build_parser().parse_args(argv)
    from . import registry
    from .diagnostics import Severity
    from .errors import BriefconvertError

    formats: list[str] = []
    try:
        names = [f.strip() for f in args.to.split(",")]
        if names == ["all"]:
            names = [n for n, s in registry.WRITERS.items() if s.target is not None]
        for name in names:
            if name:
                spec = registry.writer_spec(name)
                if spec.name not in formats:
                    formats.append(spec.name)
    except BriefconvertError as exc:
        return _usage(str(exc))
    if not formats:
        return _usage("--to names no format")
    if args.width < 0:
        return _usage("--width must be 0 or more")
    if args.alt_text is not None:
        from .alttext import load_sidecar

        try:
            args.alt_text_sidecar = load_sidecar(Path(args.alt_text))  # once, for every input
        except BriefconvertError as exc:
            return _usage(str(exc))
    extensions = {f: registry.WRITERS[f].extension for f in formats}
    try:
        plan = _plan(args, formats, extensions)
    except SystemExit as exc:
        return int(exc.code or EXIT_ERROR)
    for _, fmt, target in plan.targets:
        if target is None and not registry.WRITERS[fmt].text:
            return _usage(f"{fmt} is binary and cannot be written to stdout; use -o FILE")

    threshold = Severity.WARNING if args.strict else Severity.parse(args.fail_on)
    shown = Severity.ERROR if args.quiet else Severity.INFO if args.verbose else Severity.WARNING
    status = EXIT_OK
    by_input: dict[Path, list[tuple[str, Path | None]]] = {}
    for inp, fmt, target in plan.targets:
        by_input.setdefault(inp, []).append((fmt, target))
    for inp, jobs in by_input.items():
        result_status = _convert_one(inp, jobs, args, threshold, shown)
        status = max(status, result_status)
    return status


def _convert_one(
    inp: Path,
    jobs: list[tuple[str, Path | None]],
    args: argparse.Namespace,
    threshold: Severity,
    shown: Severity,
) -> int:
    from .errors import BriefconvertError
    from .files import write_output
    from .limits import TimedOut, time_limit
    from .pipeline import convert
    from .process import conversion_gc

    label = str(inp)
    to_stdout = any(t is None for _, t in jobs)
    stem = next((t.stem for _, t in jobs if t is not None), inp.stem)
    try:
        resolved_in = inp.resolve()
        for _, target in jobs:
            if target is not None and target.resolve() == resolved_in and not args.force:
                print(
                    f"{label}: error: the output {target} would overwrite the input (use -o)", file=sys.stderr
                )
                return EXIT_ERROR
        with time_limit(args.timeout), conversion_gc():
            result: ConversionResult = convert(
                inp, [f for f, _ in jobs], options=convert_options(args, stem, to_stdout)
            )
    except BriefconvertError as exc:
        print(f"{label}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except TimedOut:
        print(f"{label}: error: gave up after {args.timeout:g} s (--timeout)", file=sys.stderr)
        return EXIT_ERROR
    except (RecursionError, MemoryError) as exc:
        print(f"{label}: error: input too complex to convert ({exc.__class__.__name__})", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug of ours: one line, not a traceback (BRIEFCONVERT_DEBUG=1 shows it)
        if os.environ.get("BRIEFCONVERT_DEBUG"):
            raise
        print(
            f"{label}: error: internal error ({exc.__class__.__name__}: {str(exc)[:200]}); "
            "please report it with the input file (BRIEFCONVERT_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    _print_diagnostics(label, result.diagnostics, shown, sys.stderr)
    try:
        for fmt, target in jobs:
            output = result.outputs[fmt]
            if target is None:
                sys.stdout.buffer.write(output.data)
                sys.stdout.flush()
                if output.attachments and not args.quiet:
                    n = len(output.attachments)
                    note = f"{n} image file(s) not written with -o -; use -o DIR"
                    print(f"{label}: warning: {note}", file=sys.stderr)
            else:
                write_output(target, output)
                if not args.quiet:
                    print(f"{label}: wrote {target}", file=sys.stderr)
    except OSError as exc:
        print(f"{label}: error: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    if any(d.severity >= threshold for d in result.diagnostics):
        return EXIT_FINDINGS
    return EXIT_OK
