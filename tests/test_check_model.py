"""The semantic rules of ``briefconvert check`` (a11y/model_rules*.py) on
documents built in the tests: each planted fault is reported with its rule
id and location, and the look-alikes that are not faults are not."""

from __future__ import annotations

import pytest

from briefconvert.a11y import model_rules
from briefconvert.a11y.findings import Finding, Sink
from briefconvert.a11y.model_rules_lang import expected_scripts, foreign_runs, tag_problem
from briefconvert.a11y.rules import RULES_BY_ID, Format
from briefconvert.diagnostics import Severity
from briefconvert.model import (
    Attr,
    Block,
    Cell,
    Document,
    Endnotes,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    Paragraph,
    Resource,
    Row,
    SourceRef,
    Span,
    Sup,
    Table,
    Text,
)

META = Meta(title="A brief", lang="en")
H1 = Heading(1, (Text("A brief"),))


def doc(
    *blocks: Block, meta: Meta = META, h1: bool = True, resources: dict[str, Resource] | None = None
) -> Document:
    return Document(meta=meta, blocks=((H1,) if h1 else ()) + blocks, resources=resources or {})


def findings(d: Document, fmt: Format = "html") -> list[Finding]:
    sink = Sink("x.html")
    model_rules.run(d, sink, fmt=fmt)
    return sink.findings


def rules(d: Document, fmt: Format = "html") -> list[str]:
    return [f.rule for f in findings(d, fmt)]


def para(*content: Inline, line: int | None = None) -> Paragraph:
    return Paragraph(tuple(content), src=SourceRef(line=line) if line else None)


def test_a_clean_document_has_no_findings() -> None:
    d = doc(
        Heading(2, (Text("Introduction"),)),
        para(Text("Gas imports fell. See "), Link((Text("the 2024 annual report"),), "https://x.org/r")),
        Figure(
            (para(Image("k.png", "Bar chart: imports fell by 40 % from 2021 to 2023")),),
            (Text("Figure 1: Imports"),),
        ),
    )
    assert findings(d) == []


# ------------------------------------------------------------------ title and language


def test_document_title_missing_or_blank() -> None:
    for meta in (Meta(lang="en"), Meta(title="  ", lang="en")):
        got = findings(doc(meta=meta))
        assert [f.rule for f in got] == ["document-title"]
        assert got[0].severity is Severity.ERROR
    assert "dc:title" in findings(doc(meta=Meta(lang="en")), "epub")[0].message


@pytest.mark.parametrize(
    ("lang", "problem"),
    [
        (None, "declares no language"),
        ("english", "not a valid language tag"),
        ("en_US", "'-', not '_'"),
        ("xx", "not an ISO 639"),
        ("und", "names no language"),
    ],
)
def test_document_lang_faults(lang: str | None, problem: str) -> None:
    got = findings(doc(meta=Meta(title="T", lang=lang)))
    assert [f.rule for f in got] == ["document-lang"]
    assert problem in got[0].message


@pytest.mark.parametrize(
    "tag", ["en", "en-GB", "fr-CA", "de-CH-1996", "zh-Hant-TW", "sr-Latn", "gsw", "es-419", "x-klingon"]
)
def test_valid_tags(tag: str) -> None:
    assert tag_problem(tag) is None
    assert rules(doc(meta=Meta(title="T", lang=tag))) == []


@pytest.mark.parametrize(
    "tag", ["", "e", "english", "en_GB", "en-", "123", "fr-CA-", "qq", "en-GB-toolongvariant1"]
)
def test_invalid_tags(tag: str) -> None:
    assert tag_problem(tag) is not None


def test_marked_part_with_invalid_tag_is_reported_once() -> None:
    bad = Span((Text("bonjour"),), Attr(lang="français"))
    d = doc(para(Text("He said "), bad, Text("."), line=7), para(bad, line=9))
    got = findings(d)
    assert [f.rule for f in got] == ["lang-part"]
    assert got[0].line == 7 and "'français'" in got[0].message


