"""``briefconvert check``: the accessibility linter's command line.

Only argparse and the rule table are imported up front; the engine imports
each format's reader when the first file of that format is checked, so that
``--list-rules`` and a check of one small HTML file start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..a11y.rules import RULES, RULES_BY_ID
from ..cli import Parser
from ..diagnostics import Severity
from ..record import Record

if TYPE_CHECKING:
    from ..a11y.check import CheckConfig, FileResult
    from ..a11y.config import OutputFormat
    from ..alttext import AltTextSidecar

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROG = "briefconvert check"

DESCRIPTION = """\
Check HTML, EPUB, DOCX and PDF files for accessibility faults: semantic rules
(title, language, headings, alt text, links, tables, lists, notes) run on the
document model, so they serve every format; format rules check what only the
file shows (<html lang>, EPUB accessibility metadata, DOCX header rows, PDF
tags)."""

EPILOG = """\
examples:
  briefconvert check brief.html                   one file
  briefconvert check site/ books/                 every .html/.htm/.xhtml/.epub/.docx/.pdf below
  briefconvert check book.epub --ignore epub-type-role
  briefconvert check report.docx --select 'image-*,document-title'
  briefconvert check brief.pdf --fail-on error    fail on errors only
  briefconvert check site/ --format sarif -o check.sarif
  briefconvert check brief.html --alt-text brief.alt.toml
  briefconvert check --list-rules
  briefconvert check --explain image-alt

rule patterns: a rule id, 'all', or a prefix ending in '*' (epub-*)
configuration: [tool.briefconvert.check] in the nearest pyproject.toml (keys select,
  ignore, fail-on, format); the command line overrides it key by key
inline suppression (HTML/XHTML): <!-- briefconvert: ignore=rule-a,rule-b --> (this line
  and the next), <!-- briefconvert: ignore-file=rule-a --> (the whole file)
exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error or a file
  that could not be checked (the other files are still checked and reported)
