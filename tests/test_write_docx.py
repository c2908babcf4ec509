"""The DOCX writer: structure read back with python-docx and as raw OOXML,
goldens (normalised package dumps), reproducibility, and the independent
validators (../shared/tools/validate: python-docx inspector + LibreOffice)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from PIL import Image as PILImage

sys.path.insert(0, str(Path(__file__).parent))

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    Attr,
    BulletList,
    Cell,
    CodeBlock,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Resource,
    Row,
    Table,
    Text,
    ThematicBreak,
)
from briefconvert.options import DocxWriterOptions
from briefconvert.resources import resource_key
from briefconvert.walk import query
from briefconvert.writers.docx import write_docx
from conftest import Golden, run_validators
from model_samples import PNG, PNG_KEY, P, T, minimal_document, rich_document

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = f"{{{NS['w']}}}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|webp|svg|bmp|tiff?)\s*$|[/\\]", re.I)


# -------------------------------------------------------------------- helpers


def write(doc: Document) -> tuple[bytes, Report]:
    report = Report()
    out = write_docx(doc, options=DocxWriterOptions(), report=report)
    assert out.attachments == ()
    return out.data, report


class Pkg:
    """A written package, its XML parts parsed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name), PARSER)

    def has(self, name: str) -> bool:
        return name in self.zip.namelist()

    @property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml").find("w:body", NS)  # type: ignore[return-value]

    def rels(self, name: str = "word/_rels/document.xml.rels") -> dict[str, etree._Element]:
        return {r.get("Id"): r for r in self.xml(name).iterfind("rel:Relationship", NS)}

    def footnotes(self) -> list[etree._Element]:
        return [
            f for f in self.xml("word/footnotes.xml").iterfind("w:footnote", NS) if f.get(W + "type") is None
        ]


def pkg(doc: Document) -> Pkg:
    return Pkg(write(doc)[0])


def text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def pstyle(p: etree._Element) -> str | None:
    s = p.find("w:pPr/w:pStyle", NS)
    return None if s is None else s.get(W + "val")


def body_paragraphs(p: Pkg) -> list[etree._Element]:
    """Top-level body paragraphs (not inside tables)."""
    return p.body.findall("w:p", NS)


def headings(p: Pkg) -> list[tuple[str, str]]:
    return [
        (s, text(par))
        for par in p.body.iter(W + "p")
        if (s := pstyle(par)) is not None and s.startswith("Heading")
    ]


def paragraph_with(p: Pkg, needle: str) -> etree._Element:
    """The one paragraph whose text is ``needle``, else the one containing it."""
    found = [par for par in p.body.iter(W + "p") if text(par) == needle]
    found = found or [par for par in p.body.iter(W + "p") if needle in text(par)]
    assert len(found) == 1, f"{needle!r}: {len(found)} paragraphs"
    return found[0]


def numbering(p: Pkg) -> tuple[dict[str, etree._Element], dict[str, etree._Element]]:
    root = p.xml("word/numbering.xml")
    abstract = {a.get(W + "abstractNumId"): a for a in root.iterfind("w:abstractNum", NS)}
    nums = {n.get(W + "numId"): n for n in root.iterfind("w:num", NS)}
    return abstract, nums


def num_pr(par: etree._Element) -> tuple[str, int] | None:
    n = par.find("w:pPr/w:numPr", NS)
    if n is None:
        return None
    return n.find("w:numId", NS).get(W + "val"), int(n.find("w:ilvl", NS).get(W + "val"))  # type: ignore[union-attr]


def num_format(p: Pkg, num_id: str, ilvl: int) -> tuple[str, int | None]:
    """(numFmt, startOverride) of list instance ``num_id`` at ``ilvl``."""
    abstract, nums = numbering(p)
    num = nums[num_id]
    aid = num.find("w:abstractNumId", NS).get(W + "val")  # type: ignore[union-attr]
    lvl = abstract[aid].find(f"w:lvl[@w:ilvl='{ilvl}']", NS)
    fmt = lvl.find("w:numFmt", NS).get(W + "val")  # type: ignore[union-attr]
    override = num.find(f"w:lvlOverride[@w:ilvl='{ilvl}']/w:startOverride", NS)
    return fmt, None if override is None else int(override.get(W + "val"))  # type: ignore[arg-type]


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def with_image(*blocks: Any, data: bytes = PNG, size: tuple[int, int] | None = (2, 1)) -> Document:
    key = resource_key(data, "image/png")
    w, h = size if size else (None, None)
    return Document(Meta(title="T", lang="en"), blocks, {key: Resource(key, "image/png", data, w, h)})


# ------------------------------------------------- the empty-paragraph rule


def empty_paragraph_reason(par: etree._Element) -> str | None:
    """Why a paragraph without visible content is allowed, or None when it
    shows something.  The rule: every ``w:p`` has non-blank text, a drawing,
    or a note reference; else it must be one of

    * a ThematicBreak: a bottom border and no runs;
    * the paragraph OOXML requires in a table cell with no other content
      (an empty cell or the continuation of a vertical merge), or closing a
      cell that ends with a nested table;
    * the separator between two tables that would otherwise touch;
    * a footnote separator (its run holds ``w:separator`` /
      ``w:continuationSeparator``)."""
    if any((t.text or "").strip() for t in par.iter(W + "t")):
        return None
    if par.find(".//w:drawing", NS) is not None or par.find(".//w:footnoteReference", NS) is not None:
        return None
    if par.find(".//w:footnoteRef", NS) is not None:
        return None
    if par.find(".//w:separator", NS) is not None or par.find(".//w:continuationSeparator", NS) is not None:
        return "separator"
    if par.find("w:pPr/w:pBdr/w:bottom", NS) is not None and par.find("w:r", NS) is None:
        return "rule"
    parent = par.getparent()
    assert parent is not None
    blocks_ = [c for c in parent if c.tag in (W + "p", W + "tbl")]
    previous, following = par.getprevious(), par.getnext()
    if parent.tag == W + "tc":
        if blocks_ == [par]:
            return "empty cell"
        if blocks_[-1] is par and previous is not None and previous.tag == W + "tbl":
            return "after nested table"
    if previous is not None and following is not None and previous.tag == following.tag == W + "tbl":
        return "between tables"
    raise AssertionError(f"empty paragraph: {etree.tostring(par).decode()[:300]}")


