"""`briefconvert check` on EPUB: planted faults in briefconvert's own books
(each edit plants one fault and the right rule reports it, in the right
part and line), the shared bad sample, and briefconvert's own books of the
corpus briefs, which must be clean."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import briefconvert
from briefconvert.a11y.check import CheckConfig, FileResult, check_file, exit_code
from briefconvert.a11y.epub_rules import inspect
from briefconvert.a11y.findings import Finding, Sink
from briefconvert.diagnostics import Severity
from briefconvert.errors import BriefconvertError

FIXTURES = Path(__file__).parent.parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
BAD_EPUB = SHARED / "tools" / "validate" / "samples" / "bad" / "bad.epub"
CORPUS = SHARED / "corpus" / "generated"

OPF, NAV = "EPUB/package.opf", "EPUB/text/nav.xhtml"
CH1, CH2, CH3, CH4 = (f"EPUB/text/chapter-00{n}.xhtml" for n in (1, 2, 3, 4))

Edit = Callable[[str], str]


def sub(pattern: str, repl: str, flags: int = 0) -> Edit:
    """A substitution that must apply (once): a planted fault that is not
    planted would make a test pass for nothing."""

    def edit(text: str) -> str:
        out, n = re.subn(pattern, repl, text, count=1, flags=flags)
        assert n == 1, f"{pattern!r} not found"
        return out

    return edit


def suball(pattern: str, repl: str) -> Edit:
    def edit(text: str) -> str:
        out, n = re.subn(pattern, repl, text)
        assert n > 0, f"{pattern!r} not found"
        return out

    return edit


def plant(data: bytes, edits: Mapping[str, Edit]) -> bytes:
    """``data`` (an EPUB) with ``edits`` applied to the named entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        assert set(edits) <= set(zin.namelist())
        for info in zin.infolist():
            raw = zin.read(info)
            if info.filename in edits:
                raw = edits[info.filename](raw.decode("utf-8")).encode("utf-8")
            zout.writestr(info, raw)
    return buf.getvalue()


@pytest.fixture(scope="module")
def book() -> bytes:
    """briefconvert's EPUB of the tagged fixture PDF: chapters, an image with
    alt text, a note, a page list and page-break markers, full metadata."""
    return briefconvert.convert(FIXTURES / "pdf" / "tagged" / "brief.pdf", "epub").outputs["epub"].data


def check(data: bytes, tmp_path: Path, name: str = "book.epub") -> FileResult:
    path = tmp_path / name
    path.write_bytes(data)
    result = check_file(path, CheckConfig())
    assert result.error is None, result.error
    return result


def serious(result: FileResult) -> list[Finding]:
    return [f for f in result.findings if f.severity >= Severity.WARNING]


