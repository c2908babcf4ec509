"""The HTML writer: goldens, page structure, accessibility invariants, safety."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

import itertools

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    Attr,
    BlockQuote,
    BulletList,
    Cell,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
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
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from briefconvert.options import HtmlWriterOptions
from briefconvert.output import Output
from briefconvert.writers.html import stylesheet, write_html
from briefconvert.writers.html_body import render_body
from briefconvert.writers.html_context import XHTML_NS, XML_LANG, HtmlContext
from model_samples import PNG, PNG_KEY, P, T, minimal_document, rich_document

NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# ------------------------------------------------------------------ documents


def edge_document() -> Document:
    """What the writer must repair or handle with care, all of it still
    expected to pass the validators: no title in the metadata (the first
    heading becomes the h1), a level-1 body heading, a skipped level, an
    unsafe source id, unknown alt text in a captioned figure and with a
    title, alt text repeating a caption, boxes with and without headings,
    notes in a heading, in a link and inside a note, unsafe and broken
    links, markup-looking text, a missing resource."""
    return Document(
        Meta(lang="fr", authors=("A. Auteur",), date="2024-11"),
        (
            Heading(1, (T("Rapport sur la flexibilité"),)),
            Heading(1, (T("Contexte"),), Attr(id="1 contexte")),
            Heading(4, (T("Détail"), Note((P("Note dans un titre."),)))),
            P(
                "Liens : ",
                Link((T("dangereux"),), "javascript:alert(1)"),
                ", ",
                Link((T("relatif"),), "page.html"),
                ", ",
                Link((T("vers le contexte"),), "#1%20contexte"),
                ", ",
                Link((T("cassé"),), "#nulle-part"),
                ", ",
                Link(
                    (T("avec note"), Note((P("Note dans un lien", Note((P("imbriquée"),))),))),
                    "https://example.org/a b?q=<x>",
                ),
                " et ",
                Link((T("courriel"),), "mailto:info@example.org"),
                ".",
            ),
            Figure((P(Image(PNG_KEY, None)),), caption=(T("Figure 1 : carte des réseaux."),)),
            Figure((P(Image(PNG_KEY, "Courbe des prix")),), caption=(T("Courbe des prix."),)),
            P("Logo : ", Image(PNG_KEY, None, title="Logo du centre")),
            Aside((Heading(3, (T("Encadré"),)), P("Texte de l'encadré.")), kind="box"),
            Aside((Heading(3, (T("Encadré"),)), P("Même titre.")), kind="box"),
            Aside((P("Un encadré sans titre."),), kind="sidebar"),
            Aside((P("Résumé sans titre."),), kind="summary"),
            Heading(2, ()),
            Heading(2, (Span((T("Annex"),), Attr(lang="en")),)),
            Table(
                head=(),
                bodies=(
                    (
                        Row((Cell((P("Ligne"),), header=True), Cell((P("1"),), colspan=2))),
                        Row((Cell((P("Autre"),), header=True), Cell((P("2"),)), Cell((P("3"),)))),
                    ),
                ),
            ),
            BlockQuote((P("Une citation sans source."),)),
            P("<script>alert('x')</script> & \"guillemets\" <b onclick=x>"),
            P(Image("sha256-0123456789ab.png", "Absent")),
            Endnotes(),
        ),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )


def long_document(*, with_toc: bool = False) -> Document:
    """Nine headings: long enough for an automatic table of contents."""
    blocks: list[object] = []
    if with_toc:
        blocks.append(
            BulletList(tuple(ListItem((P(Link((T(f"Part {i}"),), f"#part-{i}")),)) for i in range(1, 4)))
        )
    for i in range(1, 4):
        blocks.append(Heading(2, (T(f"Part {i}"), Note((P(f"About part {i}."),))), Attr(id=f"part-{i}")))
        blocks.append(P(f"Text of part {i}."))
        for j in range(1, 3):
            blocks.append(Heading(3, (T(f"Section {i}.{j}"),)))
            blocks.append(P(Emph((T(f"Text of section {i}.{j}."),))))
    return Document(Meta(title="A long brief", lang="en"), tuple(blocks))  # type: ignore[arg-type]


def faulty_image_document() -> Document:
    """An image whose text alternative is unknown, outside any figure."""
    return Document(
        Meta(title="Faulty", lang="en"),
        (P("Chart: ", Image(PNG_KEY, None)),),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )


VALID_DOCUMENTS = {
    "rich": rich_document,
    "minimal": minimal_document,
    "edge": edge_document,
    "long": long_document,
}


# -------------------------------------------------------------------- helpers


def render(doc: Document, **options: object) -> tuple[Output, Report]:
    report = Report()
    out = write_html(doc, options=HtmlWriterOptions(**options), report=report)  # type: ignore[arg-type]
    return out, report


def page(doc: Document, **options: object) -> tuple[etree._Element, Report]:
    out, report = render(doc, **options)
    return lxml.html.document_fromstring(out.data, parser=HTML_PARSER), report


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


def text(e: etree._Element) -> str:
    return " ".join("".join(e.itertext()).split())


def heading_levels(root: etree._Element) -> list[int]:
    return [int(e.tag[1]) for e in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def check_page(root: etree._Element, *, unknown_alt_ok: bool = False) -> None:
    """The invariants every page must satisfy (``unknown_alt_ok``: an image
    without any text alternative may appear, for documents that have one)."""
    assert root.tag == "html" and root.get("lang")
    assert root.find("head/meta[@charset='utf-8']") is not None
    title = root.find("head/title")
    assert title is not None and (title.text or "").strip()
    levels = heading_levels(root)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    body = root.find("body")
    assert body is not None
    assert [c.tag for c in body] in (
        ["header", "main"],
        ["header", "nav", "main"],
        ["main"],
        ["nav", "main"],
    )
    assert len(root.findall(".//main")) == 1
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(NCNAME.match(i or "") for i in ids), ids
    id_set = set(ids)
    for a in root.iter("a"):
        href = a.get("href")
        assert href is not None, "an <a> without href"
        if href.startswith("#"):
            assert href[1:] in id_set, f"{href} resolves to nothing"
        else:
            assert href.startswith(("https://", "http://", "mailto:")), href
        assert text(a) or a.get("aria-label") or a.find(".//img[@alt]") is not None
    for img in root.iter("img"):
        src = img.get("src") or ""
        assert src.startswith(("images/", "data:image/")), src
        if img.get("alt") is None:
            labelled = img.get("aria-labelledby")
            if labelled:
                caption = root.get_element_by_id(labelled)
                assert caption.tag == "figcaption" and text(caption)
                assert caption.getparent() in list(img.iterancestors("figure"))
            elif not unknown_alt_ok:
                assert (img.get("title") or "").strip(), "an img without alt, caption or title"
    for th in root.iter("th"):
        assert th.get("scope") in ("col", "row", "colgroup", "rowgroup")
    for e in root.iter():
        if not isinstance(e.tag, str):
            continue
        assert e.tag not in ("script", "iframe", "object", "embed", "form", "base", "link")
        for name, value in e.attrib.items():
            assert not name.lower().startswith("on"), name
            assert not value.strip().lower().startswith(("javascript:", "vbscript:"))
    styles = root.findall(".//style")
    assert all(s.text is not None and s.text.strip() == stylesheet().strip() for s in styles)
    assert len(styles) <= 1
    for ref in root.xpath("//a[@role='doc-noteref']"):
        note = root.get_element_by_id(ref.get("href")[1:])
        assert note.tag == "li"
        back = note.xpath(".//a[@role='doc-backlink']")
        assert len(back) == 1 and back[0].get("href") == f"#{ref.get('id')}"


# --------------------------------------------------------------------- goldens


@pytest.mark.parametrize("name", ["rich", "minimal", "edge"])
def test_golden(name: str, golden) -> None:  # type: ignore[no-untyped-def]
    out, _ = render(VALID_DOCUMENTS[name](), stylesheet=False)
    golden(f"write_html/{name}.html", out.data.decode("utf-8"))


@pytest.mark.parametrize("name", sorted(VALID_DOCUMENTS))
@pytest.mark.parametrize("embed", [False, True])
def test_page_invariants(name: str, embed: bool) -> None:
    root, _ = page(VALID_DOCUMENTS[name](), embed_images=embed)
    check_page(root)


def test_deterministic() -> None:
    for make in (*VALID_DOCUMENTS.values(), faulty_image_document):
        first, _ = render(make())
        second, _ = render(make())
        assert first == second


def test_output_is_utf8_with_doctype() -> None:
    out, _ = render(rich_document())
    data = out.data.decode("utf-8")
    assert data.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "Tomás Ferreira" in data and data.endswith("</html>\n")


# ----------------------------------------------------------------- page shell


def test_head_and_header_carry_the_metadata() -> None:
    root, report = page(rich_document())
    head = root.find("head")
    assert head.findtext("title") == "Grid Flexibility and the Energy Union"
    assert [m.get("content") for m in head.findall("meta[@name='author']")] == [
        "Maria Keller",
        "Tomás Ferreira",
    ]
    assert head.find("meta[@name='description']").get("content").startswith("A brief on demand")
    assert head.find("meta[@name='keywords']").get("content") == "energy, demand response"
    assert head.find("meta[@name='viewport']") is not None
    header = root.find("body/header")
    assert text(header.find("hgroup/h1")) == "Grid Flexibility and the Energy Union"
    assert text(header.find("hgroup/p[@class='subtitle']")) == "How demand response can lower bills"
    assert text(header.find("p[@class='byline']")) == "Maria Keller, Tomás Ferreira"
    assert header.find(".//time").get("datetime") == "2025-03-14"
    assert "Centre for European Energy Studies" in text(header)
    assert "document-title" not in codes(report) and "document-lang" not in codes(report)


def test_known_language_is_written() -> None:
    root, report = page(rich_document())
    assert root.get("lang") == "en-GB"
    assert "document-lang" not in codes(report)


@pytest.mark.parametrize("lang", [None, "not a tag"])
def test_unknown_language_is_declared_undetermined_and_reported(lang: str | None) -> None:
    root, report = page(Document(Meta(title="T", lang=lang), (P("x"),)))
    assert root.get("lang") == "und"
    assert codes(report).count("document-lang") == 1


def test_right_to_left_language_sets_dir() -> None:
    root, _ = page(Document(Meta(title="T", lang="ar"), (P("x"),)))
    assert root.get("dir") == "rtl"


def test_title_from_first_heading_becomes_the_h1_in_main() -> None:
    root, report = page(edge_document())
    assert root.findtext("head/title") == "Rapport sur la flexibilité"
    h1 = root.findall(".//h1")
    assert len(h1) == 1 and h1[0].getparent().tag == "main"
    assert root.find("body/header/h1") is None
    assert "document-title" in codes(report)


def test_title_from_text_is_a_visually_hidden_h1() -> None:
    root, report = page(minimal_document())
    assert root.findtext("head/title") == "Just one paragraph."
    h1 = root.find("body/header/h1")
    assert h1.get("class") == "visually-hidden" and text(h1) == "Just one paragraph."
    assert "document-title" in codes(report)


def test_long_text_title_is_shortened_and_empty_document_is_untitled() -> None:
    root, _ = page(Document(blocks=(P(" ".join(f"w{i}" for i in range(30))),)))
    assert root.findtext("head/title") == "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 …"
    root, _ = page(Document())
    assert root.findtext("head/title") == "Untitled"
    check_page(root)


def test_heading_in_a_header_cell_is_not_the_title_heading() -> None:
    cell = Cell((Heading(1, (T("Cell heading"),)),), header=True)
    doc = Document(blocks=(Table(head=(Row((cell,)),), bodies=((Row((Cell((P("x"),)),)),),)),))
    root, report = page(doc)
    assert root.find(".//th/p[@class='cell-heading']/strong").text == "Cell heading"
    assert root.find("body/header/h1").get("class") == "visually-hidden"
    assert "heading-in-note" in codes(report)
    check_page(root)


def test_faults_reported_earlier_are_not_repeated() -> None:
    report = Report()
    report.warning("document-lang", "found by a rule on the model")
    report.warning("document-title", "found by the title transform")
    write_html(minimal_document(), options=HtmlWriterOptions(), report=report)
    assert codes(report) == ["document-lang", "document-title"]


def test_stylesheet_option() -> None:
    root, _ = page(rich_document())
    assert root.find("head/style").text.strip() == stylesheet().strip()
    root, _ = page(rich_document(), stylesheet=False)
    assert root.find("head/style") is None


# ------------------------------------------------------------------- headings


def test_body_headings_are_repaired_and_reported() -> None:
    doc = Document(
        Meta(title="T", lang="en"),
        (Heading(1, (T("A"),)), Heading(2, (T("B"),)), Heading(5, (T("C"),)), Heading(3, (T("D"),))),
    )
    root, report = page(doc)
    assert heading_levels(root) == [1, 2, 2, 3, 3]
    assert codes(report).count("heading-order") == 2


def test_heading_ids_are_unique_safe_and_keep_source_ids() -> None:
    doc = Document(
        Meta(title="T", lang="en"),
        (
            Heading(2, (T("Intro"),)),
            Heading(2, (T("Intro"),)),
            Heading(2, (T("Kept"),), Attr(id="kept_id")),
            Heading(2, (T("Unsafe"),), Attr(id="2 bad<id>")),
            Heading(2, (T("Ærø — 2024!"),)),
            Div((P("x"),), Attr(id="intro")),
            P(Link((T("to div"),), "#intro"), Link((T("to unsafe"),), "#2%20bad%3Cid%3E")),
        ),
    )
    root, _ = page(doc)
    ids = [h.get("id") for h in root.iter("h2")]
    assert ids == ["intro", "intro-2", "kept_id", "s-2-bad-id", "aero-2024"]
    assert root.find(".//main/div").get("id") == "intro-3"
    assert [a.get("href") for a in root.iter("a")] == ["#intro-3", "#s-2-bad-id"]
    check_page(root)


def test_empty_heading_is_not_a_heading() -> None:
    root, report = page(edge_document())
    assert "empty-heading" in codes(report)
    assert all(text(h) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6"))


# --------------------------------------------------------------------- blocks


def test_lists() -> None:
    root, _ = page(rich_document())
    ols = root.findall(".//main/ol")
    assert ols[0].get("start") == "3" and ols[0].get("type") is None
    assert ols[1].get("type") == "a" and ols[1].get("start") is None
    nested = ols[0].findall("li")[1]
    assert (nested.text or "").startswith("Reward flexibility") and nested.find("ul") is not None
    dl = root.find(".//dl")
    assert [c.tag for c in dl] == ["dt", "dd", "dt", "dd", "dd"]


def test_blockquote_attribution_is_outside_the_quote() -> None:
    root, _ = page(rich_document())
    fig = root.find(".//figure[@class='quote']")
    assert [c.tag for c in fig] == ["blockquote", "figcaption"]
    assert "Grid operator" in text(fig.find("figcaption"))
    assert "Grid operator" not in text(fig.find("blockquote"))
    root, _ = page(edge_document())
    bare = root.find(".//main/blockquote")
    assert bare is not None and text(bare) == "Une citation sans source."


def test_table_structure() -> None:
    root, _ = page(rich_document())
    table = root.find(".//table")
    assert [c.tag for c in table] == ["caption", "thead", "tbody", "tfoot"]
    assert [th.get("scope") for th in table.findall("thead/tr/th")] == ["col", "col"]
    assert [th.get("scope") for th in table.findall("tbody/tr/th")] == ["row", "row", "row"]
    root, _ = page(edge_document())
    table = root.find(".//table")
    assert [c.tag for c in table] == ["tbody"]
    row = table.find("tbody/tr")
    assert row[0].tag == "th" and row[0].get("scope") == "row"
    assert row[1].get("colspan") == "2"


def test_several_table_bodies_and_consistent_spans() -> None:
    c = Cell((P("x"),))
    wide = Cell((P("wide"),), colspan=5000, rowspan=9)
    doc = Document(
        Meta(title="T", lang="en"),
        (
            Table(
                head=(),
                bodies=((Row((c, c, c)), Row((c, Cell((P("y"),), colspan=2)))), (), (Row((wide,)), Row(()))),
            ),
        ),
    )
    root, report = page(doc)
    bodies = root.findall(".//table/tbody")
    assert len(bodies) == 2  # the empty body is left out
    assert bodies[0][1][1].get("colspan") == "2"  # a consistent span is kept
    assert [len(b) for b in bodies] == [2, 1]  # the row where no cell begins is left out
    assert bodies[1][0][0].get("colspan") == "3"  # clipped to the table's columns
    assert bodies[1][0][0].get("rowspan") is None  # clipped to its row group
    assert "table-geometry" in codes(report)
    check_page(root)


def test_spans_never_overlap() -> None:
    tall = Cell((P("tall"),), rowspan=2)
    doc = Document(
        Meta(title="T", lang="en"),
        (
            Table(
                head=(),
                bodies=(
                    (
                        Row((Cell((P("a"),)), tall, Cell((P("b"),)))),
                        Row((Cell((P("wide"),), colspan=3), Cell((P("c"),)))),
                    ),
                ),
            ),
        ),
    )
    root, report = page(doc)
    wide = root.find(".//tbody/tr[2]/td[1]")
    assert text(wide) == "wide" and wide.get("colspan") is None  # stops before "tall"
    assert "table-geometry" in codes(report)


def test_span_past_a_column_where_no_cell_begins_is_merged() -> None:
    doc = Document(
        Meta(title="T", lang="en"),
        (
            Table(
                head=(),
                bodies=((Row((Cell((P("a"),)), Cell((P("b"),), colspan=3))), Row((Cell((P("c"),)),))),),
            ),
        ),
    )
    root, _ = page(doc)
    assert root.find(".//tbody/tr/td[2]").get("colspan") is None


def test_asides() -> None:
    root, _ = page(rich_document())
    summary = root.find(".//main/section[@class='summary']")
    assert summary.get("aria-labelledby") == summary[0].get("id") == "key-findings"
    root, _ = page(edge_document())
    main = root.find(".//main")
    asides = main.findall("aside")
    assert len(asides) == 1
    assert text(root.get_element_by_id(asides[0].get("aria-labelledby"))) == "Encadré"
    notes = main.findall("div[@role='note']")
    assert [d.get("class") for d in notes] == ["box", "sidebar"]  # same name again; no heading
    summary = main.find("div[@class='summary']")
    assert summary is not None and summary.get("role") is None


def test_code_block_and_break() -> None:
    root, _ = page(rich_document())
    code = root.find(".//pre/code")
    assert code.get("class") == "language-python" and code.text == "price = base * (1 - flex)\n"
    assert root.find(".//main/hr") is not None


# -------------------------------------------------------------------- inlines


def test_inline_elements_and_languages() -> None:
    root, _ = page(rich_document())
    main = root.find(".//main")
    assert main.find(".//code").text == "DSR"
    assert main.find(".//sub").text == "2"
    assert main.find(".//strong").text == "12%"
    assert main.find(".//br") is not None
    assert main.find(".//span[@lang='de']").text == "Auf Deutsch: Netzflexibilität"
    assert main.find(".//div[@lang='fr']") is not None


def test_links_are_filtered_and_quoted() -> None:
    root, report = page(edge_document())
    hrefs = [a.get("href") for a in root.find(".//main").iter("a") if a.get("role") is None]
    assert hrefs == ["#s-1-contexte", "https://example.org/a%20b?q=%3Cx%3E", "mailto:info@example.org"]
    body = text(root.find(".//main"))
    assert "dangereux" in body and "relatif" in body and "cassé" in body
    assert codes(report).count("link-url") == 2
    assert codes(report).count("link-target") == 1


def test_link_title_and_empty_link_text() -> None:
    root, _ = page(rich_document())
    assert root.find(".//a[@title='PDF, 2 MB']").text == "full report"
    root, report = page(Document(Meta(title="T", lang="en"), (P(Link((), "https://example.org/")),)))
    assert root.find(".//main//a").text == "https://example.org/"
    assert "link-name" in codes(report)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\tscript:x", "data:text/html,<b>x</b>", "vbscript:x",
     "file:///etc/passwd", "//example.org/x", "ftp://example.org/", "#", "https:///nohost"],
)  # fmt: skip
def test_unsafe_urls_become_text(url: str) -> None:
    root, report = page(Document(Meta(title="T", lang="en"), (P(Link((T("label"),), url)),)))
    assert root.find(".//main//a") is None
    assert text(root.find(".//main")) == "label"
    assert "link-url" in codes(report)


def test_markup_in_text_is_escaped() -> None:
    out, _ = render(edge_document())
    data = out.data.decode("utf-8")
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"guillemets\" &lt;b onclick=x&gt;" in data
    root = lxml.html.document_fromstring(out.data, parser=HTML_PARSER)
    assert root.find(".//script") is None and root.find(".//b") is None


def test_nested_links_are_flattened() -> None:
    inner = Link((T("inner"),), "https://example.org/inner")
    doc = Document(Meta(title="T", lang="en"), (P(Link((T("outer "), inner), "https://example.org/outer")),))
    root, _ = page(doc)
    links = root.findall(".//main//a")
    assert len(links) == 1 and text(links[0]) == "outer inner"


# --------------------------------------------------------------------- images


def test_images_alt_rules() -> None:
    root, report = page(rich_document())
    imgs = root.findall(".//main//img")
    assert imgs[0].get("alt") == "Bar chart: Germany 12.4 GW, France 8.1 GW."
    assert imgs[1].get("alt") == ""  # decorative
    assert (imgs[0].get("width"), imgs[0].get("height")) == ("2", "1")
    assert len(imgs) == 2  # the image with neither file nor alt text is left out
    unavailable = root.find(".//span[@class='image-unavailable']")
    assert unavailable.text == "Map of Europe"
    assert "image-alt" in codes(report)


def test_unknown_alt_is_never_invented() -> None:
    root, report = page(edge_document())
    figures = [f for f in root.iter("figure") if f.get("class") is None]
    labelled = figures[0].find("img")
    assert labelled.get("alt") is None
    assert labelled.get("aria-labelledby") == figures[0].find("figcaption").get("id")
    redundant = figures[1].find("img")
    assert redundant.get("alt") == ""  # alt only repeated the visible caption
    titled = root.find(".//main/p/img[@title]")
    assert titled.get("alt") is None and titled.get("title") == "Logo du centre"
    assert codes(report).count("image-alt") == 2
    assert "image-alt-redundant" in codes(report)
    assert "resource-missing" in codes(report)
    assert root.xpath("//span[@class='image-unavailable']/text()") == ["Absent"]


def test_unknown_alt_without_caption_or_title_stays_unknown() -> None:
    root, report = page(faulty_image_document())
    img = root.find(".//main//img")
    assert img is not None
    assert img.get("alt") is None and img.get("aria-labelledby") is None and img.get("title") is None
    assert next(d for d in report.diagnostics if d.code == "image-alt").severity.name == "WARNING"


def test_unsupported_media_type_is_not_written() -> None:
    svg = Resource("sha256-aaaaaaaaaaaa.bin", "image/svg+xml", b"<svg onload='x'/>")
    doc = Document(Meta(title="T", lang="en"), (P(Image(svg.key, "Logo")),), {svg.key: svg})
    out, report = render(doc)
    root = lxml.html.document_fromstring(out.data, parser=HTML_PARSER)
    assert root.find(".//img") is None and out.attachments == ()
    assert root.find(".//span[@class='image-unavailable']").text == "Logo"
    assert "resource-unsupported" in codes(report)


def test_attachments() -> None:
    out, _ = render(rich_document())
    assert [a.path for a in out.attachments] == [f"images/{PNG_KEY}"]
    assert out.attachments[0].data == PNG
    root = lxml.html.document_fromstring(out.data, parser=HTML_PARSER)
    assert {img.get("src") for img in root.iter("img")} == {f"images/{PNG_KEY}"}
    out, _ = render(rich_document(), assets_dir="media/img/")
    assert [a.path for a in out.attachments] == [f"media/img/{PNG_KEY}"]


def test_attachment_names_are_generated_not_taken_from_the_input() -> None:
    res = Resource("../../evil.png", "image/png", PNG, origin="x")
    doc = Document(Meta(title="T", lang="en"), (P(Image(res.key, "x")),), {res.key: res})
    out, _ = render(doc)
    assert [a.path for a in out.attachments] == [f"images/{PNG_KEY}"]


@pytest.mark.parametrize("assets_dir", ["../up", "/abs", "a/../b", "a b", ""])
def test_unsafe_assets_dir_falls_back(assets_dir: str) -> None:
    out, report = render(rich_document(), assets_dir=assets_dir)
    assert [a.path for a in out.attachments] == [f"images/{PNG_KEY}"]
    assert "option-invalid" in codes(report)


def test_embedded_images() -> None:
    out, _ = render(rich_document(), embed_images=True)
    assert out.attachments == ()
    root = lxml.html.document_fromstring(out.data, parser=HTML_PARSER)
    srcs = [img.get("src") for img in root.iter("img")]
    assert len(srcs) == 2
    for src in srcs:
        prefix = "data:image/png;base64,"
        assert src.startswith(prefix) and base64.b64decode(src[len(prefix) :]) == PNG


# ---------------------------------------------------------------------- notes


def test_notes_are_numbered_and_linked_both_ways() -> None:
    root, _ = page(rich_document())
    refs = root.xpath("//a[@role='doc-noteref']")
    assert [r.text for r in refs] == ["1", "2"]
    assert all(r.getparent().tag == "sup" for r in refs)
    section = root.find(".//section[@role='doc-endnotes']")
    assert section.get("aria-label") == "Notes"
    assert section.getprevious().tag == "h2" and text(section.getprevious()) == "Notes"
    assert section.getnext().tag == "h2"  # the Endnotes marker's position is kept
    items = section.findall("ol/li")
    assert [li.get("id") for li in items] == ["fn1", "fn2"]
    assert items[1].get("lang") == "fr"  # referenced inside a French division
    back = items[0].find(".//a[@role='doc-backlink']")
    assert back.get("aria-label") == "Back to note 1 reference"
    assert back.text.endswith("1")


def test_notes_in_odd_places() -> None:
    root, _ = page(edge_document())
    main = root.find(".//main")
    refs = main.xpath(".//a[@role='doc-noteref']")
    assert [r.text for r in refs] == ["1", "2"]
    assert refs[0].getparent().getparent().tag == "h3"  # in a heading
    link = main.xpath(".//a[starts-with(@href, 'https:')]")[0]
    assert link.find(".//sup") is None and link.getnext().tag == "sup"  # moved after the link
    items = main.findall(".//section[@role='doc-endnotes']/ol/li")
    assert text(items[1]).startswith("Note dans un lien (imbriquée)")
    assert main.find(".//section[@role='doc-endnotes']").get("aria-label") == "Notes"
    back = items[0].find(".//a[@role='doc-backlink']")
    assert back.get("aria-label") == "Retour à l’appel de note 1"


def test_notes_without_marker_go_to_the_end_and_empty_marker_leaves_nothing() -> None:
    doc = Document(Meta(title="T", lang="en"), (P("a", Note((P("n"),))), P("b")))
    root, _ = page(doc)
    assert root.find(".//main")[-1].get("role") == "doc-endnotes"
    doc = Document(Meta(title="T", lang="en"), (Heading(2, (T("Notes"),)), Endnotes(), Endnotes()))
    root, report = page(doc)
    assert root.find(".//section") is None
    doc = Document(Meta(title="T", lang="en"), (P("a", Note((P("n"),))), Endnotes(), Endnotes()))
    root, report = page(doc)
    assert len(root.findall(".//section[@role='doc-endnotes']")) == 1
    assert "endnotes-duplicate" in codes(report)


def test_headings_inside_notes_leave_the_outline_alone() -> None:
    note = Note((Heading(2, (T("Note title"),)), P("text")))
    root, report = page(Document(Meta(title="T", lang="en"), (P("a", note),)))
    assert heading_levels(root) == [1]
    assert root.find(".//li/p[@class='note-heading']/strong").text == "Note title"
    assert "heading-in-note" in codes(report)


# ------------------------------------------------------------------------ toc


def test_toc_on_request() -> None:
    root, _ = page(rich_document(), toc=True)
    nav = root.find("body/nav")
    assert nav is not None and nav.get("aria-label") == "Contents"
    assert nav.getnext().tag == "main" and nav.find(".//h2") is None
    top = nav.findall("ul/li")
    assert [text(li.find("a")) for li in top] == [
        "Key findings",
        "Introduction",
        "Notes",
        "Bibliographic data",
    ]
    assert [a.get("href") for a in top[1].findall("ul/li/a")] == ["#three-steps"]
    check_page(root)


def test_toc_automatic_for_long_documents_only() -> None:
    assert page(rich_document())[0].find("body/nav") is None
    root, _ = page(long_document())
    nav = root.find("body/nav")
    assert nav is not None
    assert [text(a) for a in nav.findall("ul/li/a")] == ["Part 1", "Part 2", "Part 3"]  # no note numbers
    assert len(nav.findall("ul/li/ul/li")) == 6
    assert nav.find(".//sup") is None and not [e for e in nav.iter() if e.get("id")]
    assert page(long_document(), toc=False)[0].find("body/nav") is None
    assert page(long_document(with_toc=True))[0].find("body/nav") is None


# ------------------------------------------------------------ robustness/misc


def test_invalid_language_tags_are_dropped() -> None:
    doc = Document(Meta(title="T", lang="en"), (P(Span((T("x"),), Attr(lang="not valid!"))),))
    root, report = page(doc)
    assert root.find(".//main//span") is None or root.find(".//main//span").get("lang") is None
    assert "lang-invalid" in codes(report)


def test_deep_nesting_is_flattened_not_a_crash() -> None:
    inline: object = T("deep text")
    for _ in range(3000):
        inline = Emph((inline,))  # type: ignore[arg-type]
    block: object = Paragraph((inline,))  # type: ignore[arg-type]
    for _ in range(3000):
        block = Div((block,))  # type: ignore[arg-type]
    root, report = page(Document(Meta(title="T", lang="en"), (block,)))  # type: ignore[arg-type]
    assert "deep text" in text(root.find(".//main"))
    assert "depth-limit" in codes(report)
    depth = max(len(list(e.iterancestors())) for e in root.iter())
    assert depth < 100


def test_render_body_as_xhtml() -> None:
    report = Report()
    ctx = HtmlContext(
        report=report, image_src=lambda r: f"img/{r.key}", xhtml=True, epub_types=True, lang="en-GB"
    )
    elements = render_body(rich_document(), ctx)
    body = etree.Element(f"{{{XHTML_NS}}}body", nsmap={None: XHTML_NS})
    body.extend(elements)
    data = etree.tostring(body, encoding="utf-8")
    parsed = etree.fromstring(data, XML_PARSER)
    ns = {"h": XHTML_NS, "epub": "http://www.idpf.org/2007/ops"}
    assert parsed.xpath("//h:div[@lang='fr']", namespaces=ns)[0].get(XML_LANG) == "fr"
    assert parsed.xpath("//h:a[@role='doc-noteref']/@epub:type", namespaces=ns) == ["noteref", "noteref"]
    assert parsed.xpath("//h:img/@src", namespaces=ns)[0] == f"img/{PNG_KEY}"
    assert set(ctx.used_resources) == {PNG_KEY}
    assert all(e.tag.startswith(f"{{{XHTML_NS}}}") for e in parsed.iter() if isinstance(e.tag, str))


def test_fresh_context_per_call() -> None:
    a, _ = render(rich_document())
    render(edge_document())
    b, _ = render(rich_document())
    assert a == b


# ------------------------------------------------------------------ stylesheet


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", block))


def test_stylesheet_colours_meet_wcag_aa_in_both_schemes() -> None:
    css = stylesheet()
    light = _variables(css.split("@media (prefers-color-scheme: dark)")[0])
    dark = _variables(css.split("@media (prefers-color-scheme: dark)")[1].split("@media")[0])
    assert set(light) == set(dark) and {"text", "bg", "link", "muted", "box-bg"} <= set(light)
    for scheme in (light, dark):
        for fg in ("text", "muted", "link", "visited"):
            for bg in ("bg", "box-bg", "code-bg"):
                assert _contrast(scheme[fg], scheme[bg]) >= 4.5, (fg, bg, scheme)
        assert _contrast(scheme["focus"], scheme["bg"]) >= 3
        assert _contrast(scheme["box-border"], scheme["box-bg"]) >= 3


def test_stylesheet_has_the_promised_rules() -> None:
    css = stylesheet()
    assert "max-width: 40em" in css and "@media print" in css and "system-ui" in css
    assert "a.backlink" in css and "min-width: 24px" in css and "min-height: 24px" in css
    assert "http" not in css.replace('a[href^="http"]', "")  # no remote resources


# ------------------------------------------------------------ property based

_texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_attrs = st.builds(
    Attr,
    id=st.sampled_from([None, None, "a", "1 b", "fn1", "intro", "x:y"]),
    lang=st.sampled_from([None, None, "de", "fr-CA", "bad tag"]),
)
_urls = st.sampled_from(
    ["https://example.org/p q", "#a", "#1%20b", "#missing", "javascript:x", "", "mailto:x@y"]
)
_images = st.builds(
    Image,
    st.sampled_from([PNG_KEY, None, "sha256-ffffffffffff.png"]),
    st.sampled_from([None, "", "A chart", "Caption"]),
    title=st.sampled_from([None, "A title"]),
)


def _inline_children(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    content = st.lists(children, max_size=3).map(tuple)
    return st.one_of(
        st.builds(Emph, content),
        st.builds(Strong, content),
        st.builds(Sub, content),
        st.builds(Sup, content),
        st.builds(Link, content, _urls),
        st.builds(Span, content, _attrs),
        st.builds(Note, content.map(lambda c: (Paragraph(c),))),  # type: ignore[arg-type]
    )


_inlines = st.recursive(
    st.one_of(st.builds(Text, _texts), st.builds(Code, _texts), st.just(LineBreak()), _images),
    _inline_children,
    max_leaves=8,
)
_content = st.lists(_inlines, max_size=4).map(tuple)


def _block_children(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    blocks = st.lists(children, min_size=0, max_size=3).map(tuple)
    items = st.lists(blocks.map(ListItem), max_size=3).map(tuple)
    rows = st.lists(
        st.lists(
            st.builds(
                Cell, blocks, header=st.booleans(), colspan=st.integers(1, 4), rowspan=st.integers(1, 3)
            ),
            max_size=3,
        ).map(lambda cells: Row(tuple(cells))),
        max_size=3,
    ).map(tuple)
    return st.one_of(
        st.builds(BulletList, items),
        st.builds(OrderedList, items, start=st.integers(-2, 5), style=st.sampled_from(["1", "a", "I"])),
        st.builds(BlockQuote, blocks, attribution=_content),
        st.builds(Figure, blocks, caption=_content),
        st.builds(Aside, blocks, kind=st.sampled_from(["summary", "box", "sidebar"])),
        st.builds(Div, blocks, _attrs),
        st.builds(Table, rows, st.lists(rows, max_size=2).map(tuple), foot=rows, caption=_content),
        st.builds(
            DefinitionList,
            st.lists(
                st.builds(DefinitionItem, _content, st.lists(blocks, max_size=2).map(tuple)), max_size=2
            ).map(tuple),
        ),
    )


_blocks = st.recursive(
    st.one_of(
        st.builds(Paragraph, _content, _attrs),
        st.builds(Heading, st.integers(1, 6), _content, _attrs),
        st.builds(CodeBlock, _texts, language=st.sampled_from([None, "py", "a b"])),
        st.just(ThematicBreak()),
        st.just(Endnotes()),
    ),
    _block_children,
    max_leaves=12,
)
_documents = st.builds(
    Document,
    st.builds(
        Meta,
        title=st.sampled_from([None, "", "A title"]),
        lang=st.sampled_from([None, "en", "x y"]),
        authors=st.sampled_from([(), ("A",)]),
        date=st.sampled_from([None, "2024", "spring"]),
    ),
    st.lists(_blocks, max_size=6).map(tuple),
    st.just({PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)}),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_documents, toc=st.sampled_from([None, True]))
def test_any_document_gives_a_sound_page(doc: Document, toc: bool | None) -> None:
    out, report = render(doc, toc=toc)
    root = lxml.html.document_fromstring(out.data, parser=HTML_PARSER)
    check_page(root, unknown_alt_ok="image-alt" in codes(report))
    again, _ = render(doc, toc=toc)
    assert again == out


def test_characters_that_xml_refuses_are_dropped() -> None:
    doc = Document(
        Meta(title="T\x00itle", lang="en", authors=("A\x0bB",)),
        (P("a\x00b\x1fc", Image(PNG_KEY, "al\x01t", title="t\x02")), CodeBlock("x\x08y")),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )
    root, _ = page(doc)
    assert root.findtext("head/title") == "Title"
    assert text(root.find(".//main/p")) == "abc"
    assert root.find(".//img").get("alt") == "alt"
    assert root.find(".//pre/code").text == "xy"