def assert_no_spacing_paragraphs(p: Pkg) -> list[str]:
    reasons = [empty_paragraph_reason(par) for par in p.body.iter(W + "p")]
    if p.has("word/footnotes.xml"):
        reasons += [empty_paragraph_reason(par) for par in p.xml("word/footnotes.xml").iter(W + "p")]
    for t in p.body.iter(W + "t"):  # no runs of spaces for layout
        assert not re.search(r"\S {3,}\S|^ {2,}|\s{2,}$", t.text or "") or t.getparent().getparent() is None
    return [r for r in reasons if r and r != "separator"]


# --------------------------------------------------------------- headings


def test_rich_document_reads_back_with_python_docx() -> None:
    data, _ = write(rich_document())
    word = docx.Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Heading", "Sub"))]
    assert styled == [
        ("Heading 1", "Grid Flexibility and the Energy Union"),
        ("Subtitle", "How demand response can lower bills"),
        ("Heading 2", "Key findings"),
        ("Heading 2", "Introduction"),
        ("Heading 3", "Three steps"),
        ("Heading 2", "Notes"),
        ("Heading 2", "Bibliographic data"),
    ]
    texts = [p.text for p in word.paragraphs]
    assert texts[:5] == [
        "Grid Flexibility and the Energy Union",
        "How demand response can lower bills",
        "Maria Keller, Tomás Ferreira",
        "2025-03-14",
        "Centre for European Energy Studies",
    ]
    assert [p.style.name for p in word.paragraphs[2:5]] == ["Normal"] * 3
    assert len(word.tables) == 1 and word.tables[0].style.name == "Table Grid"
    assert len(word.inline_shapes) == 2


def H(level: int, s: str, **kw: Any) -> Heading:
    return Heading(level, (T(s),), **kw)


@pytest.mark.parametrize(
    ("title", "levels", "expected"),
    [
        ("T", [2, 3, 2], [1, 2, 3, 2]),  # the normal case: nothing to fix
        ("T", [1, 4, 2, 3, 1], [1, 2, 3, 2, 3, 2]),  # a second level 1 demoted; a skip clamped
        (None, [2, 3, 5], [1, 2, 3]),  # no title: the first heading becomes the Heading 1
        (None, [1, 1, 3], [1, 2, 3]),
        ("T", [6, 6, 6], [1, 2, 3, 4]),
    ],
)
def test_heading_levels_never_skip_and_one_heading_1(
    title: str | None, levels: list[int], expected: list[int]
) -> None:
    blocks = tuple(x for i, lv in enumerate(levels) for x in (H(lv, f"h{i}"), P("text")))
    data, report = write(Document(Meta(title=title), blocks))
    got = [int(s.removeprefix("Heading")) for s, _ in headings(Pkg(data))]
    assert got == expected
    fixed = sum(a != b for a, b in zip(levels, expected[1:] if title else expected, strict=True))
    assert len([d for d in report.diagnostics if d.code == "heading-order"]) == fixed


def test_blank_title_does_not_count_as_the_heading_1() -> None:
    p = pkg(Document(Meta(title=" \x00 "), (H(2, "First"), H(3, "Second"))))
    assert headings(p) == [("Heading1", "First"), ("Heading2", "Second")]


def test_headings_in_the_box_lists_and_notes() -> None:
    doc = Document(
        Meta(title="T"),
        (
            Aside((H(2, "Summary"), P("boxed")), kind="summary"),
            BulletList((ListItem((H(3, "In a list"), P("x"))),)),
            P("a", Note((H(2, "Note heading"), P("note body")))),
        ),
    )
    p = pkg(doc)
    assert headings(p) == [("Heading1", "T"), ("Heading2", "Summary"), ("Heading3", "In a list")]
    box = paragraph_with(p, "Summary")
    assert box.find("w:pPr/w:pBdr/w:left", NS) is not None and box.find("w:pPr/w:shd", NS) is not None
    assert paragraph_with(p, "boxed").find("w:pPr/w:pBdr/w:top", NS) is not None
    fn = p.footnotes()[0]
    first = fn.find("w:p", NS)
    assert pstyle(first) == "FootnoteText" and first.find(".//w:b", NS) is not None  # bold, not a heading


# ----------------------------------------------------------------- lists


def test_lists_are_word_numbering_restarting_with_their_start() -> None:
    p = pkg(rich_document())
    first = paragraph_with(p, "Open markets to aggregators.")
    nested = paragraph_with(p, "in capacity markets")
    letter = paragraph_with(p, "first")
    bullet = paragraph_with(p, "Demand response could cut")
    ordered_id, lvl = num_pr(first)  # type: ignore[misc]
    assert lvl == 0 and num_format(p, ordered_id, 0) == ("decimal", 3)
    assert num_pr(paragraph_with(p, "Measure results.")) == (ordered_id, 0)
    nested_id, nested_lvl = num_pr(nested)  # type: ignore[misc]
    assert nested_lvl == 1 and num_format(p, nested_id, 1)[0] == "bullet"
    letter_id, _ = num_pr(letter)  # type: ignore[misc]
    assert num_format(p, letter_id, 0) == ("lowerLetter", 1)
    bullet_id, _ = num_pr(bullet)  # type: ignore[misc]
    assert num_format(p, bullet_id, 0) == ("bullet", None)
    assert len({ordered_id, nested_id, letter_id, bullet_id}) == 4
    for par in (first, nested, letter):
        assert pstyle(par) == "ListParagraph"
        assert not par.xpath(
            ".//w:t[starts-with(normalize-space(.), '•')]", namespaces=NS
        )  # no typed bullets


