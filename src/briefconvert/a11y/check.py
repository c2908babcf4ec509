"""The engine of ``briefconvert check``.

For each file: pick the inspector by extension (``.html/.htm/.xhtml``,
``.epub``, ``.docx``, ``.pdf``), read the bytes (size limit), let the
inspector run the format rules and return the untransformed document model,
apply an alt-text sidecar if one is given, run the semantic rules over the
model, then keep the selected rules, drop inline suppressions (HTML and EPUB
XHTML, see suppress.py) and sort.  A file that cannot be read is a
:class:`FileResult` with ``error`` set, never an exception; only
``BRIEFCONVERT_DEBUG=1`` lets an internal error through.

Inspectors and rules are imported by module name when the first file of their
format is checked, so that the engine itself costs nothing at start-up.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..diagnostics import Severity
from ..record import Record
from .config import pattern_matches
from .findings import Finding, Sink
from .rules import Format

if TYPE_CHECKING:
    from ..alttext import AltTextSidecar
    from ..model import Document
    from .suppress import Suppressions

EXTENSIONS: dict[str, Format] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".epub": "epub",
    ".docx": "docx",
    ".pdf": "pdf",
}
INSPECTORS: dict[Format, str] = {
    "html": "briefconvert.a11y.html_rules",
    "epub": "briefconvert.a11y.epub_rules",
    "docx": "briefconvert.a11y.docx_rules",
    "pdf": "briefconvert.a11y.pdf_rules",
}
MODEL_RULES = "briefconvert.a11y.model_rules"
MIB = 1024 * 1024
# the readers' own limits (HtmlReaderOptions / PdfReaderOptions.max_bytes)
DEFAULT_MAX_BYTES: dict[Format, int] = {
    "html": 64 * MIB,
    "epub": 256 * MIB,
    "docx": 256 * MIB,
    "pdf": 256 * MIB,
}
# EPUB parts read again for suppression comments: (X)HTML only
_SUPPRESSIBLE_PARTS = (".xhtml", ".html", ".htm")

Status = Literal["ok", "findings", "error", "skipped"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CheckConfig(Record):
    """What to check and when to fail.  ``select``/``ignore`` hold rule ids,
    ``all``, or prefixes ending in ``*``; a rule runs when it matches
    ``select`` and not ``ignore``.  ``max_bytes`` None: each format's default."""

    select: tuple[str, ...] = ("all",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    alt_text: Path | None = None
    max_bytes: int | None = None

    def __post_init__(self) -> None:
        from .config import unknown_patterns, unknown_rules_message

        for name in ("select", "ignore"):
            unknown = unknown_patterns(getattr(self, name))
            if unknown:
                raise ValueError(unknown_rules_message(unknown, f"CheckConfig.{name}"))

    def enabled(self, rule_id: str) -> bool:
        return any(pattern_matches(rule_id, p) for p in self.select) and not any(
            pattern_matches(rule_id, p) for p in self.ignore
        )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FileResult(Record):
    """The outcome for one file.  ``error`` is set when it could not be checked
    (unreadable, too large, an internal error); ``skipped`` when its extension
    is not one check reads.  ``notes`` are remarks that are not findings
    (unknown ids in suppression comments...); ``suppressed`` counts findings
    dropped by inline suppressions."""

    path: str
    format: Format | None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    skipped: bool = False
    notes: tuple[str, ...] = ()
    suppressed: int = 0

    @property
    def status(self) -> Status:
        if self.skipped:
            return "skipped"
        if self.error is not None:
            return "error"
        return "findings" if self.findings else "ok"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Target(Record):
    """A file to check: its path, and the path as shown to the user."""

    path: Path
    display: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Expansion(Record):
    """What ``PATH...`` arguments name: the files to check (sorted, each once),
    results for arguments that are not checked (skipped or missing), and notes."""

    targets: tuple[Target, ...]
    results: tuple[FileResult, ...] = ()
    notes: tuple[str, ...] = ()


def format_of(path: Path) -> Format | None:
    return EXTENSIONS.get(path.suffix.lower())


def _natural(text: str | None) -> tuple[tuple[int, str], ...]:
    """Sort key that puts "page 2" before "page 10"."""
    if not text:
        return ()
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", text) if p)


def sort_key(f: Finding) -> tuple[object, ...]:
    return (f.path, f.part or "", f.line or 0, f.col or 0, _natural(f.where), f.rule, f.message)


def expand(paths: Iterable[Path | str]) -> Expansion:
    """Files named directly are checked (a missing one is an error, one of
    another kind is skipped with a note); folders are searched recursively for
    the known extensions, leaving out hidden files and folders and not
    following symbolic links to folders."""
    found: dict[Path, Target] = {}
    results: list[FileResult] = []
    notes: list[str] = []
    for arg in paths:
        p = Path(arg)
        display = str(arg)
        if p.is_dir():
            others = 0
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    child = Path(root, name)
                    if format_of(child) is None:
                        others += 1
                        continue
                    rel = os.path.relpath(child, p)
                    shown = rel if display == "." else os.path.join(display, rel)
                    found.setdefault(_identity(child), Target(child, shown))
            if others:
                s = "s" if others > 1 else ""
                notes.append(f"{display}: skipped {others} other file{s} (not HTML, EPUB, DOCX or PDF)")
        elif not p.exists():
            results.append(FileResult(display, format_of(p), error="no such file or directory"))
        elif format_of(p) is None:
            results.append(
                FileResult(display, None, skipped=True, notes=("skipped: not HTML, EPUB, DOCX or PDF",))
            )
        else:
            found.setdefault(_identity(p), Target(p, display))
    targets = sorted(found.values(), key=lambda t: t.display)
    return Expansion(tuple(targets), tuple(sorted(results, key=lambda r: r.path)), tuple(notes))


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def load_sidecar(config: CheckConfig) -> AltTextSidecar | None:
    """The alt-text sidecar named by the config (None when none is).  Raises
    BriefconvertError (InputError) when it cannot be read."""
    if config.alt_text is None:
        return None
    from ..alttext import load_sidecar as load

    return load(config.alt_text)


def check_paths(paths: Iterable[Path | str], config: CheckConfig) -> list[FileResult]:
    """Check every file ``paths`` names (see :func:`expand`), sorted by path.
    Raises BriefconvertError only when the alt-text sidecar cannot be read."""
    expansion = expand(paths)
    sidecar = load_sidecar(config)
    results = list(expansion.results)
    results += (check_file(t.path, config, display=t.display, sidecar=sidecar) for t in expansion.targets)
    return sorted(results, key=lambda r: r.path)


def check_file(
    path: Path,
    config: CheckConfig,
    *,
    display: str | None = None,
    sidecar: AltTextSidecar | None = None,
) -> FileResult:
    """Check one file.  Never raises for a bad input: an unreadable file gives
    a result with ``error`` set.  ``sidecar`` overrides loading
    ``config.alt_text`` (check_paths loads it once for all files)."""
    shown = str(path) if display is None else display
    fmt = format_of(path)
    if fmt is None:
        return FileResult(shown, None, skipped=True, notes=("skipped: not HTML, EPUB, DOCX or PDF",))
    from ..errors import BriefconvertError

    try:
        data = _read(path, config.max_bytes or DEFAULT_MAX_BYTES[fmt])
        if sidecar is None and config.alt_text is not None:
            sidecar = load_sidecar(config)
        return _check(path, shown, fmt, data, config, sidecar)
    except BriefconvertError as exc:
        return FileResult(shown, fmt, error=str(exc) or exc.__class__.__name__)
    except OSError as exc:
        return FileResult(shown, fmt, error=f"cannot read: {exc.strerror or exc}")
    except (RecursionError, MemoryError) as exc:
        return FileResult(shown, fmt, error=f"input too complex to check ({exc.__class__.__name__})")
    except Exception as exc:  # a bug of ours: one line, not a traceback
        if os.environ.get("BRIEFCONVERT_DEBUG"):
            raise
        return FileResult(
            shown,
            fmt,
            error=f"internal error ({exc.__class__.__name__}: {str(exc)[:200]}); please report it with "
            "the input file (BRIEFCONVERT_DEBUG=1 shows the traceback)",
        )


def _read(path: Path, limit: int) -> bytes:
    import stat

    from ..errors import InputError, LimitExceeded

    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would block or never end
        raise InputError("not a regular file")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"larger than the {limit:,} byte limit (--max-input-size)")
    return data


