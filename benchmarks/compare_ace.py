"""Agreement of ``briefconvert check`` with Ace by DAISY on EPUB books.

Runs Ace (the project's pinned copy, through ``tools/conformance/run.py``;
install it with ``make conformance`` or ``tools/conformance/setup.sh``) and
``briefconvert check`` on a set of books:

* ``bad.epub`` of ``../shared/tools/validate/samples/bad`` (planted faults);
* pandoc's EPUBs of the corpus briefs and of ``fixtures/brief/brief.html``
  (pandoc from the PyPI ``pypandoc-binary`` package);
* briefconvert's own EPUBs of the same briefs and of the corpus's tagged PDFs;
* planted-fault variants this script makes from one of briefconvert's EPUBs
  and one of pandoc's (see ``VARIANTS``: each edits one or two entries).

Ace's rules are mapped to check's (``ACE_TO_CHECK``); for every shared rule
the script prints how many books Ace and check flag, the books Ace flags
and check does not (misses: the goal is none) and the books only check
flags.  Ace rules that map to nothing are listed apart.

    .venv/bin/python benchmarks/compare_ace.py [--jobs N] [--keep DIR] [--verbose]

Exit status: 0 no miss, 1 misses, 2 Ace or pandoc unavailable.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "generated"
BAD_EPUB = SHARED / "tools" / "validate" / "samples" / "bad" / "bad.epub"
BRIEF = ROOT / "fixtures" / "brief" / "brief.html"
BASE = "cyber-resilience"  # the corpus brief whose EPUBs the planted variants edit

# Ace rule (its report's dct:title) -> check rule id.
ACE_TO_CHECK: dict[str, str] = {
    # package checks of Ace itself
    "epub-lang": "epub-package-lang",
    "epub-title": "document-title",
    "metadata-accessmode": "epub-a11y-metadata",
    "metadata-accessibilityfeature": "epub-a11y-metadata",
    "metadata-accessibilityhazard": "epub-a11y-metadata",
    "metadata-accessibilitysummary": "epub-a11y-metadata",
    "metadata-accessmodesufficient": "epub-a11y-metadata",
    "metadata-accessmode-invalid": "epub-a11y-metadata-value",
    "metadata-accessmodesufficient-invalid": "epub-a11y-metadata-value",
    "metadata-accessibilityfeature-invalid": "epub-a11y-metadata-value",
    "metadata-accessibilityhazard-invalid": "epub-a11y-metadata-value",
    "metadata-conformsto-invalid": "epub-a11y-metadata-value",
    "metadata-accessibilityFeature-printPageNumbers-nopagelist": "epub-a11y-metadata-consistency",
    "metadata-accessibilityFeature-printPageNumbers-nopagebreaks": "epub-a11y-metadata-consistency",
    "epub-pagesource": "epub-a11y-metadata-consistency",
    "epub-pagelist-broken": "epub-page-list",
    "epub-pagelist-missing-pagebreak": "epub-page-list",
    "epub-toc-order": "epub-nav-toc",
    # Ace's own axe rules
    "pagebreak-label": "epub-page-list",
    "epub-type-has-matching-role": "epub-type-role",
    # axe-core rules inside the content documents
    "image-alt": "image-alt",
    "role-img-alt": "image-alt",
    "input-image-alt": "image-alt",
    "area-alt": "image-alt",
    "svg-img-alt": "image-alt",
    "image-redundant-alt": "image-alt-caption",
    "heading-order": "heading-order",
    "empty-heading": "heading-empty",
    "link-name": "link-name",
    "html-has-lang": "document-lang",
    "html-lang-valid": "document-lang",
    "html-xml-lang-mismatch": "document-lang",
    "valid-lang": "lang-part",
    "document-title": "document-title",
    "duplicate-id": "html-duplicate-id",
    "duplicate-id-active": "html-duplicate-id",
    "duplicate-id-aria": "html-duplicate-id",
    "list": "html-list-structure",
    "listitem": "html-list-structure",
    "meta-viewport": "html-meta-viewport",
    "meta-viewport-large": "html-meta-viewport",
    "frame-title": "html-frame-title",
    "label": "html-form-label",
    "select-name": "html-form-label",
    "button-name": "html-button-name",
    "input-button-name": "html-button-name",
    "landmark-one-main": "html-main-landmark",
    "landmark-no-duplicate-main": "html-main-landmark",
}


# ------------------------------------------------------------------ books


Edit = Callable[[str], str]


def sub1(pattern: str, repl: str, flags: int = 0) -> Edit:
    """A regex substitution that must apply (at most once)."""

    def edit(text: str) -> str:
        out, n = re.subn(pattern, repl, text, count=1, flags=flags)
        if n == 0:
            raise ValueError(f"pattern {pattern!r} not found")
        return out

    return edit


def suball(pattern: str, repl: str, flags: int = 0) -> Edit:
    def edit(text: str) -> str:
        out, n = re.subn(pattern, repl, text, flags=flags)
        if n == 0:
            raise ValueError(f"pattern {pattern!r} not found")
        return out

    return edit


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    base: str  # "ours" (briefconvert's EPUB of a tagged PDF: page list) or "pandoc"
    edits: dict[str, Edit]  # entry name -> edit
    planted: str  # what is wrong with it


_TOC_ITEM = r'<li><a href="chapter-00{n}\.xhtml#[^"]+">[^<]*</a></li>'
_SWAP_TOC = sub1(f"({_TOC_ITEM.format(n=2)})(\\s*)({_TOC_ITEM.format(n=3)})", r"\3\2\1")
OPF, NAV = "EPUB/package.opf", "EPUB/text/nav.xhtml"
CH2, CH4 = "EPUB/text/chapter-002.xhtml", "EPUB/text/chapter-004.xhtml"
P_CH = "EPUB/text/ch001.xhtml"
LANG_EN = ' lang="en" xml:lang="en"'
A11Y_META = r'\s*<meta property="schema:[^"]+"[^>]*>[^<]*</meta>'
HAZARD_NONE = r'(<meta property="schema:accessibilityHazard">none</meta>)'
FLASHING = r'\1<meta property="schema:accessibilityHazard">flashing</meta>'
VIEWPORT = r'\1<meta name="viewport" content="width=device-width, user-scalable=no" />'
ALT_CAPTION = r'alt="[^"]*"( />\s*<figcaption[^>]*>)(.*?)</figcaption>'


def both(*edits: Edit) -> Edit:
    def edit(text: str) -> str:
        for e in edits:
            text = e(text)
        return text

    return edit


def after_h2(markup: str) -> Edit:
    return sub1(r"(</h2>)", r"\1" + markup)


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "no-dc-language", "ours", {OPF: sub1(r"\s*<dc:language>[^<]*</dc:language>", "")}, "no dc:language"
    ),
    Variant(
        "no-package-lang",
        "ours",
        {OPF: sub1(r'(<package[^>]*?) xml:lang="[^"]*"', r"\1")},
        "no <package xml:lang>",
    ),
    Variant("no-a11y-metadata", "ours", {OPF: suball(A11Y_META, "")}, "accessibility metadata removed"),
    Variant(
        "bad-a11y-values",
        "ours",
        {OPF: both(sub1(r'(schema:accessMode">)textual<', r"\1sight<"), sub1(HAZARD_NONE, FLASHING))},
        "accessMode 'sight'; hazard 'none' beside 'flashing'",
    ),
    Variant(
        "alt-claimed-missing",
        "ours",
        {CH4: sub1(r'(<img [^>]*?) alt="[^"]*"', r"\1")},
        "alternativeText claimed, an image without alt",
    ),
    Variant(
        "page-list-broken",
        "ours",
        {NAV: sub1(r'href="chapter-004\.xhtml#page-2"', 'href="chapter-004.xhtml#page-x"')},
        "a page-list entry to a missing id",
    ),
    Variant(
        "pagebreak-no-label",
        "ours",
        {CH4: sub1(r'(<span id="page-2" role="doc-pagebreak") title="[^"]*"', r"\1")},
        "a page-break marker without a label",
    ),
    Variant(
        "no-page-list",
        "ours",
        {NAV: sub1(r'<nav id="page-list".*?</nav>', "", re.S)},
        "page list removed (pageNavigation claimed, markers left)",
    ),
    Variant(
        "no-page-source",
        "ours",
        {OPF: sub1(r'\s*<meta property="pageBreakSource">[^<]*</meta>', "")},
        "page list without pageBreakSource",
    ),
    Variant(
        "epub-type-no-role",
        "ours",
        {CH2: sub1(r' role="doc-noteref"', ""), NAV: sub1(r' role="doc-toc"', "")},
        "noteref and toc without their roles",
    ),
    Variant(
        "chapter-no-title", "ours", {CH2: sub1(r"\s*<title>[^<]*</title>", "")}, "a chapter without <title>"
    ),
    Variant("chapter-no-lang", "ours", {CH2: sub1(LANG_EN, "")}, "a chapter without lang"),
    Variant(
        "chapter-bad-lang",
        "ours",
        {CH2: sub1(LANG_EN, ' lang="english" xml:lang="english"')},
        "a chapter with lang='english'",
    ),
    Variant(
        "lang-mismatch", "ours", {CH2: sub1(LANG_EN, ' lang="en" xml:lang="fr"')}, "lang and xml:lang differ"
    ),
    Variant(
        "lang-part-invalid",
        "ours",
        {CH2: sub1(r"(<p>The second)", r'<p lang="xx-invalid-">Bonjour</p>\1')},
        "an invalid lang on a paragraph",
    ),
    Variant(
        "no-dc-title", "ours", {OPF: sub1(r'\s*<dc:title id="title">[^<]*</dc:title>', "")}, "no dc:title"
    ),
    Variant(
        "heading-skip", "ours", {CH4: both(sub1(r"<h3 ", "<h5 "), sub1(r"</h3>", "</h5>"))}, "h2 then h5"
    ),
    Variant(
        "heading-empty",
        "ours",
        {CH2: sub1(r'(<h2 id="introduction">)Introduction(</h2>)', r"\1\2")},
        "an empty h2",
    ),
    Variant("toc-out-of-order", "ours", {NAV: _SWAP_TOC}, "two toc entries swapped"),
    Variant(
        "toc-missing-target",
        "ours",
        {NAV: sub1(r'chapter-002\.xhtml#introduction"', 'chapter-002.xhtml#intro"')},
        "a toc entry to a missing id",
    ),
    Variant(
        "duplicate-id",
        "ours",
        {CH2: sub1(r"(<h2 id=\"introduction\">)", r'<span id="introduction"></span>\1')},
        "a duplicated id",
    ),
    Variant(
        "two-mains",
        "ours",
        {CH2: sub1(r"(</main>)", r"\1<main><p>Second main.</p></main>")},
        "two main elements in a chapter",
    ),
    Variant(
        "link-empty",
        "pandoc",
        {P_CH: sub1(r'(<a href="https://[^"]+">)[^<]+(</a>)', r"\1\2")},
        "an empty link",
    ),
    Variant(
        "list-broken", "pandoc", {P_CH: sub1(r"(<ul>\s*)", r"\1<div>not an item</div>")}, "a div inside ul"
    ),
    Variant("viewport-no-zoom", "pandoc", {P_CH: sub1(r"(<head>)", VIEWPORT)}, "zooming disabled"),
    Variant(
        "form-field", "pandoc", {P_CH: after_h2('<p><input type="text" /></p>')}, "an input without a label"
    ),
    Variant(
        "button-empty",
        "pandoc",
        {P_CH: after_h2('<p><button type="button"></button></p>')},
        "a nameless button",
    ),
    Variant(
        "iframe-no-title",
        "pandoc",
        {P_CH: after_h2('<p><iframe src="title_page.xhtml"></iframe></p>')},
        "an iframe without title",
    ),
    Variant(
        "role-img-no-name",
        "pandoc",
        {P_CH: after_h2('<p><span role="img">*</span></p>')},
        "a nameless role=img",
    ),
    Variant(
        "alt-is-caption",
        "pandoc",
        {P_CH: sub1(ALT_CAPTION, r'alt="\2"\1\2</figcaption>', re.S)},
        "alt text repeating the caption",
    ),
    Variant(
        "pandoc-no-alt",
        "pandoc",
        {P_CH: sub1(r'(<img [^>]*?) alt="[^"]*"', r"\1")},
        "an image without alt (pandoc claims alternativeText)",
    ),
)


def write_variant(base: Path, variant: Variant, out: Path) -> None:
    """``base`` with the variant's edits, mimetype first and stored."""
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w") as zout:
        names = [i.filename for i in zin.infolist()]
        missing = set(variant.edits) - set(names)
        if missing:
            raise ValueError(f"{variant.name}: {base.name} has no {sorted(missing)}")
        zout.writestr(zipfile.ZipInfo("mimetype"), zin.read("mimetype"), compress_type=zipfile.ZIP_STORED)
        for info in zin.infolist():
            if info.filename == "mimetype":
                continue
            data = zin.read(info.filename)
            edit = variant.edits.get(info.filename)
            if edit is not None:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)


def pandoc_epub(pandoc: str, source: Path, out: Path) -> None:
    subprocess.run(
        [pandoc, source.name, "-o", str(out), f"--resource-path={source.parent}"],
        cwd=source.parent,
        check=True,
        capture_output=True,
        timeout=300,
    )


def our_epub(source: Path, out: Path) -> None:
    import briefconvert

    result = briefconvert.convert(source, "epub")
    out.write_bytes(result.outputs["epub"].data)


def build_books(folder: Path, pandoc: str) -> dict[str, str]:
    """Write every book into ``folder``; book name -> what it is."""
    books: dict[str, str] = {}
    if BAD_EPUB.is_file():
        (folder / "bad.epub").write_bytes(BAD_EPUB.read_bytes())
        books["bad.epub"] = "shared bad sample (planted faults)"
    sources = [(d.name, d / "source.html") for d in sorted(CORPUS.iterdir()) if (d / "source.html").is_file()]
    sources.append(("fixture-brief", BRIEF))
    for name, source in sources:
        pandoc_epub(pandoc, source, folder / f"pandoc-{name}.epub")
        books[f"pandoc-{name}.epub"] = "pandoc"
        our_epub(source, folder / f"ours-{name}.epub")
        books[f"ours-{name}.epub"] = "briefconvert (HTML)"
    for d in sorted(CORPUS.iterdir()):
        for pdf in ("weasyprint-ua.pdf", "libreoffice-tagged.pdf"):
            if (d / pdf).is_file():
                stem = pdf.removesuffix(".pdf")
                our_epub(d / pdf, folder / f"ours-{d.name}-{stem}.epub")
                books[f"ours-{d.name}-{stem}.epub"] = "briefconvert (tagged PDF)"
    bases = {"ours": folder / f"ours-{BASE}-weasyprint-ua.epub", "pandoc": folder / f"pandoc-{BASE}.epub"}
    for v in VARIANTS:
        name = f"planted-{v.name}.epub"
        write_variant(bases[v.base], v, folder / name)
        books[name] = f"planted: {v.planted}"
    return books


# ------------------------------------------------------------------ running


def load_conformance() -> ModuleType:
    path = ROOT / "tools" / "conformance" / "run.py"
    spec = importlib.util.spec_from_file_location("conformance_run", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def ace_rules(conformance: ModuleType, paths: Sequence[Path], jobs: int) -> dict[str, set[str]]:
    """Book name -> the Ace rules that fail on it."""
    results = conformance.ace(list(paths), jobs)
    out: dict[str, set[str]] = {}
    for path, summary in results.items():
        if summary.get("outcome") == "parse-error":
            out[path.name] = {"(parse-error)"}
            continue
        out[path.name] = {f["rule"] for f in summary["findings"]}
    return out


def check_rules(paths: Sequence[Path]) -> dict[str, set[str]]:
    """Book name -> the rules check reports at any severity."""
    from briefconvert.a11y.check import CheckConfig, check_file

    out: dict[str, set[str]] = {}
    for path in paths:
        result = check_file(path, CheckConfig())
        if result.error is not None:
            out[path.name] = {"(unreadable)"}
            continue
        out[path.name] = {f.rule for f in result.findings}
    return out


def table(books: Sequence[str], ace: dict[str, set[str]], ours: dict[str, set[str]]) -> tuple[str, int]:
    shared = sorted(set(ACE_TO_CHECK.values()))
    lines = [
        "| check rule | Ace rules | books: Ace | books: check | Ace only (misses) | check only |",
        "|---|---|---:|---:|---|---|",
    ]
    misses = 0
    for rule in shared:
        names = sorted(a for a, c in ACE_TO_CHECK.items() if c == rule)
        by_ace = {b for b in books if ace.get(b, set()) & set(names)}
        by_check = {b for b in books if rule in ours.get(b, set())}
        miss = sorted(by_ace - by_check)
        only = sorted(by_check - by_ace)
        misses += len(miss)
        fired = sorted({n for b in books for n in ace.get(b, set()) if n in names})
        shown = ", ".join(fired) if fired else "(" + ", ".join(names) + ": never fired)"
        lines.append(
            f"| `{rule}` | {shown} | {len(by_ace)} | {len(by_check)} | {_names(miss)} | {_names(only)} |"
        )
    return "\n".join(lines), misses


def _names(books: Sequence[str]) -> str:
    if not books:
        return "–"
    return ", ".join(b.removesuffix(".epub") for b in books)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2, help="Ace runs at a time (default 2)")
    ap.add_argument("--keep", type=Path, help="write the books into this folder and keep them")
    ap.add_argument("--verbose", action="store_true", help="print each book's Ace and check rules")
    args = ap.parse_args(argv)
    try:
        import pypandoc
    except ImportError:
        print("pandoc is needed: pip install -e '.[bench]' (PyPI pypandoc-binary)", file=sys.stderr)
        return 2
    conformance = load_conformance()
    why = conformance.missing(["ace"])
    if why:
        print(f"Ace cannot run: {why['ace']} (make conformance)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="compare-ace-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        books = build_books(folder, pypandoc.get_pandoc_path())
        paths = [folder / b for b in books]
        ace = ace_rules(conformance, paths, args.jobs)
        ours = check_rules(paths)
    names = list(books)
    versions = conformance.versions()
    ace_version = f"Ace {versions.get('ace')} (axe {versions.get('axe_core_in_ace')})"
    print(f"{ace_version} vs briefconvert check, {len(names)} books")
    print()
    text, misses = table(names, ace, ours)
    print(text)
    unmapped = sorted({r for b in names for r in ace.get(b, set())} - set(ACE_TO_CHECK))
    print()
    print(f"Ace rules with no check counterpart that fired: {', '.join(unmapped) if unmapped else 'none'}")
    print(f"misses (a shared rule Ace flags on a book and check does not): {misses}")
    if args.verbose:
        print()
        print("| book | what | Ace | check |")
        print("|---|---|---|---|")
        for b in names:
            print(
                f"| {b.removesuffix('.epub')} | {books[b]} | {', '.join(sorted(ace.get(b, set()))) or '–'} "
                f"| {', '.join(sorted(ours.get(b, set()))) or '–'} |"
            )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