def line_of(data: bytes, part: str, needle: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read(part).decode("utf-8")
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_our_own_book_is_clean(book: bytes, tmp_path: Path) -> None:
    result = check(book, tmp_path)
    assert result.findings == ()
    assert exit_code([result], Severity.WARNING) == 0


# ------------------------------------------------------------------ planted faults

TOC_ITEM = '<li><a href="chapter-00{}[^"]*">[^<]*</a>'
PLANTED: list[tuple[str, dict[str, Edit], str, str, str | None]] = [
    # (name, edits, rule, a fragment of its message, the part it names)
    ("no dc:language", {OPF: sub(r"\s*<dc:language>[^<]*</dc:language>", "")}, "epub-package-lang",
     "no dc:language", OPF),
    ("no package xml:lang", {OPF: sub(r'(<package[^>]*?) xml:lang="[^"]*"', r"\1")}, "epub-package-lang",
     "<package> has no xml:lang", OPF),
    ("invalid dc:language", {OPF: sub(r"<dc:language>[^<]*<", "<dc:language>english<")}, "epub-package-lang",
     "'english' is not a valid language tag", OPF),
    ("no summary", {OPF: sub(r'\s*<meta property="schema:accessibilitySummary"[^>]*>[^<]*</meta>', "")},
     "epub-a11y-metadata", "no schema:accessibilitySummary", OPF),
    ("access mode outside the vocabulary", {OPF: sub(r'(schema:accessMode">)textual<', r"\1sight<")},
     "epub-a11y-metadata-value", "schema:accessMode has 'sight'", OPF),
    ("hazard none beside flashing",
     {OPF: sub(r"(<meta property=\"schema:accessibilityHazard\">none</meta>)",
               r'\1<meta property="schema:accessibilityHazard">flashing</meta>')},
     "epub-a11y-metadata-value", "'none' is declared beside other values", OPF),
    ("alternativeText claimed, an image without alt", {CH3: sub(r'(<img [^>]*?) alt="[^"]*"', r"\1")},
     "epub-a11y-metadata-consistency", "'alternativeText' is claimed, but 1 image has no text", OPF),
    ("images without visual access mode", {OPF: sub(r'(schema:accessMode">)visual<', r"\1textual<")},
     "epub-a11y-metadata-consistency", "accessMode does not include 'visual'", OPF),
    ("page list without its source", {OPF: sub(r'\s*<meta property="pageBreakSource">[^<]*</meta>', "")},
     "epub-a11y-metadata-consistency", "does not name its source", OPF),
    ("pageNavigation without a page list", {NAV: sub(r'<nav id="page-list".*?</nav>', "", re.S)},
     "epub-a11y-metadata-consistency", "'pageNavigation' is claimed, but there is no page list", OPF),
    ("markers without a page list", {NAV: sub(r'<nav id="page-list".*?</nav>', "", re.S)},
     "epub-page-list", "2 page-break marker(s) but no page list", CH1),
    ("page list entry to a missing id", {NAV: sub(r"#page-2\"", '#page-x"')}, "epub-page-list",
     "'chapter-004.xhtml#page-x' points to #page-x, which EPUB/text/chapter-004.xhtml does not have", NAV),
    ("page list entry to no page break", {NAV: sub(r"#page-2\"", '#recommendations"')}, "epub-page-list",
     "which is not marked as a page break", NAV),
    ("page-break marker without a label", {CH4: sub(r'(role="doc-pagebreak") title="[^"]*"', r"\1")},
     "epub-page-list", "a page-break marker has no label", CH4),
    ("noteref without its role", {CH1: sub(r' role="doc-noteref"', "")}, "epub-type-role",
     '<a epub:type="noteref"> has no role; expected role="doc-noteref"', CH1),
    ("toc without its role", {NAV: sub(r' role="doc-toc"', "")}, "epub-type-role",
     '<nav epub:type="toc"> has no role; expected role="doc-toc"', NAV),
    ("chapter without role", {CH2: sub(r"<main>", '<main><section epub:type="chapter"><p>x</p></section>')},
     "epub-type-role", 'expected role="doc-chapter"', CH2),
    ("no toc nav", {NAV: sub(r' epub:type="toc"', "")}, "epub-nav-toc", 'no <nav epub:type="toc">', NAV),
    ("no navigation document", {OPF: sub(r' properties="nav"', "")}, "epub-nav-toc", "no navigation document",
     OPF),
    ("toc entry to a missing id", {NAV: sub(r'chapter-002\.xhtml#background"', 'chapter-002.xhtml#nowhere"')},
     "epub-nav-toc", "#nowhere", NAV),
    ("toc out of reading order",
     {NAV: sub(f"({TOC_ITEM.format(2)}</li>)(\\s*)({TOC_ITEM.format(3)})", r"\3</li>\2\1<li>")},
     "epub-nav-toc", "is out of reading order", NAV),
    ("chapter without a title", {CH2: sub(r"\s*<title>[^<]*</title>", "")}, "document-title",
     "EPUB/text/chapter-002.xhtml has no <title>", CH2),
    ("chapter without a language", {CH2: sub(r' lang="[^"]*" xml:lang="[^"]*"', "")}, "document-lang",
     "<html> has no lang or xml:lang", CH2),
    ("chapter with lang and xml:lang apart", {CH2: sub(r'xml:lang="[^"]*"', 'xml:lang="fr"')},
     "document-lang", "but xml:lang='fr'", CH2),
    ("link to a missing file", {CH2: sub(r"(</h2>)", r'\1<p><a href="gone.xhtml">Gone</a></p>')},
     "note-ref-link", "'gone.xhtml' points to a file the book does not have", CH2),
    ("two main landmarks", {CH2: sub(r"(</main>)", r"\1<main><p>More.</p></main>")}, "html-main-landmark",
     "2 main landmarks", CH2),
    ("role=img without a name", {CH2: sub(r"(</h2>)", r'\1<p><span role="img">**</span></p>')}, "image-alt",
     '<span role="img"> has no text alternative', CH2),
    ("duplicate id", {CH2: sub(r"(</h2>)", r'\1<p id="background">Twice.</p>')}, "html-duplicate-id",
     "'background' is used 2 times", CH2),
    ("heading level skipped", {CH3: suball(r"(</?)h4", r"\1h6")}, "heading-order", "jumps from 3 to 6", CH3),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edits", "rule", "message", "part"), [p[1:] for p in PLANTED], ids=[p[0] for p in PLANTED]
)
def test_planted_fault(
    book: bytes, tmp_path: Path, edits: dict[str, Edit], rule: str, message: str, part: str | None
) -> None:
    result = check(plant(book, edits), tmp_path)
    found = [f for f in result.findings if f.rule == rule]
    assert any(message in f.message for f in found), [f"{f.rule}: {f.message}" for f in result.findings]
    hit = next(f for f in found if message in f.message)
    assert hit.part == part
    assert exit_code([result], Severity.WARNING) == 1


def test_planted_fault_lines(book: bytes, tmp_path: Path) -> None:
    """Findings inside documents give the element's line in that document."""
    data = plant(
        book,
        {
            NAV: sub(r"#page-2\"", '#page-x"'),
            CH1: sub(r' role="doc-noteref"', ""),
            CH3: sub(r'(<img [^>]*?) alt="[^"]*"', r"\1"),
        },
    )
    result = check(data, tmp_path)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["epub-page-list"].line == line_of(data, NAV, "#page-x")
    assert by_rule["epub-type-role"].line == line_of(data, CH1, 'epub:type="noteref"')
    assert (by_rule["image-alt"].part, by_rule["image-alt"].line) == (CH3, line_of(data, CH3, "<img "))


def test_no_a11y_metadata_reports_each_property(book: bytes, tmp_path: Path) -> None:
    data = plant(book, {OPF: suball(r'\s*<meta property="schema:[^"]+"[^>]*>[^<]*</meta>', "")})
    result = check(data, tmp_path)
    missing = sorted(f.message for f in result.findings if f.rule == "epub-a11y-metadata")
    assert missing == [
        "the package declares no schema:accessMode",
        "the package declares no schema:accessModeSufficient",
        "the package declares no schema:accessibilityFeature",
        "the package declares no schema:accessibilityHazard",
        "the package declares no schema:accessibilitySummary",
    ]
    # no claims left, so none can contradict the content
    assert not [f for f in result.findings if f.rule == "epub-a11y-metadata-consistency"]


def test_claims_without_markers(book: bytes, tmp_path: Path) -> None:
    data = plant(
        book,
        {
            NAV: sub(r'<nav id="page-list".*?</nav>', "", re.S),
            CH1: sub(r'<span id="page-1"[^>]*/>', ""),
            CH4: sub(r'<span id="page-2"[^>]*/>', ""),
        },
    )
    messages = [
        f.message for f in check(data, tmp_path).findings if f.rule == "epub-a11y-metadata-consistency"
    ]
    assert any(
        "'printPageNumbers' is claimed, but no content document has page-break markers" in m for m in messages
    )
    assert any("'pageNavigation' is claimed, but there is no page list" in m for m in messages)


def test_epub_type_with_implicit_or_no_role_is_fine(book: bytes, tmp_path: Path) -> None:
    markup = (
        '<figure epub:type="figure"><p>x</p></figure><section epub:type="bodymatter"><p>y</p></section>'
        '<p epub:type="biblioentry">z</p>'  # a deprecated role: no role needed
        '<section epub:type="chapter" role="doc-chapter"><p>w</p></section>'
        '<div hidden="hidden"><section epub:type="appendix"><p>hidden</p></section></div>'
    )
    data = plant(book, {CH2: sub(r"(</h2>)", r"\1" + markup)})
    assert [f for f in check(data, tmp_path).findings if f.rule == "epub-type-role"] == []


def test_pagebreak_marker_named_by_text_or_aria_label(book: bytes, tmp_path: Path) -> None:
    data = plant(
        book, {CH4: sub(r'(<span id="page-2" role="doc-pagebreak") title="2"([^>]*)/>', r"\1\2>2</span>")}
    )
    assert [f for f in check(data, tmp_path).findings if f.rule == "epub-page-list"] == []


# ------------------------------------------------------------------ the shared bad sample


def test_shared_bad_epub(tmp_path: Path) -> None:
    if not BAD_EPUB.is_file():
        pytest.skip(f"{BAD_EPUB} not found")
    result = check(BAD_EPUB.read_bytes(), tmp_path, "bad.epub")
    got = sorted((f.rule, f.part, f.line) for f in serious(result))
    ch = "EPUB/text/ch001.xhtml"
    assert got == sorted(
        [
            *(("epub-a11y-metadata", "EPUB/content.opf", 3),) * 5,  # the a11y metadata removed
            ("epub-package-lang", "EPUB/content.opf", 3),  # dc:language removed
            ("image-alt", ch, 27),  # the alt removed from the first image
            ("heading-order", ch, 31),  # h2 -> h5
            ("note-ref-link", ch, 109),  # the link to missing-chapter.xhtml
        ]
    )
    assert exit_code([result], Severity.WARNING) == 1


# ------------------------------------------------------------------ our own books are clean

SOURCES = [FIXTURES / "brief" / "brief.html"]
if CORPUS.is_dir():
    for _d in sorted(CORPUS.iterdir()):
        SOURCES += [p for p in (_d / "source.html", _d / "weasyprint-ua.pdf", _d / "libreoffice-tagged.pdf")]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_our_epubs_have_no_findings_at_warning(source: Path, tmp_path: Path) -> None:
    if not source.is_file():
        pytest.skip(f"{source} not found")
    data = briefconvert.convert(source, "epub").outputs["epub"].data
    result = check(data, tmp_path)
    assert serious(result) == []
    assert exit_code([result], Severity.WARNING) == 0


# ------------------------------------------------------------------ hostile input


def test_broken_books_raise_input_errors_or_give_findings(book: bytes) -> None:
    """Truncated and corrupted copies never crash a rule: either the book is
    unreadable (a BriefconvertError) or it is checked."""
    variants = [book[:n] for n in (0, 10, len(book) // 3, len(book) - 30)]
    variants += [
        book[:i] + b"\x00" * 64 + book[i + 64 :] for i in range(200, len(book), max(1, len(book) // 12))
    ]
    for data in variants:
        with contextlib.suppress(BriefconvertError):
            inspect(data, Path("x.epub"), Sink("x.epub"))


BOMB = (
    '<!DOCTYPE package [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<package'
)


def test_hostile_documents_are_checked_without_crashing(book: bytes, tmp_path: Path) -> None:
    deep = "<div>" * 3000 + "deep" + "</div>" * 3000
    data = plant(
        book,
        {
            CH2: sub(r"(</h2>)", r"\1" + deep),  # deeper than the XML parser accepts
            CH3: lambda s: s.replace("</html>", ""),  # not well-formed
            OPF: lambda s: sub(r"<package", BOMB)(s).replace("<dc:subject>", "<dc:subject>&c;&x;", 1),
        },
    )
    result = check(data, tmp_path)
    assert serious(result) == []  # recovered documents bring no phantom faults
    sink = Sink("book.epub")
    doc = inspect(data, Path("book.epub"), sink)
    assert doc.meta.keywords[0] == "&c;&x;water"  # entities are never expanded, files never read
    assert "deep" in " ".join(str(b) for b in doc.blocks)


# ------------------------------------------------------------------ EPUB 2


def test_epub2_package(tmp_path: Path) -> None:
    """EPUB 2: accessibility metadata as <meta name content>, an NCX instead
    of a navigation document, no xml:lang required on <package>."""
    from test_read_epub import C1, C2, METADATA, build, package

    a11y = "".join(
        f'<meta name="schema:{name}" content="{value}"/>'
        for name, value in (
            ("accessMode", "textual"),
            ("accessMode", "visual"),
            ("accessModeSufficient", "textual"),
            ("accessibilityFeature", "alternativeText"),
            ("accessibilityHazard", "none"),
            ("accessibilitySummary", "Text with described images."),
        )
    )
    opf = package(metadata=METADATA + a11y, attrs="").replace('version="3.0"', 'version="2.0"')
    opf = opf.replace(' properties="nav"', "").replace(
        '<item id="nav" href="nav.xhtml"', '<item id="nav" href="n.html"'
    )
    result = check(build({"OEBPS/text/c1.xhtml": C1, "OEBPS/text/c2.xhtml": C2}, opf=opf), tmp_path)
    # only the broken link that chapter 1 carries on purpose
    assert [(f.rule, f.part) for f in serious(result)] == [("note-ref-link", "OEBPS/text/c1.xhtml")]
    assert "'#nowhere'" in serious(result)[0].message


def test_our_book_of_an_untagged_pdf_names_the_caption_repeat(tmp_path: Path) -> None:
    """An untagged PDF holds no alt text; the EPUB names its figure by the
    caption (aria-labelledby), and check says that this text alternative
    repeats the caption (not that an alt attribute does)."""
    data = (
        briefconvert.convert(FIXTURES / "pdf" / "untagged" / "brief-outline.pdf", "epub").outputs["epub"].data
    )
    findings = [f for f in check(data, tmp_path).findings if f.rule == "image-alt-caption"]
    assert findings, "the caption-named figure is reported"
    assert all(f.message.startswith("the text alternative of image ") for f in findings)
    assert all(f.message.endswith("repeats its caption") for f in findings)
