"""Evaluate the PDF reader on the shared corpus (a script, not a test).

For every PDF in ``corpus/generated/*/`` (truth.json beside it: headings with
levels, figures' alt text, reading-order first words, ``renderings`` per PDF)
and ``corpus/real/pdf/*.pdf`` (truth in ``corpus/real/truth/<stem>.json``) it
reads the PDF and reports, per file and per kind (tagged, untagged with an
outline, untagged without one, real):

* headings, scored the way the HTML output is: ``[title as h1] + body
  headings`` with body levels normalised like a writer does (see
  eval_html.normalise_levels).  P/R/F1 on the heading texts (detection),
  exact level accuracy (share of the found headings whose level is right),
  and F1 on (level, text) pairs;
* title and language from the file;
* alt text carried (share of the truth's figure alt texts on images);
* reading order (share of the truth's paragraphs found in order by their
  first words);
* furniture left in the body: running-header strings (from the source's
  ``@top-left`` CSS) and bare page numbers found in body text;
* milliseconds to read.

The real files' truth gives headings from the structure tree (tagged) or the
outline; a file with neither is only checked for not crashing and for its
word count.  ``--output`` scores the HTML written after the transforms
instead of the model.

Usage: ``python benchmarks/eval_pdf.py [--corpus PATH] [--output] [-v]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_html import (
    Headings,
    alt_present,
    model_alts,
    model_headings,
    model_paragraphs,
    norm_text,
    normalise_levels,
    output_headings,
    reading_order,
    same_title,
)

from briefconvert.diagnostics import Report
from briefconvert.errors import BriefconvertError
from briefconvert.model import Document
from briefconvert.readers.pdf import PdfReaderOptions, read_pdf
from briefconvert.walk import children, plain_text

KINDS = ("tagged", "untagged+outline", "untagged-no-outline", "real")
_TOP_LEFT = re.compile(r"@top-(?:left|center|right)\s*\{\s*content:\s*\"([^\"]+)\"")


@dataclass
class Case:
    name: str
    kind: str
    path: Path
    title: str | None
    lang: str | None
    headings: Headings | None  # None: no heading truth
    alts: list[str]
    first_words: list[str]
    running: list[str] = field(default_factory=list)
    words: int | None = None
    source_text: str = ""


@dataclass
class Result:
    case: Case
    ok: bool
    error: str = ""
    precision: float = 1.0
    recall: float = 1.0
    f1: float = 1.0
    level_acc: float = 1.0
    pair_f1: float = 1.0
    title_ok: bool = True
    lang_ok: bool = True
    alts: float = 1.0
    order: float = 1.0
    furniture: int = 0
    ms: float = 0.0
    got: Headings = field(default_factory=list)
    words: int = 0


def _kind(rendering: dict[str, object]) -> str:
    if rendering.get("tagged"):
        return "tagged"
    return "untagged+outline" if rendering.get("outline") else "untagged-no-outline"


def cases(corpus: Path) -> list[Case]:
    out: list[Case] = []
    for truth_path in sorted((corpus / "generated").glob("*/truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        hs = [(h["level"], h["text"]) for h in truth["headings"]]
        title = truth.get("title")
        body = hs[1:] if hs and hs[0][0] == 1 else hs
        source = truth_path.parent / "source.html"
        html = source.read_text(encoding="utf-8") if source.exists() else ""
        running = _TOP_LEFT.findall(html)
        body_text = _source_text(html)
        for name, rendering in sorted(truth.get("renderings", {}).items()):
            pdf = truth_path.parent / name
            if not pdf.exists():
                continue
            out.append(
                Case(
                    f"{truth_path.parent.name}/{name}",
                    _kind(rendering),
                    pdf,
                    title,
                    truth.get("lang"),
                    output_headings(title, body),
                    [f["alt"] for f in truth.get("figures", []) if f.get("alt")],
                    [r["first_words"] for r in truth.get("reading_order", [])],
                    running,
                    source_text=body_text,
                )
            )
    for pdf in sorted((corpus / "real" / "pdf").glob("*.pdf")):
        truth_path = corpus / "real" / "truth" / f"{pdf.stem}.json"
        truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else {}
        title = truth.get("title") or None
        headings: Headings | None = None
        if truth.get("struct_headings"):
            headings = output_headings(title, [(h["level"], h["text"]) for h in truth["struct_headings"]])
        elif truth.get("outline") and not truth.get("tagged"):
            headings = output_headings(title, [(h["level"], h["title"]) for h in truth["outline"]])
        out.append(
            Case(
                pdf.stem,
                "real",
                pdf,
                title,
                truth.get("lang"),
                headings,
                [f["alt"].replace("\x00", "") for f in truth.get("struct_figures", []) if f.get("alt")],
                [],
                words=truth.get("words_first_5_pages"),
            )
        )
    return out


def _source_text(html: str) -> str:
    if not html:
        return ""
    import lxml.html

    body = lxml.html.document_fromstring(html.encode("utf-8")).find(".//body")
    return " ".join(body.text_content().split()) if body is not None else ""


def score(expected: Sequence[tuple[int, str]], got: Sequence[tuple[int, str]]) -> tuple[float, ...]:
    """(precision, recall, F1) on texts, level accuracy, F1 on (level, text)."""
    exp_t = Counter(norm_text(t).casefold() for _, t in expected)
    got_t = Counter(norm_text(t).casefold() for _, t in got)
    hit = sum((exp_t & got_t).values())
    p = hit / sum(got_t.values()) if got_t else (1.0 if not exp_t else 0.0)
    r = hit / sum(exp_t.values()) if exp_t else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    exp_p = Counter((lvl, norm_text(t).casefold()) for lvl, t in expected)
    got_p = Counter((lvl, norm_text(t).casefold()) for lvl, t in got)
    pair_hit = sum((exp_p & got_p).values())
    level_acc = pair_hit / hit if hit else (1.0 if not exp_t else 0.0)
    pp = pair_hit / sum(got_p.values()) if got_p else (1.0 if not exp_p else 0.0)
    pr = pair_hit / sum(exp_p.values()) if exp_p else 1.0
    pair_f1 = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
    return p, r, f1, level_acc, pair_f1


def _body_texts(doc: Document) -> list[str]:
    """Texts of the main flow: headings, paragraphs and list items (not tables)."""
    from briefconvert.model import Heading, ListItem, Table

    out: list[str] = []
    stack: list[object] = list(reversed(doc.blocks))
    while stack:
        node = stack.pop()
        if isinstance(node, Table):
            continue
        if isinstance(node, Heading):
            out.append(plain_text(node.content))
        elif isinstance(node, ListItem):
            out.append(plain_text(list(node.blocks)))
            continue
        stack.extend(reversed([c for c in children(node) if not isinstance(c, Heading) or True]))
    out.extend(model_paragraphs(doc))
    return out


def furniture_left(case: Case, texts: Sequence[str]) -> int:
    """Bare page numbers, and running-head strings beyond the number of times
    the source's own text holds them (a masthead may name the series)."""
    n = 0
    joined = " ".join(" ".join(t.split()) for t in texts)
    for text in texts:
        if re.fullmatch(r"\d{1,4}", " ".join(text.split())):
            n += 1
    for running in case.running:
        if running:
            n += max(0, joined.count(running) - case.source_text.count(running))
    return n