def test_unmarked_passage_in_another_script() -> None:
    d = doc(para(Text("The motto reads Мы будем стоять до конца and it is everywhere."), line=4))
    got = findings(d)
    assert [f.rule for f in got] == ["lang-part"]
    assert "Cyrillic" in got[0].message and got[0].line == 4


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin (Путин) spoke.",  # one word: a name
        "The angle α + β = 90° and Δx is small.",  # letters in formulas
        "Die Zeitenwende was announced in German, which shares the Latin script.",
        "Prices in €, £ and ¥ rose — as did “quotes”.",
    ],
)
def test_no_false_positive_for_short_foreign_script(text: str) -> None:
    assert rules(doc(para(Text(text)))) == []


def test_marked_passage_and_unknown_language_are_not_reported() -> None:
    marked = para(Text("The motto reads "), Span((Text("Мы будем стоять до конца"),), Attr(lang="ru")))
    assert rules(doc(marked)) == []
    # the document language unknown: no expected script (document-lang reports the fault)
    unknown = doc(para(Text("Мы будем стоять до конца")), meta=Meta(title="T"))
    assert rules(unknown) == ["document-lang"]
    # Latin text in a Russian document is never reported (names, acronyms)
    ru = doc(para(Text("Доклад NATO Defence Review и другие")), meta=Meta(title="T", lang="ru"))
    assert rules(ru) == []


def test_cjk_and_greek_passages() -> None:
    assert "lang-part" in rules(
        doc(para(Text("Le slogan 人類命運共同体 est partout.")), meta=Meta(title="T", lang="fr"))
    )
    assert "lang-part" in rules(
        doc(para(Text("Sokrates sagte ἓν οἶδα ὅτι οὐδὲν οἶδα dazu.")), meta=Meta(title="T", lang="de"))
    )
    runs = list(foreign_runs("Japanese 日本語の文章です here", expected_scripts("en") or frozenset()))
    assert len(runs) == 1 and runs[0].text == "日本語の文章です"


# ------------------------------------------------------------------ headings


def test_heading_h1_missing_and_repeated() -> None:
    assert rules(doc(Heading(2, (Text("Only h2"),)), h1=False)) == ["heading-h1"]
    two = doc(Heading(1, (Text("Second"),), src=SourceRef(line=30)))
    got = findings(two)
    assert [f.rule for f in got] == ["heading-h1"] and got[0].line == 30 and "2 first-level" in got[0].message
    # a book, a Word document or a PDF may open each chapter with its own h1
    for fmt in ("epub", "docx", "pdf"):
        assert rules(two, fmt) == []


def test_heading_order() -> None:
    d = doc(
        Heading(2, (Text("A"),)),
        Heading(4, (Text("Deep"),), src=SourceRef(line=12)),
        Heading(2, (Text("B"),)),
        Heading(3, (Text("C"),)),
    )
    got = findings(d)
    assert [f.rule for f in got] == ["heading-order"]
    assert got[0].line == 12 and "from 2 to 4" in got[0].message


def test_headings_inside_notes_do_not_count() -> None:
    note = Note((Heading(5, (Text("A heading in a note"),)),))
    assert rules(doc(para(Text("Text"), note), Endnotes())) == []


def test_heading_empty() -> None:
    d = doc(Heading(2, (), src=SourceRef(line=5)), Heading(2, (Image(None, "Logo of the Institute"),)))
    got = findings(d)
    assert [(f.rule, f.line) for f in got] == [("heading-empty", 5)]


# ------------------------------------------------------------------ images

RES = {
    "sha256-aaaaaaaaaaaa.png": Resource(
        "sha256-aaaaaaaaaaaa.png", "image/png", b"x", origin="img/figure1-emissions.png"
    )
}


def test_image_alt_missing_names_the_file_and_page() -> None:
    img = Image("sha256-aaaaaaaaaaaa.png", None, src=SourceRef(page=3))
    got = findings(doc(para(img), resources=RES), "pdf")
    assert [f.rule for f in got] == ["image-alt"]
    assert "'figure1-emissions.png'" in got[0].message and got[0].where == "page 3"