"""


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    p.add_argument(
        "--select", metavar="RULES", help="check only these rules (comma-separated ids or patterns)"
    )
    p.add_argument("--ignore", metavar="RULES", help="do not check these rules (comma-separated)")
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when a finding of this severity or worse is reported (default: warning)",
    )
    p.add_argument("--format", choices=("human", "json", "sarif"), help="output format (default: human)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument(
        "--alt-text", metavar="FILE", type=Path, help="apply an alt-text sidecar (briefconvert alt-text)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print findings and errors only")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", type=Path, help="read settings from this pyproject.toml")
    config.add_argument("--no-config", action="store_true", help="ignore pyproject.toml settings")
    p.add_argument(
        "--max-input-size",
        type=int,
        metavar="BYTES",
        help="refuse larger files (default 64 MiB HTML, 256 MiB EPUB/DOCX/PDF)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="give up on a file that takes longer (default 300; 0 for none)",
    )
    info = p.add_argument_group("rules")
    info.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    info.add_argument("--explain", metavar="ID", help="explain one rule and exit")
    return p


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Settings(Record):
    config: CheckConfig
    format: OutputFormat


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from ..a11y.config import ConfigError

    try:
        if args.explain is not None:
            return _explain(args.explain)
        if args.list_rules:
            return _list_rules(args.format == "json", args.output)
        if not args.paths:
            raise _UsageError("give at least one PATH (or --list-rules, --explain ID)")
        settings = _settings(args)
    except (ConfigError, _UsageError) as exc:
        return _usage(str(exc))
    return _run(args, settings)


def _usage(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _settings(args: argparse.Namespace) -> Settings:
    from ..a11y.check import CheckConfig
    from ..a11y.config import (
        FileConfig,
        find_pyproject,
        load_file_config,
        parse_severity,
        split_rule_list,
        validate_rule_list,
    )

    if args.no_config:
        file = FileConfig()
    elif args.config is not None:
        file = load_file_config(args.config)
    else:
        found = find_pyproject(Path.cwd())
        file = load_file_config(found) if found is not None else FileConfig()
    select = file.select if file.select is not None else ("all",)
    if args.select is not None:
        select = validate_rule_list(split_rule_list(args.select), "--select")
        if not select:
            raise _UsageError("--select names no rule")
    ignore = file.ignore or ()
    if args.ignore is not None:
        ignore = validate_rule_list(split_rule_list(args.ignore), "--ignore")
    fail_on = file.fail_on if file.fail_on is not None else Severity.WARNING
    if args.fail_on is not None:
        fail_on = parse_severity(args.fail_on, "--fail-on")
    if args.max_input_size is not None and args.max_input_size <= 0:
        raise _UsageError("--max-input-size must be positive")
    if args.timeout < 0:
        raise _UsageError("--timeout must be 0 or more")
    config = CheckConfig(
        select=select, ignore=ignore, fail_on=fail_on, alt_text=args.alt_text, max_bytes=args.max_input_size
    )
    return Settings(config, args.format or file.format or "human")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from ..a11y.check import exit_code, expand, load_sidecar
    from ..errors import BriefconvertError

    config = settings.config
    try:
        sidecar = load_sidecar(config)
    except BriefconvertError as exc:
        return _usage(f"--alt-text: {exc}")
    expansion = expand(args.paths)
    if not args.quiet:
        for note in expansion.notes:
            print(f"{PROG}: note: {note}", file=sys.stderr)
        if not expansion.targets and not expansion.results:
            print(f"{PROG}: note: no HTML, EPUB, DOCX or PDF file found", file=sys.stderr)
    results = list(expansion.results)
    for target in expansion.targets:
        results.append(_check_one(target.path, target.display, config, sidecar, args.timeout))
    results.sort(key=lambda r: r.path)
    for r in results:
        if r.error is not None:
            print(f"{r.path}: error: {r.error}", file=sys.stderr)
        if not args.quiet:
            for note in r.notes:
                print(f"{r.path}: note: {note}", file=sys.stderr)
    code = exit_code(results, config.fail_on)
    try:
        _report(results, settings, code, args)
    except OSError as exc:
        return _usage(f"cannot write {args.output}: {exc.strerror or exc}")
    return code


def _check_one(
    path: Path, display: str, config: CheckConfig, sidecar: AltTextSidecar | None, timeout: float
) -> FileResult:
    from ..a11y.check import FileResult, check_file, format_of
    from ..limits import TimedOut, time_limit

    try:
        with time_limit(timeout):
            return check_file(path, config, display=display, sidecar=sidecar)
    except TimedOut:
        return FileResult(display, format_of(path), error=f"gave up after {timeout:g} s (--timeout)")


def _report(results: list[FileResult], settings: Settings, code: int, args: argparse.Namespace) -> None:
    from ..a11y import formats

    fail_on = settings.config.fail_on
    if settings.format == "human":
        if args.output is None:
            color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            formats.write_human(results, fail_on, sys.stdout, color=color, quiet=args.quiet)
            return
        import io

        buf = io.StringIO()
        formats.write_human(results, fail_on, buf, color=False, quiet=args.quiet)
        text = buf.getvalue()
    elif settings.format == "json":
        text = formats.dumps(formats.to_json(results, fail_on, code))
    else:
        text = formats.dumps(formats.to_sarif(results, fail_on, code))
    _emit(text, args.output)


def _emit(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..files import write_atomic

    write_atomic(Path(output), text.encode("utf-8"))


def _list_rules(as_json: bool, output: str | None) -> int:
    from ..a11y.formats import dumps, formats_label, rule_json

    if as_json:
        _emit(dumps([rule_json(r) for r in RULES]), output)
        return EXIT_OK
    rows = [("id", "severity", "kind", "formats", "summary")]
    rows += [(r.id, str(r.severity), r.kind, formats_label(r), r.summary) for r in RULES]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in rows
    ]
    _emit("\n".join(lines) + "\n", output)
    return EXIT_OK


def _explain(rule_id: str) -> int:
    import textwrap

    from ..a11y.config import unknown_rules_message
    from ..a11y.formats import RULES_DOC, formats_label

    rule = RULES_BY_ID.get(rule_id.strip())
    if rule is None:
        return _usage(unknown_rules_message([rule_id], "--explain"))
    wrap = textwrap.TextWrapper(width=78, break_on_hyphens=False, break_long_words=False)
    print(f"{rule.id}: {rule.summary}")
    print()
    print(f"  severity  {rule.severity}")
    print(f"  kind      {rule.kind} ({'the document model' if rule.kind == 'model' else 'the file itself'})")
    formats = formats_label(rule)
    print(f"  formats   {'html, epub, docx, pdf' if formats == 'all' else formats.replace(',', ', ')}")
    print(f"  standard  {rule.standard}")
    print()
    print("\n".join(wrap.wrap(rule.help)))
    print()
    print(f"More: {RULES_DOC}#{rule.id}")
    return EXIT_OK
