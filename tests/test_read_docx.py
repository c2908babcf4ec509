"""The DOCX reader: briefconvert's own DOCX outputs read back into the model
they were written from (corpus briefs and the hand-built rich document),
small purpose-built packages for each OOXML feature, faults kept as found,
and hostile packages (zip bombs, entities, traversal, deep nesting)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import briefconvert
from briefconvert.diagnostics import Report
from briefconvert.errors import InputError, LimitExceeded
from briefconvert.model import (
    Aside,
    Attr,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from briefconvert.options import DocxWriterOptions
from briefconvert.readers.docx import DocxReaderOptions, read_docx
from briefconvert.walk import children, plain_text, query, walk
from briefconvert.writers.docx import write_docx
from conftest import FIXTURES, SHARED
from model_samples import PNG, rich_document

# ------------------------------------------------------------------ builders

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

STYLES = f"""<w:styles {XMLNS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr>
 </w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Ueberschrift3"><w:name w:val="heading 3"/>
 <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My Section Heading"/>
 <w:basedOn w:val="Heading2"/></w:style>
<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>
 <w:basedOn w:val="Heading1"/>
 <w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
 </w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>
 <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/>
 <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>
 <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>
 <w:basedOn w:val="Normal"/>
 <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/>
 </w:style>
<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/>
 <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="French"><w:name w:val="French text"/><w:basedOn w:val="Normal"/>
 <w:rPr><w:lang w:val="fr-FR"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>
 <w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr></w:style>
</w:styles>"""

NUMBERING = f"""<w:numbering {XMLNS}>
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pPr><w:ind w:left="720"/>
 </w:pPr></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pPr><w:ind w:left="1440"/>
 </w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pPr><w:ind w:left="720"/>
 </w:pPr></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:pPr><w:ind w:left="1440"/>
 </w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="none"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">
 <w:startOverride w:val="5"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""


def core(title: str | None = "A title", lang: str | None = None, creator: str | None = None) -> str:
    parts = []
    if title is not None:
        parts.append(f"<dc:title>{title}</dc:title>")
    if creator is not None:
        parts.append(f"<dc:creator>{creator}</dc:creator>")
    if lang is not None:
        parts.append(f"<dc:language>{lang}</dc:language>")
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">' + "".join(parts) + "</cp:coreProperties>"
    )


