"""Put on PYTHONPATH by the hostile-input tests: when ``BC_HOSTILE_LOG`` is
set, an audit hook records (in that file) and refuses every network
operation and every external program, and records reads of the canary
folder and writes outside the output folder.

The same :func:`make_hook` serves the in-process tests.  An audit hook sees
what Python code does; what C libraries do behind Python's back (libxml2
fetching an entity, say) it cannot see, which is why the subprocess tests
also run under ``unshare -rn`` (no network at all) and, where available,
``strace`` (every connect, exec and open at the system-call level).
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable
from typing import Any

NETWORK = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "socket.bind",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
})  # fmt: skip
PROCESSES = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "pty.spawn",
})  # fmt: skip
_PATH_EVENTS = frozenset({"os.listdir", "os.scandir", "glob.glob"})
_CHANGE_EVENTS = frozenset({"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link",
                            "os.chmod", "os.chown", "os.truncate", "os.utime", "shutil.rmtree",
                            "shutil.copyfile", "shutil.move"})  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Refused(PermissionError):
    """Raised by the hook to stop a forbidden operation."""


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _real(path: Any) -> str | None:
    if isinstance(path, int):
        return None
    try:
        return os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None


def make_hook(secret: str, out: str, record: Callable[[str], None]) -> Callable[[str, tuple[Any, ...]], None]:
    """An audit hook: network and processes are recorded and refused; any
    access under ``secret`` and any change outside ``out`` is recorded."""
    secret = os.path.realpath(secret)
    out = os.path.realpath(out)
    busy = [False]  # the hook itself must not recurse through the events it causes

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            _check(event, args)
        finally:
            busy[0] = False

    def _check(event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.__new__":
            family = args[1] if len(args) > 1 else None
            if family not in (socket.AF_UNIX, -1):
                record(f"network: socket({family})")
            return
        if event in NETWORK:
            record(f"network: {event} {args[1:2]!r}")
            raise Refused(f"network access refused ({event})")
        if event in PROCESSES:
            record(f"process: {event} {args[:2]!r}"[:300])
            raise Refused(f"external program refused ({event})")
        if event == "open":
            path = _real(args[0])
            if path is None:
                return
            mode, flags = (args[1] or ""), (args[2] if len(args) > 2 else 0) or 0
            if _inside(path, secret):
                record(f"read outside the input folder: {path}")
            writing = any(c in str(mode) for c in "wax+") or bool(flags & _WRITE_FLAGS)
            if (
                writing
                and not _inside(path, out)
                and "__pycache__" not in path
                and not path.startswith("/dev/")
            ):
                record(f"write outside the output folder: {path} ({mode or flags})")
            return
        if event in _PATH_EVENTS and args:
            path = _real(args[0])
            if path is not None and _inside(path, secret):
                record(f"listing outside the input folder: {path}")
            return
        if event in _CHANGE_EVENTS and args:
            for arg in args[:2]:
                path = _real(arg)
                if path is not None and not _inside(path, out) and "__pycache__" not in path:
                    record(f"{event} outside the output folder: {path}")

    return hook


def _install_from_environment() -> None:
    log = os.environ.get("BC_HOSTILE_LOG")
    if not log:
        return
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def record(message: str) -> None:
        os.write(fd, (message.replace("\n", " ") + "\n").encode("utf-8", "replace"))

    sys.addaudithook(make_hook(os.environ["BC_HOSTILE_SECRET"], os.environ["BC_HOSTILE_OUT"], record))


_install_from_environment()
