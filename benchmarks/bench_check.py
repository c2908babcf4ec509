"""Start-up and wall time of ``briefconvert check``, measured as a user sees
it (a new process each run), against a bare ``python -c pass`` measured in the
same run (the machines are shared and noisy: compare ratios).

    .venv/bin/python benchmarks/bench_check.py [--repeat N] [--importtime]

The issue's target: ``briefconvert check`` on one small HTML file in under
0.5 s wall.  ``--importtime`` also prints the ten slowest imports of that
run (python -X importtime), to see where the time goes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGET = 0.5  # seconds, for one small HTML file


def environment(bytecode: bool) -> dict[str, str]:
    """The environment of the measured runs: with ``bytecode``, Python may
    write and use .pyc caches, as in an installed package (pip compiles them
    at install time); without, every module is compiled from source each run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def walls(cases: list[tuple[list[str], dict[str, str]]], repeat: int) -> list[tuple[float, float]]:
    """Median wall and CPU (user + system) time of each (command, environment)
    over ``repeat`` rounds, after one warm-up round; the commands take turns
    within each round, so that a change in the machine's load touches them all
    alike.  CPU time is what the wall time would be on an idle machine."""
    times: list[list[tuple[float, float]]] = [[] for _ in cases]
    for round_ in range(repeat + 1):
        for i, (cmd, env) in enumerate(cases):
            t, c = time.perf_counter(), _cpu()
            proc = subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT, env=env)
            if round_:
                times[i].append((time.perf_counter() - t, _cpu() - c))
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return [(statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for t in times]


def slowest_imports(cmd: list[str], n: int = 10) -> list[tuple[float, str]]:
    """The ``n`` imports with the largest cumulative time (ms) in one run of ``cmd``."""
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(True),
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 3:  # top-level and first-level imports only
            rows.append((int(m.group(2)) / 1000, m.group(4)))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15, help="runs per command (median; default 15)")
    ap.add_argument("--importtime", action="store_true", help="show the slowest imports of a check")
    args = ap.parse_args()

    py = sys.executable
    exe = [py, "-m", "briefconvert"]
    brief = ROOT / "fixtures" / "brief" / "brief.html"
    cases: list[tuple[str, list[str]]] = [
        ("python -c pass", [py, "-c", "pass"]),
        ("briefconvert --version", [*exe, "--version"]),
        ("briefconvert check --list-rules", [*exe, "check", "--list-rules"]),
        (f"briefconvert check {brief.relative_to(ROOT)}", [*exe, "check", "--no-config", str(brief)]),
    ]
    corpus = sorted((SHARED / "corpus" / "generated").glob("*/source.html"))[:1]
    for page in corpus:
        name = f"corpus/{page.parent.name}/{page.name}"
        cases.append((f"briefconvert check {name}", [*exe, "check", "--no-config", str(page)]))

    env = environment(bytecode=True)
    runs = [(cmd, env) for _, cmd in cases] + [(cases[3][1], environment(bytecode=False))]
    labels = [label for label, _ in cases] + [f"{cases[3][0]} (no .pyc caches)"]
    results = list(zip(labels, walls(runs, args.repeat), strict=True))
    bare = results[0][1][0]
    width = max(len(label) for label, _ in results)
    header = f"{'command':<{width}}  {'wall ms':>7}  {'x python':>8}  {'cpu ms':>6}"
    print(f"{header}   (medians of {args.repeat} rounds)")
    for label, (seconds, cpu) in results:
        print(f"{label:<{width}}  {seconds * 1e3:7.0f}  {seconds / bare:8.1f}  {cpu * 1e3:6.0f}")
    check_brief = results[3][1][0]
    verdict = "within" if check_brief < TARGET else "OVER"
    print(f"check of one small HTML file: {check_brief:.3f} s, {verdict} the {TARGET} s target")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set in this shell; it was removed for all but the last row)")
    if args.importtime or check_brief >= TARGET:
        print("\nslowest imports of that check (cumulative ms, python -X importtime):")
        for ms, module in slowest_imports(cases[3][1]):
            print(f"  {ms:8.1f}  {module}")


if __name__ == "__main__":
    main()
