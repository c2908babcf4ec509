"""Warm child processes that convert one document at a time, for runners
that cannot time out or survive their own tasks (a Dask worker has no task
timeout, and its worker processes are daemonic, so no multiprocessing pool
inside them).

A child is ``python -m briefconvert.batch.child SETTINGS``: it sets itself up
like a pool worker (worker.init_worker), says "ready", then reads pickled
Jobs on stdin and answers pickled JobResults on stdout (length-prefixed; the
child's own stdout is sent to stderr so that no stray print corrupts the
protocol).  The parent waits for each answer with a deadline; past it, or
when the child dies, the child is killed and replaced.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import IO, Any, Final

from .job import (
    TIMEOUT,
    WORKER_CRASH,
    Job,
    JobResult,
    Status,
    crash_message,
    failure,
    hard_timeout,
    next_attempt,
    run_job,
    timeout_message,
)
from .worker import WorkerSettings, init_worker

_HEADER = struct.Struct(">Q")
READY: Final = "ready"
STARTUP_TIMEOUT = 120.0  # seconds for a child to import and warm up


class _Died:
    """The child closed its end: it died."""


class _Hung:
    """No answer before the deadline."""


DIED, HUNG = _Died(), _Hung()


def _frame(obj: object) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


class ChildProcess:
    """One child and its pipes (parent side)."""

    def __init__(self, settings: WorkerSettings) -> None:
        config = json.dumps(asdict(settings))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefconvert.batch.child", config],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._buffer = bytearray()
        ready = self._receive(time.monotonic() + STARTUP_TIMEOUT)
        if ready != READY:
            code = self.kill()
            raise RuntimeError(f"the worker child did not start ({crash_message(code)})")

    def _receive(self, deadline: float | None) -> object:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            if len(self._buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self._buffer)
                end = _HEADER.size + size
                if len(self._buffer) >= end:
                    obj = pickle.loads(bytes(self._buffer[_HEADER.size : end]))
                    del self._buffer[:end]
                    return obj
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return HUNG
            readable, _, _ = select.select([fd], [], [], wait)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return DIED
            self._buffer += chunk

    def run(self, job: Job) -> object:
        """A JobResult, DIED or HUNG."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(_frame(job))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return DIED
        limit = hard_timeout(job.timeout)
        return self._receive(None if limit is None else time.monotonic() + limit)

    def kill(self) -> int | None:
        """Kill the child (if still alive) and return its exit code."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            return None
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        return self.proc.returncode

    def exitcode(self) -> int | None:
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return self.kill()


class ChildPool:
    """Idle warm children, taken one per running job (one per thread).  A
    child killed for a timeout or a crash is replaced in the background, so
    that the next job does not wait for a cold start."""

    def __init__(self, settings: WorkerSettings, *, crash_retries: int = 1, spares: int = 1) -> None:
        self.settings = settings
        self.crash_retries = crash_retries
        self.spares = spares
        self._idle: list[ChildProcess] = []
        self._lock = threading.Lock()
        self._closed = False

    def prestart(self) -> None:
        """Start a spare child in the background."""
        threading.Thread(target=self._add_spare, name="briefconvert-child-start", daemon=True).start()

    def _add_spare(self) -> None:
        try:
            child = ChildProcess(self.settings)
        except (OSError, RuntimeError):
            return  # the next job starts one itself and records why it could not
        with self._lock:
            if not self._closed and len(self._idle) < self.spares:
                self._idle.append(child)
                return
        child.kill()

    def _acquire(self) -> ChildProcess:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return ChildProcess(self.settings)

    def _release(self, child: ChildProcess) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(child)
                return
        child.kill()

    def run(self, job: Job) -> JobResult:
        while True:
            try:
                child = self._acquire()
            except (OSError, RuntimeError) as exc:
                return failure(job, Status.FAILED, WORKER_CRASH, str(exc))
            outcome = child.run(job)
            if isinstance(outcome, JobResult):
                self._release(child)
                return outcome
            if outcome is HUNG:
                child.kill()
                self.prestart()
                return failure(job, Status.TIMEOUT, TIMEOUT, timeout_message(job.timeout), job.timeout)
            code = child.exitcode()
            child.kill()
            self.prestart()
            if job.attempt <= self.crash_retries:
                job = next_attempt(job)
                continue
            return failure(job, Status.FAILED, WORKER_CRASH, crash_message(code))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()


def _read_exact(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def main(argv: Sequence[str] | None = None) -> int:
    """The child's side of the protocol."""
    args = list(sys.argv[1:] if argv is None else argv)
    config: dict[str, Any] = json.loads(args[0]) if args else {}
    config["formats"] = tuple(config.get("formats", ("html",)))
    settings = WorkerSettings(**config)
    # the protocol gets the original stdin/stdout; fd 1 then points at stderr
    incoming = os.fdopen(os.dup(0), "rb")
    outgoing = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(settings)
    try:
        outgoing.write(_frame(READY))
        outgoing.flush()
        while True:
            header = _read_exact(incoming, _HEADER.size)
            if header is None:
                return 0
            payload = _read_exact(incoming, _HEADER.unpack(header)[0])
            if payload is None:
                return 0
            job = pickle.loads(payload)
            outgoing.write(_frame(run_job(job)))
            outgoing.flush()
    except BrokenPipeError:  # the parent is gone: nobody to answer, nothing to flush
        os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
