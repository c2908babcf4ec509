"""Output of ``briefconvert check``: human, JSON (docs/check-json.md) and
SARIF 2.1.0.

Human output groups findings by file under a header, one finding a line as
``path:line:col: severity rule-id message`` (as much of the location as is
known; ``path:part:line:col`` inside an EPUB; ``path: page 3: ...`` in a PDF),
and ends with a summary line.  It is coloured (with rich, imported only then)
when the caller says so: stdout is a terminal and NO_COLOR is unset.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Severity
from .check import FileResult, Summary, summarize
from .findings import Finding
from .rules import RULES, Rule

if TYPE_CHECKING:
    from rich.text import Text

JSON_VERSION = 1
TOOL = "briefconvert"
# where the rule documentation lives, relative to the repository root (SARIF helpUri)
RULES_DOC = "docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMAT_ORDER = ("html", "epub", "docx", "pdf")

Segment = tuple[str, str | None]  # text, rich style


def formats_label(rule: Rule) -> str:
    if len(rule.formats) == len(FORMAT_ORDER):
        return "all"
    return ",".join(f for f in FORMAT_ORDER if f in rule.formats)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


# --------------------------------------------------------------------- human

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def finding_segments(f: Finding) -> list[Segment]:
    loc = f.location()
    if f.where and f.line is None:
        loc += f": {f.where}"
    segs: list[Segment] = [(f"{loc}:", "bold"), (" ", None)]
    segs += [(str(f.severity), _SEVERITY_STYLE[f.severity]), (" ", None), (f.rule, "magenta"), (" ", None)]
    message = f.message if f.line is None or not f.where else f"{f.message} ({f.where})"
    segs.append((message, None))
    return segs


def _counts(findings: Sequence[Finding]) -> str:
    parts = [
        _plural(n, str(s))
        for s in sorted(Severity, reverse=True)
        if (n := sum(f.severity == s for f in findings))
    ]
    return ", ".join(parts)


def human_lines(results: Sequence[FileResult], fail_on: Severity, *, quiet: bool) -> list[list[Segment]]:
    """The lines of the human report (findings grouped under a header per
    file with findings, then a summary); ``quiet``: the finding lines only."""
    lines: list[list[Segment]] = []
    for r in results:
        if not r.findings:
            continue
        if not quiet:
            if lines:
                lines.append([])
            lines.append([(r.path, "bold underline"), (f" ({r.format}: {_counts(r.findings)})", "dim")])
        lines += (finding_segments(f) for f in r.findings)
    if not quiet:
        if lines:
            lines.append([])
        lines.append([(summary_line(summarize(results, fail_on), fail_on), "bold")])
    return lines


def summary_line(s: Summary, fail_on: Severity) -> str:
    checked = _plural(s.checked, "file")
    if s.findings:
        counts = ", ".join(_plural(n, str(sev)) for sev, n in s.by_severity.items() if n)
        text = f"{counts} in {_plural(s.with_findings, 'file')} ({checked} checked)"
    else:
        text = f"no findings in {checked}"
    extra = []
    if s.suppressed:
        extra.append(f"{s.suppressed} suppressed")
    if s.errors:
        extra.append(f"{_plural(s.errors, 'file')} could not be checked")
    if s.skipped:
        extra.append(f"{s.skipped} skipped")
    if s.findings:
        extra.append(
            f"{s.failing} at or above {fail_on}" if s.failing else f"none at or above {fail_on} (--fail-on)"
        )
    return text + ("; " + "; ".join(extra) if extra else "") + "."


def write_human(
    results: Sequence[FileResult], fail_on: Severity, stream: TextIO, *, color: bool, quiet: bool = False
) -> None:
    lines = human_lines(results, fail_on, quiet=quiet)
    if not color:
        for segs in lines:
            stream.write("".join(t for t, _ in segs) + "\n")
        return
    from rich.console import Console

    console = Console(
        file=stream, force_terminal=True, highlight=False, soft_wrap=True, emoji=False, markup=False
    )
    for segs in lines:
        console.print(_rich_text(segs))


def _rich_text(segs: list[Segment]) -> Text:
    from rich.text import Text

    text = Text()
    for t, style in segs:
        text.append(t, style=style or "")
    return text


# ---------------------------------------------------------------------- JSON


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": str(f.severity),
        "message": f.message,
        "line": f.line,
        "column": f.col,
        "part": f.part,
        "where": f.where,
    }


def to_json(results: Sequence[FileResult], fail_on: Severity, exit_code: int) -> dict[str, Any]:
    """The JSON report (schema: docs/check-json.md)."""
    s = summarize(results, fail_on)
    return {
        "version": JSON_VERSION,
        "tool": {"name": TOOL, "version": __version__},
        "files": [
            {
                "path": r.path,
                "format": r.format,
                "status": r.status,
                "error": r.error,
                "notes": list(r.notes),
                "suppressed": r.suppressed,
                "findings": [finding_json(f) for f in r.findings],
            }
            for r in results
        ],
        "summary": {
            "files": s.files,
            "checked": s.checked,
            "with_findings": s.with_findings,
            "errors": s.errors,
            "skipped": s.skipped,
            "findings": s.findings,
            "suppressed": s.suppressed,
            "by_severity": {str(sev): n for sev, n in s.by_severity.items()},
            "fail_on": str(fail_on),
            "failing": s.failing,
            "exit_code": exit_code,
        },
    }


def rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "severity": str(rule.severity),
        "kind": rule.kind,
        "formats": [f for f in FORMAT_ORDER if f in rule.formats],
        "summary": rule.summary,
        "standard": rule.standard,
        "help": rule.help,
    }


def dumps(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------- SARIF

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str, base: Path) -> str:
    """A relative URI (forward slashes, percent-encoded) when ``path`` is inside
    ``base``, else an absolute ``file:`` URI."""
    p = Path(path)
    absolute = p if p.is_absolute() else base / p
    try:
        rel = PurePath(absolute.resolve()).relative_to(base.resolve())
    except ValueError:
        return absolute.resolve().as_uri()
    return quote(rel.as_posix())


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.help},
        "help": {"text": f"{rule.help}\n\nStandard: {rule.standard}"},
        "helpUri": f"{RULES_DOC}#{rule.id}",
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {
            "tags": ["accessibility", *(f for f in FORMAT_ORDER if f in rule.formats)],
            "standard": rule.standard,
            "kind": rule.kind,
        },
    }


def _sarif_result(f: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(f.path, base)}}
    prefix = ""
    properties: dict[str, Any] = {}
    if f.part is not None:
        # the line is in a member of the container, which SARIF cannot point into: say it in the message
        properties["part"] = f.part
        prefix = f.part + (f":{f.line}" if f.line is not None else "") + ": "
        if f.line is not None:
            properties["line"] = f.line
            if f.col is not None:
                properties["column"] = f.col
    elif f.line is not None:
        region: dict[str, int] = {"startLine": f.line}
        if f.col is not None:
            region["startColumn"] = f.col
        physical["region"] = region
    if f.where is not None:
        properties["where"] = f.where
        if f.line is None:
            prefix += f"{f.where}: "
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": prefix + f.message},
        "locations": [{"physicalLocation": physical}],
    }
    if properties:
        result["properties"] = properties
    return result


def to_sarif(
    results: Sequence[FileResult], fail_on: Severity, exit_code: int, *, base: Path | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; artifact URIs relative to ``base``
    (default: the current directory)."""
    base = Path.cwd() if base is None else base
    index = {r.id: i for i, r in enumerate(RULES)}
    notifications: list[dict[str, Any]] = []
    for r in results:
        location = [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.path, base)}}}]
        if r.error is not None:
            notifications.append({"level": "error", "message": {"text": r.error}, "locations": location})
        notifications += ({"level": "note", "message": {"text": n}, "locations": location} for n in r.notes)
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(r.error is not None for r in results),
        "exitCode": exit_code,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_sarif_rule(r) for r in RULES],
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, index, base) for r in results for f in r.findings],
            }
        ],
    }