def test_every_list_instance_restarts() -> None:
    lists = tuple(OrderedList((ListItem((P(f"{n}-one"),)), ListItem((P(f"{n}-two"),))), style=s) for n, s in
                  enumerate(("1", "1", "A", "i", "I")))  # fmt: skip
    p = pkg(Document(Meta(title="T"), lists))
    ids = [num_pr(paragraph_with(p, f"{n}-one"))[0] for n in range(5)]  # type: ignore[index]
    assert len(set(ids)) == 5
    formats = [num_format(p, i, 0) for i in ids]
    assert formats == [
        ("decimal", 1),
        ("decimal", 1),
        ("upperLetter", 1),
        ("lowerRoman", 1),
        ("upperRoman", 1),
    ]


def test_list_item_continuation_paragraphs_and_nesting_levels() -> None:
    deep = BulletList((ListItem((P("level 2"), BulletList((ListItem((P("level 3"),)),)))),))
    doc = Document(
        Meta(title="T"),
        (OrderedList((ListItem((P("item"), P("more of the item"), deep)),), start=7),),
    )
    p = pkg(doc)
    item = paragraph_with(p, "item")
    more = paragraph_with(p, "more of the item")
    assert num_pr(item) is not None and num_pr(more) is None
    assert pstyle(more) == "ListParagraph"
    assert more.find("w:pPr/w:ind", NS).get(W + "left") == "720"  # type: ignore[union-attr]
    assert num_pr(paragraph_with(p, "level 2"))[1] == 1  # type: ignore[index]
    assert num_pr(paragraph_with(p, "level 3"))[1] == 2  # type: ignore[index]
    assert num_format(p, num_pr(item)[0], 0) == ("decimal", 7)  # type: ignore[index]


# ----------------------------------------------------------------- tables


def test_table_header_rows_caption_and_bold_header_cells() -> None:
    p = pkg(rich_document())
    tbl = p.body.find("w:tbl", NS)
    assert tbl is not None
    rows = tbl.findall("w:tr", NS)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True, False, False, False, False]
    look = tbl.find("w:tblPr/w:tblLook", NS)
    assert look.get(W + "firstRow") == "1"  # type: ignore[union-attr]
    assert tbl.find("w:tblPr/w:tblStyle", NS).get(W + "val") == "TableGrid"  # type: ignore[union-attr]
    assert tbl.find("w:tblPr/w:tblCaption", NS).get(W + "val") == "Table 1: Flexible capacity, 2024"  # type: ignore[union-attr]
    caption = tbl.getprevious()
    assert pstyle(caption) == "Caption" and text(caption) == "Table 1: Flexible capacity, 2024"  # type: ignore[arg-type]
    assert caption.find("w:pPr/w:keepNext", NS) is not None  # type: ignore[union-attr]
    cells = [[(text(tc), tc.find(".//w:b", NS) is not None) for tc in r.findall("w:tc", NS)] for r in rows]
    assert cells[0] == [("Country", True), ("Flexible capacity (GW)", True)]
    assert cells[1] == [("Germany", True), ("12.4", False)]  # row header bold, data cell not
    assert cells[4] == [("Total", True), ("20.5", False)]


def test_spans_become_gridspan_and_vmerge() -> None:
    def c(s: str, **kw: Any) -> Cell:
        return Cell((P(s),), **kw)

    tbl = Table(
        head=(),
        bodies=(
            (
                Row((c("h1", header=True), c("h2", header=True), c("h3", header=True))),
                Row((c("wide", colspan=2), c("tall", rowspan=2))),
                Row((c("a"), c("b"))),
                Row((c("x"),)),  # short row
            ),
        ),
    )
    p = pkg(Document(Meta(title="T"), (tbl,)))
    t = p.body.find("w:tbl", NS)
    assert t is not None
    assert len(t.findall("w:tblGrid/w:gridCol", NS)) == 3
    rows = t.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None  # first row all header cells
    assert rows[1].find("w:trPr/w:tblHeader", NS) is None
    assert t.find("w:tblPr/w:tblLook", NS).get(W + "firstRow") == "1"  # type: ignore[union-attr]
    wide, tall = rows[1].findall("w:tc", NS)
    assert wide.find("w:tcPr/w:gridSpan", NS).get(W + "val") == "2"  # type: ignore[union-attr]
    assert tall.find("w:tcPr/w:vMerge", NS).get(W + "val") == "restart"  # type: ignore[union-attr]
    third = rows[2].findall("w:tc", NS)
    assert [text(tc) for tc in third] == ["a", "b", ""]
    cont = third[2].find("w:tcPr/w:vMerge", NS)
    assert cont is not None and cont.get(W + "val") in (None, "continue")
    assert rows[3].find("w:trPr/w:gridAfter", NS).get(W + "val") == "2"  # type: ignore[union-attr]
    assert len(rows[3].findall("w:tc", NS)) == 1
    assert assert_no_spacing_paragraphs(p) == ["empty cell"]


# ----------------------------------------------------------------- images


def drawings(p: Pkg) -> list[etree._Element]:
    return p.body.findall(".//w:drawing", NS)