def package(
    body: str,
    *,
    styles: str | None = STYLES,
    numbering: str | None = NUMBERING,
    footnotes: str | None = None,
    endnotes: str | None = None,
    core_xml: str | None = None,
    rels: tuple[tuple[str, str, str, bool], ...] = (),
    files: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal .docx: ``body`` is the inner XML of ``w:body``; ``rels`` are
    extra document relationships (id, type, target, external)."""
    doc_rels = list(rels)
    for rid, kind, part, content in (
        ("rIdS", "styles", "styles.xml", styles),
        ("rIdN", "numbering", "numbering.xml", numbering),
        ("rIdF", "footnotes", "footnotes.xml", footnotes),
        ("rIdE", "endnotes", "endnotes.xml", endnotes),
    ):
        if content is not None:
            doc_rels.append((rid, kind, part, False))
    rel_xml = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in doc_rels
    )
    pkg_rels = f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    if core_xml is not None:
        pkg_rels += (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
        )
    rels_ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", f"<Relationships {rels_ns}>{pkg_rels}</Relationships>")
        z.writestr("word/document.xml", f"<w:document {XMLNS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/_rels/document.xml.rels", f"<Relationships {rels_ns}>{rel_xml}</Relationships>")
        for name, content in (
            ("word/styles.xml", styles),
            ("word/numbering.xml", numbering),
            ("word/footnotes.xml", footnotes),
            ("word/endnotes.xml", endnotes),
            ("docProps/core.xml", core_xml),
        ):
            if content is not None:
                z.writestr(name, content)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def para(inner: str, style: str | None = None, ppr: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{inner}</w:p>"


def run(text: str, rpr: str = "") -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
    return f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}<w:t{space}>{text}</w:t></w:r>"


def p(text: str, style: str | None = None, ppr: str = "") -> str:
    return para(run(text), style, ppr)


def numbered(text: str, num_id: int, ilvl: int = 0, style: str | None = None) -> str:
    return p(text, style, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def picture(
    rid: str = "rIdImg",
    descr: str | None = None,
    *,
    decorative: bool = False,
    anchor: bool = False,
    name: str = "Picture 1",
    link: bool = False,
) -> str:
    """A DrawingML picture run (inline or floating)."""
    attrs = f' id="1" name="{name}"' + (f' descr="{descr}"' if descr is not None else "")
    ext = (
        '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
        '<adec:decorative val="1"/></a:ext></a:extLst>'
        if decorative
        else ""
    )
    blip = f'<a:blip r:link="{rid}"/>' if link else f'<a:blip r:embed="{rid}"/>'
    graphic = (
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f"<pic:blipFill>{blip}</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>"
    )
    if anchor:
        frame = (
            '<wp:anchor behindDoc="0" distT="0" distB="0" distL="0" distR="0" simplePos="0" locked="0"'
            ' layoutInCell="1" allowOverlap="1" relativeHeight="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="9525" cy="9525"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr{attrs}>{ext}'
            f"</wp:docPr>{graphic}</wp:anchor>"
        )
    else:
        frame = (
            f'<wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr{attrs}>{ext}</wp:docPr>'
            f"{graphic}</wp:inline>"
        )
    return f"<w:r><w:drawing>{frame}</w:drawing></w:r>"


IMAGE_REL = ("rIdImg", "image", "media/image1.png", False)
IMAGE_FILES = {"word/media/image1.png": PNG}


def read(data: bytes, report: Report | None = None, **options: int) -> Document:
    return read_docx(data, options=DocxReaderOptions(**options), report=report or Report())


# ------------------------------------------------------------- round trips


def _headings(doc: Document) -> list[tuple[int, str]]:
    """Headings in document order, outside notes (the writer writes headings
    inside footnotes as bold paragraphs)."""
    out: list[tuple[int, str]] = []
    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, Note):
            continue
        if isinstance(node, Heading):
            out.append((node.level, plain_text(node.content)))
        stack.extend(reversed(children(node)))
    return out


BRIEFS = [FIXTURES / "brief" / "brief.html", *sorted((SHARED / "corpus" / "generated").glob("*/source.html"))]


@pytest.fixture(scope="module")
def round_trips() -> dict[str, tuple[Document, Document]]:
    """Each brief: (the model the DOCX writer was given, the model read back)."""
    out = {}
    for source in BRIEFS:
        result = briefconvert.convert(source, to="docx")
        back = read_docx(result.outputs["docx"].data, report=Report())
        out[source.parent.name] = (result.document, back)
    return out


@pytest.mark.parametrize("source", BRIEFS, ids=lambda p: p.parent.name)
def test_own_docx_reads_back_as_written(
    round_trips: dict[str, tuple[Document, Document]], source: Path
) -> None:
    written, back = round_trips[source.parent.name]
    # The writer puts the title in Heading 1 and the model's headings at their levels.
    assert _headings(back) == [(1, written.meta.title), *_headings(written)]
    assert [i.alt for i in query(back, Image)] == [i.alt for i in query(written, Image)]
    assert all(i.resource in back.resources for i in query(back, Image))
    assert len(query(back, Figure)) == len(query(written, Figure))
    assert [plain_text(f.caption) for f in query(back, Figure)] == [
        plain_text(f.caption) for f in query(written, Figure)
    ]
    tables_back, tables_written = query(back, Table), query(written, Table)
    assert len(tables_back) == len(tables_written) >= 1
    for tb, tw in zip(tables_back, tables_written, strict=True):
        assert len(tb.head) == max(1, len(tw.head))
        assert all(c.header for row in tb.head for c in row.cells)
        assert plain_text(tb.caption) == plain_text(tw.caption)
        assert [plain_text(r.cells) for b in tb.bodies for r in b] == [
            plain_text(r.cells) for b in tw.bodies for r in b
        ]
    assert [plain_text(n.blocks) for n in query(back, Note)] == [
        plain_text(n.blocks) for n in query(written, Note)
    ]
    assert [(lk.url, plain_text(lk.content)) for lk in query(back, Link)] == [
        (lk.url, plain_text(lk.content)) for lk in query(written, Link)
    ]
    kinds = (BulletList, OrderedList)
    assert [type(n) for n in walk(back) if isinstance(n, kinds)] == [
        type(n) for n in walk(written) if isinstance(n, kinds)
    ]
    assert (back.meta.title, back.meta.lang, back.meta.authors) == (
        written.meta.title,
        written.meta.lang,
        written.meta.authors,
    )


def test_rich_document_round_trip() -> None:
    written = rich_document()
    data = write_docx(written, options=DocxWriterOptions(), report=Report()).data
    doc = read(data)
    assert _headings(doc) == [(1, written.meta.title), *_headings(written)]
    lists = [n for n in walk(doc) if isinstance(n, OrderedList)]
    assert [(ol.start, ol.style, len(ol.items)) for ol in lists] == [(3, "1", 3), (1, "a", 2)]
    nested = lists[0].items[1].blocks
    assert isinstance(nested[1], BulletList) and len(nested[1].items) == 2
    assert [plain_text(n.blocks) for n in query(doc, Note)] == [
        "See the Commission's 2023 market design reform.",
        "Note en français.",
    ]
    inlines = {type(n) for n in walk(doc)}
    assert {
        Strong,
        Emph,
        Sub,
        Sup,
        Code,
        LineBreak,
        Span,
        CodeBlock,
        BlockQuote,
        ThematicBreak,
        Aside,
    } <= inlines
    assert [s.attr.lang for s in query(doc, Span)] == ["de"]
    french = [b for b in query(doc, Paragraph) if b.attr.lang == "fr"]
    assert [plain_text(b) for b in french] == ["Ce paragraphe est en français.", "Note en français."]
    assert [i.alt for i in query(doc, Image)] == ["Bar chart: Germany 12.4 GW, France 8.1 GW.", ""]
    # the internal link reaches the table (its caption carried the bookmark)
    external, internal = query(doc, Link)
    assert (external.url, external.title) == ("https://example.org/report.pdf", "PDF, 2 MB")
    ids = {a.id for n in walk(doc) if (a := getattr(n, "attr", None)) is not None and a.id}
    assert internal.url[1:] in ids
    (table,) = query(doc, Table)
    assert (
        table.attr.id == internal.url[1:] and plain_text(table.caption) == "Table 1: Flexible capacity, 2024"
    )
    assert query(doc, CodeBlock)[0].text == "price = base * (1 - flex)"


# --------------------------------------------------------------- structure


def test_headings_by_style_name_outline_level_and_title() -> None:
    body = "".join(
        (
            p("Document title", "Title"),
            p("Subtitle text", "Subtitle"),
            p("Section", "Heading1"),
            p("Sub", "Heading2"),
            p("Named only", "Ueberschrift3"),
            p("Custom style", "MyHeading"),
            p("Contents", "TOCHeading"),
            p("Direct outline", ppr='<w:outlineLvl w:val="3"/>'),
            p("Deep outline", ppr='<w:outlineLvl w:val="8"/>'),
            para("", "Heading2"),
            p("Body text."),
        )
    )
    doc = read(package(body))
    got = [(type(b).__name__, getattr(b, "level", None), plain_text(b)) for b in doc.blocks]
    assert got == [
        ("Heading", 1, "Document title"),
        ("Paragraph", None, "Subtitle text"),
        ("Heading", 1, "Section"),
        ("Heading", 2, "Sub"),
        ("Heading", 3, "Named only"),
        ("Heading", 2, "Custom style"),
        ("Paragraph", None, "Contents"),
        ("Heading", 4, "Direct outline"),
        ("Heading", 6, "Deep outline"),
        ("Heading", 2, ""),  # an empty heading stays: a fault for heading-empty
        ("Paragraph", None, "Body text."),
    ]
    # the heading style's own bold is its look, not emphasis
    assert doc.blocks[2] == Heading(1, (Text("Section"),))


def test_lists_nesting_kinds_starts_and_continuations() -> None:
    body = "".join(
        (
            numbered("one", 2),
            numbered("one-a", 2, 1),
            numbered("one-b", 2, 1),
            p("continues one-b", "ListParagraph"),  # no indent: the deepest item
            p("continues one", "ListParagraph", '<w:ind w:left="720"/>'),  # indented to level 0's text
            numbered("two", 2),
            p("between"),
            numbered("restarted at five", 3),
            numbered("six", 3),
            p("bullet from style", "ListBullet"),
            numbered("bullet two", 1),
            para("", ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'),
            numbered("no number format", 4),
            p("plain", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>', style="ListBullet"),
        )
    )
    blocks = read(package(body)).blocks
    first, between, restarted, bullets, none_fmt, plain = blocks
    assert isinstance(first, OrderedList) and first.start == 1 and first.style == "1"
    assert [plain_text(i.blocks[0]) for i in first.items] == ["one", "two"]
    one = first.items[0].blocks
    assert isinstance(one[1], OrderedList) and one[1].style == "a"
    assert [plain_text(i) for i in one[1].items] == ["one-a", "one-b continues one-b"]
    assert len(one) == 3
    assert plain_text(one[2]) == "continues one"
    assert plain_text(between) == "between"
    assert isinstance(restarted, OrderedList) and restarted.start == 5 and len(restarted.items) == 2
    assert isinstance(bullets, BulletList)
    assert [plain_text(i) for i in bullets.items] == ["bullet from style", "bullet two"]
    assert none_fmt == Paragraph((Text("no number format"),))
    assert plain == Paragraph((Text("plain"),))


def test_numbering_continues_across_interruptions() -> None:
    body = numbered("a", 2) + numbered("b", 2) + p("interruption") + numbered("c", 2)
    blocks = read(package(body)).blocks
    assert isinstance(blocks[2], OrderedList) and blocks[2].start == 3  # Word shows "3."


def _tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc>{'<w:tcPr>' + tcpr + '</w:tcPr>' if tcpr else ''}{p(text)}</w:tc>"


def _tr(*cells: str, header: bool = False) -> str:
    return f"<w:tr>{'<w:trPr><w:tblHeader/></w:trPr>' if header else ''}{''.join(cells)}</w:tr>"


def test_table_header_cells_only_from_marked_rows() -> None:
    plain = f"<w:tbl>{_tr(_tc('Name'), _tc('Value'))}{_tr(_tc('a'), _tc('1'))}</w:tbl>"
    marked = (
        f"<w:tbl>{_tr(_tc('Name'), _tc('Value'), header=True)}{_tr(_tc('a'), _tc('1'))}"
        f"{_tr(_tc('b'), _tc('2'), header=True)}</w:tbl>"  # a later marked row is not a header row
    )
    t1, t2 = read(package(plain + p("x") + marked)).blocks[::2]
    assert isinstance(t1, Table) and t1.head == ()
    assert not any(c.header for row in t1.bodies[0] for c in row.cells)
    assert isinstance(t2, Table) and len(t2.head) == 1 and len(t2.bodies[0]) == 2
    assert all(c.header and c.scope == "col" for c in t2.head[0].cells)
    assert not any(c.header for row in t2.bodies[0] for c in row.cells)


def test_table_spans_and_nesting() -> None:
    inner = f"<w:tbl>{_tr(_tc('inner'))}</w:tbl>"
    body = (
        "<w:tbl>"
        + _tr(_tc("wide", '<w:gridSpan w:val="2"/>'), _tc("tall", '<w:vMerge w:val="restart"/>'))
        + _tr(_tc("x"), _tc("y"), _tc("", "<w:vMerge/>"))
        + _tr(_tc("p"), f"<w:tc>{inner}{p('')}</w:tc>", _tc("z"))
        + "</w:tbl>"
    )
    (table,) = read(package(body)).blocks
    assert isinstance(table, Table)
    rows = table.bodies[0]
    assert [(c.colspan, c.rowspan) for c in rows[0].cells] == [(2, 1), (1, 2)]
    assert [plain_text(c) for c in rows[1].cells] == ["x", "y"]
    assert isinstance(rows[2].cells[1].blocks[0], Table)


def test_figure_and_table_captions() -> None:
    body = (
        para(picture(descr="A chart")) + p("Figure 1: Sales", "Caption")
        + p("Table 1: Above", "Caption") + f"<w:tbl>{_tr(_tc('a'), header=True)}</w:tbl>"
        + f"<w:tbl>{_tr(_tc('b'), header=True)}</w:tbl>" + p("Table 2: Below", "Caption")
        + p("A caption with nothing around it", "Caption")
    )  # fmt: skip
    fig, t1, t2, loose = read(package(body, rels=(IMAGE_REL,), files=IMAGE_FILES)).blocks
    assert isinstance(fig, Figure) and plain_text(fig.caption) == "Figure 1: Sales"
    assert isinstance(fig.blocks[0], Paragraph) and isinstance(fig.blocks[0].content[0], Image)
    assert isinstance(t1, Table) and plain_text(t1.caption) == "Table 1: Above"
    assert isinstance(t2, Table) and plain_text(t2.caption) == "Table 2: Below"
    assert loose == Paragraph((Text("A caption with nothing around it"),))


BOX = (
    '<w:pBdr><w:top w:val="single"/><w:left w:val="single"/><w:bottom w:val="single"/>'
    '<w:right w:val="single"/></w:pBdr>'
)


def test_quote_code_box_rule_and_text_box() -> None:
    box = BOX
    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="5" name="Text Box 5"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{p('Inside the box')}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="position:absolute"><v:textbox>'
        f"<w:txbxContent>{p('Inside the box')}"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = (
        p("Quoted one", "Quote") + p("Quoted two", "Quote")
        + para(run("x = 1") + "<w:r><w:br/><w:t xml:space=\"preserve\">    y = 2</w:t></w:r>", "SourceCode")
        + p("if y:", "SourceCode")
        + p("Boxed title", "Heading2", box) + p("Boxed text", ppr=box)
        + para("", ppr='<w:pBdr><w:bottom w:val="single"/></w:pBdr>')
        + para(run("Anchor paragraph") + textbox)
    )  # fmt: skip
    quote, code, aside, rule, anchor, floated = read(package(body)).blocks
    assert quote == BlockQuote((Paragraph((Text("Quoted one"),)), Paragraph((Text("Quoted two"),))))
    assert code == CodeBlock("x = 1\n    y = 2\nif y:")
    assert aside == Aside((Heading(2, (Text("Boxed title"),)), Paragraph((Text("Boxed text"),))), kind="box")
    assert rule == ThematicBreak()
    assert anchor == Paragraph((Text("Anchor paragraph"),))
    assert floated == Aside((Paragraph((Text("Inside the box"),)),), kind="box")  # read once, not twice


# ------------------------------------------------------------------ inlines


def test_formatting_runs() -> None:
    body = para(
        run("plain ")
        + run("bold", "<w:b/>")
        + run(" styled", '<w:rStyle w:val="Strong"/>')
        + run(" ital", "<w:i/>")
        + run("H")
        + run("2", '<w:vertAlign w:val="subscript"/>')
        + run("O x")
        + run("2", '<w:vertAlign w:val="superscript"/>')
        + run(" code()", '<w:rStyle w:val="VerbatimChar"/>')
        + run(" not bold", '<w:b w:val="0"/>')
        + run(" hidden", "<w:vanish/>")
        + '<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:ins w:id="1">'
        + run(" inserted")
        + "</w:ins>"
        + "<w:r><w:br/></w:r>"
        + run("  after   break  ")
    )
    (paragraph,) = read(package(body)).blocks
    assert paragraph == Paragraph(
        (
            Text("plain "),
            Strong((Text("bold styled"),)),
            Emph((Text(" ital"),)),
            Text("H"),
            Sub((Text("2"),)),
            Text("O x"),
            Sup((Text("2"),)),
            Code(" code()"),
            Text(" not bold inserted"),
            LineBreak(),
            Text("after break"),
        )
    )


def test_hyperlinks_bookmarks_and_fields() -> None:
    body = (
        para(run("Visit ") + '<w:hyperlink r:id="rIdL" w:tooltip=" Home  page">'
             + run("the site") + "</w:hyperlink>")
        + para('<w:hyperlink w:anchor="target">' + run("see below") + "</w:hyperlink>")
        + para('<w:hyperlink r:id="rIdJ">' + run("unsafe") + "</w:hyperlink>")
        + para(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/field" '
            "</w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("field link")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + '<w:fldSimple w:instr="PAGE">' + run("7") + "</w:fldSimple>"
        )
        + para('<w:bookmarkStart w:id="0" w:name="target"/><w:bookmarkStart w:id="1" w:name="_GoBack"/>'
               + run("Target") + '<w:bookmarkEnd w:id="0"/>')
    )  # fmt: skip
    rels = (
        ("rIdL", "hyperlink", "https://example.org/a?b=1", True),
        ("rIdJ", "hyperlink", "javascript:alert(1)", True),
    )
    report = Report()
    blocks = read(package(body, rels=rels), report).blocks
    assert blocks[0].content == (
        Text("Visit "),
        Link((Text("the site"),), "https://example.org/a?b=1", "Home page"),
    )
    assert blocks[1].content == (Link((Text("see below"),), "#target"),)
    assert blocks[2].content == (Text("unsafe"),)
    assert [d.code for d in report.diagnostics] == ["link-dropped"]
    assert blocks[3].content == (Link((Text("field link"),), "https://example.org/field"), Text("7"))
    assert blocks[4].attr.id == "target"  # only bookmarks that links point to become ids


def test_footnotes_and_endnotes() -> None:
    footnotes = (
        f"<w:footnotes {XMLNS}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>' + run(" The source.") + "</w:p>"
        + p("Second paragraph.") + "</w:footnote></w:footnotes>"
    )  # fmt: skip
    endnotes = f'<w:endnotes {XMLNS}><w:endnote w:id="2">{p("An endnote.")}</w:endnote></w:endnotes>'
    body = para(
        run("Claim")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + run(" and more")
        + '<w:r><w:endnoteReference w:id="2"/></w:r>'
        + '<w:r><w:footnoteReference w:id="99"/></w:r>'
    )
    (paragraph,) = read(package(body, footnotes=footnotes, endnotes=endnotes)).blocks
    text, note, more, endnote = paragraph.content
    assert note == Note((Paragraph((Text("The source."),)), Paragraph((Text("Second paragraph."),))))
    assert endnote == Note((Paragraph((Text("An endnote."),)),))
    assert (text, more) == (Text("Claim"), Text(" and more"))
    assert note.src is not None and note.src.part == "word/document.xml" and note.src.line == 1
    assert note.blocks[0].src is not None and note.blocks[0].src.part == "word/footnotes.xml"


def test_languages_of_runs_and_paragraphs() -> None:
    body = (
        para(run("English and ") + run("Deutsch", '<w:lang w:val="de-DE"/>') + run(" again"))
        + para(run("Tout en français", '<w:lang w:val="fr-FR"/>'))
        + p("Par le style", "French")
        + para(run("Same as the document", '<w:lang w:val="EN-gb"/>'))
        + para(run("placeholder", '<w:lang w:val="x-none"/>'))
    )  # fmt: skip
    doc = read(package(body, core_xml=core(lang="en")))
    assert doc.meta.lang == "en-GB"  # the text's default language wins over the core property
    mixed, french, styled, same, placeholder = doc.blocks
    assert mixed.content == (Text("English and "), Span((Text("Deutsch"),), _lang("de-DE")), Text(" again"))
    assert french == Paragraph((Text("Tout en français"),), _lang("fr-FR"))
    assert styled.attr.lang == "fr-FR"
    assert same.attr.lang is None and placeholder.attr.lang is None


def _lang(tag: str) -> Attr:
    return Attr(lang=tag)


def test_images_alt_decorative_unknown_floating_and_external() -> None:
    body = (
        para(picture(descr="  A bar   chart ")) + para(picture(descr="", decorative=True))
        + para(picture(descr="")) + para(picture()) + para(picture(descr="Floats", anchor=True))
        + para(picture("rIdExt", descr="Remote", link=True))
        + para(picture("rIdMissing", descr="Missing part"))
        + para('<w:r><w:pict><v:shape alt="Legacy picture"><v:imagedata r:id="rIdImg" o:title="old"/>'
               "</v:shape></w:pict></w:r>")
    )  # fmt: skip
    rels = (
        IMAGE_REL,
        ("rIdExt", "image", "https://example.org/x.png", True),
        ("rIdMissing", "image", "media/nope.png", False),
    )
    doc = read(package(body, rels=rels, files=IMAGE_FILES))
    images = query(doc, Image)
    assert [i.alt for i in images] == [
        "A bar chart",
        "",
        None,
        None,
        "Floats",
        "Remote",
        "Missing part",
        "Legacy picture",
    ]
    key = images[0].resource
    assert key is not None and doc.resources[key].data == PNG and doc.resources[key].media_type == "image/png"
    assert [i.resource for i in images] == [key, key, key, key, key, None, None, key]
    assert len(doc.resources) == 1  # stored once


def test_metadata_only_from_the_file() -> None:
    doc = read(package(p("Big first line", "Heading1"), core_xml=core(None, creator="Ana; Ben ")))
    assert doc.meta.title is None  # never taken from the first heading
    assert doc.meta.authors == ("Ana", "Ben")
    no_lang = STYLES.replace('<w:lang w:val="en-GB"/>', "")
    assert read(package(p("x"), styles=no_lang, core_xml=core())).meta.lang is None
    assert read(package(p("x"), styles=no_lang, core_xml=core(lang="de"))).meta.lang == "de"
    assert read(package(p("x"), styles=None)).meta == read(package(p("x"), styles=None)).meta
    kept = read(package(p("x"), styles=no_lang, core_xml=core(lang="english please"))).meta.lang
    assert kept == "english please"  # kept as found: document-lang reports it as invalid


def test_source_refs_count_paragraphs_per_part() -> None:
    body = p("one") + f"<w:tbl>{_tr(_tc('two'))}</w:tbl>" + p("three")
    first, table, third = read(package(body)).blocks
    assert (first.src.part, first.src.line) == ("word/document.xml", 1)  # type: ignore[union-attr]
    assert table.src.line == 2 and third.src.line == 3  # type: ignore[union-attr]


# ------------------------------------------------------------------- safety


def test_not_a_docx() -> None:
    with pytest.raises(InputError, match="not a readable zip"):
        read(b"%PDF-1.7 not a zip")
    with pytest.raises(InputError, match="encrypted DOCX or a legacy"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="no main document part"):
        read(empty.getvalue())
    broken = package(p("x")).replace(b"word/document.xml", b"word/document.xmm")
    with pytest.raises(InputError):
        read(broken)
    data = package(p("some text " * 50))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    corrupt = data[: start + 5] + b"\xff" * 30 + data[start + 35 :]  # a damaged deflate stream
    with pytest.raises(InputError, match="cannot be read"):
        read(corrupt)


def test_zip_bomb_limits() -> None:
    bomb = package(
        para(picture(descr="chart")) + p("x"),
        files={"word/media/image1.png": PNG + b"\0" * 5_000_000},
        rels=(IMAGE_REL,),
    )
    assert len(bomb) < 100_000
    # one entry over its own limit: the image is skipped (its alt text stays), the text survives
    report = Report()
    doc = read(bomb, report, max_image_bytes=1_000_000)
    assert plain_text(doc.blocks) == "chart x" and query(doc, Image)[0].resource is None
    assert "resource-too-large" in [d.code for d in report.diagnostics]
    # the whole file over the total limit
    body = para(picture(descr="big")) + p("x")
    big = package(body, files={"word/media/image1.png": PNG + b"\0" * 3_000_000}, rels=(IMAGE_REL,))
    with pytest.raises(LimitExceeded, match="decompresses to more than"):
        read(big, max_total_bytes=2_000_000)
    # the main part over the part limit
    with pytest.raises(LimitExceeded, match="larger than"):
        read(package(p("y" * 200_000)), max_part_bytes=100_000)
    with pytest.raises(LimitExceeded):
        read(package(p("x")), max_bytes=100)
    many = package(p("x"), files={f"junk/{i}.xml": b"<x/>" for i in range(30)})
    with pytest.raises(LimitExceeded, match="more than 10 entries"):
        read(many, max_entries=10)


def test_entities_and_doctypes_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = package(p("&xxe;&lol;"))
    data = _replace_part(
        data,
        "word/document.xml",
        lambda xml: (
            f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY lol "lol">]>'.encode()
            + xml
        ),
    )
    doc = read(data)
    assert "SECRET" not in plain_text(doc.blocks) and "lol" not in plain_text(doc.blocks)


def test_relationship_targets_stay_inside_the_package() -> None:
    rels = (("rIdImg", "image", "../../../../etc/passwd", False),)
    doc = read(package(para(picture(descr="escape")), rels=rels))
    (image,) = query(doc, Image)
    assert image.resource is None and image.alt == "escape"


def test_deep_nesting_is_read_as_text() -> None:
    nested = p("deep")
    for _ in range(60):
        nested = f"<w:tbl><w:tr><w:tc>{nested}</w:tc></w:tr></w:tbl>"
    report = Report()
    doc = read(package(nested), report)
    assert "deep" in plain_text(list(walk(doc)))  # type: ignore[arg-type]
    assert "docx-depth" in [d.code for d in report.diagnostics]


def test_malformed_xml_and_huge_spans() -> None:
    with pytest.raises(InputError, match="not well-formed"):
        read(_replace_part(package(p("x")), "word/document.xml", lambda xml: xml[:-20]))
    span = '<w:gridSpan w:val="999999999"/>'
    body = f"<w:tbl>{_tr(_tc('x', span))}</w:tbl>"
    (table,) = read(package(body)).blocks
    assert isinstance(table, Table) and table.bodies[0][0].cells[0].colspan == 1000
    # missing styles, numbering and core parts are not errors
    doc = read(package(numbered("item", 2) + p("x", "Heading1"), styles=None, numbering=None))
    assert [type(b) for b in doc.blocks] == [Paragraph, Paragraph]


def _replace_part(data: bytes, name: str, change: object) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == name:
                content = change(content)  # type: ignore[operator]
            dst.writestr(info, content)
    return out.getvalue()


def test_list_items_hold_their_blocks_only() -> None:
    doc = read(package(numbered("a", 1) + numbered("b", 1)))
    (lst,) = doc.blocks
    assert lst == BulletList((ListItem((Paragraph((Text("a"),)),)), ListItem((Paragraph((Text("b"),)),))))
