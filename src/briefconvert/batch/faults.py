"""Fault injection for the batch tests and the acceptance benchmark.

Inert unless a batch is started with ``worker_setup="briefconvert.batch.faults:install"``
(CLI: the hidden ``--worker-setup``): then, in each worker process, an input
whose bytes begin with ``<!--briefconvert-fault:KIND-->`` misbehaves once
read, the way real pathological inputs do:

- ``crash``: the worker dies at once (SIGKILL, as from a segfault or the OOM killer);
- ``slow``: it sleeps far past any timeout, interruptibly (the in-worker limit stops it);
- ``hang``: it sleeps with signals blocked, like a long C call (only a kill stops it);
- ``memory``: it allocates until the worker's memory limit raises MemoryError
  (refused when the worker has no limit, so as not to eat the machine).

Any other input is read as usual.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from .. import registry

MARKER = re.compile(rb"<!--briefconvert-fault:(crash|slow|hang|memory)-->")


def marker(kind: str) -> bytes:
    """The first bytes of an input that triggers ``kind``."""
    return f"<!--briefconvert-fault:{kind}-->".encode("ascii")


def _misbehave(kind: bytes) -> None:
    if kind == b"crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == b"slow":
        time.sleep(3600)
    elif kind == b"hang":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            time.sleep(3600)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    elif kind == b"memory":
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            raise RuntimeError("the memory fault needs a worker memory limit")
        blocks = []
        while True:  # MemoryError at the limit; bytes(n) is calloc'd, so no page is touched
            blocks.append(bytes(256 * 1024 * 1024))


def install() -> None:
    """Wrap the registry's reader choice so that marked inputs misbehave."""
    original = registry.sniff_reader

    def sniff(data: bytes, path: Path | None) -> registry.ReaderSpec:
        m = MARKER.match(data)
        if m:
            _misbehave(m[1])
        return original(data, path)

    registry.sniff_reader = sniff
