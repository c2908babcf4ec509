"""``--html-report FILE``: a browsable summary page of a batch, built with lxml.

Accessible by construction: a language, a title, one h1 and h2 sections in a
``main`` landmark, data tables with captions and ``th scope``, status told in
words (never by colour alone), links named by their file, no script.  Links
point at the outputs relative to the page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import html
from lxml.html import builder as E

from ..files import write_atomic
from .job import JobResult, Status
from .report import Summary

_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 1rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1a1a1a; background: #fff; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.failed, .timeout { font-weight: bold; }
a { color: #0645ad; }
a:focus { outline: 3px solid #1a1a1a; }
"""


def _table(
    caption: str, head: Sequence[str], rows: Iterable[Sequence[html.HtmlElement | str]]
) -> html.HtmlElement:
    body = E.TBODY()
    for row in rows:
        tr = E.TR()
        for i, cell in enumerate(row):
            if i == 0:
                tr.append(E.TH(cell, scope="row"))
            else:
                td = E.TD(cell)
                if isinstance(cell, str) and cell.replace(".", "", 1).isdigit():
                    td.set("class", "num")
                tr.append(td)
        body.append(tr)
    return E.TABLE(
        E.CAPTION(caption),
        E.THEAD(E.TR(*(E.TH(h, scope="col") for h in head))),
        body,
    )


def _link(page_dir: Path, out_dir: Path, rel: str) -> html.HtmlElement:
    target = os.path.relpath(out_dir / rel, page_dir)
    return E.A(rel, href=Path(target).as_posix())


def build_page(
    summary: Summary, *, out_dir: Path, page_path: Path, title: str = "Batch conversion report"
) -> bytes:
    page_dir = page_path.parent.absolute()
    out_dir = out_dir.absolute()
    counts = [
        ("Inputs", len(summary.results)),
        ("Converted", summary.count(Status.OK)),
        ("Failed", summary.count(Status.FAILED)),
        ("Timed out", summary.count(Status.TIMEOUT)),
        ("Up to date (skipped)", summary.count(Status.SKIPPED) - summary.known_failures),
        ("Failed in an earlier run (skipped)", summary.known_failures),
    ]
    main = E.MAIN(
        E.H1(title),
        E.P(
            f"{len(summary.results)} inputs in {summary.seconds:.1f} seconds"
            + (" (interrupted before the end)." if summary.interrupted else ".")
        ),
        E.H2("Counts"),
        _table("Inputs by status", ("Status", "Inputs"), ((name, str(n)) for name, n in counts)),
    )
    failures = summary.failures
    main.append(E.H2("Failures"))
    if failures:
        main.append(
            _table(
                f"{len(failures)} inputs that produced no output",
                ("Input", "Status", "Error", "Message"),
                (
                    (
                        r.input,
                        str(r.status) if r.previous is None else f"{r.previous} (earlier run)",
                        r.error_class or "",
                        r.error or "",
                    )
                    for r in failures
                ),
            )
        )
    else:
        main.append(E.P("None: every input was converted."))
    slow = [r for r in summary.slowest(10) if r.seconds > 0]
    if slow:
        main.append(E.H2("Slowest documents"))
        main.append(
            _table(
                "The documents that took longest in this run",
                ("Input", "Seconds", "Status"),
                ((r.input, f"{r.seconds:.2f}", str(r.status)) for r in slow),
            )
        )
    common = summary.common_diagnostics(10)
    if common:
        main.append(E.H2("Most common diagnostics"))
        main.append(
            _table(
                "Diagnostics by code, over all inputs", ("Code", "Count"), ((c, str(n)) for c, n in common)
            )
        )
    converted: list[JobResult] = sorted(
        (r for r in summary.results if r.status == Status.OK or r.previous == Status.OK), key=lambda r: r.key
    )
    if converted:
        main.append(E.H2("Outputs"))
        rows = []
        for r in converted:
            links = E.UL(*(E.LI(_link(page_dir, out_dir, o)) for o in r.outputs if "_files/" not in o))
            counts_text = ", ".join(f"{n} {sev}" for sev, n in r.severities) or "none"
            rows.append((r.input, links, counts_text))
        main.append(_table("Outputs of each converted input", ("Input", "Files", "Diagnostics"), rows))
    doc = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.TITLE(title),
            E.STYLE(_CSS),
        ),
        E.BODY(main),
        lang="en",
    )
    out: bytes = html.tostring(doc, doctype="<!DOCTYPE html>", encoding="utf-8", method="html")
    return out + b"\n"


def write_page(summary: Summary, *, out_dir: Path, page_path: Path) -> None:
    write_atomic(page_path, build_page(summary, out_dir=out_dir, page_path=page_path))