def _check(
    path: Path, shown: str, fmt: Format, data: bytes, config: CheckConfig, sidecar: AltTextSidecar | None
) -> FileResult:
    sink = Sink(shown)
    inspector = importlib.import_module(INSPECTORS[fmt])
    doc: Document = inspector.inspect(data, path, sink)
    notes: list[str] = []
    if sidecar is not None:
        doc = _apply_sidecar(doc, sidecar, notes)
    importlib.import_module(MODEL_RULES).run(doc, sink, fmt=fmt)
    findings = [_located(f, fmt) for f in sink.findings if config.enabled(f.rule)]
    suppressed = 0
    for part, rules in _suppressions(fmt, data, config):
        notes += (f"{part}: {n}" if part else n for n in rules.notes)
        keep = [f for f in findings if f.part != part or not rules.suppresses(f)]
        suppressed += len(findings) - len(keep)
        findings = keep
    return FileResult(
        shown,
        fmt,
        tuple(sorted(_unique(findings), key=sort_key)),
        notes=tuple(notes),
        suppressed=suppressed,
    )


def _located(f: Finding, fmt: Format) -> Finding:
    """DOCX has no lines: its reader and rules count paragraphs in ``line``
    (readers/docx/context.py), which is shown as ``where="paragraph N"``."""
    if fmt == "docx" and f.line is not None and f.where is None:
        return replace(f, line=None, col=None, where=f"paragraph {f.line}")
    return f


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Drop exact repeats (two rules paths reporting the same thing twice)."""
    return list(dict.fromkeys(findings))


def _apply_sidecar(doc: Document, sidecar: AltTextSidecar, notes: list[str]) -> Document:
    from ..diagnostics import Report
    from ..transforms.alt_text import apply_alt_text

    report = Report()
    doc = apply_alt_text(doc, sidecar, report)
    notes += (f"alt-text: {d.message}" for d in report.at_least(Severity.ERROR))
    return doc


def _suppressions(fmt: Format, data: bytes, config: CheckConfig) -> Iterator[tuple[str | None, Suppressions]]:
    """(part, suppressions) for each text that holds suppression comments:
    the file itself for HTML, each (X)HTML member of an EPUB."""
    from . import suppress

    if fmt == "html":
        rules = suppress.parse(suppress.decode(data))
        if rules:
            yield None, rules
    elif fmt == "epub":
        for name, text in _epub_texts(data, config.max_bytes or DEFAULT_MAX_BYTES["epub"]):
            rules = suppress.parse(text)
            if rules:
                yield name, rules


def _epub_texts(data: bytes, budget: int) -> Iterator[tuple[str, str]]:
    """The (X)HTML members of an EPUB that mention ``briefconvert``, decoded for
    suppress.parse; at most ``budget`` bytes are decompressed in all."""
    import io
    import zipfile

    from . import suppress

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if not info.filename.lower().endswith(_SUPPRESSIBLE_PARTS):  # (is_dir() fails on "")
                continue
            if info.file_size > budget:
                return
            try:
                with zf.open(info) as member:
                    raw = member.read(budget + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
                continue
            budget -= len(raw)
            if budget < 0:
                return
            if b"briefconvert" in raw.lower() or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield info.filename, suppress.decode(raw)


# ------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Summary(Record):
    files: int  # results, skipped ones included
    checked: int  # files read and checked
    with_findings: int
    errors: int  # files that could not be checked
    skipped: int
    findings: int
    suppressed: int
    by_severity: dict[Severity, int] = field(default_factory=dict)
    failing: int = 0  # findings at or above the threshold


def summarize(results: Sequence[FileResult], fail_on: Severity) -> Summary:
    findings = [f for r in results for f in r.findings]
    return Summary(
        files=len(results),
        checked=sum(1 for r in results if r.status in ("ok", "findings")),
        with_findings=sum(1 for r in results if r.findings),
        errors=sum(1 for r in results if r.error is not None),
        skipped=sum(1 for r in results if r.skipped),
        findings=len(findings),
        suppressed=sum(r.suppressed for r in results),
        by_severity={s: sum(1 for f in findings if f.severity == s) for s in sorted(Severity, reverse=True)},
        failing=sum(1 for f in findings if f.severity >= fail_on),
    )


EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def exit_code(results: Sequence[FileResult], fail_on: Severity) -> int:
    """2 when a file could not be checked, else 1 when a finding is at or above
    ``fail_on``, else 0."""
    if any(r.error is not None for r in results):
        return EXIT_ERROR
    if any(f.severity >= fail_on for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK
