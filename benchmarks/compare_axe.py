"""Agreement of ``briefconvert check`` with axe-core on the rules they share.

Runs axe-core (tools/conformance: headless Chromium through axe-run.js; set
it up with ``make conformance`` or ``bash tools/conformance/setup.sh``) and
``briefconvert check`` (its engine, in process) on a set of pages:

* ../shared/tools/validate/samples/bad.html,
* the corpus pages (../shared/corpus/real/html/*/source.html and
  generated/*/source.html) and briefconvert's own HTML output of the briefs,
* fixtures/html/*.html and fixtures/brief/brief.html,
* planted-fault pages written by this script (one or two per shared rule),

maps axe's rule ids to ours and prints, per shared rule, a Markdown table
row: pages where axe fires, where check fires, axe-only (check's misses) and
check-only.  The goal is no misses.  Exit status 1 when there is a miss,
2 when axe cannot run.

    .venv/bin/python benchmarks/compare_axe.py [--json FILE] [--details] [PAGES...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

# axe-core rule id -> check rule id (the rules both tools have).
AXE_TO_CHECK: dict[str, str] = {
    "image-alt": "image-alt",
    "document-title": "document-title",
    "html-has-lang": "document-lang",
    "html-lang-valid": "document-lang",
    "valid-lang": "lang-part",
    "link-name": "link-name",
    "empty-heading": "heading-empty",
    "heading-order": "heading-order",
    "page-has-heading-one": "heading-h1",
    "td-has-header": "table-header",
    "list": "html-list-structure",
    "listitem": "html-list-structure",
    "duplicate-id": "html-duplicate-id",
    "duplicate-id-active": "html-duplicate-id",
    "duplicate-id-aria": "html-duplicate-id",
    "meta-viewport": "html-meta-viewport",
    "landmark-one-main": "html-main-landmark",
    "landmark-no-duplicate-main": "html-main-landmark",
    "frame-title": "html-frame-title",
    "label": "html-form-label",
    "select-name": "html-form-label",
    "button-name": "html-button-name",
    "input-button-name": "html-button-name",
}
SHARED_RULES = sorted(set(AXE_TO_CHECK.values()))

_HEAD = '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{head}</head>\n<body>\n'
_OK_HEAD = "<title>Planted fault</title>\n"


def _page(body: str, *, lang: str = "en", head: str = _OK_HEAD, main: bool = True) -> str:
    top = _HEAD.format(lang=lang, head=head).replace(' lang=""', "")
    inner = f"<main>\n<h1>A page with one fault</h1>\n{body}\n</main>" if main else body
    return f"{top}{inner}\n</body>\n</html>\n"


# name -> (the rule it plants, the page)
PLANTED: dict[str, tuple[str, str]] = {
    "image-alt": ("image-alt", _page('<p><img src="chart.png" width="10" height="10"></p>')),
    "document-title": ("document-title", _page("<p>No title in the head.</p>", head="")),
    "document-lang-missing": ("document-lang", _page("<p>No language.</p>", lang="")),
    "document-lang-invalid": ("document-lang", _page("<p>A made-up language.</p>", lang="english")),
    "lang-part": ("lang-part", _page('<p>He said <span lang="français">bonjour à tous</span>.</p>')),
    "link-name": ("link-name", _page('<p>Empty: <a href="https://example.org/x"></a></p>')),
    "heading-empty": ("heading-empty", _page("<h2></h2>\n<p>Text.</p>")),
    "heading-order": ("heading-order", _page("<h3>Skipped a level</h3>\n<p>Text.</p>")),
    "heading-h1": (
        "heading-h1",
        _page("<main>\n<h2>No top heading</h2>\n<p>Text.</p>\n</main>", main=False),
    ),
    "table-header": (
        "table-header",
        _page(
            "<table>\n<tr><th>Country</th><th>2023</th><td>2024</td></tr>\n"
            "<tr><td>France</td><td>1</td><td>2</td></tr>\n<tr><td>Spain</td><td>3</td><td>4</td></tr>\n"
            "<tr><td>Italy</td><td>5</td><td>6</td></tr>\n</table>"
        ),
    ),
    "list-child": ("html-list-structure", _page("<ul>\n<li>One</li>\n<div>Two</div>\n</ul>")),
    "list-item-alone": ("html-list-structure", _page("<div><li>An item without a list</li></div>")),
    "duplicate-id": (
        "html-duplicate-id",
        _page(
            '<p id="lbl">Name</p>\n<p id="lbl">Again</p>\n'
            '<div role="region" aria-labelledby="lbl"><p>Region.</p></div>'
        ),
    ),
    "meta-viewport": (
        "html-meta-viewport",
        _page(
            "<p>Zoom off.</p>",
            head=_OK_HEAD + '<meta name="viewport" content="width=device-width, user-scalable=no">\n',
        ),
    ),
    "main-missing": ("html-main-landmark", _page("<h1>No main</h1>\n<p>Text.</p>", main=False)),
    "main-twice": (
        "html-main-landmark",
        _page("<main><h1>One</h1><p>A.</p></main>\n<main><p>B.</p></main>", main=False),
    ),
    "frame-title": ("html-frame-title", _page('<iframe src="about:blank"></iframe>')),
    "form-label": ("html-form-label", _page('<form><input type="text" name="q"></form>')),
    "select-label": (
        "html-form-label",
        _page('<form><select name="s"><option>A</option><option>B</option></select></form>'),
    ),
    "button-name": ("html-button-name", _page('<p><button type="button"></button></p>')),
    "input-button-name": ("html-button-name", _page('<p><input type="button"></p>')),
    "link-image-no-alt": (
        "link-name",
        _page('<p><a href="https://example.org/"><img src="logo.png"></a></p>'),
    ),
    # look-alikes that are not faults: neither tool should fire
    "ok-aria-names": (
        "",
        _page(
            '<p><img src="a.png" aria-label="Map of Europe"> <img src="b.png" title="Gas imports chart">\n'
            '<a href="https://example.org/m" aria-label="Our Mastodon account">'
            '<svg aria-hidden="true"></svg></a>\n'
            '<button aria-label="Close"></button> <button><img src="p.png" alt="Print"></button></p>\n'
            '<form><label>Name <input type="text" name="n"></label>\n'
            '<input type="search" aria-label="Search">\n'
            '<input type="submit"></form>\n<iframe src="about:blank" title="Interview"></iframe>\n'
            '<p>He said <span lang="fr-CA">bonjour</span>.</p>\n<ul><li>One</li><template></template></ul>'
        ),
    ),
    "ok-headings": (
        "",
        _page(
            "<h2>Part</h2>\n<h3>Sub</h3>\n<h2>Next</h2>\n<h3>Sub</h3>\n<h4>Deep</h4>\n"
            "<h2><img src=x.png alt=Logo></h2>"
        ),
    ),
}


def _load_conformance() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "conformance_run", ROOT / "tools" / "conformance" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def default_pages(tmp: Path) -> list[Path]:
    import briefconvert

    pages = [SHARED / "tools" / "validate" / "samples" / "bad.html"]
    pages += sorted((SHARED / "corpus" / "real" / "html").glob("*/source.html"))
    briefs = sorted((SHARED / "corpus" / "generated").glob("*/source.html"))
    pages += briefs
    pages += sorted((ROOT / "fixtures" / "html").glob("*.html"))
    pages.append(ROOT / "fixtures" / "brief" / "brief.html")
    for src in [*briefs, ROOT / "fixtures" / "brief" / "brief.html"]:
        out = briefconvert.convert(src, "html").outputs["html"]
        folder = tmp / "out" / src.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        for att in out.attachments:
            target = folder / att.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(att.data)
        (folder / "index.html").write_bytes(out.data)
        pages.append(folder / "index.html")
    for name, (_rule, html) in PLANTED.items():
        path = tmp / "planted" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        pages.append(path)
    return [p for p in pages if p.is_file()]


def check_rules(pages: Sequence[Path]) -> dict[Path, dict[str, int]]:
    """Rule id -> number of findings, per page, from briefconvert check's engine."""
    out: dict[Path, dict[str, int]] = {}
    try:
        from briefconvert.a11y.check import CheckConfig, check_file
    except ImportError:  # the engine is not there: inspector and model rules directly
        from briefconvert.a11y import html_rules, model_rules
        from briefconvert.a11y.findings import Sink

        for page in pages:
            sink = Sink(str(page))
            model_rules.run(html_rules.inspect(page.read_bytes(), page, sink), sink, fmt="html")
            out[page] = _count(f.rule for f in sink.findings)
        return out
    config = CheckConfig()
    for page in pages:
        result = check_file(page, config)
        if result.error:
            raise SystemExit(f"check could not read {page}: {result.error}")
        out[page] = _count(f.rule for f in result.findings)
    return out


def _count(rules: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rules:
        counts[r] = counts.get(r, 0) + 1
    return counts


def _label(page: Path, tmp: Path) -> str:
    for base, tag in ((tmp, ""), (SHARED, "shared/"), (ROOT, "")):
        try:
            rel = page.relative_to(base)
        except ValueError:
            continue
        return tag + str(rel)
    return str(page)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("pages", nargs="*", type=Path, help="pages to compare (default: the set above)")
    ap.add_argument("--json", type=Path, help="write the per-page results to this file")
    ap.add_argument("--details", action="store_true", help="list the pages behind each difference")
    a = ap.parse_args(argv)
    conformance = _load_conformance()
    why = conformance.missing(["axe"])
    if why:
        print(f"axe-core cannot run: {why['axe']} (run tools/conformance/setup.sh)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="compare-axe-") as tmp_name:
        tmp = Path(tmp_name)
        pages = [p.resolve() for p in a.pages] if a.pages else default_pages(tmp)
        axe = conformance.axe(pages)
        ours = check_rules(pages)
        rows: dict[str, dict[str, list[str]]] = {
            r: {"axe": [], "check": [], "miss": [], "extra": []} for r in SHARED_RULES
        }
        unmapped: dict[str, int] = {}
        per_page = []
        for page in pages:
            label = _label(page, tmp)
            axe_rules = axe[page]["rules"]
            mapped = {AXE_TO_CHECK[r] for r in axe_rules if r in AXE_TO_CHECK}
            for r in axe_rules:
                if r not in AXE_TO_CHECK:
                    unmapped[r] = unmapped.get(r, 0) + 1
            found = set(ours[page]) & set(SHARED_RULES)
            for rule in SHARED_RULES:
                if rule in mapped:
                    rows[rule]["axe"].append(label)
                if rule in found:
                    rows[rule]["check"].append(label)
                if rule in mapped and rule not in found:
                    rows[rule]["miss"].append(label)
                if rule in found and rule not in mapped:
                    rows[rule]["extra"].append(label)
            per_page.append({"page": label, "axe": axe_rules, "check": ours[page]})
        version = next(iter(axe.values()))["version"] if axe else "?"
    print(f"axe-core {version} and briefconvert check on {len(pages)} pages\n")
    print("| rule (check) | axe rules | axe fires | check fires | axe only (misses) | check only |")
    print("|---|---|---:|---:|---:|---:|")
    for rule in SHARED_RULES:
        r = rows[rule]
        axe_ids = ", ".join(sorted(k for k, v in AXE_TO_CHECK.items() if v == rule))
        counts = " | ".join(str(len(r[k])) for k in ("axe", "check", "miss", "extra"))
        print(f"| {rule} | {axe_ids} | {counts} |")
    misses = sum(len(r["miss"]) for r in rows.values())
    print(f"\nmisses: {misses}")
    if unmapped:
        print(
            "axe rules with no counterpart in check (pages): "
            + ", ".join(f"{k} ({v})" for k, v in sorted(unmapped.items()))
        )
    if a.details:
        for rule in SHARED_RULES:
            for kind in ("miss", "extra"):
                for label in rows[rule][kind]:
                    print(f"  {rule}: {'axe only' if kind == 'miss' else 'check only'}: {label}")
    if a.json:
        a.json.write_text(json.dumps(per_page, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
