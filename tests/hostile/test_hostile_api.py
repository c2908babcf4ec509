"""Every hostile input through the CLI's ``main()`` in this process:
``briefconvert FILE --to html,epub,docx,txt -o OUT/`` and ``briefconvert
check FILE``.  Each must end within 10 s with exit 0/1 and safe outputs, or
exit 2 and a one-line message; no traceback, no canary in any output, no
network, no external program, no read of the canary folder, nothing written
outside the output folder.

Sockets are blocked by pytest-socket and an audit hook records (and
refuses) network and process use; a local listener stands in for the
remote host the inputs point at, so that even a connection made by C code
(libxml2) would be seen.  Bombs and the FIFO run in ``test_hostile_cli.py``
only (memory-limited, killable subprocesses).
"""

from __future__ import annotations

import time

import pytest

from briefconvert.cli import main

from .harness import Listener, changes, judge_check, judge_convert, params, snapshot, witness
from .inputs import Case, Env, all_cases

CASES = [c for c in all_cases() if not c.isolate]


@pytest.mark.parametrize("case", params(CASES, "convert"))
def test_convert(case: Case, sandbox: Env, listener: Listener, capsys: pytest.CaptureFixture[str]) -> None:
    env = sandbox
    path = case.build(env)
    out = env.root / "work" / "out"
    before = snapshot(env.root, out)
    hits = len(listener.hits)
    # --timeout is a safety net so that a regression fails instead of hanging
    # the suite; the case must end well within TIME_LIMIT anyway.
    args = [str(path), "--to", "html,epub,docx,txt", "-o", f"{out}/", "--timeout", "30", *case.args]
    with witness(env, out) as events:
        start = time.perf_counter()
        code = main(args)
        seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    problems = judge_convert(case, code, err, seconds, out, env, path.stem)
    problems += events + changes(before, snapshot(env.root, out)) + listener.hits[hits:]
    assert problems == [], f"{case.id}: exit {code}, {seconds:.1f} s\n" + "\n".join(problems)


@pytest.mark.parametrize("case", params([c for c in CASES if c.check], "check"))
def test_check(case: Case, sandbox: Env, listener: Listener, capsys: pytest.CaptureFixture[str]) -> None:
    env = sandbox
    path = case.build(env)
    out = env.root / "work" / "out"  # check writes nothing at all
    before = snapshot(env.root, out)
    hits = len(listener.hits)
    with witness(env, out) as events:
        start = time.perf_counter()
        code = main(["check", str(path)])
        seconds = time.perf_counter() - start
    captured = capsys.readouterr()
    problems = judge_check(code, captured.out, captured.err, seconds, env)
    problems += events + changes(before, snapshot(env.root, out)) + listener.hits[hits:]
    assert not out.exists(), "check wrote files"
    assert problems == [], f"{case.id}: check exit {code}, {seconds:.1f} s\n" + "\n".join(problems)


def test_the_witness_sees_violations(sandbox: Env) -> None:
    """What the in-process witness is for: it records (and refuses) network
    and process use, reads of the canary folder and writes outside ``out``."""
    import socket
    import subprocess

    env = sandbox
    out = env.root / "work" / "out"
    with witness(env, out) as events:
        with pytest.raises(Exception, match=r"(?i)socket|network"):
            socket.create_connection(("127.0.0.1", env.port), timeout=1)
        with pytest.raises(PermissionError):
            subprocess.run(["true"], check=False)
        env.canary.read_text(encoding="utf-8")
        (env.root / "work" / "stray.txt").write_text("x", encoding="utf-8")
    joined = "\n".join(events)
    assert "network: socket." in joined
    assert "process: subprocess.Popen" in joined
    assert f"read outside the input folder: {env.canary}" in joined
    assert "write outside the output folder" in joined and "stray.txt" in joined
