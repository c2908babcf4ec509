"""Evaluate the HTML reader on the shared corpus (a script, not a test).

For every ``corpus/generated/*/source.html`` (truth.json beside it) and
``corpus/real/html/*/source.html`` (truth in ``corpus/real/truth/<id>.json``)
it reads the page and reports:

* headings: exact sequence match and F1 on (level, text) pairs.  The output
  list is ``[title as h1] + body headings`` with body levels made contiguous
  the way a writer does (top level 2, never more than one level deeper than
  the previous heading); the expected list gets the same normalisation (the
  real pages' truth is Mozilla Readability output, which omits the title and
  keeps MediaWiki "[edit]" links, so the title is prepended from the truth
  metadata and a trailing "[edit]" is ignored on both sides);
* title correct, language correct;
* figures: share of the truth's alt texts present on images;
* reading order: share of the truth's paragraphs found, in order, by their
  first words (generated briefs only);
* milliseconds to read.

With ``--output`` it measures what acceptance measures: the whole pipeline's
HTML output (``briefconvert.convert(path, to="html")``), parsed back: its
h1-h6 elements, ``<title>``, ``<html lang>``, ``img/@alt`` and ``<p>`` texts
(note references removed), plus, for the real pages, the share of the
expected article text kept (recall of the expected paragraphs' first words)
and of our output paragraphs that belong to the article (precision: chrome
lowers it).

Usage: ``python benchmarks/eval_html.py [--corpus PATH] [--output] [-v]``.  The scoring
functions (``score_headings``, ``normalise_levels``, ``reading_order``...)
take plain lists so that they can score other outputs too (e.g. headings
parsed back from the HTML writer's output).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    BlockQuote,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    ListItem,
    Paragraph,
)
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.html import read_html
from briefconvert.walk import plain_text, walk

Headings = list[tuple[int, str]]

_EDIT = re.compile(r"\s*\[\s*edit\s*\]\s*$", re.I)


# ---------------------------------------------------------------- scoring


def norm_text(text: str) -> str:
    return _EDIT.sub("", " ".join(text.split()))


def normalise_levels(headings: Iterable[tuple[int, str]], *, top: int = 2, previous: int = 1) -> Headings:
    """Shift levels so the highest is ``top`` and clamp each heading to at
    most one level below the one before it (``previous`` is the level before
    the first: the title's 1)."""
    items = [(lvl, norm_text(t)) for lvl, t in headings]
    if not items:
        return []
    shift = top - min(lvl for lvl, _ in items)
    out: Headings = []
    for lvl, t in items:
        lvl = max(top, min(lvl + shift, previous + 1, 6))
        out.append((lvl, t))
        previous = lvl
    return out


def score_headings(expected: Sequence[tuple[int, str]], actual: Sequence[tuple[int, str]]) -> float:
    """F1 over (level, text) pairs, counted as multisets."""
    exp = Counter((lvl, norm_text(t)) for lvl, t in expected)
    act = Counter((lvl, norm_text(t)) for lvl, t in actual)
    if not exp and not act:
        return 1.0
    hit = sum((exp & act).values())
    if not hit:
        return 0.0
    precision = hit / sum(act.values())
    recall = hit / sum(exp.values())
    return 2 * precision * recall / (precision + recall)


def output_headings(title: str | None, body: Iterable[tuple[int, str]]) -> Headings:
    head: Headings = [(1, norm_text(title))] if title else []
    return head + normalise_levels(body)


def reading_order(expected_first_words: Sequence[str], paragraphs: Sequence[str]) -> float:
    """Share of ``expected_first_words`` found as paragraph beginnings, each
    after the previous one found."""
    if not expected_first_words:
        return 1.0
    paras = [" ".join(p.split()) for p in paragraphs]
    found = 0
    pos = 0
    for words in expected_first_words:
        w = " ".join(words.split())
        for i in range(pos, len(paras)):
            if paras[i].startswith(w):
                found += 1
                pos = i + 1
                break
    return found / len(expected_first_words)


def alt_present(expected_alts: Sequence[str], actual_alts: Sequence[str]) -> float:
    if not expected_alts:
        return 1.0
    have = Counter(" ".join(a.split()) for a in actual_alts)
    hit = 0
    for alt in expected_alts:
        key = " ".join(alt.split())
        if have[key] > 0:
            have[key] -= 1
            hit += 1
    return hit / len(expected_alts)


def same_title(expected: str | None, actual: str | None) -> bool:
    if not expected:
        return True
    return actual is not None and " ".join(expected.casefold().split()) == " ".join(actual.casefold().split())


# ---------------------------------------------------------------- model access


def model_headings(doc: Document) -> Headings:
    return [(h.level, plain_text(h.content)) for h in walk(doc, notes=False) if isinstance(h, Heading)]


def model_alts(doc: Document) -> list[str]:
    return [i.alt for i in walk(doc, notes=False) if isinstance(i, Image) and i.alt]


def model_paragraphs(doc: Document) -> list[str]:
    """Paragraph texts of the main flow (also inside quotes, asides and
    divs; not inside lists, tables, figures or notes)."""
    out: list[str] = []
    stack: list[object] = list(reversed(doc.blocks))
    while stack:
        node = stack.pop()
        match node:
            case Paragraph(content=c):
                out.append(plain_text(c))
            case BlockQuote(blocks=b) | Div(blocks=b) | Aside(blocks=b):
                stack.extend(reversed(b))
            case Figure() | ListItem():
                pass
            case _:
                pass
    return out


# ---------------------------------------------------------------- corpus


@dataclass
class Case:
    name: str
    kind: str
    source: Path
    title: str | None
    lang: str | None
    headings: Headings
    alts: list[str]
    first_words: list[str]


def _cases(corpus: Path) -> list[Case]:
    cases: list[Case] = []
    for src in sorted((corpus / "generated").glob("*/source.html")):
        truth = json.loads((src.parent / "truth.json").read_text(encoding="utf-8"))
        hs = [(h["level"], h["text"]) for h in truth["headings"]]
        title = truth.get("title")
        body = hs[1:] if hs and hs[0][0] == 1 else hs
        cases.append(
            Case(
                src.parent.name, "generated", src, title, truth.get("lang"), output_headings(title, body),
                [f["alt"] for f in truth.get("figures", []) if f.get("alt")],
                [r["first_words"] for r in truth.get("reading_order", [])],
            )
        )  # fmt: skip
    for src in sorted((corpus / "real" / "html").glob("*/source.html")):
        truth_path = corpus / "real" / "truth" / f"{src.parent.name}.json"
        if not truth_path.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        hs = [(h["level"], h["text"]) for h in truth.get("headings", [])]
        title = (truth.get("metadata") or {}).get("title")
        if title is None and hs and hs[0][0] == 1:
            title, hs = hs[0][1], hs[1:]
        cases.append(
            Case(
                src.parent.name, "real", src, title, truth.get("source_lang"), output_headings(title, hs),
                [f["alt"] for f in truth.get("figures", []) if f.get("alt")], [],
            )
        )  # fmt: skip
    return cases


@dataclass
class Result:
    case: Case
    exact: bool
    f1: float
    title_ok: bool
    lang_ok: bool
    alts: float
    order: float
    ms: float
    got: Headings
    recall: float = 1.0
    precision: float = 1.0


def _expected_paragraphs(case: Case) -> list[str]:
    """The article's paragraphs as the real pages' expected file gives them."""
    folder = case.source.parent
    if (folder / "expected.html").exists():
        import lxml.html

        tree = lxml.html.fromstring((folder / "expected.html").read_bytes())
        return [" ".join(p.text_content().split()) for p in tree.iter("p", "li")]
    if (folder / "expected.md").exists():
        lines = (folder / "expected.md").read_text(encoding="utf-8").splitlines()
        return [
            ln.lstrip("-*0123456789. ").strip()
            for ln in lines
            if ln.strip() and not ln.startswith(("#", "|"))
        ]
    return []


def _words(text: str, n: int = 8) -> str:
    return " ".join(re.findall(r"\w+", text.casefold())[:n])


def text_scores(expected: Sequence[str], actual: Sequence[str]) -> tuple[float, float]:
    """(recall, precision) of paragraphs matched by their first words."""
    exp = {_words(p) for p in expected if len(p.split()) >= 4}
    act = {_words(p) for p in actual if len(p.split()) >= 4}
    if not exp or not act:
        return 1.0, 1.0
    full_exp = " ".join(_words(p, 10_000) for p in expected)
    full_act = " ".join(_words(p, 10_000) for p in actual)
    recall = sum(1 for w in exp if w in full_act) / len(exp)
    precision = sum(1 for w in act if w in full_exp) / len(act)
    return recall, precision


def evaluate_output(case: Case) -> Result:
    """Score the HTML page that the whole pipeline writes."""
    import copy

    import lxml.html

    import briefconvert

    start = time.perf_counter()
    result = briefconvert.convert(case.source, to="html")
    ms = (time.perf_counter() - start) * 1000
    page = lxml.html.document_fromstring(result.outputs["html"].data)
    got = [
        (int(h.tag[1]), norm_text(h.text_content())) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    title_el = page.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    main = copy.deepcopy(page.find(".//main"))
    for ref in main.xpath(".//a[@role='doc-noteref']"):
        ref.drop_tree()
    paras = [" ".join(p.text_content().split()) for p in main.iter("p")]
    texts = [" ".join(p.text_content().split()) for p in main.iter("p", "li")]
    recall, precision = text_scores(_expected_paragraphs(case), texts) if case.kind == "real" else (1.0, 1.0)
    expected = normalise_levels(case.headings[1:]) if case.headings and case.headings[0][0] == 1 else []
    want = case.headings[:1] + expected if expected else case.headings
    return Result(
        case=case,
        exact=got == want,
        f1=score_headings(want, got),
        title_ok=same_title(case.title, title),
        lang_ok=(case.lang or "und") == page.get("lang"),
        alts=alt_present(
            case.alts,
            [i.get("alt") or "" for i in page.iter("img")]
            + [" ".join(e.text_content().split()) for e in page.xpath("//*[@class='image-unavailable']")],
        ),
        order=reading_order(case.first_words, paras),
        ms=ms,
        got=got,
        recall=recall,
        precision=precision,
    )


def evaluate(case: Case) -> Result:
    data = case.source.read_bytes()
    report = Report()
    start = time.perf_counter()
    doc = read_html(data, base=case.source.parent, options=HtmlReaderOptions(), report=report)
    ms = (time.perf_counter() - start) * 1000
    got = output_headings(doc.meta.title, model_headings(doc))
    return Result(
        case=case,
        exact=got == case.headings,
        f1=score_headings(case.headings, got),
        title_ok=same_title(case.title, doc.meta.title),
        lang_ok=(case.lang or None) == doc.meta.lang,
        alts=alt_present(case.alts, model_alts(doc)),
        order=reading_order(case.first_words, model_paragraphs(doc)),
        ms=ms,
        got=got,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("-v", "--verbose", action="store_true", help="show heading differences")
    parser.add_argument("--output", action="store_true", help="score the HTML output of the whole pipeline")
    args = parser.parse_args(argv)
    cases = _cases(args.corpus)
    if not cases:
        print(f"no corpus documents under {args.corpus}", file=sys.stderr)
        return 2
    read_html(b"<p>warm-up</p>", base=None, options=HtmlReaderOptions(), report=Report())  # imports
    results = [(evaluate_output if args.output else evaluate)(c) for c in cases]
    cols = ("exact", "hF1", "title", "lang", "alt", "order", "recl", "prec")
    header = f"{'document':34} {'kind':9} " + " ".join(f"{c:>5}" for c in cols) + f" {'ms':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.case.name[:34]:34} {r.case.kind:9} {'yes' if r.exact else 'no':>5} {r.f1:5.2f} "
            f"{'ok' if r.title_ok else 'WRONG':>5} {'ok' if r.lang_ok else 'WRONG':>5} {r.alts:5.2f} "
            f"{r.order:5.2f} {r.recall:5.2f} {r.precision:5.2f} {r.ms:6.1f}"
        )
        if args.verbose and not r.exact:
            missing = Counter(r.case.headings) - Counter(r.got)
            extra = Counter(r.got) - Counter(r.case.headings)
            print(f"    missing: {sorted(missing.elements())}\n    extra:   {sorted(extra.elements())}")
    print("-" * len(header))
    for kind in ("generated", "real"):
        group = [r for r in results if r.case.kind == kind]
        if not group:
            continue
        n = len(group)
        print(
            f"{kind:9} n={n}: exact {sum(r.exact for r in group)}/{n}, "
            f"heading F1 {sum(r.f1 for r in group) / n:.3f}, title {sum(r.title_ok for r in group)}/{n}, "
            f"lang {sum(r.lang_ok for r in group)}/{n}, alt {sum(r.alts for r in group) / n:.3f}, "
            f"order {sum(r.order for r in group) / n:.3f}, "
            f"text recall {sum(r.recall for r in group) / n:.3f}, "
            f"precision {sum(r.precision for r in group) / n:.3f}, mean {sum(r.ms for r in group) / n:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
