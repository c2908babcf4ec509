"""Setting up a worker process: memory limit, dying with its parent, the heavy
imports done once (so no document pays for them), and an optional setup hook.

Used by the pebble pool's initializer (local.py) and by the child processes
of the Dask runner (child.py).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import registry
from ..process import worker_gc
from ..record import Record


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class WorkerSettings(Record):
    formats: tuple[str, ...] = ("html",)
    memory_limit: int | None = None  # bytes of address space (RLIMIT_AS); None = no limit
    setup: str | None = None  # "module:function" called once in each worker (tests: faults.install)


def preload_modules(formats: tuple[str, ...]) -> list[str]:
    """The modules a worker needs for ``formats``: every reader and the writers asked for."""
    targets: list[str | None] = [spec.target for spec in registry.READERS.values()]
    targets += [registry.writer_spec(f).target for f in formats]
    modules = [t.partition(":")[0] for t in targets if t is not None]
    return ["briefconvert.pipeline", "briefconvert.batch.job", *dict.fromkeys(modules)]


def set_memory_limit(limit: int | None) -> None:
    """Cap the address space of this process: an allocation past it raises
    MemoryError (recorded as a failure) instead of swapping the machine."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def exit_with(pid: int) -> None:
    """Exit as soon as process ``pid`` ends, so that ``kill -9`` of a batch
    leaves no worker writing behind its back.  A watcher thread waits on a
    pidfd (Linux), else polls every second.  (The kernel's parent-death
    signal does not do: pool workers are children of the forkserver, which
    itself lives as long as any of them.)"""

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable once the process has ended
        else:
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="briefconvert-exit-with", daemon=True).start()


def load_setup(spec: str) -> Callable[[], object]:
    module, _, name = spec.partition(":")
    if not module or not name:
        raise ValueError(f"worker setup {spec!r} is not MODULE:FUNCTION")
    fn: Callable[[], object] = getattr(importlib.import_module(module), name)
    return fn


def warm_up(formats: tuple[str, ...]) -> None:
    """Convert a tiny document once, so that the first real one does not pay
    for lazy imports and caches."""
    from ..pipeline import convert

    page = b"<!doctype html><html lang='en'><title>w</title><main><h1>w</h1><p>w</p></main></html>"
    with contextlib.suppress(Exception):
        convert(page, list(formats))


def init_worker(settings: WorkerSettings, watch_pid: int | None = None) -> None:
    """A worker's initializer (top-level, picklable): it exits when process
    ``watch_pid`` (default: its parent) ends."""
    exit_with(watch_pid or os.getppid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for module in preload_modules(settings.formats):
        importlib.import_module(module)
    if settings.setup:
        load_setup(settings.setup)()
    warm_up(settings.formats)
    worker_gc()
    set_memory_limit(settings.memory_limit)
