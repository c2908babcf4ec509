"""Running jobs on a runner and recording each result as it comes.

A runner submits a Job and returns a future-like object (``add_done_callback``
and ``result``): a pebble future (local.py), a Dask future (dask.py) or the
future of any concurrent.futures-style executor (ExecutorRunner).  Finished
futures are collected through a queue fed by their callbacks, so results are
recorded in the order they finish, whichever thread finishes them.
"""

from __future__ import annotations

import functools
import queue
import re
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any, Protocol

from .job import WORKER_CRASH, Job, JobResult, Status, crash_message, failure, run_job
from .progress import Progress
from .report import ReportWriter


class Runner(Protocol):
    def submit(self, job: Job) -> Any:
        """Start ``job``; return a future-like object."""

    def outcome(self, job: Job, future: Any) -> JobResult | Job:
        """The result of a finished future, or a Job to submit again."""

    def close(self, *, cancel: bool) -> None: ...


class ExecutorRunner:
    """Any concurrent.futures-style executor (``submit(fn, *args)``): each job
    runs as ``run_job(job)`` in it.  Crash isolation and hard timeouts are the
    executor's business (the in-process timeout works only where a job runs
    in a main thread, as in a process pool)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self._futures: list[Any] = []

    def submit(self, job: Job) -> Any:
        future = self.executor.submit(run_job, job)
        self._futures.append(future)
        return future

    def outcome(self, job: Job, future: Any) -> JobResult | Job:
        return result_or_failure(job, future)

    def close(self, *, cancel: bool) -> None:
        if cancel:
            for future in self._futures:
                future.cancel()


def result_or_failure(job: Job, future: Any) -> JobResult:
    """``future.result()``, or a failed result naming what went wrong."""
    try:
        result = future.result()
    except CancelledError:
        return failure(job, Status.FAILED, "Cancelled", "cancelled before it ran")
    except Exception as exc:
        if type(exc).__name__ in ("BrokenProcessPool", "BrokenExecutor", "KilledWorker"):
            return failure(job, Status.FAILED, WORKER_CRASH, crash_message(None))
        return failure(job, Status.FAILED, type(exc).__name__, str(exc)[:300])
    if not isinstance(result, JobResult):
        return failure(job, Status.FAILED, "TypeError", f"the executor returned {type(result).__name__}")
    return result


def _put(done: queue.SimpleQueue[tuple[Job, Any]], job: Job, future: Any) -> None:
    done.put((job, future))


def execute(
    jobs: Sequence[Job],
    runner: Runner,
    *,
    record: Callable[[JobResult], None],
) -> bool:
    """Run ``jobs`` and ``record`` each result as it comes; False when
    interrupted (Ctrl-C) before the end."""
    done: queue.SimpleQueue[tuple[Job, Any]] = queue.SimpleQueue()
    outstanding = 0

    def submit(job: Job) -> None:
        nonlocal outstanding
        try:
            future = runner.submit(job)
        except Exception as exc:
            record(failure(job, Status.FAILED, type(exc).__name__, f"could not start: {str(exc)[:300]}"))
            return
        outstanding += 1
        future.add_done_callback(functools.partial(_put, done, job))

    try:
        for job in jobs:
            submit(job)
        while outstanding:
            try:
                job, future = done.get(timeout=0.5)
            except queue.Empty:
                continue
            outstanding -= 1
            outcome = runner.outcome(job, future)
            if isinstance(outcome, Job):
                submit(outcome)
            else:
                record(outcome)
    except KeyboardInterrupt:
        runner.close(cancel=True)
        return False
    runner.close(cancel=False)
    return True


def recorder(
    writer: ReportWriter, progress: Progress, results: list[JobResult]
) -> Callable[[JobResult], None]:
    def record(result: JobResult) -> None:
        writer.write(result.to_record())
        results.append(result)
        progress.done(result)

    return record


# tempfile.mkstemp names made by files.write_atomic: ".<name>.<8 random chars>.tmp"
_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp\Z")


def remove_stale_temp_files(jobs: Sequence[Job]) -> int:
    """Remove the temp files a killed run left beside the outputs of ``jobs``
    (in their folders, for their names, and in their ``<stem>_files``
    folders).  Returns how many were removed."""
    names: dict[Path, set[str]] = {}
    for job in jobs:
        for target in map(Path, job.targets):
            names.setdefault(target.parent, set()).add(target.name)
            names.setdefault(target.parent / f"{target.stem}_files", set()).add("*")
    removed = 0
    for folder, wanted in names.items():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            m = _TEMP.match(entry.name)
            if m and ("*" in wanted or m["name"] in wanted):
                try:
                    entry.unlink()
                    removed += 1
                except OSError:
                    pass
    return removed