def test_decorative_image_is_fine_and_white_space_alt_is_not() -> None:
    assert rules(doc(para(Image(None, "")))) == []
    assert rules(doc(para(Image(None, " ")))) == ["image-alt"]


@pytest.mark.parametrize(
    "alt",
    ["IMG_0042.jpg", "chart.png", "images/fig-3.svg", "https://example.org/a.png", "www.example.org/x",
     "image", "Image 3", "Bild", "photo", "graphique", "Abb. 2", "DSC01234", "Grafik", "icon",
     "figure1-emissions", "---"],
)  # fmt: skip
def test_image_alt_suspicious(alt: str) -> None:
    got = findings(doc(para(Image("sha256-aaaaaaaaaaaa.png", alt)), resources=RES))
    assert [f.rule for f in got] == ["image-alt-suspicious"], alt


@pytest.mark.parametrize(
    "alt",
    ["Chart of gas imports by sector, 2010-2024", "Photo of the minister at the summit",
     "Bar chart: gas imports fell by 40 %", "Logo of the European Commission", "Map of Europe",
     "Graphique : la dette publique"],
)  # fmt: skip
def test_descriptive_alt_is_not_suspicious(alt: str) -> None:
    assert rules(doc(para(Image(None, alt)))) == []


def test_image_alt_repeating_the_caption() -> None:
    def fig(alt: str, caption: str) -> Figure:
        return Figure((para(Image(None, alt)),), (Text(caption),))

    assert rules(doc(fig("Gas imports, 2010-2024", "Gas imports, 2010–2024."))) == ["image-alt-caption"]
    assert rules(doc(fig("gas imports 2010 2024", "Figure 2: Gas imports, 2010-2024"))) == [
        "image-alt-caption"
    ]
    assert rules(doc(fig("Line chart: imports fell by half after 2022", "Figure 2: Gas imports"))) == []


# ------------------------------------------------------------------ links


def test_link_name() -> None:
    empty = Link((), "https://example.org/empty")
    assert [(f.rule, f.line) for f in findings(doc(para(Text("x"), empty, line=8)))] == [("link-name", 8)]
    assert rules(doc(para(Link((Image(None, ""),), "https://x.org")))) == ["link-name"]
    assert rules(doc(para(Link((Image(None, "Home page of the institute"),), "https://x.org")))) == []
    assert rules(doc(para(Link((), "https://x.org/t", title="Our Twitter account")))) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Read more"), ("en", "here"), ("en", "More"), ("en", "Learn more »"), ("de", "Weiterlesen"),
     ("de", "mehr"), ("de", "Mehr erfahren"), ("fr", "Lire la suite"), ("fr", "En savoir plus"),
     ("fr", "ici"), ("en", "https://example.org/report.pdf")],
)  # fmt: skip
def test_generic_link_standing_alone(lang: str, text: str) -> None:
    d = doc(para(Link((Text(text),), "https://example.org/a"), line=3), meta=Meta(title="T", lang=lang))
    got = findings(d)
    assert [(f.rule, f.line, f.severity) for f in got] == [("link-text-generic", 3, Severity.WARNING)]


@pytest.mark.parametrize(
    ("lang", "before", "text"),
    [("en", "Details are ", "click here"), ("de", "Den Bericht finden Sie, wenn Sie ", "hier klicken"),
     ("fr", "Pour lire le rapport complet, ", "cliquez ici")],
)  # fmt: skip
def test_click_here_is_generic_in_any_sentence(lang: str, before: str, text: str) -> None:
    d = doc(
        para(Text(before), Link((Text(text),), "https://example.org/a"), Text(".")),
        meta=Meta(title="T", lang=lang),
    )
    assert rules(d) == ["link-text-generic"]


