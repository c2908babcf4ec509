"""The batch report: JSON lines, append-only, one per input, flushed as each
document finishes.  It is also the resume state.

Lines (``type``): ``run`` (a run starts: version, options digest, formats),
``input`` (one document: see JobResult.to_record) and ``summary`` (a run
ends).  A line torn by ``kill -9`` can only be the last one; it is ignored
when read and closed with a newline before the next run appends.

Resume: an input is skipped when the last ``input`` line that converted or
failed it (skipped lines only repeat it) has the same input sha256, options
digest and tool version, and either succeeded with all its outputs still
present, or failed on the document itself (kept as a known failure until the
input, the options or the tool change, or ``--retry-failed``): an input that
killed its worker twice (the runners retry a crash once, in a fresh worker)
counts as such.  An I/O error, or a single crash, is always retried.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..options import ConvertOptions
from ..record import Record
from .errors import BatchUsageError
from .job import WORKER_CRASH, Job, JobResult, Status

# failures that say nothing about the document: always retried
TRANSIENT_ERRORS = frozenset(
    {"OSError", "PermissionError", "FileNotFoundError", "IsADirectoryError", "BlockingIOError", "Cancelled"}
)


def _transient(result: JobResult) -> bool:
    """An I/O error, a cancelled job, or a worker that died once (killed from
    outside?); a document that killed a fresh worker again is its own fault."""
    if result.error_class == WORKER_CRASH:
        return result.attempts < 2
    return result.error_class in TRANSIENT_ERRORS


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def options_digest(formats: Sequence[str], options: ConvertOptions) -> str:
    """sha256 of a canonical JSON of the effective options (the per-input
    asset folder is written as ``<stem>_files``; a password enters only
    hashed).  Limits that change no output (timeout, memory) stay out."""
    data = asdict(options)
    data["html"]["assets_dir"] = data["md"]["assets_dir"] = "<stem>_files"
    password = data["pdf_reader"].get("password")
    if password is not None:
        data["pdf_reader"]["password"] = hashlib.sha256(password.encode("utf-8")).hexdigest()
    canonical = _canonical({"formats": sorted(formats), "options": data})
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ReportWriter:
    """Appends lines to the report, each flushed at once.  Holds an exclusive
    lock (flock) for the run: a second batch on the same report is refused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = path.open("ab")
        try:
            self._lock()
            self._close_torn_line()
        except BaseException:
            self._file.close()
            raise

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BatchUsageError(f"{self.path}: another batch is running with this report") from None

    def _close_torn_line(self) -> None:
        size = self.path.stat().st_size
        if size:
            with self.path.open("rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    self._file.write(b"\n")
                    self._file.flush()

    def write(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
        self._file.write(line.encode("utf-8"))
        self._file.flush()

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_records(path: Path) -> Iterable[dict[str, Any]]:
    """Every well-formed line of a report (torn or foreign lines are skipped)."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return
    with f:
        for raw in f:
            try:
                rec = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(rec, dict):
                yield rec


def load_state(path: Path) -> dict[str, JobResult]:
    """The last conversion result of each input (by its path under the output folder)."""
    state: dict[str, JobResult] = {}
    for rec in read_records(path):
        if rec.get("type") != "input" or rec.get("status") == Status.SKIPPED:
            continue
        try:
            result = JobResult.from_record(rec)
        except (KeyError, ValueError, TypeError):
            continue
        state[result.key] = result
    return state


def resume(job: Job, previous: JobResult | None, *, force: bool, retry_failed: bool) -> JobResult | None:
    """The ``skipped`` result when ``job`` need not run again, else None."""
    if force or previous is None:
        return None
    if (previous.sha256, previous.digest, previous.version) != (job.sha256, job.digest, job.version):
        return None
    if previous.status == Status.OK:
        out_dir = Path(job.out_dir)
        needed = [Path(t) for t in job.targets] + [out_dir / o for o in previous.outputs]
        if not all(p.is_file() for p in needed):
            return None
    elif retry_failed or _transient(previous):
        return None
    return replace(
        previous,
        input=job.display,
        status=Status.SKIPPED,
        previous=previous.status,
        seconds=0.0,
        peak_rss=None,
    )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Summary(Record):
    results: tuple[JobResult, ...]
    seconds: float  # wall time of the run
    interrupted: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> tuple[JobResult, ...]:
        """Failed in this run, or kept as known failures from an earlier one."""
        return tuple(r for r in self.results if r.failed)

    @property
    def known_failures(self) -> int:
        return sum(1 for r in self.results if r.status == Status.SKIPPED and r.failed)

    @property
    def converted(self) -> int:
        return self.count(Status.OK)

    def slowest(self, n: int = 5) -> list[JobResult]:
        ran = [r for r in self.results if r.status != Status.SKIPPED]
        return sorted(ran, key=lambda r: (-r.seconds, r.key))[:n]

    def common_diagnostics(self, n: int = 5) -> list[tuple[str, int]]:
        total: Counter[str] = Counter()
        for r in self.results:
            total.update(dict(r.codes))
        return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    @property
    def exit_code(self) -> int:
        return 1 if self.failures or self.interrupted else 0

    def to_record(self) -> dict[str, Any]:
        return {
            "type": "summary",
            "total": len(self.results),
            "ok": self.count(Status.OK),
            "failed": self.count(Status.FAILED),
            "timeout": self.count(Status.TIMEOUT),
            "skipped": self.count(Status.SKIPPED),
            "known_failures": self.known_failures,
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
            "slowest": [{"path": r.key, "seconds": r.seconds} for r in self.slowest()],
            "diagnostics": dict(self.common_diagnostics()),
        }

    def lines(self) -> list[str]:
        """The summary printed at the end of a run."""
        skipped = self.count(Status.SKIPPED) - self.known_failures
        parts = [
            f"{len(self.results)} inputs: {self.count(Status.OK)} converted",
            f"{self.count(Status.FAILED)} failed",
            f"{self.count(Status.TIMEOUT)} timed out",
            f"{skipped} up to date",
        ]
        if self.known_failures:
            parts.append(f"{self.known_failures} failed before (--retry-failed to retry)")
        head = ", ".join(parts) + f" in {self.seconds:.1f} s"
        if self.interrupted:
            head += " (interrupted)"
        out = [head]
        slow = [r for r in self.slowest() if r.seconds > 0]
        if slow:
            out.append("slowest: " + ", ".join(f"{r.key} ({r.seconds:.2f} s)" for r in slow))
        common = self.common_diagnostics()
        if common:
            out.append("most common diagnostics: " + ", ".join(f"{c} ({n})" for c, n in common))
        return out
