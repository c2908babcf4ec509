"""Speed of the DOCX writer on synthetic briefs of about 100 KB and 2 MB of
text (many sections, paragraphs with inline formatting, links and notes,
lists, tables), median of several runs; and, when pandoc is available (PyPI
``pypandoc-binary``, a benchmark-only dependency, or ``pandoc`` on PATH),
pandoc converting the same document rendered as HTML to DOCX, in the same
run, with the ratio.  The machines are shared and noisy: compare ratios.

    .venv/bin/python benchmarks/bench_docx.py [--repeat N] [--sizes 100,2000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Block,
    BulletList,
    Cell,
    Document,
    Emph,
    Heading,
    Inline,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Row,
    Strong,
    Table,
    Text,
)
from briefconvert.options import DocxWriterOptions, HtmlWriterOptions
from briefconvert.walk import plain_text
from briefconvert.writers.docx import write_docx

WORDS = [
    "flexibility",
    "demand",
    "response",
    "aggregators",
    "network",
    "tariffs",
    "capacity",
    "markets",
    "member",
    "states",
    "regulators",
    "households",
    "consumers",
    "prices",
    "peak",
    "storage",
    "interconnectors",
    "renewables",
    "grid",
    "operators",
    "balancing",
    "services",
    "investment",
    "signals",
    "retail",
    "wholesale",
    "efficiency",
]


def _sentence(seed: int, n: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n)).capitalize() + ". "


def _paragraph(seed: int) -> Paragraph:
    content: list[Inline] = [Text(_sentence(seed, 24)), Emph((Text(_sentence(seed + 1, 6)),))]
    content.append(Text(_sentence(seed + 2, 20)))
    if seed % 3 == 0:
        content.append(Link((Text("the regulator's report"),), f"https://example.org/r/{seed % 50}"))
    if seed % 4 == 0:
        content.append(Note((Paragraph((Text(_sentence(seed + 3, 12)),)),)))
    content += [Strong((Text(_sentence(seed + 4, 5)),)), Text(_sentence(seed + 5, 30))]
    return Paragraph(tuple(content))


def _table(seed: int) -> Table:
    head = (Row(tuple(Cell((Paragraph((Text(f"Column {c}"),)),), header=True) for c in range(4))),)
    body = tuple(
        Row(
            tuple(
                Cell((Paragraph((Text(f"{seed}.{r}.{c} {WORDS[(r + c) % len(WORDS)]}"),)),)) for c in range(4)
            )
        )
        for r in range(5)
    )
    return Table(head, (body,), caption=(Text(f"Table {seed}: figures"),))


def _section(n: int) -> list[Block]:
    blocks: list[Block] = [Heading(2, (Text(f"Section {n}: {WORDS[n % len(WORDS)]}"),))]
    blocks += [_paragraph(n * 10 + i) for i in range(3)]
    blocks.append(BulletList(tuple(ListItem((Paragraph((Text(_sentence(n + i, 10)),)),)) for i in range(4))))
    blocks.append(Heading(3, (Text(f"Subsection {n}.1"),)))
    blocks += [_paragraph(n * 10 + 5 + i) for i in range(2)]
    blocks.append(
        OrderedList(tuple(ListItem((Paragraph((Text(_sentence(n * 2 + i, 8)),)),)) for i in range(3)))
    )
    if n % 2 == 0:
        blocks.append(_table(n))
    return blocks


def synthetic(target_bytes: int) -> Document:
    """A brief with about ``target_bytes`` of text (notes included)."""
    per_section = len(plain_text(tuple(_section(1)), notes=True).encode())
    sections = max(1, round(target_bytes / per_section))
    blocks = tuple(b for n in range(sections) for b in _section(n))
    return Document(
        Meta(title="Synthetic brief", lang="en-GB", authors=("Bench Mark",), date="2025-01-01"), blocks
    )


def median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def pandoc_path() -> str | None:
    try:
        import pypandoc  # benchmark-only dependency

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return shutil.which("pandoc")


def html_of(doc: Document) -> bytes | None:
    try:
        from briefconvert.writers.html import write_html
    except ImportError:
        return None
    return write_html(doc, options=HtmlWriterOptions(), report=Report()).data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sizes", default="100,2000", help="text sizes in KB")
    args = ap.parse_args()
    pandoc = pandoc_path()
    if pandoc:
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=True)
        print(f"pandoc: {version.stdout.splitlines()[0]} ({pandoc})")
    else:
        print("pandoc: not available (pip install pypandoc-binary for the comparison)")
    header = (
        f"{'text KB':>8} {'html KB':>8} {'docx KB':>8} {'write ms':>9} {'ms/MB text':>11} {'ms/MB html':>11}"
    )
    print(header + (f" {'pandoc ms':>10} {'pandoc/ours':>11}" if pandoc else ""))
    for kb in (int(s) for s in args.sizes.split(",")):
        doc = synthetic(kb * 1000)
        text_mb = len(plain_text(doc.blocks, notes=True).encode()) / 1e6
        html = html_of(doc)
        out = write_docx(doc, options=DocxWriterOptions(), report=Report()).data
        repeat = args.repeat if kb < 1000 else max(3, args.repeat // 2)
        ours = median_time(lambda d=doc: write_docx(d, options=DocxWriterOptions(), report=Report()), repeat)  # type: ignore[misc]
        html_mb = len(html) / 1e6 if html else float("nan")
        line = (
            f"{text_mb * 1000:8.0f} {html_mb * 1000:8.0f} {len(out) / 1000:8.0f} {ours * 1e3:9.0f} "
            f"{ours * 1e3 / text_mb:11.0f} {ours * 1e3 / html_mb:11.0f}"
        )
        if pandoc and html:
            with tempfile.TemporaryDirectory() as tmp:
                src, dst = Path(tmp) / "in.html", Path(tmp) / "out.docx"
                src.write_bytes(html)
                cmd = [pandoc, "-f", "html", "-t", "docx", "-s", str(src), "-o", str(dst)]
                theirs = median_time(lambda c=cmd: subprocess.run(c, check=True, capture_output=True), 3)  # type: ignore[misc]
            line += f" {theirs * 1e3:10.0f} {theirs / ours:10.1f}x"
        print(line)


if __name__ == "__main__":
    main()