@pytest.mark.parametrize(
    ("lang", "before", "text"),
    [("en", "The questionnaire used in our survey can be found ", "here"),
     ("de", "Den vollständigen Bericht zum Gasmarkt finden Sie ", "hier"),
     ("fr", "Le rapport complet sur le marché du gaz est disponible ", "ici")],
)  # fmt: skip
def test_vague_link_explained_by_its_sentence_is_info(lang: str, before: str, text: str) -> None:
    d = doc(
        para(Text(before), Link((Text(text),), "https://example.org/a"), Text(". Another sentence.")),
        meta=Meta(title="T", lang=lang),
    )
    got = findings(d)
    assert [f.rule for f in got] == ["link-text-vague"]
    assert got[0].severity is Severity.INFO
    assert RULES_BY_ID["link-text-vague"].severity is Severity.INFO


def test_sentence_context_stops_at_the_sentence() -> None:
    d = doc(
        para(
            Text("A long first sentence about many things. Read "),
            Link((Text("more"),), "https://x.org"),
            Text("."),
        )
    )
    assert rules(d) == ["link-text-generic"]


def test_descriptive_links_are_fine() -> None:
    d = doc(
        para(
            Link((Text("The 2024 report on here-and-now politics"),), "https://x.org"),
            Text(" and "),
            Link((Text("jane@example.org"),), "mailto:jane@example.org"),
        )
    )
    assert rules(d) == []


# ------------------------------------------------------------------ tables


def cell(text: str, header: bool = False, colspan: int = 1) -> Cell:
    return Cell((para(Text(text)),) if text else (), header=header, colspan=colspan)


def test_table_without_header_cells() -> None:
    t = Table(
        (),
        ((Row((cell("Name"), cell("Value"))), Row((cell("A"), cell("1")))),),
        caption=(Text("Prices"),),
        src=SourceRef(line=14),
    )
    got = findings(doc(t))
    assert [(f.rule, f.line) for f in got] == [("table-header", 14)]
    assert "'Prices'" in got[0].message and "2×2" in got[0].message


def test_layout_tables_and_tables_with_headers() -> None:
    one_row = Table((), ((Row((cell("a"), cell("b"))),),))
    one_col = Table((), ((Row((cell("a"),)), Row((cell("b"),))),))
    head = Table((Row((cell("Name", True), cell("Value", True))),), ((Row((cell("A"), cell("1"))),),))
    row_heads = Table((), ((Row((cell("A", True), cell("1"))), Row((cell("B", True), cell("2")))),))
    head_row_without_th = Table((Row((cell("Name"), cell("Value"))),), ((Row((cell("A"), cell("1"))),),))
    assert rules(doc(one_row, one_col, head, row_heads, head_row_without_th)) == []


def test_data_cells_outside_any_header_row_or_column() -> None:
    t = Table(
        (),
        (
            (
                Row((cell("Country", True), cell("2023", True), cell("2024"))),
                Row((cell("France"), cell("1"), cell("2"))),
                Row((cell("Spain"), cell("3"), cell("4"))),
            ),
        ),
    )
    got = findings(doc(t))
    assert [f.rule for f in got] == ["table-header"] and "2 data cell(s)" in got[0].message
    spanned = Table(
        (),
        (
            (
                Row((cell("Country", True), cell("Years", True, colspan=2))),
                Row((cell("France"), cell("1"), cell("2"))),
            ),
        ),
    )
    assert rules(doc(spanned)) == []


# ------------------------------------------------------------------ fake lists


@pytest.mark.parametrize(
    "lines",
    [["• Energy", "• Transport", "• Housing"], ["- first point", "- second point"], ["1. First", "2. Second"],
     ["a) one", "b) two"], ["(1) one", "(2) two"], ["i. one", "ii. two", "iii. three"]],
)  # fmt: skip
def test_fake_list_paragraphs(lines: list[str]) -> None:
    paras = [para(Text(t), line=20 + i) for i, t in enumerate(lines)]
    got = findings(doc(*paras))
    assert [(f.rule, f.line) for f in got] == [("list-fake", 20)]


