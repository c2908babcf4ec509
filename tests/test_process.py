"""Process tuning of the command line: collector thresholds during a
conversion, and the quick exit that must lose nothing."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from briefconvert.process import conversion_gc


def test_conversion_gc_raises_the_threshold_and_restores_it() -> None:
    before = gc.get_threshold()
    with conversion_gc():
        inside = gc.get_threshold()
        assert inside[0] >= 50_000 and inside[1:] == before[1:]
    assert gc.get_threshold() == before
    try:
        with conversion_gc():
            raise KeyError
    except KeyError:
        pass
    assert gc.get_threshold() == before


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_exit_now_flushes_the_streams_and_keeps_the_code() -> None:
    r = _python(
        "import sys; from briefconvert.process import exit_now\n"
        "sys.stdout.write('no newline at the end'); sys.stderr.write('and on stderr')\n"
        "exit_now(3)"
    )
    assert (r.returncode, r.stdout, r.stderr) == (3, "no newline at the end", "and on stderr")


def test_exit_now_waits_for_other_threads(tmp_path: Path) -> None:
    """With another thread alive the interpreter exits normally, so the
    thread finishes its work (os._exit would cut it off)."""
    out = tmp_path / "written-by-the-thread"
    r = _python(
        "import threading, time; from briefconvert.process import exit_now\n"
        f"def work():\n    time.sleep(0.3); open({str(out)!r}, 'w').write('done')\n"
        "threading.Thread(target=work).start()\n"
        "exit_now(0)"
    )
    assert r.returncode == 0, r.stderr
    assert out.read_text() == "done"


def test_console_script_output_is_complete_through_a_pipe(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html lang="en"><title>T</title><body>'
        + "".join(f"<p>paragraph {i}</p>" for i in range(3000))
        + "</body></html>"
    )
    r = subprocess.run(
        [sys.executable, "-m", "briefconvert", str(page), "--to", "txt", "-o", "-"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith("paragraph 2999")
    assert r.stdout.count("paragraph ") == 3000


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html lang='en'><title>T</title>" + "<p>line</p>" * 20000 + "</html>")
    cmd = f"{sys.executable} -m briefconvert {page} --to txt -o - | head -c 4"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert len(r.stdout) == 4
    assert "Traceback" not in r.stderr


def test_worker_gc_freezes_what_is_alive_and_raises_the_threshold() -> None:
    r = _python(
        "import gc; from briefconvert.process import worker_gc\n"
        "before = gc.get_threshold(); worker_gc()\n"
        "after = gc.get_threshold()\n"
        "print(gc.get_freeze_count() > 1000, after[0] >= 50_000, after[1:] == before[1:])"
    )
    assert r.stdout.split() == ["True", "True", "True"], r.stderr