def test_images_inline_with_alt_text_and_decorative_flag() -> None:
    doc = rich_document()
    p = pkg(doc)
    images = drawings(p)
    assert len(images) == 2
    assert p.body.find(".//wp:anchor", NS) is None
    for d in images:
        assert d.find("wp:inline", NS) is not None
    alts = [i.alt for i in query(doc, Image) if i.resource in doc.resources]
    for d, alt in zip(images, alts, strict=True):
        docpr = d.find(".//wp:docPr", NS)
        cnvpr = d.find(".//pic:cNvPr", NS)
        assert docpr is not None and cnvpr is not None
        assert docpr.get("descr") == alt and cnvpr.get("descr") == alt
        assert re.fullmatch(r"Picture \d+", docpr.get("name", "")) and cnvpr.get("name") == docpr.get("name")
        assert not FILE_NAME.search(docpr.get("descr") or "")
        decorative = docpr.find("a:extLst/a:ext/adec:decorative", NS)
        if alt == "":
            assert decorative is not None and decorative.get("val") == "1"
        else:
            assert decorative is None
    ids = [d.find(".//wp:docPr", NS).get("id") for d in images]  # type: ignore[union-attr]
    assert len(set(ids)) == len(ids)
    # The images that were not loaded: alt text in brackets, nothing for unknown alt.
    assert "[Map of Europe]" in text(paragraph_with(p, "An image with unknown alt"))


def test_unknown_alt_has_no_descr_and_is_reported() -> None:
    doc = with_image(Paragraph((Image(resource_key(PNG, "image/png"), None),)))
    data, report = write(doc)
    docpr = Pkg(data).body.find(".//wp:docPr", NS)
    assert docpr is not None and docpr.get("descr") is None
    assert Pkg(data).body.find(".//pic:cNvPr", NS).get("descr") is None  # type: ignore[union-attr]
    assert [d.code for d in report.diagnostics if d.severity >= 20] == ["image-alt"]


def test_image_size_fits_the_text_width_keeping_the_aspect_ratio() -> None:
    big = png(2000, 1000)
    key = resource_key(big, "image/png")
    p = pkg(with_image(Paragraph((Image(key, "wide chart"),)), data=big, size=None))
    ext = p.body.find(".//wp:extent", NS)
    assert ext is not None
    cx, cy = int(ext.get("cx", "0")), int(ext.get("cy", "0"))
    assert cx == (12240 - 2 * 1800) * 635  # the template's text width
    assert abs(cy * 2 - cx) <= 2
    small = pkg(with_image(Paragraph((Image(PNG_KEY, "dot"),)))).body.find(".//wp:extent", NS)
    assert small is not None and (small.get("cx"), small.get("cy")) == (str(2 * 9525), str(9525))  # 96 dpi


def test_webp_images_are_re_encoded_as_png() -> None:
    out = io.BytesIO()
    PILImage.new("RGB", (4, 2), (0, 90, 200)).save(out, format="WEBP")
    key = resource_key(out.getvalue(), "image/webp")
    doc = Document(
        Meta(title="T"),
        (Paragraph((Image(key, "blue"),)),),
        {key: Resource(key, "image/webp", out.getvalue(), 4, 2)},
    )
    p = pkg(doc)
    media = [n for n in p.zip.namelist() if n.startswith("word/media/")]
    assert len(media) == 1 and media[0].endswith(".png")
    assert p.zip.read(media[0]).startswith(b"\x89PNG")


def test_same_image_twice_is_stored_once() -> None:
    doc = with_image(Paragraph((Image(PNG_KEY, "one"), Text(" "), Image(PNG_KEY, "two"))))
    p = pkg(doc)
    assert len([n for n in p.zip.namelist() if n.startswith("word/media/")]) == 1
    assert len(drawings(p)) == 2


# -------------------------------------------------------------- hyperlinks


def test_external_and_internal_hyperlinks() -> None:
    p = pkg(rich_document())
    links = p.body.findall(".//w:hyperlink", NS)
    rels = p.rels()
    external = [h for h in links if h.get(f"{{{NS['r']}}}id")]
    internal = [h for h in links if h.get(W + "anchor")]
    assert len(external) == 1 and len(internal) == 1
    rel = rels[external[0].get(f"{{{NS['r']}}}id")]
    assert rel.get("Target") == "https://example.org/report.pdf" and rel.get("TargetMode") == "External"
    assert text(external[0]) == "full report" and external[0].get(W + "tooltip") == "PDF, 2 MB"
    assert external[0].find("w:r/w:rPr/w:rStyle", NS).get(W + "val") == "Hyperlink"  # type: ignore[union-attr]
    bookmarks = {b.get(W + "name"): b for b in p.body.iter(W + "bookmarkStart")}
    anchor = internal[0].get(W + "anchor")
    assert text(internal[0]) == "jump to the table" and anchor in bookmarks
    # The bookmark sits in the paragraph just before the table with id t1 (its caption).
    assert bookmarks[anchor].getparent().getnext().tag == W + "tbl"  # type: ignore[union-attr]
    ends = {e.get(W + "id") for e in p.body.iter(W + "bookmarkEnd")}
    assert bookmarks[anchor].get(W + "id") in ends


