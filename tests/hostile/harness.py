"""Running a hostile case and judging what happened.

* :class:`Listener`: a local TCP server whose port the inputs use as their
  "remote" host; any connection to it is recorded.
* :func:`witness`: the in-process guard (an audit hook via
  ``sitecustomize.make_hook``, plus pytest-socket's socket blocking).
* :func:`run_cli`: the subprocess runner (``unshare -rn`` when it works,
  ``strace`` when available, the audit hook always, a memory limit, a hard
  time limit with the whole process group killed).
* :func:`judge_convert` / :func:`judge_check`: the verdict, as a list of
  problems (empty is a pass).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import CANARY_SIZE, Case, Env
from .safety import blobs, image_sizes, scan_output

HERE = Path(__file__).resolve().parent
SITECUSTOM = HERE / "sitecustom"
FORMATS = ("html", "epub", "docx", "txt")
EXTENSIONS = {"html": ".html", "epub": ".epub", "docx": ".docx", "txt": ".txt"}
TIME_LIMIT = 10.0
MEMORY_LIMIT = 6 << 30  # address space of a subprocess run


def _load_sitecustomize() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("_hostile_sitecustomize", SITECUSTOM / "sitecustomize.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SITE = _load_sitecustomize()


# ------------------------------------------------------------ known bugs

# Failures found by this suite in modules this suite's author does not own,
# reported to their owners: (command, case id) -> what is wrong.  Each is an
# xfail(strict=True), so the entry must go when the bug is fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}  # (command, case id) -> why it fails: a strict xfail


def params(cases: list[Case], command: str) -> list[Any]:
    """``cases`` as pytest params, the known bugs marked xfail(strict)."""
    import pytest

    out = []
    for c in cases:
        reason = KNOWN_BUGS.get((command, c.id))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(c, marks=marks, id=c.id))
    return out


# ------------------------------------------------------------ listener


class Listener:
    """Accepts connections on 127.0.0.1 and records the first line of each."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="hostile-listener", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                # the low-level accept: no Python socket object is made for
                # the connection, which pytest-socket would refuse
                fd, addr = self._sock._accept()  # type: ignore[attr-defined]
            except OSError:
                continue
            try:
                ready, _, _ = select.select([fd], [], [], 0.5)
                first = os.read(fd, 200).split(b"\r\n")[0].decode("latin-1") if ready else ""
            except OSError:
                first = ""
            finally:
                os.close(fd)
            self.hits.append(f"connection from {addr[0]}: {first!r}")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


# ------------------------------------------------------------ in-process witness


_ACTIVE: list[Callable[[str, tuple[Any, ...]], None]] = []


def _dispatch(event: str, args: tuple[Any, ...]) -> None:
    if _ACTIVE:
        _ACTIVE[0](event, args)


sys.addaudithook(_dispatch)  # audit hooks cannot be removed: one dispatcher for the session