def _html_view(doc: Document) -> tuple[Headings, str | None, str | None, list[str], list[str]]:
    import copy

    import lxml.html

    from briefconvert import transforms
    from briefconvert.options import HtmlWriterOptions
    from briefconvert.writers.html import write_html

    report = Report()
    out = write_html(transforms.apply(doc, report), options=HtmlWriterOptions(), report=report)
    page = lxml.html.document_fromstring(out.data)
    got = [
        (int(h.tag[1]), norm_text(h.text_content())) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    title_el = page.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    main = copy.deepcopy(page.find(".//main"))
    paras: list[str] = []
    if main is not None:
        for ref in main.xpath(".//a[@role='doc-noteref']"):
            ref.drop_tree()
        paras = [" ".join(p.text_content().split()) for p in main.iter("p")]
    alts = [i.get("alt") or "" for i in page.iter("img")]
    return got, title, page.get("lang"), paras, alts


def evaluate(case: Case, *, output: bool) -> Result:
    report = Report()
    start = time.perf_counter()
    try:
        doc = read_pdf(case.path.read_bytes(), base=None, options=PdfReaderOptions(), report=report)
    except BriefconvertError as exc:
        return Result(case, ok=False, error=str(exc))
    ms = (time.perf_counter() - start) * 1000
    texts = _body_texts(doc)
    words = sum(len(t.split()) for t in texts)
    if output:
        got, title, lang, paras, alts = _html_view(doc)
        expected = case.headings
        if expected and expected[0][0] == 1:
            expected = expected[:1] + normalise_levels(expected[1:])
    else:
        got = output_headings(doc.meta.title, model_headings(doc))
        title, lang, paras, alts = doc.meta.title, doc.meta.lang, model_paragraphs(doc), model_alts(doc)
        expected = case.headings
    res = Result(case, ok=True, ms=ms, got=got, words=words)
    if expected is not None:
        res.precision, res.recall, res.f1, res.level_acc, res.pair_f1 = score(expected, got)
    res.title_ok = same_title(case.title, title)
    res.lang_ok = case.lang is None or (lang or "").split("-")[0].lower() == case.lang.split("-")[0].lower()
    res.alts = alt_present(case.alts, alts)
    res.order = reading_order(case.first_words, paras)
    res.furniture = furniture_left(case, texts)
    return res


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("-v", "--verbose", action="store_true", help="show heading differences")
    parser.add_argument("--output", action="store_true", help="score the HTML written after the transforms")
    args = parser.parse_args(argv)
    todo = cases(args.corpus)
    if not todo:
        print(f"no corpus PDFs under {args.corpus}", file=sys.stderr)
        return 2
    results = [evaluate(c, output=args.output) for c in todo]
    cols = ("P", "R", "F1", "lvl", "pairF1", "title", "lang", "alt", "order", "furn")
    header = f"{'document':52} {'kind':19} " + " ".join(f"{c:>6}" for c in cols) + f" {'ms':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        name = r.case.name[:52]
        if not r.ok:
            print(f"{name:52} {r.case.kind:19} ERROR {r.error}")
            continue
        h = r.case.headings is not None
        print(
            f"{name:52} {r.case.kind:19} "
            + (
                f"{r.precision:6.2f} {r.recall:6.2f} {r.f1:6.2f} {r.level_acc:6.2f} {r.pair_f1:6.2f} "
                if h
                else f"{'-':>6} " * 5
            )
            + f"{'ok' if r.title_ok else 'WRONG':>6} {'ok' if r.lang_ok else 'WRONG':>6} {r.alts:6.2f} "
            f"{r.order:6.2f} {r.furniture:6d} {r.ms:7.1f}"
            + (f"  words {r.words}/{r.case.words}" if r.case.words and not h else "")
        )
        if args.verbose and h and r.case.headings is not None and r.pair_f1 < 1:
            exp = Counter((lvl, norm_text(t)) for lvl, t in r.case.headings)
            got = Counter(r.got)
            print(f"    missing: {sorted((exp - got).elements())}")
            print(f"    extra:   {sorted((got - exp).elements())}")
    print("-" * len(header))
    for kind in KINDS:
        group = [r for r in results if r.case.kind == kind and r.ok]
        failed = sum(1 for r in results if r.case.kind == kind and not r.ok)
        if not group and not failed:
            continue
        scored = [r for r in group if r.case.headings is not None]
        n, m = len(group), len(scored) or 1

        def mean(values: list[float], k: int) -> float:
            return sum(values) / k if k else 0.0

        print(
            f"{kind:19} n={n} (errors {failed}): heading P {mean([r.precision for r in scored], m):.3f} "
            f"R {mean([r.recall for r in scored], m):.3f} F1 {mean([r.f1 for r in scored], m):.3f} "
            f"level {mean([r.level_acc for r in scored], m):.3f} "
            f"pairF1 {mean([r.pair_f1 for r in scored], m):.3f}; "
            f"title {sum(r.title_ok for r in group)}/{n}, lang {sum(r.lang_ok for r in group)}/{n}, "
            f"alt {mean([r.alts for r in group], n):.3f}, order {mean([r.order for r in group], n):.3f}, "
            f"furniture left {sum(r.furniture for r in group)}, mean {mean([r.ms for r in group], n):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