def test_unsafe_relative_and_dangling_links_are_text() -> None:
    doc = Document(
        Meta(title="T"),
        (
            P(Link((T("js"),), "javascript:alert(1)"), " ", Link((T("data"),), "data:text/html,x")),
            P(Link((T("rel"),), "other.html"), " ", Link((T("gone"),), "#nowhere")),
            P(Link((T("mail"),), "mailto:a@example.org"), " ", Link((T("spaced"),), "https://e.org/a b")),
            P(Link((T("idn"),), "https://Bücher.example/ä")),
            Heading(2, (T("Target"),), Attr(id="2 odd id")),
            P(Link((T("odd"),), "#2 odd id")),
        ),
    )
    data, report = write(doc)
    p = Pkg(data)
    texts = [text(h) for h in p.body.iter(W + "hyperlink")]
    assert texts == ["mail", "spaced", "idn", "odd"]
    targets = sorted(r.get("Target") for r in p.rels().values() if r.get("TargetMode") == "External")
    assert targets == ["https://e.org/a%20b", "https://xn--bcher-kva.example/%C3%A4", "mailto:a@example.org"]
    assert b"javascript" not in p.zip.read("word/document.xml")
    assert "js data" in text(p.body)
    codes = [d.code for d in report.diagnostics]
    assert codes.count("link-dropped") == 3 and codes.count("link-target") == 1
    names = [b.get(W + "name") for b in p.body.iter(W + "bookmarkStart")]
    assert names == ["id_2_odd_id"]
    assert p.body.find(".//w:hyperlink[@w:anchor='id_2_odd_id']", NS) is not None


# --------------------------------------------------------------- footnotes


def test_notes_are_real_footnotes_in_reference_order() -> None:
    doc = rich_document()
    p = pkg(doc)
    notes = p.footnotes()
    assert [text(f).strip() for f in notes] == [
        "See the Commission's 2023 market design reform.",
        "Note en français.",
    ]
    refs = [r.get(W + "id") for r in p.body.iter(W + "footnoteReference")]
    assert refs == [f.get(W + "id") for f in notes] == ["1", "2"]
    for ref in p.body.iter(W + "footnoteReference"):
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(W + "val") == "FootnoteReference"  # type: ignore[union-attr]
    root = p.xml("word/footnotes.xml")
    special = {f.get(W + "id"): f.get(W + "type") for f in root if f.get(W + "type")}
    assert special == {"-1": "separator", "0": "continuationSeparator"}
    for f in notes:
        first = f.find("w:p", NS)
        assert pstyle(first) == "FootnoteText"  # type: ignore[arg-type]
        assert first.find("w:r/w:footnoteRef", NS) is not None  # type: ignore[union-attr]
    settings = p.xml("word/settings.xml").find("w:footnotePr", NS)
    assert settings is not None and [f.get(W + "id") for f in settings] == ["-1", "0"]
    assert "footnotes" in {r.get("Type", "").rsplit("/", 1)[-1] for r in p.rels().values()}
    # The Notes heading stays (every heading of the source is kept).
    assert ("Heading2", "Notes") in headings(p)
    # The reference sits where the note was: right after "flexibility".
    ref_run = p.body.find(".//w:footnoteReference", NS).getparent()  # type: ignore[union-attr]
    assert text(ref_run.getprevious()).endswith("need flexibility")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "after", [(), (H(2, "Next"),), (H(1, "Up"),), (H(3, "Sub"), P("more")), (P("Sources: see above."),)]
)
def test_heading_before_the_endnotes_marker_stays(after: tuple[Any, ...]) -> None:
    doc = Document(Meta(title="T"), (P("x", Note((P("n"),))), H(2, "Notes"), Endnotes(), *after))
    p = pkg(doc)
    assert ("Heading2", "Notes") in headings(p)
    assert len(p.footnotes()) == 1


def test_footnote_content_links_images_and_nested_notes() -> None:
    inner = Note((P("inner"),))
    doc = with_image(
        P("x", Note((P("see ", Link((T("site"),), "https://example.org/n"), inner), P("second para")))),
        Paragraph((T("y"), Note((BulletList((ListItem((P("listed"),)),)),)))),
        Paragraph((T("z"), Note((Paragraph((Image(PNG_KEY, "note chart"),)),)))),
    )
    data, report = write(doc)
    p = Pkg(data)
    notes = p.footnotes()
    assert [text(n).strip() for n in notes] == ["see site (inner)second para", "listed", ""]
    assert [pstyle(par) for par in notes[0].findall("w:p", NS)] == ["FootnoteText", "FootnoteText"]
    rels = p.rels("word/_rels/footnotes.xml.rels")
    link = notes[0].find(".//w:hyperlink", NS)
    assert link is not None and rels[link.get(f"{{{NS['r']}}}id")].get("Target") == "https://example.org/n"
    blip = notes[2].find(".//a:blip", NS)
    assert blip is not None and rels[blip.get(f"{{{NS['r']}}}embed")].get("Target").startswith("media/")
    assert notes[2].find(".//wp:docPr", NS).get("descr") == "note chart"  # type: ignore[union-attr]
    only_table = pkg(
        Document(Meta(title="T"), (P("t", Note((Table((), ((Row((Cell((P("cell"),)),)),),)),))),))
    )
    assert len(only_table.footnotes()) == 1
    assert only_table.footnotes()[0].find(".//w:footnoteRef", NS) is not None
    first_of_list = notes[1].find("w:p", NS)
    assert first_of_list.find(".//w:footnoteRef", NS) is not None  # type: ignore[union-attr]
    assert "note-nested" in [d.code for d in report.diagnostics]


# ------------------------------------------------------ inline formatting


def run_props(p: Pkg, needle: str) -> etree._Element:
    runs = [r for r in p.body.iter(W + "r") if text(r) == needle]
    assert len(runs) == 1, needle
    rpr = runs[0].find("w:rPr", NS)
    assert rpr is not None, needle
    return rpr


