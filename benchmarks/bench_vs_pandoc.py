"""HTML -> EPUB and HTML -> DOCX: briefconvert against pandoc 3.9 doing the
same conversion, side by side in one run (wall time of the whole command,
start-up included; medians over several runs and their ratio, and the best run
of each, the figure least disturbed by other work on a shared machine).

pandoc comes from the PyPI ``pypandoc-binary`` package, a benchmark-only
dependency (``pip install -e '.[bench]'``).

    .venv/bin/python benchmarks/bench_vs_pandoc.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "fixtures" / "brief" / "brief.html"


def article(target_bytes: int) -> str:
    """A think-tank article page of about ``target_bytes``: the sample brief
    with its body sections repeated (numbered so headings stay distinct)."""
    html = BRIEF.read_text(encoding="utf-8")
    start = html.index('<div class="publication-body">') + len('<div class="publication-body">')
    end = html.index("</div>", html.index('<h2 id="recommendations">'))
    body = html[start:end]
    parts, n = [], 0
    while sum(map(len, parts)) + len(html) < target_bytes:
        n += 1
        parts.append(re.sub(r'id="([^"]+)"', rf'id="\1-{n}"', body).replace("</h2>", f" ({n})</h2>"))
    return html[:start] + "".join(parts) + html[end:]


# What users get after a pip install: compiled bytecode (.pyc) is used and
# written (a shell with PYTHONDONTWRITEBYTECODE=1 would recompile every module
# on every run and measure the compiler, not briefconvert).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_pair(a: list[str], b: list[str], repeat: int) -> tuple[float, float, float, float]:
    """Median and best wall times of two commands (a median, b median, a best,
    b best), run alternately so that both meet the same load on a shared
    machine.  The best of n is the least disturbed by other work."""
    for cmd in (a, b):
        subprocess.run(cmd, check=True, capture_output=True, env=ENV)  # warm-up (disk cache, .pyc)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for cmd, out in ((a, times[0]), (b, times[1])):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=ENV)
            out.append(time.perf_counter() - t)
    return statistics.median(times[0]), statistics.median(times[1]), min(times[0]), min(times[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    try:
        import pypandoc
    except ImportError:
        print("pandoc is needed: pip install -e '.[bench]' (PyPI pypandoc-binary)", file=sys.stderr)
        return 2
    pandoc = pypandoc.get_pandoc_path()
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    ours = [str(Path(sys.executable).with_name("briefconvert"))]  # the console script users run
    print(f"{version}; briefconvert from {ROOT}")
    print(
        f"{'input':<24} {'to':<5} {'pandoc s':>9} {'ours s':>7} {'ratio':>6}   "
        f"best of n: {'pandoc':>7} {'ours':>6} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for png in BRIEF.parent.glob("*.png"):
            (folder / png.name).write_bytes(png.read_bytes())
        pages = []
        for name, size in (("article-100KB", 100_000), ("article-2MB", 2_000_000)):
            page = folder / f"{name}.html"
            page.write_text(article(size), encoding="utf-8")
            pages.append((name, size, page))
        wiki = ROOT.parent / "shared" / "corpus" / "real" / "html" / "readability-wikipedia-3" / "source.html"
        if wiki.exists():  # a real web page: 283 KB of markup around the article
            pages.insert(1, ("wikipedia-page", wiki.stat().st_size, wiki))
        for name, size, page in pages:
            for fmt in ("epub", "docx"):
                repeat = min(args.repeat, 3) if size > 1_000_000 else args.repeat
                out_p, out_b = folder / f"p.{fmt}", folder / f"b.{fmt}"
                theirs, mine, theirs_best, mine_best = timed_pair(
                    [pandoc, "-f", "html", "-t", "epub3" if fmt == "epub" else fmt, str(page),
                     "--resource-path", str(folder), "-o", str(out_p)],
                    [*ours, str(page), "--to", fmt, "-o", str(out_b), "-q", "--max-elements", "200000"],
                    repeat,
                )  # fmt: skip
                label = f"{name} ({page.stat().st_size // 1024} KB)"
                print(
                    f"{label:<24} {fmt:<5} {theirs:9.2f} {mine:7.2f} {theirs / mine:5.2f}x   "
                    f"{'':11}{theirs_best:7.2f} {mine_best:6.2f} {theirs_best / mine_best:5.2f}x"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