def test_fake_list_lines_in_one_paragraph() -> None:
    p = para(Text("• one"), LineBreak(), Text("• two"), LineBreak(), Text("• three"))
    got = findings(doc(p))
    assert [f.rule for f in got] == ["list-fake"] and "3 lines" in got[0].message


@pytest.mark.parametrize(
    "lines",
    [["• alone"], ["1. Introduction", "3. Methods"], ["2019. A year", "2020. Another"],
     ["-5% growth", "-3% more"], ["*Note: a remark", "*Source: x"], ["1. First"]],
)  # fmt: skip
def test_not_fake_lists(lines: list[str]) -> None:
    assert rules(doc(*[para(Text(t)) for t in lines])) == []


def test_fake_list_interrupted_by_a_heading() -> None:
    assert rules(doc(para(Text("• one")), Heading(2, (Text("H"),)), para(Text("• two")))) == []


# ------------------------------------------------------------------ notes


def notes_doc(*blocks: Block) -> Document:
    return doc(*blocks, Heading(2, (Text("Notes"),)), Endnotes())


def test_note_marker_that_is_not_a_link() -> None:
    got = findings(
        notes_doc(para(Text("Imports fell sharply"), Sup((Text("3"),)), Text(" in 2023."), line=6))
    )
    assert [(f.rule, f.line) for f in got] == [("note-ref-link", 6)]
    assert "'3'" in got[0].message


def test_superscripts_that_are_not_note_markers() -> None:
    d = notes_doc(
        para(
            Text("An area of 40 km"),
            Sup((Text("2"),)),
            Text(" and 10"),
            Sup((Text("3"),)),
            Text(" units, x"),
            Sup((Text("2"),)),
        ),
        para(Text("Linked"), Sup((Link((Text("4"),), "#fn4"),))),
        para(Text("The 1"), Sup((Text("st"),)), Text(" time.")),
        para(Sup((Text("1"),)), Text(" The text of a note, labelled by its number.")),
        para(Text("A real note"), Note((para(Text("note text")),))),
    )
    assert rules(d) == ["note-ref-link"]  # only the link to the missing #fn4


def test_markers_in_a_document_without_notes_are_left_alone() -> None:
    assert rules(doc(para(Text("Imports fell sharply"), Sup((Text("3"),))))) == []


def test_internal_links_need_a_target() -> None:
    target = Heading(2, (Text("Methods"),), Attr(id="methods"))
    ok = para(
        Link((Text("the methods section"),), "#methods"), Text(" and "), Link((Text("back to top"),), "#top")
    )
    bad = para(Link((Text("the annex"),), "#annex"), line=40)
    got = findings(doc(target, ok, bad))
    assert [(f.rule, f.line) for f in got] == [("note-ref-link", 40)] and "'#annex'" in got[0].message


# ------------------------------------------------------------------ locations and formats


def test_locations_follow_the_nearest_source() -> None:
    p = Paragraph((Text("x"), Link((), "https://x.org")), src=SourceRef(line=12, part="EPUB/ch1.xhtml"))
    got = findings(doc(p), "epub")
    assert [(f.rule, f.line, f.part) for f in got] == [("link-name", 12, "EPUB/ch1.xhtml")]
    assert got[0].location() == "x.html:EPUB/ch1.xhtml:12"


def test_every_model_rule_is_in_the_table_and_runs_for_every_format() -> None:
    bad = Document(
        meta=Meta(),
        blocks=(Heading(3, ()), para(Image(None, None)), para(Link((), "#nowhere"))),
    )
    for fmt in ("html", "epub", "docx", "pdf"):
        got = set(rules(bad, fmt))
        assert {
            "document-title",
            "document-lang",
            "heading-h1",
            "heading-empty",
            "image-alt",
            "link-name",
            "note-ref-link",
        } <= got
        assert all(RULES_BY_ID[r].kind == "model" for r in got)


def test_deeply_nested_document_does_not_exhaust_the_stack() -> None:
    inner: Inline = Text("deep")
    for _ in range(5000):
        inner = Span((inner,))
    assert rules(doc(para(inner))) == []