def test_inline_formatting_and_languages() -> None:
    p = pkg(rich_document())
    assert run_props(p, "three").find("w:i", NS) is not None
    assert run_props(p, "12%").find("w:b", NS) is not None
    assert run_props(p, "DSR").find("w:rStyle", NS).get(W + "val") == "VerbatimChar"  # type: ignore[union-attr]
    assert run_props(p, "2").find("w:vertAlign", NS).get(W + "val") == "subscript"  # type: ignore[union-attr]
    assert run_props(p, "3").find("w:vertAlign", NS).get(W + "val") == "superscript"  # type: ignore[union-attr]
    german = run_props(p, "Auf Deutsch: Netzflexibilität").find("w:lang", NS)
    assert german is not None and german.get(W + "val") == "de"
    french = run_props(p, "Ce paragraphe est en français.").find("w:lang", NS)
    assert french is not None and french.get(W + "val") == "fr"
    note_fr = [r for f in p.footnotes() for r in f.iter(W + "lang")]
    assert [x.get(W + "val") for x in note_fr] == ["fr"]  # the French note stays French
    assert paragraph_with(p, "Read the").find(".//w:br", NS) is not None
    # Runs in the document's own language carry no w:lang.
    assert run_props(p, "three").find("w:lang", NS) is None
    styles = p.xml("word/styles.xml")
    for sid in ("VerbatimChar", "SourceCode", "Hyperlink", "FootnoteText", "FootnoteReference"):
        assert styles.find(f"w:style[@w:styleId='{sid}']", NS) is not None, sid
    ref = styles.find("w:style[@w:styleId='FootnoteReference']/w:rPr/w:vertAlign", NS)
    assert ref is not None and ref.get(W + "val") == "superscript"


def test_blocks_quote_code_definitions_rule() -> None:
    code = "def f(x):\n    return  x\n\tdone\n"
    doc = rich_document()
    doc = Document(doc.meta, (*doc.blocks, CodeBlock(code)), doc.resources)
    p = pkg(doc)
    quote = paragraph_with(p, "Flexibility is the cheapest")
    assert pstyle(quote) == "Quote"
    attribution = paragraph_with(p, "Grid operator, interview")
    assert pstyle(attribution) == "Quote" and attribution.find("w:pPr/w:jc", NS).get(W + "val") == "right"  # type: ignore[union-attr]
    block = paragraph_with(p, "def f(x):")
    assert pstyle(block) == "SourceCode"
    run = block.find("w:r", NS)
    parts = [(el.tag.split("}")[1], el.text) for el in run if el.tag != W + "rPr"]  # type: ignore[union-attr]
    assert parts == [
        ("t", "def f(x):"),
        ("br", None),
        ("t", "    return  x"),
        ("br", None),
        ("tab", None),
        ("t", "done"),
    ]
    assert all(t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for t in run.iter(W + "t"))  # type: ignore[union-attr]
    term = paragraph_with(p, "Aggregator")
    assert term.find(".//w:b", NS) is not None and term.find("w:pPr/w:keepNext", NS) is not None
    definition = paragraph_with(p, "A firm that pools small loads.")
    assert definition.find("w:pPr/w:ind", NS).get(W + "left") == "720"  # type: ignore[union-attr]
    rules = [par for par in p.body.iter(W + "p") if empty_paragraph_reason(par) == "rule"]
    assert len(rules) == 1 and rules[0].find("w:pPr/w:pBdr/w:bottom", NS) is not None


def test_no_empty_paragraphs_for_empty_or_unloaded_content() -> None:
    doc = Document(
        Meta(title="T"),
        (
            Paragraph(()),
            P("   "),
            Paragraph((Image(None, None),)),
            Paragraph((Image(None, ""),)),
            Paragraph((LineBreak(),)),
            Heading(2, ()),
            CodeBlock("\n"),
            BulletList((ListItem(()),)),
            Div(()),
            Figure((Paragraph((Image(None, ""),)),)),
            P("visible"),
            ThematicBreak(),
            Table((), ((Row((Cell(()), Cell((P("full"),)))),),)),
            Table((), ((Row((Cell((Table((), ((Row((Cell((P("inner"),)),)),),)),)),)),),)),
            Table((), ((Row((Cell((P("next table"),)),)),),)),
        ),
    )
    p = pkg(doc)
    reasons = assert_no_spacing_paragraphs(p)
    # Three tables in a row: two separators.
    assert sorted(reasons) == ["after nested table", "between tables", "between tables", "empty cell", "rule"]
    assert [text(x) for x in body_paragraphs(p) if text(x)] == ["T", "visible"]


def test_rich_and_minimal_have_no_spacing_paragraphs() -> None:
    assert assert_no_spacing_paragraphs(pkg(rich_document())) == ["rule"]
    assert assert_no_spacing_paragraphs(pkg(minimal_document())) == []


# ------------------------------------------------------------- metadata


def test_core_properties_and_default_language() -> None:
    data, _ = write(rich_document())
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert cp.title == "Grid Flexibility and the Energy Union"
    assert cp.author == "Maria Keller; Tomás Ferreira"
    assert cp.language == "en-GB"
    assert cp.subject == cp.comments == "A brief on demand response in EU electricity markets."
    assert cp.keywords == "energy, demand response"
    assert cp.last_modified_by == "briefconvert" and cp.revision == 1
    when = dt.datetime(2025, 3, 14, tzinfo=dt.UTC)
    assert cp.created == when and cp.modified == when
    lang = Pkg(data).xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(W + "val") == "en-GB"
    app = Pkg(data).zip.read("docProps/app.xml")
    assert b"<Application>briefconvert</Application>" in app and b"Macintosh" not in app
    assert not Pkg(data).has("docProps/thumbnail.jpeg") and not Pkg(data).has("word/stylesWithEffects.xml")
    settings = Pkg(data).xml("word/settings.xml")
    assert settings.find("w:proofState", NS) is None  # no claim that the text was spell-checked
    mode = settings.find("w:compat/w:compatSetting[@w:name='compatibilityMode']", NS)
    assert mode is not None and mode.get(W + "val") == "15"


