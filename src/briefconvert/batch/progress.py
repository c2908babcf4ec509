"""Progress of a batch: a rich progress bar on a terminal, plain lines
otherwise, failures only with ``--quiet``.  rich is imported only for the bar."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TextIO

from .job import JobResult, Status

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgressBar
    from rich.progress import TaskID


class Progress(Protocol):
    def start(self, total: int, skipped: Sequence[JobResult]) -> None:
        """``total`` inputs, of which ``skipped`` need no work."""

    def done(self, result: JobResult) -> None: ...

    def close(self) -> None: ...


def _failure_line(result: JobResult) -> str:
    return f"{result.input}: {result.status}: {result.error_class}: {result.error}"


class NoProgress:
    def start(self, total: int, skipped: Sequence[JobResult]) -> None:
        pass

    def done(self, result: JobResult) -> None:
        pass

    def close(self) -> None:
        pass


class QuietProgress(NoProgress):
    """Only the failures of this run, one line each."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def done(self, result: JobResult) -> None:
        if result.status in (Status.FAILED, Status.TIMEOUT):
            print(_failure_line(result), file=self.stream, flush=True)


class PlainProgress:
    """One line per document converted or failed (logs, CI, pipes)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = 0
        self.count = 0

    def start(self, total: int, skipped: Sequence[JobResult]) -> None:
        self.total = total
        self.count = len(skipped)
        if skipped:
            failed = sum(1 for r in skipped if r.failed)
            note = f" ({failed} of them failed before)" if failed else ""
            print(
                f"skipping {len(skipped)} of {total} inputs, unchanged since the report{note}",
                file=self.stream,
            )

    def done(self, result: JobResult) -> None:
        self.count += 1
        width = len(str(self.total))
        head = f"[{self.count:>{width}}/{self.total}]"
        if result.status == Status.OK:
            print(f"{head} ok {result.input} ({result.seconds:.2f} s)", file=self.stream, flush=True)
        else:
            print(f"{head} {_failure_line(result)}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class RichProgress:
    """A live bar: done / failed / skipped, rate and ETA; failures printed above it."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console
        self._bar: RichProgressBar | None = None
        self._task: TaskID | None = None
        self._counts = {"ok": 0, "failed": 0, "skipped": 0}
        self._started = time.monotonic()

    def start(self, total: int, skipped: Sequence[JobResult]) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._counts["skipped"] = len(skipped)  # known failures among them show in the summary
        self._bar = Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/] "
                "{task.fields[skipped]} skipped  {task.fields[rate]}"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self._console or Console(stderr=True),
        )
        self._bar.start()
        self._task = self._bar.add_task(
            "batch", total=total - len(skipped), rate="", ok=0, failed=0, skipped=len(skipped)
        )
        self._started = time.monotonic()

    def done(self, result: JobResult) -> None:
        if self._bar is None or self._task is None:
            return
        if result.status == Status.OK:
            self._counts["ok"] += 1
        else:
            self._counts["failed"] += 1
            self._bar.console.print(_failure_line(result), markup=False, highlight=False)
        finished = self._counts["ok"] + self._counts["failed"]
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = f"{finished / elapsed:.1f} docs/s"
        self._bar.update(
            self._task, advance=1, rate=rate, ok=self._counts["ok"], failed=self._counts["failed"]
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def make_progress(*, quiet: bool, tty: bool | None = None) -> Progress:
    if quiet:
        return QuietProgress()
    if tty is None:
        tty = sys.stderr.isatty()
    return RichProgress() if tty else PlainProgress()