@contextlib.contextmanager
def witness(env: Env, out: Path) -> Iterator[list[str]]:
    """Record (and refuse) network and process use, reads of the canaries and
    writes outside ``out`` while the block runs; sockets are also blocked by
    pytest-socket."""
    import pytest_socket

    events: list[str] = []
    _ACTIVE[:] = [SITE.make_hook(str(env.secret), str(out), events.append)]
    pytest_socket.disable_socket(allow_unix_socket=True)
    guarded = (socket.socket, socket.getaddrinfo, socket.gethostbyname)

    class Recorded(guarded[0]):  # type: ignore[misc,valid-type]
        def __new__(cls, family: Any = -1, *args: Any, **kwargs: Any) -> Any:
            if family != socket.AF_UNIX:
                events.append(f"network: socket({family}) refused by pytest-socket")
            return super().__new__(cls, family, *args, **kwargs)

    def recorded(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            events.append(f"network: socket.{name}{args[:2]!r} refused by pytest-socket")
            return real(*args, **kwargs)

        return call

    socket.socket = Recorded  # type: ignore[misc]
    socket.getaddrinfo = recorded("getaddrinfo", guarded[1])
    socket.gethostbyname = recorded("gethostbyname", guarded[2])
    try:
        yield events
    finally:
        _ACTIVE.clear()
        socket.socket, socket.getaddrinfo, socket.gethostbyname = guarded  # type: ignore[misc]
        pytest_socket.enable_socket()


# ------------------------------------------------------------ file snapshots


def snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (outside ``skip``) with its size and mtime."""
    seen: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        if Path(folder) == skip:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = os.path.join(folder, name)
            if Path(path) == skip:
                continue
            st = os.lstat(path)
            # a folder's own times change with its entries: only files count
            seen[path] = (0, 0) if name in dirs else (st.st_size, st.st_mtime_ns)
    return seen


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return [f"changed outside the output folder: {p}" for p in sorted(set(before) ^ set(after))] + [
        f"modified outside the output folder: {p}"
        for p in sorted(before)
        if p in after and before[p] != after[p]
    ]


# ------------------------------------------------------------ subprocess


@functools.cache
def unshare_works() -> bool:
    exe = shutil.which("unshare")
    if exe is None:
        return False
    try:
        return subprocess.run([exe, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def strace_works() -> bool:
    exe = shutil.which("strace")
    if exe is None:
        return False
    try:
        proc = subprocess.run(
            [exe, "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect", "-o", os.devnull, "true"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def briefconvert_command() -> list[str]:
    exe = Path(sys.executable).with_name("briefconvert")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "briefconvert"]


@dataclass
class Run:
    code: int | None  # None: killed at the time limit
    stdout: bytes
    stderr: str
    seconds: float
    events: list[str] = field(default_factory=list)  # audit hook, strace, fake programs


def fake_programs(bin_dir: Path, marker: Path) -> None:
    """Programs that record that they ran: pypdf's ``jbig2dec`` and
    Ghostscript (which Pillow runs for EPS) must never be started."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("jbig2dec", "gs", "convert", "pdftoppm", "soffice"):
        path = bin_dir / name
        path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{marker}"\nexit 1\n', encoding="utf-8")
        path.chmod(0o755)


def run_cli(
    args: list[str], env: Env, out: Path, *, timeout: float = TIME_LIMIT, program: list[str] | None = None
) -> Run:
    """``briefconvert ARGS`` (or ``program ARGS``) in a subprocess, sandboxed
    and watched."""
    work = env.root / "work"
    log = env.root / "audit.log"
    trace = env.root / "strace.log"
    marker = env.root / "programs.log"
    fake_programs(env.root / "bin", marker)
    for f in (log, trace, marker):
        f.unlink(missing_ok=True)
    cmd = (program or briefconvert_command()) + args
    use_strace = strace_works()
    if use_strace:
        cmd = ["strace", "-f", "-qq", "--seccomp-bpf", "-s", "4096", "-o", str(trace),
               "-e", "trace=connect,execve,execveat,openat,open,creat", *cmd]  # fmt: skip
    if unshare_works():
        cmd = ["unshare", "-rn", *cmd]
    child_env = {
        "PATH": f"{env.root / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(SITECUSTOM),
        "PYTHONDONTWRITEBYTECODE": "1",
        "BC_HOSTILE_LOG": str(log),
        "BC_HOSTILE_SECRET": str(env.secret),
        "BC_HOSTILE_OUT": str(out),
    }

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=work, env=child_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, preexec_fn=limits, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        code = None
    seconds = time.perf_counter() - start
    events = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if marker.exists():
        events += [f"external program ran: {line}" for line in marker.read_text().splitlines()]
    if use_strace and trace.exists():
        events += strace_problems(trace.read_text(encoding="utf-8", errors="replace"), env, out, work, log)
    return Run(code, stdout, stderr.decode("utf-8", "replace"), seconds, events)


_CALL = re.compile(r"^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)", re.M)
_PATH_ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strace_problems(text: str, env: Env, out: Path, cwd: Path, log: Path) -> list[str]:
    """System calls that break the sandbox: any exec after the first, any
    Internet connect, any open under the canary folder, any file opened for
    writing outside the output folder."""
    problems: list[str] = []
    secret, outdir = os.path.realpath(env.secret), os.path.realpath(out)
    execs = 0
    for m in _CALL.finditer(text):
        call, args = m.group(1), m.group(2)
        if call in ("execve", "execveat"):
            execs += 1
            if execs > 1:
                problems.append(f"strace: exec {args[:120]}")
        elif call == "connect":
            if "AF_INET" in args:
                problems.append(f"strace: connect {args[:120]}")
        else:
            pm = _PATH_ARG.search(args)
            if pm is None:
                continue
            raw = pm.group(1).encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")
            path = os.path.realpath(os.path.join(cwd, raw))
            if path == secret or path.startswith(secret + os.sep):
                problems.append(f"strace: {call} {raw}")
            writing = (call == "creat" or re.search(r"O_WRONLY|O_RDWR|O_CREAT", args)) and path != str(log)
            if (
                writing
                and not (path == outdir or path.startswith(outdir + os.sep))
                and not path.startswith(("/dev/", "/proc/"))
            ):
                problems.append(f"strace: write {raw}")
    return problems


# ------------------------------------------------------------ verdicts


def _outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []


def judge_convert(
    case: Case, code: int | None, stderr: str, seconds: float, out: Path, env: Env, stem: str
) -> list[str]:
    problems: list[str] = []
    if code is None or seconds > TIME_LIMIT:
        return [f"took {seconds:.1f} s (limit {TIME_LIMIT:g} s); exit {code}"]
    if "Traceback" in stderr or re.search(r"\w+Warning: ", stderr):
        problems.append(f"traceback or Python warning in stderr: {stderr[-500:]!r}")
    lines = [line for line in stderr.splitlines() if line.strip()]
    files = _outputs(out)
    if code == 2:
        if len(lines) != 1 or ": error: " not in lines[0]:
            problems.append(f"exit 2 without a one-line error message: {stderr[-500:]!r}")
        if "internal error" in stderr:
            problems.append(
                f"an internal error (a bug), not a clean refusal: {lines[-1][:300] if lines else ''}"
            )
        if case.outcome == "ok":
            problems.append(f"expected a conversion, got: {stderr.strip()[:300]}")
        if case.error and not re.search(case.error, stderr):
            problems.append(f"error message does not match {case.error!r}: {stderr.strip()[:300]}")
        if files:
            problems.append(f"outputs written despite the error: {[str(f) for f in files]}")
        return problems
    if code != 0:  # the promise: exit 0 with safe output, or exit 2 with one line
        return [*problems, f"exit {code}: {stderr[-500:]!r}"]
    if case.outcome == "error":
        problems.append("expected a clean refusal (exit 2), got a conversion")
    for fmt in FORMATS:
        target = out / f"{stem}{EXTENSIONS[fmt]}"
        if not target.is_file():
            problems.append(f"missing output {target.name}")
            continue
        problems += [f"{fmt}: {p}" for p in scan_output(fmt, target.read_bytes())]
    if case.keeps:
        txt = out / f"{stem}.txt"
        if (
            txt.is_file()
            and case.keeps.lower() not in " ".join(txt.read_text(encoding="utf-8").split()).lower()
        ):
            problems.append(f"the text output lost {case.keeps!r}")
    problems += canary_problems(files, env)
    return problems


def canary_problems(files: list[Path], env: Env) -> list[str]:
    problems: list[str] = []
    token = env.token.encode()
    for f in files:
        data = f.read_bytes()
        if any(token in blob for blob in blobs(data)):
            problems.append(f"canary content in {f.name}")
        if CANARY_SIZE in set(image_sizes(data)):
            problems.append(f"the canary image is in {f.name}")
    return problems


def judge_check(code: int | None, stdout: str, stderr: str, seconds: float, env: Env) -> list[str]:
    problems: list[str] = []
    if code is None or seconds > TIME_LIMIT:
        return [f"check took {seconds:.1f} s (limit {TIME_LIMIT:g} s); exit {code}"]
    if "Traceback" in stderr or "Traceback" in stdout:
        problems.append(f"traceback: {stderr[-500:]!r}")
    if code not in (0, 1, 2):
        problems.append(f"check exited {code}")
    if code == 2 and not (stdout.strip() or stderr.strip()):
        problems.append("check exited 2 without a message")
    if "internal error" in stderr:
        problems.append(f"check: internal error: {stderr.strip()[-300:]}")
    if env.token in stdout or env.token in stderr:
        problems.append("canary content in check's report")
    return problems
