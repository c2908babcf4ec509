"""Speed of HTML -> HTML conversion against a bare lxml.html parse of the same
file, measured in the same run (the machines are shared and noisy: compare
ratios, not absolute times), plus CLI start-up against a bare interpreter.

    .venv/bin/python benchmarks/bench_html.py [--repeat N] [FILES...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def default_files() -> list[Path]:
    files = [ROOT / "fixtures" / "brief" / "brief.html"]
    files += sorted(SHARED.glob("generated/*/source.html"))[:1]
    files += sorted(SHARED.glob("real/html/*/source.html"))
    return [f for f in files if f.exists()]


def median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up (imports, caches)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def startup(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    import lxml.html

    import briefconvert

    print(f"{'file':<48} {'KB':>6} {'lxml ms':>8} {'convert ms':>10} {'ratio':>6}")
    ratios = []
    for f in args.files or default_files():
        data = f.read_bytes()
        parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        base = median_time(lambda d=data, p=parser: lxml.html.document_fromstring(d, parser=p), args.repeat)  # type: ignore[misc]
        conv = median_time(lambda f=f: briefconvert.convert(f, to="html"), args.repeat)  # type: ignore[misc]
        ratios.append(conv / base)
        name = f"{f.parent.name}/{f.name}"
        print(f"{name:<48} {len(data) / 1024:6.1f} {base * 1e3:8.2f} {conv * 1e3:10.2f} {conv / base:6.1f}x")
    print(f"median ratio convert/parse: {statistics.median(ratios):.1f}x over {len(ratios)} files")

    exe = [sys.executable, "-m", "briefconvert"]
    bare = startup([sys.executable, "-c", "pass"], 7)
    version = startup([*exe, "--version"], 7)
    print(f"start-up: python -c pass {bare * 1e3:.0f} ms; briefconvert --version {version * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
