"""Tuning of a process that briefconvert owns (the command line, a batch
worker), never applied by the library API: the garbage collector during a
conversion or in a worker, and a quick exit.

Measured on the 97 KB benchmark article (HTML -> DOCX, CPU time of the
whole command, best of 5): default collector 0.26 s, with
:func:`conversion_gc` 0.24 s; exiting with :func:`exit_now` instead of the
interpreter's finalisation saves another 10-20 ms.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn

# A conversion allocates a few hundred thousand container objects (model
# nodes, tuples, lxml proxies) that stay alive until it ends, and makes
# almost no reference cycles: the model is a tree of frozen values.  With the
# default first threshold (700) the collector runs hundreds of times and
# finds nothing; at this one it runs a few times.
_GEN0_THRESHOLD = 50_000


@contextlib.contextmanager
def conversion_gc() -> Iterator[None]:
    """Collect cyclic garbage less often while the block runs."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _GEN0_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def worker_gc() -> None:
    """For a long-lived worker process that has imported and warmed up
    everything it needs: those objects are moved out of the collector's
    sight (``gc.freeze``, so that no full collection walks them again), and
    the first threshold is raised as in :func:`conversion_gc` for good."""
    gc.collect()
    gc.freeze()
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _GEN0_THRESHOLD), *old[1:])


def exit_now(code: int) -> NoReturn:
    """Exit with ``code`` once the standard streams are flushed, skipping the
    interpreter's finalisation (freeing every module and object one by one)
    when nothing can be lost by it: no other thread and no child process is
    alive.  Otherwise, and when a flush fails (a closed pipe), exit normally
    so that Python reports it as it always does."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    children = "multiprocessing" in sys.modules and bool(sys.modules["multiprocessing"].active_children())
    if threading.active_count() > 1 or children:
        sys.exit(code)
    os._exit(code)
