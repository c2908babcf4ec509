"""Speed and memory of the PDF reader against raw pypdf text extraction,
measured in the same run (the machines are shared and noisy: compare ratios,
not absolute times).

* A text report of N pages (headings, paragraphs, a running header and page
  numbers, embedded fonts) is rendered by LibreOffice from generated HTML
  (without LibreOffice: written directly with standard fonts).
* Timed on it: ``pypdf.PdfReader(...).pages[i].extract_text()`` for every
  page; ``read_pdf``; ``read_pdf`` + transforms + ``write_epub``.  The ratio
  to raw pypdf is printed; the issue asks for at most 2x for PDF -> EPUB.
* Time per page at 50, 100 and 200 pages (linear in pages).
* Peak memory (maximum resident set) of ``read_pdf`` on a 500-page PDF of
  distinct pages, in a child process; the issue asks for under 300 MB.

    .venv/bin/python benchmarks/bench_pdf.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_VOCABULARY = (
    "policy regional budget investment resilience water climate energy market union member state reform "
    "agency report analysis evidence growth transition public private sector capacity funding programme "
    "authority framework objective outcome risk assessment measure implementation governance review"
)
WORDS = _VOCABULARY.split(" ")


def _sentence(i: int) -> str:
    words = [WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(8 + i % 9)]
    return " ".join(words).capitalize() + "."


def report_html(pages: int) -> str:
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Benchmark report</title>",
        "<style>body{font-family:'Liberation Serif';font-size:11pt} h2{font-size:15pt} h3{font-size:12.5pt}"
        "</style></head><body><h1>Benchmark report</h1>",
    ]
    n = 0
    for section in range(pages):
        parts.append(f"<h2>Section {section + 1}</h2>")
        for sub in range(2):
            parts.append(f"<h3>Part {section + 1}.{sub + 1}</h3>")
            for _ in range(3):
                parts.append("<p>" + " ".join(_sentence(n + k) for k in range(6)) + "</p>")
                n += 6
    parts.append("</body></html>")
    return "".join(parts)


def make_report(pages: int, workdir: Path) -> bytes:
    """A report of about ``pages`` pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is not None:
        src = workdir / "report.html"
        src.write_text(report_html(int(pages * 1.25) + 5), encoding="utf-8")  # about 0.85 page per section
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{workdir}/profile",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(workdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        return _trim((workdir / "report.pdf").read_bytes(), pages)
    return _plain_report(pages)


def _trim(data: bytes, pages: int) -> bytes:
    """Exactly ``pages`` pages, repeating the document if it is shorter."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    count = len(reader.pages)
    for i in range(pages):
        writer.add_page(reader.pages[i % count])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _plain_report(pages: int) -> bytes:
    """Fallback without LibreOffice: standard fonts, one content stream per page."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    n = 0
    for p in range(pages):
        ops = [
            b"BT /F1 8 Tf 56 810 Td (Benchmark report) Tj ET",
            b"BT /F1 14 Tf 56 780 Td (Section %d) Tj ET" % p,
        ]
        y = 750.0
        while y > 80:
            text = " ".join(_sentence(n + k) for k in range(2))[:95]
            n += 2
            ops.append(b"BT /F1 10 Tf 56 %.1f Td (%s) Tj ET" % (y, text.encode("latin-1")))
            y -= 13
        ops.append(b"BT /F1 9 Tf 290 40 Td (%d) Tj ET" % (p + 1))
        data = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ------------------------------------------------------------------- timing


def raw_pypdf(data: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return sum(len(page.extract_text()) for page in reader.pages)


def read(data: bytes) -> object:
    from briefconvert.diagnostics import Report
    from briefconvert.readers.pdf import PdfReaderOptions, read_pdf

    return read_pdf(data, base=None, options=PdfReaderOptions(max_pages=10_000), report=Report())


def to_epub(data: bytes) -> bytes:
    from briefconvert import transforms
    from briefconvert.diagnostics import Report
    from briefconvert.model import Document
    from briefconvert.options import EpubWriterOptions
    from briefconvert.writers.epub import write_epub

    report = Report()
    doc = read(data)
    assert isinstance(doc, Document)
    return write_epub(transforms.apply(doc, report), options=EpubWriterOptions(), report=report).data


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def child_memory(path: str) -> None:
    import resource

    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read(data)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{before / 1024:.1f} {after / 1024:.1f}")  # KiB -> MiB (Linux)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-pages", type=int, default=500)
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory:
        child_memory(args.child_memory)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = make_report(max(args.pages, 200, args.memory_pages), work)
        data = _trim(base, args.pages)
        read(_trim(base, 2))  # warm up imports
        raw_pypdf(_trim(base, 2))
        raw = median_time(lambda: raw_pypdf(data), args.repeat)
        ours = median_time(lambda: read(data), args.repeat)
        epub = median_time(lambda: to_epub(data), args.repeat)
        print(f"{args.pages}-page text report ({len(data) // 1024} KiB)")
        print(f"  raw pypdf extract_text: {raw * 1000:8.0f} ms")
        print(f"  read_pdf:               {ours * 1000:8.0f} ms   ratio {ours / raw:.2f}x")
        print(f"  read_pdf + EPUB:        {epub * 1000:8.0f} ms   ratio {epub / raw:.2f}x")
        print("time per page (read_pdf):")
        for n in (50, 100, 200):
            sample = _trim(base, n)
            t = median_time(lambda sample=sample: read(sample), max(1, args.repeat - 1))
            print(f"  {n:4d} pages: {t * 1000 / n:6.1f} ms/page")
        big = work / "big.pdf"
        big.write_bytes(_trim(base, args.memory_pages))
        out = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(big)], check=True, capture_output=True, text=True
        ).stdout.split()
        print(
            f"peak memory, read_pdf on {args.memory_pages} pages: {float(out[1]):.0f} MB "
            f"(interpreter and imports before reading: {float(out[0]):.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