def test_minimal_document_claims_nothing_it_does_not_know() -> None:
    data, report = write(minimal_document())
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert cp.title == "" and cp.author == "" and cp.language == ""
    assert cp.created == dt.datetime(1980, 1, 1, tzinfo=dt.UTC) == cp.modified
    styles = Pkg(data).xml("word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS) is None
    assert headings(Pkg(data)) == []
    assert not Pkg(data).has("word/footnotes.xml")
    assert report.diagnostics == []


@pytest.mark.parametrize(
    ("lang", "attrs"),
    [
        ("ja", {"val": "ja", "eastAsia": "ja"}),
        ("ar-EG", {"val": "ar-EG", "bidi": "ar-EG"}),
        ("de-AT", {"val": "de-AT"}),
    ],
)
def test_default_language_slots(lang: str, attrs: dict[str, str]) -> None:
    p = pkg(Document(Meta(title="T", lang=lang), (P("x"),)))
    el = p.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert el is not None and {k.split("}")[1]: v for k, v in el.attrib.items()} == attrs
    assert (p.body.find("w:p/w:pPr/w:bidi", NS) is not None) is lang.startswith("ar")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024", (2024, 1, 1)),
        ("2024-11", (2024, 11, 1)),
        ("2024-02-30", (1980, 1, 1)),
        ("soon", (1980, 1, 1)),
    ],
)
def test_created_date_from_meta_or_the_fixed_epoch(date: str, expected: tuple[int, int, int]) -> None:
    data, _ = write(Document(Meta(title="T", date=date), (P("x"),)))
    assert docx.Document(io.BytesIO(data)).core_properties.created == dt.datetime(*expected, tzinfo=dt.UTC)


def test_long_metadata_is_cut_not_refused() -> None:
    data, _ = write(Document(Meta(title="x" * 400, keywords=("k",) * 200), (P("x"),)))
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert len(cp.title) == 255 and cp.title.endswith("…")


# -------------------------------------------------------- robustness


def test_xml_invalid_characters_are_stripped() -> None:
    bad = "a\x00b\x0bc\ud800d\ufffe\x1f"
    doc = Document(
        Meta(title=bad, authors=(bad,), description=bad),
        (
            P(bad, Link((T(bad),), "https://e.org/" + bad, title=bad)),
            Figure((Paragraph((Image(PNG_KEY, bad, title=bad),)),), caption=(T(bad),)),
            CodeBlock(bad),
            Table((), ((Row((Cell((P(bad),)),)),),), caption=(T(bad),)),
        ),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )
    data, _ = write(doc)
    p = Pkg(data)
    assert text(p.body.find("w:p", NS)) == "abcd"  # type: ignore[arg-type]
    assert p.body.find(".//wp:docPr", NS).get("descr") == "abcd"  # type: ignore[union-attr]
    assert docx.Document(io.BytesIO(data)).core_properties.title == "abcd"


def test_deep_nesting_is_flattened_not_a_crash() -> None:
    block: Any = P("deep text")
    for _ in range(300):
        block = Div((block,))
    inline: Any = T("deep inline")
    for _ in range(300):
        inline = Emph((inline,))
    data, report = write(Document(Meta(title="T"), (block, Paragraph((inline,)))))
    p = Pkg(data)
    assert "deep text" in text(p.body) and "deep inline" in text(p.body)
    assert [d.code for d in report.diagnostics] == ["docx-depth"]


def test_bookmark_names_valid_unique_and_deterministic() -> None:
    ids = ["x" * 60, "x" * 60 + "y", "Ünïcode id", "1st", "X" * 60]
    blocks = tuple(b for i in ids for b in (Heading(2, (T(i),), Attr(id=i)), P(Link((T("go"),), "#" + i))))
    p = pkg(Document(Meta(title="T"), blocks))
    names = [b.get(W + "name") for b in p.body.iter(W + "bookmarkStart")]
    assert len(names) == 5 and len({n.lower() for n in names}) == 5  # type: ignore[union-attr]
    for n in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", n or "")
    anchors = [h.get(W + "anchor") for h in p.body.iter(W + "hyperlink")]
    assert anchors == names
    bids = [b.get(W + "id") for b in p.body.iter(W + "bookmarkStart")]
    assert bids == [str(i) for i in range(5)]


# ------------------------------------------------------ reproducibility


def test_same_model_same_bytes_across_time() -> None:
    first, _ = write(rich_document())
    time.sleep(1.1)
    second, _ = write(rich_document())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml" and infos[1].filename == "_rels/.rels"
    assert [i.filename for i in infos[2:]] == sorted(i.filename for i in infos[2:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert first != write(minimal_document())[0]


def test_same_bytes_in_other_processes() -> None:
    """No dependence on hash seeds, ids of objects or the clock."""
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from model_samples import rich_document;"
        "from briefconvert.diagnostics import Report;"
        "from briefconvert.options import DocxWriterOptions;"
        "from briefconvert.writers.docx import write_docx;"
        "d = write_docx(rich_document(), options=DocxWriterOptions(), report=Report()).data;"
        "print(hashlib.sha256(d).hexdigest())"
    )
    root = Path(__file__).resolve().parent.parent
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(write(rich_document())[0]).hexdigest()}


# --------------------------------------------------------------- goldens


