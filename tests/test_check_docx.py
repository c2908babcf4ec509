"""DOCX format rules (a11y/docx_rules.py) and the model the DOCX inspector
returns for the semantic rules: the known-bad sample, faults planted with
python-docx, and briefconvert's own DOCX outputs (which must pass)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

import briefconvert
from briefconvert.a11y import model_rules
from briefconvert.a11y.docx_rules import inspect
from briefconvert.a11y.findings import Finding, Sink
from briefconvert.diagnostics import Report, Severity
from briefconvert.errors import InputError
from briefconvert.model import Document, Image, Link, Table
from briefconvert.options import DocxWriterOptions
from briefconvert.walk import plain_text, query
from briefconvert.writers.docx import write_docx
from conftest import FIXTURES, SHARED
from model_samples import rich_document

PICTURE = FIXTURES / "brief" / "figure1-imports.png"
BAD_DOCX = SHARED / "tools" / "validate" / "samples" / "bad" / "bad.docx"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
DOCX_RULES = (
    "docx-heading-styles",
    "docx-fake-heading",
    "docx-decorative",
    "docx-floating-image",
    "docx-layout-spacing",
)


def check(data: bytes, name: str = "test.docx") -> tuple[list[Finding], Document]:
    sink = Sink(name)
    doc = inspect(data, Path(name), sink)
    return sink.findings, doc


def check_all(data: bytes, name: str = "test.docx") -> list[Finding]:
    """Format rules and semantic rules, as ``briefconvert check`` runs them."""
    sink = Sink(name)
    doc = inspect(data, Path(name), sink)
    model_rules.run(doc, sink, fmt="docx")
    return sink.findings


def ids(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def save(d: docx.document.Document) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def new_document(title: str = "A titled document") -> docx.document.Document:
    d = docx.Document()
    d.core_properties.title = title
    return d


# ------------------------------------------------------------ the bad sample


@pytest.fixture(scope="module")
def bad_docx() -> bytes:
    if not BAD_DOCX.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{BAD_DOCX} is missing in CI")
        pytest.skip(f"{BAD_DOCX} not found (the shared folder sits beside the checkout)")
    return BAD_DOCX.read_bytes()


def test_bad_sample_format_rules_and_model(bad_docx: bytes) -> None:
    findings, doc = check(bad_docx, "bad.docx")
    assert sorted(ids(findings)) == ["docx-fake-heading", "docx-heading-styles"]
    fake = next(f for f in findings if f.rule == "docx-fake-heading")
    assert "'Fake heading made of bold text' is bold" in fake.message
    assert (fake.part, fake.line, fake.severity) == ("word/document.xml", 1, Severity.WARNING)
    # the model keeps the faults for the semantic rules
    (image,) = query(doc, Image)
    assert image.alt is None and image.resource in doc.resources
    (table,) = query(doc, Table)
    assert table.head == () and not any(c.header for body in table.bodies for r in body for c in r.cells)
    assert doc.meta.title is None
    (link,) = query(doc, Link)
    assert (plain_text(link.content), link.url) == ("click here", "https://example.org/details")
    # make_bad_samples.py empties the core 'language' property, but python-docx's
    # template still declares en-US as the default language of the text
    # (w:docDefaults), which is what Word and screen readers use: the file
    # has a language, so document-lang has nothing to report.
    assert doc.meta.lang == "en-US"


def test_bad_sample_with_the_semantic_rules(bad_docx: bytes) -> None:
    findings = check_all(bad_docx, "bad.docx")
    found = set(ids(findings))
    assert {
        "docx-heading-styles",
        "docx-fake-heading",
        "image-alt",
        "table-header",
        "document-title",
        "link-text-generic",
    } <= found
    assert "document-lang" not in found
    image = next(f for f in findings if f.rule == "image-alt")
    assert (image.part, image.line) == ("word/document.xml", 3)


# ------------------------------------------------------------ our own outputs

BRIEFS = [FIXTURES / "brief" / "brief.html", *sorted((SHARED / "corpus" / "generated").glob("*/source.html"))]


@pytest.mark.parametrize("source", BRIEFS, ids=lambda p: p.parent.name)
def test_own_outputs_pass(source: Path) -> None:
    if not source.is_file():
        pytest.fail(f"{source} is missing")
    data = briefconvert.convert(source, to="docx").outputs["docx"].data
    serious = [f for f in check_all(data, f"{source.parent.name}.docx") if f.severity >= Severity.WARNING]
    assert serious == []


def test_rich_document_output_passes_the_format_rules() -> None:
    data = write_docx(rich_document(), options=DocxWriterOptions(), report=Report()).data
    findings, _ = check(data)
    assert findings == []  # code with spaces, a definition list's bold terms, a box's heading ...


# ------------------------------------------------------------ planted faults


def _body_text(d: docx.document.Document, n: int = 6) -> None:
    for i in range(n):
        d.add_paragraph(f"Body paragraph {i} with enough words to be ordinary text of the document.")


def test_no_heading_styles() -> None:
    d = new_document()
    _body_text(d)
    findings, _ = check(save(d))
    assert ids(findings) == ["docx-heading-styles"]
    assert findings[0].line is None and "6 paragraphs of text" in findings[0].message

    d.paragraphs[2].insert_paragraph_before("A real heading", style="Heading 1")
    assert check(save(d))[0] == []

    letter = new_document()
    _body_text(letter, 3)  # a short letter needs no headings
    assert check(save(letter))[0] == []


def test_fake_headings_bold_and_large() -> None:
    d = new_document()
    d.add_heading("Report", level=1)
    d.add_paragraph().add_run("Background and context").bold = True
    _body_text(d, 2)
    big = d.add_paragraph().add_run("Costs of the programme")
    big.font.size = Pt(16)
    _body_text(d, 2)
    d.add_paragraph().add_run("A bold sentence that ends like a sentence.").bold = True
    _body_text(d, 1)
    d.add_paragraph().add_run("Bold before a heading").bold = True
    d.add_heading("Next section", level=2)
    table = d.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("Bold cell").bold = True
    _body_text(d, 1)
    d.add_paragraph().add_run("Bold at the very end").bold = True
    findings, _ = check(save(d))
    assert [(f.rule, f.line) for f in findings] == [("docx-fake-heading", 2), ("docx-fake-heading", 5)]
    assert "'Background and context' is bold" in findings[0].message
    assert "'Costs of the programme' is set in 16 pt (body text 11 pt)" in findings[1].message


def test_fake_heading_before_a_list_and_a_table() -> None:
    d = new_document()
    d.add_heading("Report", level=1)
    d.add_paragraph().add_run("Key figures").bold = True
    d.add_table(rows=2, cols=2)
    d.add_paragraph().add_run("Main points").bold = True
    d.add_paragraph("first point", style="List Bullet")
    findings, _ = check(save(d))
    assert [f.message.split("'")[1] for f in findings] == ["Key figures", "Main points"]


def _decorate(docpr: etree._Element) -> None:
    ext_lst = etree.SubElement(docpr, f"{{{A_NS}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{A_NS}}}ext", uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    etree.SubElement(ext, f"{{{ADEC}}}decorative", val="1")


def _docpr(shape: docx.shape.InlineShape) -> etree._Element:
    docpr: etree._Element = shape._inline.docPr
    return docpr


def test_decorative_with_description() -> None:
    d = new_document()
    d.add_heading("Figures", level=1)
    contradictory = d.add_picture(str(PICTURE))
    _docpr(contradictory).set("descr", "Bar chart of imports")
    _decorate(_docpr(contradictory))
    decorative = d.add_picture(str(PICTURE))
    _decorate(_docpr(decorative))
    described = d.add_picture(str(PICTURE))
    _docpr(described).set("descr", "Map of the corridors")
    findings, doc = check(save(d))
    assert ids(findings) == ["docx-decorative"]
    assert findings[0].line == 2 and "'Bar chart of imports'" in findings[0].message
    # decorative wins in the model (Word greys the description out); the rest as declared
    assert [i.alt for i in query(doc, Image)] == ["", "", "Map of the corridors"]


def _float(shape: docx.shape.InlineShape) -> None:
    """Turn an inline picture into a floating one (square wrapping), as
    Word writes it."""
    inline = shape._inline
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} behindDoc="0" distT="0" distB="0" distL="114300" '
        'distR="114300" simplePos="0" locked="0" layoutInCell="1" allowOverlap="1" relativeHeight="2">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        "</wp:positionV></wp:anchor>"
    )
    anchor.append(inline.find(qn("wp:extent")))
    etree.SubElement(anchor, qn("wp:wrapSquare"), wrapText="bothSides")
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        anchor.append(inline.find(qn(tag)))
    inline.getparent().replace(inline, anchor)


def test_floating_pictures_and_shapes() -> None:
    d = new_document()
    d.add_heading("Figures", level=1)
    floating = d.add_picture(str(PICTURE))
    _docpr(floating).set("descr", "Imports by year")
    _float(floating)
    d.add_picture(str(PICTURE))  # in line with text: fine
    vml = parse_xml(
        f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
        '<v:shape id="Text Box 2" style="position:absolute;margin-left:0;'
        'width:100pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Call-out text</w:t></w:r>'
        "</w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
    )
    d.add_paragraph("Anchor paragraph. ").add_run()._r.append(vml)
    findings, doc = check(save(d))
    assert [(f.rule, f.line) for f in findings] == [("docx-floating-image", 2), ("docx-floating-image", 4)]
    assert "picture 'Picture 1' floats (wrapping: square)" in findings[0].message
    assert "text box 'Text Box 2' floats (absolutely positioned)" in findings[1].message
    # the floating picture is still in the model, with its description
    assert [i.alt for i in query(doc, Image)] == ["Imports by year", None]
    assert "Call-out text" in plain_text(list(doc.blocks))


def test_blank_paragraphs_and_repeated_blanks() -> None:
    d = new_document()
    d.add_heading("Layout", level=1)
    d.add_paragraph("Before the gap.")
    for _ in range(3):
        d.add_paragraph()
    d.add_paragraph("After the gap.")
    d.add_paragraph()  # one empty paragraph alone is not reported
    d.add_paragraph("Name:      Jane Doe")
    d.add_paragraph("Total\t\t42")
    d.add_paragraph("Single spaces and\tone tab are fine.")
    macro = next(s for s in d.styles if s.style_id == "MacroText")  # Word's "Macro Text" code style
    d.add_paragraph("    indented = code", style=macro)  # code keeps its spaces
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.add_paragraph()
    cell.add_paragraph()  # empty paragraphs in a cell are not counted
    d.add_paragraph("End.")
    findings, _ = check(save(d))
    assert [(f.rule, f.line) for f in findings] == [
        ("docx-layout-spacing", 3),
        ("docx-layout-spacing", 8),
        ("docx-layout-spacing", 9),
    ]
    assert findings[0].message == "3 consecutive empty paragraphs used for spacing"
    assert findings[1].message == "6 consecutive spaces in 'Name: Jane Doe' used for alignment"
    assert findings[2].message.startswith("2 consecutive tabs in 'Total 42'")


def test_every_docx_rule_is_in_the_table_and_can_fire() -> None:
    from briefconvert.a11y.rules import RULES_BY_ID

    assert all(RULES_BY_ID[r].kind == "format" and RULES_BY_ID[r].formats == {"docx"} for r in DOCX_RULES)


def test_unreadable_files_raise_input_errors() -> None:
    with pytest.raises(InputError):
        check(b"not a zip at all")
    with pytest.raises(InputError):
        check(b"PK\x03\x04 truncated")


def test_check_is_fast_on_a_large_document(tmp_path: Path) -> None:
    """Reading and checking scale linearly: a document ten times longer takes
    well under twenty times as long (no quadratic step)."""
    import time

    def build(n: int) -> bytes:
        d = new_document()
        for i in range(n):
            d.add_heading(f"Section {i}", level=2)
            d.add_paragraph("Text " * 40)
        return save(d)

    def cost(data: bytes) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            check(data)
            best = min(best, time.process_time() - start)
        return best

    small, large = build(100), build(1000)
    assert cost(large) < 20 * max(cost(small), 0.005)
