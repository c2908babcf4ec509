"""One document of a batch: the picklable ``Job`` that names it, the top-level
``run_job`` that converts it inside a worker, and the ``JobResult`` that comes
back (and becomes one line of the report).

A worker reads the input from its path and writes the outputs itself
(atomically: temp file + rename), so no document bytes travel through pipes;
only these two small records do.  ``run_job`` never raises: every failure is
a result.
"""

from __future__ import annotations

import enum
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..options import ConvertOptions
from ..record import Record


class Status(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


# error classes of failures found outside the document's own code
WORKER_CRASH = "WorkerCrash"  # the process converting the document died
TIMEOUT = "Timeout"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Job(Record):
    """Everything a worker needs to convert one input; paths are absolute so
    that a worker on another machine (Dask, shared file system) finds them."""

    key: str  # the input's path under the output folder (POSIX), unique in a batch
    input: str  # absolute path read by the worker
    display: str  # the input as the user named it (for messages and the report)
    sha256: str  # of the input bytes, computed by the planner
    formats: tuple[str, ...]
    targets: tuple[str, ...]  # absolute output path of each format, in order
    out_dir: str  # absolute; report paths are relative to it
    options: ConvertOptions
    digest: str  # options digest (see report.options_digest)
    version: str  # briefconvert.__version__
    timeout: float = 0.0  # seconds; 0 = none
    attempt: int = 1


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class JobResult(Record):
    key: str
    input: str
    sha256: str
    digest: str
    version: str
    status: Status
    error_class: str | None = None
    error: str | None = None
    outputs: tuple[str, ...] = ()  # every file written, relative to the output folder
    severities: tuple[tuple[str, int], ...] = ()  # diagnostics counted by severity
    codes: tuple[tuple[str, int], ...] = ()  # diagnostics counted by code
    seconds: float = 0.0
    peak_rss: int | None = None  # bytes; the worker's peak while converting this input
    attempts: int = 1
    previous: Status | None = field(default=None)  # for a skipped input: the status it kept

    @property
    def failed(self) -> bool:
        """A failure of this run, or one kept from an earlier run."""
        return self.status in (Status.FAILED, Status.TIMEOUT) or self.previous in (
            Status.FAILED,
            Status.TIMEOUT,
        )

    def to_record(self) -> dict[str, Any]:
        """The report line (see report.py)."""
        return {
            "type": "input",
            "path": self.key,
            "input": self.input,
            "sha256": self.sha256,
            "options": self.digest,
            "version": self.version,
            "status": str(self.status),
            "previous": None if self.previous is None else str(self.previous),
            "error_class": self.error_class,
            "error": self.error,
            "outputs": list(self.outputs),
            "diagnostics": dict(self.severities),
            "codes": dict(self.codes),
            "seconds": self.seconds,
            "peak_rss": self.peak_rss,
            "attempts": self.attempts,
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> JobResult:
        """Inverse of to_record; raises KeyError/ValueError/TypeError on a malformed line."""
        previous = rec.get("previous")
        return cls(
            key=str(rec["path"]),
            input=str(rec["input"]),
            sha256=str(rec["sha256"]),
            digest=str(rec["options"]),
            version=str(rec["version"]),
            status=Status(rec["status"]),
            error_class=_opt_str(rec.get("error_class")),
            error=_opt_str(rec.get("error")),
            outputs=tuple(str(o) for o in rec.get("outputs") or ()),
            severities=tuple((str(k), int(v)) for k, v in (rec.get("diagnostics") or {}).items()),
            codes=tuple((str(k), int(v)) for k, v in (rec.get("codes") or {}).items()),
            seconds=float(rec.get("seconds") or 0.0),
            peak_rss=None if rec.get("peak_rss") is None else int(rec["peak_rss"]),
            attempts=int(rec.get("attempts") or 1),
            previous=None if previous is None else Status(previous),
        )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def failure(job: Job, status: Status, error_class: str, message: str, seconds: float = 0.0) -> JobResult:
    """A result for a job that produced nothing (made by the worker or, when
    the worker died or hung, by the parent)."""
    return JobResult(
        key=job.key,
        input=job.display,
        sha256=job.sha256,
        digest=job.digest,
        version=job.version,
        status=status,
        error_class=error_class,
        error=message,
        seconds=round(seconds, 3),
        attempts=job.attempt,
    )


def timeout_message(timeout: float) -> str:
    return f"gave up after {timeout:g} s (--timeout)"


def hard_timeout(timeout: float) -> float | None:
    """When a runner kills a worker that the in-worker (soft) limit did not
    stop: code that holds off signals, such as a long C call."""
    if timeout <= 0:
        return None
    return timeout + min(max(2.0, timeout * 0.1), 10.0)


def crash_message(exitcode: int | None) -> str:
    """The same words whichever runner saw the death (pebble, a child, Dask)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker process died ({name}) while converting this input"
    if exitcode is not None:
        return f"the worker process died (exit code {exitcode}) while converting this input"
    return "the worker process died while converting this input"


def _reset_peak_rss() -> bool:
    """Reset the process's peak RSS (Linux: /proc/self/clear_refs), so that it
    measures this document alone.  False when that is not possible."""
    if threading.current_thread() is not threading.main_thread():
        return False
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_rss(was_reset: bool) -> int | None:
    if was_reset:
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_job(job: Job) -> JobResult:
    """Convert one input and write its outputs; never raises.  Top-level and
    picklable, for any process pool or a Dask cluster."""
    from ..errors import BriefconvertError
    from ..files import write_output
    from ..limits import TimedOut, time_limit
    from ..pipeline import convert

    reset = _reset_peak_rss()
    start = time.perf_counter()
    out_dir = Path(job.out_dir)
    written: list[str] = []
    try:
        with time_limit(job.timeout):
            result = convert(job.input, list(job.formats), options=job.options)
            for fmt, target in zip(job.formats, job.targets, strict=True):
                for path in write_output(Path(target), result.outputs[fmt]):
                    written.append(path.relative_to(out_dir).as_posix())
    except TimedOut:
        return failure(
            job, Status.TIMEOUT, TIMEOUT, timeout_message(job.timeout), time.perf_counter() - start
        )
    except BriefconvertError as exc:
        return failure(job, Status.FAILED, type(exc).__name__, str(exc), time.perf_counter() - start)
    except MemoryError:
        message = "ran out of memory (--memory-limit)"
        return failure(job, Status.FAILED, "MemoryError", message, time.perf_counter() - start)
    except RecursionError:
        message = "input too complex to convert (nesting too deep)"
        return failure(job, Status.FAILED, "RecursionError", message, time.perf_counter() - start)
    except OSError as exc:
        message = f"cannot read or write: {exc.strerror or exc}"
        return failure(job, Status.FAILED, type(exc).__name__, message, time.perf_counter() - start)
    except Exception as exc:  # a bug of ours: recorded, and the batch goes on
        message = f"internal error: {str(exc)[:300]}"
        return failure(job, Status.FAILED, type(exc).__name__, message, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    severities = Counter(str(d.severity) for d in result.diagnostics)
    codes = Counter(d.code for d in result.diagnostics)
    return JobResult(
        key=job.key,
        input=job.display,
        sha256=job.sha256,
        digest=job.digest,
        version=job.version,
        status=Status.OK,
        outputs=tuple(sorted(written)),
        severities=tuple(sorted(severities.items())),
        codes=tuple(sorted(codes.items())),
        seconds=round(seconds, 3),
        peak_rss=_peak_rss(reset),
        attempts=job.attempt,
    )


def next_attempt(job: Job) -> Job:
    return replace(job, attempt=job.attempt + 1)
