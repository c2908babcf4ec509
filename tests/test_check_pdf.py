"""`briefconvert check` on PDF: tags, DisplayDocTitle and untagged content on
the file, the model with the metadata the file declares; planted faults in
the tagged fixture, untagged PDFs, and the corpus's tagged PDFs with what is
really wrong with them (checked by hand, see each test)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from briefconvert.a11y.check import CheckConfig, FileResult, check_file, exit_code
from briefconvert.a11y.findings import Sink
from briefconvert.a11y.pdf_rules import inspect, sample_pages
from briefconvert.diagnostics import Severity
from briefconvert.errors import InputError
from briefconvert.model import Heading
from briefconvert.walk import plain_text, query

FIXTURES = Path(__file__).parent.parent / "fixtures"
TAGGED = FIXTURES / "pdf" / "tagged" / "brief.pdf"
UNTAGGED = sorted((FIXTURES / "pdf" / "untagged").glob("*.pdf"))
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = SHARED / "corpus" / "generated"
REAL = SHARED / "corpus" / "real" / "pdf"


def check(data: bytes, tmp_path: Path) -> FileResult:
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    result = check_file(path, CheckConfig())
    assert result.error is None, result.error
    return result


def serious(result: FileResult) -> list[tuple[str, str | None, str]]:
    return [(f.rule, f.where, f.message) for f in result.findings if f.severity >= Severity.WARNING]


def rules(result: FileResult) -> set[str]:
    return {f.rule for f in result.findings if f.severity >= Severity.WARNING}


def edited(src: Path, edit: Callable[[pypdf.PdfWriter], None]) -> bytes:
    writer = pypdf.PdfWriter(clone_from=str(src))
    edit(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def struct_elements(writer: pypdf.PdfWriter) -> Iterator[DictionaryObject]:
    stack: list[object] = [writer.root_object["/StructTreeRoot"]]
    while stack:
        item = stack.pop()
        obj = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(obj, DictionaryObject):
            if "/S" in obj:
                yield obj
            kids = obj.get("/K")
            kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
            if isinstance(kids, ArrayObject):
                stack.extend(reversed(list(kids)))
            elif isinstance(kids, (DictionaryObject, IndirectObject)):
                stack.append(kids)


# ------------------------------------------------------------------ the tagged fixture


def test_tagged_fixture_is_clean(tmp_path: Path) -> None:
    result = check(TAGGED.read_bytes(), tmp_path)
    assert serious(result) == []
    assert exit_code([result], Severity.WARNING) == 0


def test_the_model_keeps_the_title_heading_and_the_declared_metadata() -> None:
    doc = inspect(TAGGED.read_bytes(), TAGGED, Sink("brief.pdf"))
    assert doc.meta.title == "Water Security in European Cities"
    assert doc.meta.lang == "en-US"
    headings = [(h.level, plain_text(h.content)) for h in query(doc, Heading)]
    assert headings[0] == (1, "Water Security in European Cities")  # the reader leaves it out of the body
    assert [level for level, _ in headings] == [1, 2, 2, 3, 3, 4, 2, 2]  # the H1-H4 tags as they are
    src = query(doc, Heading)[0].src
    assert src is not None and src.page == 1


def _drop(key: str) -> Callable[[pypdf.PdfWriter], None]:
    def edit(w: pypdf.PdfWriter) -> None:
        del w.root_object[NameObject(key)]

    return edit


def _set_root(key: str, value: object) -> Callable[[pypdf.PdfWriter], None]:
    def edit(w: pypdf.PdfWriter) -> None:
        w.root_object[NameObject(key)] = value

    return edit


def _no_title(w: pypdf.PdfWriter) -> None:
    w.add_metadata({"/Title": ""})
    info = w._info.get_object() if w._info is not None else None
    if info is not None and "/Title" in info:
        del info[NameObject("/Title")]


def _no_alt(w: pypdf.PdfWriter) -> None:
    for el in struct_elements(w):
        if str(el["/S"]) == "/Figure":
            del el[NameObject("/Alt")]


def _h3_to_h5(w: pypdf.PdfWriter) -> None:
    first = next(el for el in struct_elements(w) if str(el["/S"]) == "/H3")
    first[NameObject("/S")] = NameObject("/H5")


def _stray_text(w: pypdf.PdfWriter) -> None:
    """Text drawn outside any marked content on page 2."""
    page = w.pages[1]
    font = next(iter(page["/Resources"]["/Font"]))
    stream = DecodedStreamObject()
    stream.set_data(f"q BT {font} 9 Tf 40 20 Td (Stray footer text) Tj ET Q".encode("latin-1"))
    contents = page.get("/Contents")
    arr = ArrayObject(contents if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")])
    arr.append(w._add_object(stream))  # pypdf has no public way to append a content stream
    page[NameObject("/Contents")] = arr


PLANTED: list[tuple[str, Callable[[pypdf.PdfWriter], None], str, str, str | None]] = [
    (
        "no viewer preferences",
        _drop("/ViewerPreferences"),
        "pdf-display-doc-title",
        "no /DisplayDocTitle",
        None,
    ),
    (
        "DisplayDocTitle false",
        _set_root(
            "/ViewerPreferences", DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(False)})
        ),
        "pdf-display-doc-title",
        "sets /DisplayDocTitle false",
        None,
    ),
    (
        "not marked",
        _set_root("/MarkInfo", DictionaryObject({NameObject("/Marked"): BooleanObject(False)})),
        "pdf-tagged",
        "does not declare itself tagged",
        None,
    ),
    ("no structure tree", _drop("/StructTreeRoot"), "pdf-tagged", "no structure tree", None),
    ("no /Lang", _drop("/Lang"), "document-lang", "the catalogue has no /Lang", None),
    ("invalid /Lang", _set_root("/Lang", TextStringObject("english")), "document-lang", "'english'", None),
    ("no title", _no_title, "document-title", "no /Title", None),
    ("figure without /Alt", _no_alt, "image-alt", "has no text alternative", "page 1"),
    ("skipped heading level in the tags", _h3_to_h5, "heading-order", "jumps from 2 to 5", "page 1"),
    ("text outside the tags", _stray_text, "pdf-content-untagged", "'Stray footer text'", "page 2"),
]


@pytest.mark.parametrize(
    ("edit", "rule", "message", "where"), [p[1:] for p in PLANTED], ids=[p[0] for p in PLANTED]
)
def test_planted_fault(
    tmp_path: Path, edit: Callable[[pypdf.PdfWriter], None], rule: str, message: str, where: str | None
) -> None:
    result = check(edited(TAGGED, edit), tmp_path)
    hits = [f for f in result.findings if f.rule == rule and message in f.message]
    assert hits, [f"{f.rule}: {f.message}" for f in result.findings]
    assert hits[0].where == where
    assert exit_code([result], Severity.WARNING) == 1


def test_title_and_language_only_as_declared(tmp_path: Path) -> None:
    def edit(w: pypdf.PdfWriter) -> None:
        _no_title(w)
        _drop("/Lang")(w)

    data = edited(TAGGED, edit)
    doc = inspect(data, TAGGED, Sink("x.pdf"))
    assert doc.meta.title is None  # the reader would take the first heading
    assert doc.meta.lang is None


def test_untagged_pdfs_are_reported(tmp_path: Path) -> None:
    for pdf in UNTAGGED:
        result = check(pdf.read_bytes(), tmp_path)
        tagged = [f for f in result.findings if f.rule == "pdf-tagged"]
        assert [f.message for f in tagged] == [
            "the PDF has no structure tree (/StructTreeRoot): it is not tagged"
        ]
        # one finding says it all: untagged content is not also reported page by page
        assert "pdf-content-untagged" not in rules(result)


def test_not_a_pdf_is_an_input_error() -> None:
    with pytest.raises(InputError):
        inspect(b"<html>not a pdf</html>", Path("x.pdf"), Sink("x.pdf"))
    with pytest.raises(InputError):
        inspect(TAGGED.read_bytes()[:400], Path("x.pdf"), Sink("x.pdf"))


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, [0]), (5, [0, 1, 2, 3, 4]), (100, None)],
)
def test_sample_pages(count: int, expected: list[int] | None) -> None:
    pages = sample_pages(count, 10)
    if expected is not None:
        assert pages == expected
    else:
        assert len(pages) == 10 and pages[0] == 0 and pages[-1] == count - 1 and pages == sorted(set(pages))


# ------------------------------------------------------------------ the corpus


def _corpus(name: str) -> list[Path]:
    return sorted(CORPUS.glob(f"*/{name}")) if CORPUS.is_dir() else []


@pytest.mark.parametrize(
    "pdf",
    [*_corpus("weasyprint-plain.pdf"), *_corpus("weasyprint-nooutline.pdf"), *_corpus("libreoffice.pdf")],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_untagged_corpus_pdfs(pdf: Path, tmp_path: Path) -> None:
    result = check(pdf.read_bytes(), tmp_path)
    assert "pdf-tagged" in rules(result)
    assert exit_code([result], Severity.WARNING) == 1


@pytest.mark.parametrize("pdf", _corpus("weasyprint-ua.pdf"), ids=lambda p: p.parent.name)
def test_weasyprint_ua_running_headers_are_not_tagged(pdf: Path, tmp_path: Path) -> None:
    """Checked by hand (pypdf, content streams and /StructTreeRoot): WeasyPrint
    marks the running header and the page number of each page as /Span
    marked content with an /MCID, but no structure element refers to those
    MCIDs and they are not /Artifact -- PDF/UA-1 7.1 wants them tagged or
    marked as artifacts.  Everything else our rules look at is right:
    /MarkInfo /Marked true, a structure tree, /Lang, /Title,
    /DisplayDocTitle true, /Alt on the figure, H1-H4 in order."""
    result = check(pdf.read_bytes(), tmp_path)
    found = serious(result)
    assert {rule for rule, _, _ in found} == {"pdf-content-untagged"}
    by_page = {where: message for _, where, message in found}
    assert set(by_page) == {"page 1", "page 2", "page 3"}
    assert by_page["page 1"] == (
        "1 text run is in marked content that no structure element refers to (first: '1')"
    )  # the page number; the first page has no running header
    header = by_page["page 2"].partition("(first: ")[2]
    assert by_page["page 3"].endswith(header) and by_page["page 2"].startswith("2 text runs")
    doc = inspect(pdf.read_bytes(), pdf, Sink(pdf.name))
    assert header.strip("')") not in plain_text(doc.blocks)  # furniture, not content
    assert query(doc, Heading)[0].level == 1  # the title's H1 tag


@pytest.mark.parametrize("pdf", _corpus("libreoffice-tagged.pdf"), ids=lambda p: p.parent.name)
def test_libreoffice_tagged_pdfs_are_clean(pdf: Path, tmp_path: Path) -> None:
    """Checked by hand: LibreOffice marks headers and page numbers as
    artifacts, declares /Lang, /Title and /DisplayDocTitle, puts /Alt on
    the figure and tags H1-H4 in order."""
    assert serious(check(pdf.read_bytes(), tmp_path)) == []


@pytest.mark.parametrize(
    "name", ["verapdf-ua1-7.3-figure-alt.pdf", "verapdf-ua1-7.4.2-numbered-headings.pdf"]
)
def test_verapdf_ua_pass_files_are_clean(name: str, tmp_path: Path) -> None:
    """Checked by hand: both are veraPDF's PDF/UA 'pass' files: tagged and
    marked, /Lang en-US, a /Title, /DisplayDocTitle true; the first has a
    Figure with /Alt, the second four H1 headings (allowed in a PDF)."""
    pdf = REAL / name
    if not pdf.is_file():
        pytest.skip(f"{pdf} not found")
    assert serious(check(pdf.read_bytes(), tmp_path)) == []


@pytest.mark.parametrize("name", ["samplefiles-latex-multicolumn.pdf", "samplefiles-pdflatex-outline.pdf"])
def test_latex_pdfs(name: str, tmp_path: Path) -> None:
    """Checked by hand: untagged, no /Lang, no /Title (Info and XMP), no
    /ViewerPreferences."""
    pdf = REAL / name
    if not pdf.is_file():
        pytest.skip(f"{pdf} not found")
    assert {"pdf-tagged", "document-lang", "document-title", "pdf-display-doc-title"} <= rules(
        check(pdf.read_bytes(), tmp_path)
    )
