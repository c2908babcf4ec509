"""Hostile inputs through the real ``briefconvert`` command in a sandboxed
subprocess: the bombs and the FIFO (which only run here, under a memory
limit and a hard 10 s limit that kills the process group) and one
representative case of every other class.

The sandbox, from the inside out: an audit hook (``sitecustom/``) records
and refuses network and process use and records reads of the canary folder
and writes outside the output folder; ``strace`` (when it works here)
records every connect, exec and open at the system-call level, which also
sees C code; ``unshare -rn`` (when it works here) leaves the process no
network at all; fake ``jbig2dec``/``gs`` programs first on PATH record
whether anything ran them.  ``test_the_sandbox_sees_violations`` proves
that each witness does see what it is meant to see.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .harness import (
    Listener,
    changes,
    judge_check,
    judge_convert,
    params,
    run_cli,
    snapshot,
    strace_works,
    unshare_works,
)
from .inputs import Case, Env, all_cases

pytestmark = pytest.mark.slow


def _subset() -> list[Case]:
    """Every isolated case, the first case of each class, and the cases
    whose point is what happens outside Python (entities, files, programs)."""
    chosen: dict[str, Case] = {}
    seen: set[str] = set()
    wanted = {
        "xxe-file-entity", "external-dtd-and-xinclude", "local-file-references", "remote-references",
        "jbig2-image-needs-an-external-decoder", "launch-and-file-actions", "symlinked-image-folder",
    }  # fmt: skip
    for c in all_cases():
        if c.isolate or c.name in wanted or c.cls not in seen:
            chosen[c.id] = c
        seen.add(c.cls)
    return list(chosen.values())


SUBSET = _subset()


@pytest.mark.parametrize("case", params(SUBSET, "convert"))
def test_convert_in_a_sandbox(case: Case, sandbox: Env, listener: Listener) -> None:
    env = sandbox
    path = case.build(env)
    out = env.root / "work" / "out"
    before = snapshot(env.root, out)
    hits = len(listener.hits)
    run = run_cli([str(path), "--to", "html,epub,docx,txt", "-o", f"{out}/", *case.args], env, out)
    problems = judge_convert(case, run.code, run.stderr, run.seconds, out, env, path.stem)
    problems += run.events + _changes(before, env, out) + listener.hits[hits:]
    assert problems == [], f"{case.id}: exit {run.code}, {run.seconds:.1f} s\n" + "\n".join(problems)


@pytest.mark.parametrize("case", params([c for c in SUBSET if c.check], "check"))
def test_check_in_a_sandbox(case: Case, sandbox: Env, listener: Listener) -> None:
    env = sandbox
    path = case.build(env)
    out = env.root / "work" / "out"
    before = snapshot(env.root, out)
    hits = len(listener.hits)
    run = run_cli(["check", str(path)], env, out)
    problems = judge_check(run.code, run.stdout.decode("utf-8", "replace"), run.stderr, run.seconds, env)
    problems += run.events + _changes(before, env, out) + listener.hits[hits:]
    assert problems == [], f"{case.id}: check exit {run.code}, {run.seconds:.1f} s\n" + "\n".join(problems)


def _changes(before: dict[str, tuple[int, int]], env: Env, out: Path) -> list[str]:
    """Changes outside the output folder, less the sandbox's own logs."""
    own = {str(env.root / n) for n in ("audit.log", "strace.log", "programs.log", "bin")}
    return [c for c in changes(before, snapshot(env.root, out)) if not any(o in c for o in own)]


# ------------------------------------------------------------ the sandbox itself


_MISBEHAVE = """
import os, socket, subprocess, sys
secret, port = sys.argv[1], int(sys.argv[2])
try:
    socket.create_connection(("127.0.0.1", port), timeout=1)
except OSError:
    pass
try:
    subprocess.run(["jbig2dec", "--version"], check=False)
except OSError:
    pass
try:
    open(os.path.join(secret, "canary.txt")).read()
except OSError:
    pass
open("stray.txt", "w").write("x")
"""


def test_the_sandbox_sees_violations(sandbox: Env) -> None:
    """A program that connects, runs jbig2dec, reads the canary and writes
    outside the output folder is caught by every witness available here."""
    env = sandbox
    out = env.root / "work" / "out"
    before = snapshot(env.root, out)
    run = run_cli([str(env.secret), str(env.port)], env, out, program=[sys.executable, "-c", _MISBEHAVE])
    joined = "\n".join(run.events)
    assert "network: socket." in joined
    assert "process: subprocess.Popen" in joined
    assert "read outside the input folder" in joined
    assert "write outside the output folder" in joined
    if strace_works():
        assert "strace: openat" in joined and "canary.txt" in joined
        assert "strace: write" in joined and "stray.txt" in joined
    assert any("stray.txt" in c for c in _changes(before, env, out))


def test_the_sandbox_has_no_network_where_unshare_works(sandbox: Env, listener: Listener) -> None:
    """Under ``unshare -rn`` a connection fails even without the audit hook
    (``python -S`` skips sitecustomize): C code cannot reach the network either."""
    if not unshare_works():
        pytest.skip("unshare -rn does not work here: the audit hook is the only network guard")
    code = (
        "import socket, sys\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1)\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
    )
    out = sandbox.root / "work" / "out"
    run = run_cli([str(listener.port)], sandbox, out, program=[sys.executable, "-S", "-c", code])
    assert run.stdout.startswith(b"refused"), run.stdout