def dump(data: bytes) -> str:
    """A reviewable, normalised dump of a package: every entry with its size
    and sha256; XML parts pretty-printed (styles.xml: its digest, the
    document defaults and the styles this writer adds, not the template's
    400 KB of table styles); binary parts as their digest only."""
    out: list[str] = []
    template = docx.Document().styles.element
    template_ids = {s.get(W + "styleId") for s in template.iterfind("w:style", NS)}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            blob = z.read(name)
            out.append(f"== {name}  {len(blob)} bytes  sha256 {hashlib.sha256(blob).hexdigest()[:16]}")
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(blob, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
            if name == "word/styles.xml":
                keep = [root.find("w:docDefaults", NS)]
                keep += [s for s in root.iterfind("w:style", NS) if s.get(W + "styleId") not in template_ids]
                out += [
                    etree.tostring(k, pretty_print=True, encoding="unicode") for k in keep if k is not None
                ]
            else:
                out.append(etree.tostring(root, pretty_print=True, encoding="unicode"))
    return "\n".join(out)


@pytest.mark.parametrize("name", ["rich", "minimal"])
def test_golden(golden: Golden, name: str) -> None:
    make = {"rich": rich_document, "minimal": minimal_document}[name]
    golden(f"write_docx/{name}.txt", dump(write(make())[0]))


# ------------------------------------------------------------ validators

SAMPLES: dict[str, Callable[[], Document]] = {"rich": rich_document, "minimal": minimal_document}


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("docx-validate")
    files = {}
    for name, make in SAMPLES.items():
        files[name] = folder / f"{name}.docx"
        files[name].write_bytes(write(make())[0])
    return run_validators(files)


@pytest.mark.validators
@pytest.mark.parametrize("name", list(SAMPLES))
def test_validators_on_the_samples(validated: dict[str, dict[str, Any]], name: str) -> None:
    doc = SAMPLES[name]()
    summary = validated[name]["summary"]
    found = summary["docx"]
    details = json.dumps(found, indent=1, ensure_ascii=False)
    # Headings: Heading 1..n, each level present up to the deepest, no skips.
    levels = sorted(int(k.split()[-1]) for k in found["headings_by_style"] if k.startswith("Heading"))
    assert levels == list(range(1, len(levels) + 1)), details
    assert found["heading_level_skips"] == [], details
    if doc.meta.title:
        assert found["headings_by_style"]["Heading 1"] == 1, details
    # Images: every embedded image has alt text except the decorative ones
    # and those whose alt is unknown, counted from the model.
    embedded = [i for i in query(doc, Image) if i.resource in doc.resources]
    assert found["images"] == len(embedded), details
    assert found["images_marked_decorative"] == sum(i.alt == "" for i in embedded), details
    assert found["images_without_alt"] == sum(not i.alt for i in embedded), details
    assert found["images_alt_looks_like_filename"] == 0, details
    # Tables: all with a header row.
    assert found["tables"] == len(query(doc, Table)), details
    assert found["tables_without_header_row"] == 0, details
    # Metadata.
    assert found["title"] == doc.meta.title, details
    assert found["language_core"] == doc.meta.lang, details
    assert found["language_styles_default"] == doc.meta.lang, details
    assert found["footnotes"] == len(query(doc, Note)), details
    assert found["hyperlinks_empty_text"] == 0, details
    assert summary["libreoffice"]["opens"] is True
    assert summary["libreoffice"]["pdf_pages"] >= 1


def test_validator_expectations_for_the_rich_sample() -> None:
    """The counts the validator test derives from the model, pinned for the
    rich sample: two embedded images (one decorative); the alt-None image has
    no resource, so it is not a picture in the DOCX (it leaves no trace: no
    alt text to put in brackets)."""
    doc = rich_document()
    embedded = [i for i in query(doc, Image) if i.resource in doc.resources]
    assert [i.alt for i in embedded] == ["Bar chart: Germany 12.4 GW, France 8.1 GW.", ""]
    assert [i for i in query(doc, Image) if i.alt is None] == [Image(None, None)]
    _, report = write(doc)
    assert [(d.code, d.where) for d in report.diagnostics if d.code == "image-alt"] == [
        ("image-alt", "image 3")
    ]


# --------------------------------------------------------------------- paper


@pytest.mark.parametrize(
    ("lang", "choice", "paper"),
    [
        ("en-GB", "auto", "a4"),
        ("de", "auto", "a4"),
        ("fr-CA", "auto", "letter"),
        ("en", "auto", "letter"),
        ("en-US", "auto", "letter"),
        ("es-MX", "auto", "letter"),
        ("zh-Hant-TW", "auto", "a4"),
        (None, "auto", "letter"),
        ("en-US", "a4", "a4"),
        ("de", "letter", "letter"),
    ],
)
def test_paper_follows_the_language_or_the_option(lang: str | None, choice: str, paper: str) -> None:
    doc = dataclasses.replace(minimal_document(), meta=Meta(title="T", lang=lang))
    out = write_docx(doc, options=DocxWriterOptions(paper=choice), report=Report())  # type: ignore[arg-type]
    size = Pkg(out.data).body.find("w:sectPr/w:pgSz", NS)
    assert size is not None
    expected = {"a4": ("11906", "16838"), "letter": ("12240", "15840")}[paper]
    assert (size.get(W + "w"), size.get(W + "h")) == expected
    margins = Pkg(out.data).body.find("w:sectPr/w:pgMar", NS)
    assert margins is not None and margins.get(W + "left") == "1800"  # the template's margins stay


def test_images_fit_the_a4_text_width() -> None:
    """A wide image is scaled to the text width of the page it is on."""
    wide = PILImage.new("RGB", (3000, 100), "white")
    buf = io.BytesIO()
    wide.save(buf, format="PNG")
    data = buf.getvalue()
    key = resource_key(data, "image/png")
    doc = Document(
        Meta(title="T", lang="en-GB"),
        (P(Image(key, "a wide chart")),),
        {key: Resource(key, "image/png", data, 3000, 100)},
    )
    extent = Pkg(write(doc)[0]).body.find(".//wp:extent", NS)
    assert extent is not None
    assert int(extent.get("cx") or 0) == (11906 - 2 * 1800) * 635
