"""A wall-clock limit on one document's work (``--timeout``)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class TimedOut(BaseException):
    """A BaseException, so that no ``except Exception`` in a reader swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimedOut` in the main thread after ``seconds`` (no limit
    when 0, or where there is no SIGALRM, or outside the main thread)."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
