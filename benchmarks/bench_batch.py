"""Batch throughput: ``--jobs 2`` against ``--jobs 1`` in the same run.

The inputs are the good part of the acceptance catalogue (batch_acceptance.py:
HTML and PDF from fixtures/ and ../shared/corpus, about 40% PDF).  Each
measurement is a whole ``briefconvert batch`` command into a fresh output
folder (start-up, planning, pool, conversion, report: what a user waits
for).  The machine is shared and noisy, so runs alternate (1, 2, 2, 1, ...)
the ratio of each pair is taken.  The issue asks for a ratio of at least 1.7
on this 2-core machine; the outputs of both must be byte-identical.

What the machine itself allows is measured between the runs too: a pure-CPU
loop run alone, then two copies at once (``machine speedup`` = 2 x alone /
two-at-once), before and after each pair.  On an idle 2-core machine it is
about 2; when other work holds the cores it drops, and no parallel program
can beat it.  The verdict is taken on the pairs run while the machine was
quiet (speedup >= 1.8 on both sides), or on all pairs if none was.

    .venv/bin/python benchmarks/bench_batch.py [--inputs 150] [--pairs 6]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from batch_acceptance import make_inputs, tree

TARGET = 1.7
SPIN = """
import time
t = time.perf_counter()
x = 0
for i in range(12_000_000):
    x += i * i % 7
print(time.perf_counter() - t)
"""


def machine_speedup() -> float:
    """2 x (a CPU-bound loop alone) / (two copies at once): what 2 processes can gain now."""
    alone = float(subprocess.run([sys.executable, "-c", SPIN], capture_output=True, check=True).stdout)
    pair = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE) for _ in range(2)]
    both = max(float(p.communicate()[0]) for p in pair)
    return 2 * alone / both


@dataclass(frozen=True)
class Measure:
    wall: float  # the whole command
    busy: float  # sum of the per-document seconds in the report


def one_run(root: Path, out: Path, jobs: int) -> Measure:
    command = [
        sys.executable, "-m", "briefconvert", "batch", str(root), "--to", "html,epub",
        "--out-dir", str(out), "--jobs", str(jobs), "-q",
    ]  # fmt: skip
    start = time.monotonic()
    proc = subprocess.run(command, capture_output=True, check=False)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"--jobs {jobs} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    lines = [json.loads(x) for x in (out / "briefconvert-report.jsonl").read_bytes().splitlines()]
    return Measure(wall, sum(x["seconds"] for x in lines if x["type"] == "input"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=150)
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--quiet-machine", type=float, default=1.8, help="machine speedup that counts as quiet")
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        inputs = make_inputs(work, args.inputs, broken_share=0.0)
        n = len(inputs.good)
        print(f"{n} inputs ({sum(k.endswith('.pdf') for k in inputs.good)} PDF), to html+epub, {cores} cores")
        runs: dict[int, list[Measure]] = {1: [], 2: []}
        pairs: list[tuple[float, float]] = []  # (ratio, the lower machine speedup around the pair)
        outputs: dict[int, dict[str, bytes]] = {}
        before = machine_speedup()
        for r in range(args.pairs):
            for jobs in (1, 2) if r % 2 == 0 else (2, 1):
                out = work / f"out-{jobs}-{r}"
                runs[jobs].append(one_run(inputs.root, out, jobs))
                outputs.setdefault(jobs, tree(out))
                shutil.rmtree(out)
            after = machine_speedup()
            one, two = runs[1][-1], runs[2][-1]
            pairs.append((one.wall / two.wall, min(before, after)))
            print(
                f"  pair {r + 1}: --jobs 1 {one.wall:6.2f} s, --jobs 2 {two.wall:6.2f} s, "
                f"ratio {one.wall / two.wall:.2f}x; machine speedup around it {before:.2f}x, {after:.2f}x"
            )
            before = after
        med = {j: statistics.median(m.wall for m in ms) for j, ms in runs.items()}
        ratio = statistics.median(r for r, _ in pairs)
        allowed = statistics.median(m for _, m in pairs)
        quiet = [r for r, m in pairs if m >= args.quiet_machine]
        busy = {j: statistics.median(m.busy / (j * m.wall) for m in ms) for j, ms in runs.items()}
        same = outputs[1] == outputs[2]
        print(f"median --jobs 1: {med[1]:.2f} s ({n / med[1]:.1f} docs/s)")
        print(f"median --jobs 2: {med[2]:.2f} s ({n / med[2]:.1f} docs/s)")
        print(f"throughput ratio --jobs 2 / --jobs 1, median of the pairs: {ratio:.2f}x")
        print(f"machine speedup of 2 CPU-bound processes over 1, median: {allowed:.2f}x")
        if quiet:
            shown = ", ".join(f"{r:.2f}x" for r in quiet)
            print(
                f"pairs with a quiet machine (speedup >= {args.quiet_machine}x around them): "
                f"{len(quiet)}, median ratio {statistics.median(quiet):.2f}x ({shown})"
            )
        else:
            print(f"no pair ran on a quiet machine (speedup >= {args.quiet_machine}x around it)")
        print(
            f"workers busy converting, share of the wall time: --jobs 1 {busy[1]:.0%}, --jobs 2 {busy[2]:.0%}"
        )
        print(f"outputs of --jobs 1 and --jobs 2 byte-identical: {same}")
        judged = statistics.median(quiet) if quiet else ratio
        ok = judged >= TARGET and same
        basis = "quiet pairs" if quiet else "all pairs (the machine was never quiet)"
        print(f"{'PASS' if ok else 'FAIL'}: target {TARGET}x, judged on {basis}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
