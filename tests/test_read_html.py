"""The HTML reader: one fixture per concern (fixtures/html/*.html), each read
into the model and compared with its golden dump (tests/golden/read_html/),
plus direct checks of the mapping rules.

The goldens use a small local dumper (the JSON writer is someone else's):
every node as an object with its class name under "t", fields that differ from
their default only, resource bytes replaced by their length, provenance (src)
left out, keys sorted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
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
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.html import read_html
from briefconvert.walk import plain_text, query
from conftest import FIXTURES, Golden

HTML = FIXTURES / "html"


# ------------------------------------------------------------------ helpers


def dump(node: Any) -> Any:
    """A JSON-able view of a model node (see the module docstring)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {"t": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name == "src":
                continue
            value = getattr(node, f.name)
            if isinstance(value, bytes):
                out[f.name] = len(value)
                continue
            default = f.default if f.default is not dataclasses.MISSING else dataclasses.MISSING
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            if default is not dataclasses.MISSING and value == default:
                continue
            out[f.name] = dump(value)
        return out
    if isinstance(node, (tuple, list)):
        return [dump(x) for x in node]
    if hasattr(node, "items"):
        return {k: dump(v) for k, v in node.items()}
    return node


def to_json(doc: Document) -> str:
    return json.dumps(dump(doc), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read(name: str, *, base: Path | None = HTML, **options: Any) -> tuple[Document, Report]:
    report = Report()
    data = (HTML / name).read_bytes()
    doc = read_html(data, base=base, options=HtmlReaderOptions(**options), report=report)
    return doc, report


def parse(html: str, **options: Any) -> tuple[Document, Report]:
    report = Report()
    doc = read_html(html.encode("utf-8"), base=None, options=HtmlReaderOptions(**options), report=report)
    return doc, report


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


def headings(doc: Document) -> list[tuple[int, str]]:
    return [(h.level, plain_text(h.content)) for h in query(doc, Heading)]


UNIT_FIXTURES = sorted(p.name for p in HTML.glob("*.html") if not p.name.startswith("page-"))


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("name", UNIT_FIXTURES)
def test_fixture_matches_golden(name: str, golden: Golden) -> None:
    doc, _ = read(name)
    golden(f"read_html/{name.removesuffix('.html')}.json", to_json(doc))


def test_reading_is_deterministic() -> None:
    first, _ = read("images-local-remote.html")
    second, _ = read("images-local-remote.html")
    assert to_json(first) == to_json(second)
    assert first == second


# ------------------------------------------------------------------ blocks


def test_headings_keep_source_levels_and_title_h1_is_removed() -> None:
    doc, _ = parse("<title>T</title><main><h1>T</h1><h3>Three</h3><h1>Another one</h1><h6>Six</h6></main>")
    assert doc.meta.title == "T"
    assert headings(doc) == [(3, "Three"), (1, "Another one"), (6, "Six")]


def test_paragraphs_and_inline_text_in_divs() -> None:
    doc, _ = read("div-soup.html")
    texts = [plain_text(p.content) for p in doc.blocks if isinstance(p, Paragraph)]
    assert texts == [
        "Text sitting directly in a div becomes a paragraph.",
        "Mixed text with a span",
        "a nested block",
        "and trailing text.",
        "A block inside an inline element.",
        "A paragraph deep in sections.",
        "Old-fashioned font tag text.",
        "Centered text.",
        "First line",
        "Second paragraph",
        "Third paragraph",
    ]


def test_lists_nested_start_and_type() -> None:
    doc, _ = read("lists-nested.html")
    first, ordered, badly, bad_start = doc.blocks
    assert isinstance(first, BulletList)
    assert isinstance(first.items[0].blocks[1], BulletList)
    assert [len(i.blocks) for i in first.items] == [2, 2]
    assert isinstance(ordered, OrderedList) and (ordered.start, ordered.style) == (3, "a")
    nested = ordered.items[1].blocks[1]
    assert isinstance(nested, OrderedList) and nested.style == "i"
    assert isinstance(badly, BulletList) and len(badly.items) == 2
    assert isinstance(badly.items[0].blocks[1], BulletList)  # the stray list joins the item before it
    assert isinstance(bad_start, OrderedList) and bad_start.start == 1


def test_definition_lists() -> None:
    doc, _ = read("dl.html")
    dl, indented = doc.blocks
    assert isinstance(dl, DefinitionList)
    assert [plain_text(i.term) for i in dl.items] == ["NIS2", "ENISA EU cybersecurity agency", "CSIRT"]
    assert LineBreak() in dl.items[1].term
    assert len(dl.items[1].definitions) == 2
    assert isinstance(indented, Paragraph)  # <dl> with only <dd>: indentation, not a definition list


def test_tables_head_body_foot_spans_and_scope() -> None:
    doc, _ = read("tables-spans.html")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    budget, implicit, spans = tables
    assert plain_text(list(budget.caption)) == "Table 1: Budget by year (€ m)"
    assert len(budget.head) == 2 and len(budget.bodies) == 1 and len(budget.foot) == 1
    programme, budget_cell = budget.head[0].cells
    assert (programme.rowspan, programme.scope, programme.header) == (2, "col", True)
    assert (budget_cell.colspan, budget_cell.scope) == (2, "colgroup")
    assert budget.bodies[0][1].cells[1].colspan == 2
    assert budget.bodies[0][0].cells[0].scope == "row"
    # no <thead>: the leading all-<th> row becomes the head
    assert len(implicit.head) == 1 and [len(b) for b in implicit.bodies] == [2]
    assert len(implicit.bodies[0][1].cells[1].blocks) == 2
    # rowspan=0 spans the rest of the group
    assert spans.bodies[0][0].cells[1].rowspan == 3
    # a layout table is read as its cells' content
    texts = [plain_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["Layout cell one.", "Layout cell two."]


def test_figures() -> None:
    doc, _ = read("figure.html")
    fig1, fig2, quote, wp = doc.blocks[:4]
    assert isinstance(fig1, Figure) and fig1.attr.id == "fig-1"
    assert plain_text(list(fig1.caption)) == "Figure 1: Colours of the flag."
    assert Emph((Text("Colours"),)) in fig1.caption
    image = fig1.blocks[0].content[0]  # type: ignore[union-attr]
    assert isinstance(image, Image) and image.resource in doc.resources
    assert isinstance(fig2, Figure) and isinstance(fig2.blocks[0], Table)
    assert (
        isinstance(quote, BlockQuote) and plain_text(list(quote.attribution)) == "Charles Michel, Bled, 2023"
    )
    assert isinstance(wp, Figure) and plain_text(list(wp.caption)) == "Figure 3: a WordPress caption."
    link = query(doc, Link)[0]
    assert link.url == "#fig-1"


def test_blockquote_attribution() -> None:
    doc, _ = read("blockquote-attribution.html")
    quotes = [b for b in doc.blocks if isinstance(b, BlockQuote)]
    assert [plain_text(list(q.attribution)) for q in quotes] == [
        "Chief digital officer, interview, June 2024",
        "Senior Commission official",
        "Jean Monnet, Memoirs",
        "",
        "",
    ]
    assert quotes[0].attribution == (Emph((Text("Chief digital officer, interview, June 2024"),)),)
    assert [len(q.blocks) for q in quotes] == [1, 1, 1, 2, 1]
    assert "Chief digital officer" not in plain_text(list(quotes[0].blocks))


def test_code_blocks_keep_whitespace() -> None:
    doc, _ = read("pre-code.html")
    para, py, js, tab = doc.blocks
    assert isinstance(para, Paragraph)
    assert Code("make test") in para.content and Code("Ctrl") in para.content
    assert isinstance(py, CodeBlock) and py.language == "python"
    assert py.text == "def f(x):\n    return   x * 2    # keep   spaces\n\nprint(f(2))"
    assert isinstance(js, CodeBlock) and js.language == "json" and js.text == '{"a": 1,\n"b": 2}'
    assert isinstance(tab, CodeBlock) and tab.text == "\ttab-indented line"


def test_inline_formatting_and_whitespace() -> None:
    doc, _ = read("inlines.html")
    first = doc.blocks[0]
    assert isinstance(first, Paragraph)
    assert plain_text(first.content) == (
        "Plain text with emphasis, italic, strong, bold, a cited work, a defined term, CO2, E = mc2 and EU."
    )
    assert first.content[0] == Text("Plain text with ")
    assert Sub((Text("2"),)) in first.content and Sup((Text("2"),)) in first.content
    assert sum(isinstance(c, Emph) for c in first.content) == 4
    assert sum(isinstance(c, Strong) for c in first.content) == 2
    breaks = doc.blocks[1]
    assert isinstance(breaks, Paragraph)
    assert breaks.content == (
        Text("Line one"),
        LineBreak(),
        Text("line two"),
        LineBreak(),
        Text("line three"),
    )
    nbsp = doc.blocks[2]
    assert isinstance(nbsp, Paragraph) and plain_text(nbsp.content) == "Non-breaking space and “a quotation”."
    assert "\u00a0" in nbsp.content[0].text  # type: ignore[union-attr]
    assert isinstance(doc.blocks[4], ThematicBreak)
    texts = [plain_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[-2:] == ["First paragraph in a br-br idiom", "Second paragraph after two breaks"]
    assert "" not in texts  # empty <strong></strong><em> </em> leaves nothing


def test_language_changes() -> None:
    doc, _ = read("lang-changes.html")
    assert doc.meta.lang == "de"
    first = doc.blocks[0]
    assert isinstance(first, Paragraph)
    spans = [c for c in first.content if isinstance(c, Span)]
    assert [s.attr.lang for s in spans] == ["en", "fr"]
    english = doc.blocks[1]
    assert isinstance(english, Paragraph) and english.attr.lang == "en"
    british = doc.blocks[2]
    assert isinstance(british, Div) and british.attr.lang == "en-GB"
    assert isinstance(british.blocks[2], Paragraph) and british.blocks[2].attr.lang == "de"
    quote = doc.blocks[3]
    assert isinstance(quote, BlockQuote) and quote.attr.lang == "fr"
    items = doc.blocks[4]
    assert isinstance(items, BulletList) and [i.attr.lang for i in items.items] == ["pl", None]
    same = doc.blocks[5]
    assert isinstance(same, Paragraph) and same.attr.lang is None  # lang="DE" is no change
    code = doc.blocks[6]
    assert isinstance(code, Div) and code.attr.lang == "en" and isinstance(code.blocks[0], CodeBlock)


def test_summary_boxes() -> None:
    doc, _ = read("summary-boxes.html")
    boxes = [b for b in doc.blocks if isinstance(b, Aside)]
    assert [b.kind for b in boxes] == ["summary", "summary", "summary", "box"]
    auf, key, bref, box = boxes
    assert auf.blocks[0] == Paragraph((Strong((Text("Auf einen Blick"),)),))
    assert isinstance(key.blocks[0], Heading) and key.blocks[0].level == 3
    assert bref.blocks[0] == Paragraph((Strong((Text("En bref"),)),))
    assert box.blocks == (Paragraph((Text("An ordinary text box."),)),)
    assert headings(doc) == [(3, "Key findings"), (2, "Analyse")]


def test_toc_inside_main_is_kept_and_links_resolve() -> None:
    doc, _ = read("toc-in-main.html")
    assert headings(doc) == [(2, "Contents"), (2, "Introduction"), (2, "Findings"), (2, "Conclusion")]
    toc = doc.blocks[1]
    assert isinstance(toc, OrderedList)
    urls = [link.url for link in query(toc, Link)]
    assert urls == ["#introduction", "#findings-heading", "#conclusion"]
    ids = {h.attr.id for h in query(doc, Heading)} | {d.attr.id for d in query(doc, Div)}
    assert {"introduction", "findings-heading", "conclusion"} <= ids


# ------------------------------------------------------------------ links


def test_links_keep_only_safe_targets() -> None:
    doc, report = read("links.html")
    urls = [link.url for link in query(doc, Link)]
    assert urls == [
        "https://example.org/report",
        "http://example.org/",
        "mailto:info@example.org",
        "#results",
        "#data",
        "https://example.org/spaced",
        "https://example.org/outer",  # the parser closes a link when another one starts, as browsers do
        "https://example.org/inner",
    ]
    assert query(doc, Link)[0].title == "The report"
    text = plain_text(list(doc.blocks))
    for kept in ("link to a missing target", "relative link", "script link", "data link", "phone link"):
        assert kept in text
    assert "¶" not in text  # the heading's permalink is furniture
    assert headings(doc)[-1] == (2, "A heading that links to itself")
    assert query(doc, Heading)[-1].content == (Text("A heading that links to itself"),)
    assert codes(report).count("link-unsafe") == 3
    assert codes(report).count("link-dropped") == 3
    assert all(
        d.where and d.where.startswith("line ") for d in report.diagnostics if d.code.startswith("link")
    )


def test_relative_links_resolve_against_the_canonical_url() -> None:
    doc, report = read("links-base.html")
    assert [link.url for link in query(doc, Link)] == [
        "https://www.example.org/publications/brief-11/",
        "https://www.example.org/about",
    ]
    assert "link-dropped" not in codes(report)


# ------------------------------------------------------------------ embedded content


def test_embedded_content_becomes_text_with_diagnostics() -> None:
    doc, report = read("embedded.html")
    texts = [plain_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[:5] == [
        "Formula: x^2 + 1.",
        "Annotated: a = b.",
        "Plain MathML: y = 3.",
        "Chart: Bar chart of budgets",
        "Icon: end.",
    ]
    links = query(doc, Link)
    assert [(plain_text(list(lk.content)), lk.url) for lk in links] == [
        ("Video: the brief in two minutes", "https://www.youtube.com/embed/xyz")
    ]
    assert "Interview with the author" in texts[5] and "Fallback text of a canvas." in texts[5]
    assert codes(report).count("content-dropped") == 4
    assert codes(report).count("content-simplified") == 4


# ------------------------------------------------------------------ notes


def _notes(doc: Document) -> list[str]:
    return [plain_text(list(n.blocks)) for n in query(doc, Note)]


def test_pandoc_footnotes() -> None:
    doc, report = read("footnotes-pandoc.html")
    assert _notes(doc) == [
        "Eurostat, Energy prices, 2023.",
        "See the first paragraph. A second paragraph of the same note.",
    ]
    assert headings(doc) == [(2, "Notes")]
    assert isinstance(doc.blocks[-1], Endnotes) and isinstance(doc.blocks[-2], Heading)
    assert "↩" not in json.dumps(dump(doc), ensure_ascii=False)
    assert not query(doc, ThematicBreak)  # the notes section's <hr> went with it
    assert "note-unresolved" not in codes(report)


def test_dpub_notes_and_footnote_aside() -> None:
    doc, _ = read("footnotes-dpub.html")
    assert _notes(doc) == ["Directive (EU) 2022/2555.", "Article 41.", "This aside is the footnote’s text."]
    assert headings(doc) == [(2, "Endnotes")]
    assert query(doc, Endnotes) == [Endnotes()]
    assert "Back" not in " ".join(_notes(doc))
    texts = [plain_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == [
        "The directive was adopted in 2022 and applies from 2024.",
        "A footnote placed right after its paragraph.",
        "Text after the aside.",
    ]


def test_sup_fn_notes_repeat_and_orphans() -> None:
    doc, report = read("footnotes-sup-fn.html")
    assert _notes(doc) == [
        "Labour force survey, 2024.",
        "Wage statistics, 2024.",
        "Labour force survey, 2024.",
    ]
    assert "note-repeated" in codes(report)
    assert "note-unreferenced" in codes(report)
    orphans = doc.blocks[-1]
    assert (
        isinstance(orphans, OrderedList)
        and plain_text(list(orphans.items)) == "A note that nothing refers to."
    )
    assert isinstance(doc.blocks[-2], Endnotes)
    assert [link.url for link in query(doc, Link)] == ["#methods"]  # an ordinary internal link stays one


def test_inline_footnote_spans() -> None:
    doc, _ = read("footnotes-inline-span.html")
    first = doc.blocks[0]
    assert isinstance(first, Paragraph)
    assert isinstance(first.content[1], Note)
    assert plain_text(first.content) == "The treaty entered into force in 2009. It amended both treaties."
    assert _notes(doc) == ["Treaty of Lisbon, OJ C 306.", "A margin note with emphasis."]
    assert not query(doc, Endnotes)


def test_word_footnotes() -> None:
    doc, _ = read("footnotes-word.html")
    assert _notes(doc) == ["Harmonised index of consumer prices."]
    assert "[1]" not in plain_text(list(doc.blocks), notes=True)
    assert not query(doc, ThematicBreak)


def test_unresolved_note_reference_stays_as_text() -> None:
    doc, report = read("footnotes-unresolved.html")
    para = doc.blocks[0]
    assert isinstance(para, Paragraph) and para.content[-1] == Sup((Text("9"),))
    assert not query(doc, Link) and not query(doc, Note)
    diag = next(d for d in report.diagnostics if d.code == "note-unresolved")
    assert diag.where == "line 7"


# ------------------------------------------------------------------ metadata


def test_citation_metadata() -> None:
    doc, _ = read("metadata-citation.html")
    m = doc.meta
    assert m.title == "Fiscal rules after the pandemic"  # the visible h1 that matches citation_title
    assert m.authors == ("Anna Müller", "Luca Rossi")  # citation_author "Family, Given" in display order
    assert m.date == "2023-11-08"
    assert m.publisher == "Institute for Fiscal Research"
    assert m.lang == "en"
    assert m.identifier == "doi:10.1234/ifr.2023.12"
    assert m.keywords == ("fiscal rules", "stability pact")
    assert m.description == "How the EU's fiscal rules should change."
    assert not query(doc, Heading)


def test_dublin_core_metadata() -> None:
    doc, _ = read("metadata-dc.html")
    m = doc.meta
    assert (m.title, m.lang, m.date) == ("Woningmarkt in Nederland", "nl", "2022-03-15")
    assert m.authors == ("Jan de Vries", "Sanne Bakker")
    assert (m.publisher, m.rights, m.identifier) == (
        "Centraal Planbureau",
        "CC BY 4.0",
        "urn:isbn:978-90-1234-567-8",
    )
    assert m.description == "Een analyse van de woningmarkt."


def test_open_graph_metadata_and_site_suffix() -> None:
    doc, _ = read("metadata-og.html")
    m = doc.meta
    assert m.title == "Energy security in the Baltics"
    assert (m.lang, m.date, m.publisher) == ("en-GB", "2024-10-17", "Nordic Policy Centre")
    assert m.authors == ("Liis Tamm",)
    assert m.keywords == ("energy", "Baltics")
    assert m.source_url == "https://nordicpolicy.example/energy-baltics"
    assert not query(doc, Heading)
    assert "Nordic Policy Centre" not in plain_text(list(doc.blocks))


def test_json_ld_metadata() -> None:
    doc, _ = read("metadata-jsonld.html")
    m = doc.meta
    assert m.title == "Drones and deterrence"
    assert m.authors == ("Marta Kowalska", "Tomás Ruiz")
    assert (m.date, m.lang) == ("2024-10-17", "en-US")
    assert m.publisher == "Example Institute for Security"
    assert m.keywords == ("drones", "deterrence")
    assert not query(doc, Heading)  # the <h2> that shows the title is the title


def test_hidden_and_non_content_elements_are_dropped() -> None:
    doc, _ = read("hidden.html")
    assert [plain_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)] == [
        "Visible paragraph.",
        "Screen-reader text stays.",
        "Last visible paragraph.",
    ]


# ------------------------------------------------------------------ main content


def test_scoring_prefers_a_content_class_over_unmarked_furniture() -> None:
    article = "".join(
        f"<p>Paragraph {i} of the article, with enough words to count as prose.</p>" for i in range(6)
    )
    teasers = "".join(f"<p>Teaser {i}: another text from elsewhere on the site.</p>" for i in range(3))
    page = f'<div class="entry-content">{article}</div><div class="col-b">{teasers}</div>'
    doc, report = parse(f'<div class="page">{page}</div>')
    text = plain_text(list(doc.blocks))
    assert "Paragraph 5 of the article" in text and "Teaser" not in text
    assert any(d.code == "main-content" and "text density" in d.message for d in report.diagnostics)


def test_a_single_dominant_article_is_the_content() -> None:
    body = "".join(f"<p>Sentence {i} of the story, long enough to be prose.</p>" for i in range(5))
    doc, _ = parse(
        f"<div><article><h1>Story</h1>{body}</article>"
        '<article><h2><a href="/other">Other story</a></h2><p>Short teaser.</p></article></div>'
    )
    assert doc.meta.title == "Story"
    assert "Other story" not in plain_text(list(doc.blocks))


def test_content_hidden_until_a_script_runs_is_kept() -> None:
    body = "".join(f"<p>Paragraph {i} of a page hidden until its script runs.</p>" for i in range(12))
    doc, report = parse(
        f'<body><div style="display:none">{body}</div><div hidden><p>Tiny hidden note.</p></div>'
    )
    text = plain_text(list(doc.blocks))
    assert "Paragraph 11" in text and "Tiny hidden note" not in text
    assert "hidden-content-kept" in codes(report)
