"""The Markdown writer, checked by parsing its output back with a real
CommonMark parser (markdown-it-py, GFM tables, footnote plugin)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Attr,
    Block,
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
    Inline,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Resource,
    Row,
    Strong,
    Sup,
    Table,
    Text,
)
from briefconvert.options import MarkdownWriterOptions
from briefconvert.walk import query
from briefconvert.writers.markdown import ASSETS_DIR, write_md
from briefconvert.writers.markdown_anchors import Slugger, gfm_slug
from model_samples import PNG, PNG_KEY, P, T, rich_document
from model_samples import minimal_document as minimal
from strategies import SPECIAL, documents, texts

# no "explain" phase: tracing deep strategies makes a failure take minutes to report
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
Golden = Callable[[str, str | bytes], None]
PARSER = MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def md(doc: Document, report: Report | None = None) -> str:
    return write_md(doc, options=MarkdownWriterOptions(), report=report or Report()).data.decode("utf-8")


def tokens(source: str) -> list[Token]:
    """All tokens, inline children included, in order."""

    def flat(toks: list[Token]) -> Iterator[Token]:
        for tok in toks:
            yield tok
            if tok.children:
                yield from flat(tok.children)

    return list(flat(PARSER.parse(source)))


def types(source: str) -> list[str]:
    return [t.type for t in tokens(source)]


def inline_text(source: str) -> str:
    """The literal text the parser sees (text, code and soft/hard breaks)."""
    out = []
    for tok in tokens(source):
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def body(*blocks: Block) -> Document:
    return Document(blocks=blocks)


def para(*inlines: Inline | str) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inlines))


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("name", ["rich", "minimal"])
def test_golden(name: str, golden: Golden) -> None:
    doc = rich_document() if name == "rich" else minimal()
    golden(f"write_markdown/{name}.md", md(doc))


def test_rich_document_structure() -> None:
    report = Report()
    out = write_md(rich_document(), options=MarkdownWriterOptions(), report=report)
    source = out.data.decode("utf-8")
    toks = tokens(source)
    headings = [(t.tag, toks[i + 1].content) for i, t in enumerate(toks) if t.type == "heading_open"]
    assert headings == [
        ("h1", "Grid Flexibility and the Energy Union"),
        ("h2", "Key findings"),
        ("h2", "Introduction"),
        ("h3", "Three steps"),
        ("h2", "Notes"),
        ("h2", "Bibliographic data"),
    ]
    kinds = [t.type for t in toks]
    assert kinds.count("bullet_list_open") == 3  # key findings, nested in the steps, definitions
    assert kinds.count("ordered_list_open") == 2, "adjacent ordered lists stay apart"
    starts = [t.attrGet("start") for t in toks if t.type == "ordered_list_open"]
    assert starts == [3, None]
    assert kinds.count("table_open") == 1 and kinds.count("th_open") == 2 and kinds.count("tr_open") == 5
    assert [t.meta["label"] for t in toks if t.type == "footnote_ref"] == ["1", "2"]
    assert [t.meta["label"] for t in toks if t.type == "footnote_open"] == ["1", "2"]
    assert kinds.count("fence") == 1 and [t.info for t in toks if t.type == "fence"] == ["python"]
    images = [(t.attrGet("src"), t.content) for t in toks if t.type == "image"]
    assert images == [
        (f"images/{PNG_KEY}", "Bar chart: Germany 12.4 GW, France 8.1 GW."),
        (f"images/{PNG_KEY}", ""),
    ]
    assert [(a.path, a.data) for a in out.attachments] == [(f"{ASSETS_DIR}/{PNG_KEY}", PNG)]
    links = [(t.attrGet("href"), t.attrGet("title")) for t in toks if t.type == "link_open"]
    # the table's id cannot be written: the link goes to its section's heading
    assert links == [("https://example.org/report.pdf", "PDF, 2 MB"), ("#three-steps", None)]
    assert "html_inline" not in kinds and "html_block" not in kinds


def test_deterministic() -> None:
    assert md(rich_document()) == md(rich_document())


# ----------------------------------------------------------------- escaping


LITERALS = [
    "*not emphasis*",
    "# not heading",
    "1. not a list",
    "2025) not a list either",
    "- not a bullet",
    "+ nor this",
    "> not a quote",
    "=====",
    "---",
    "_under_ and snake_case and __init__",
    "[not](a link) and ![not](an image)",
    "<b>not html</b> <!-- nor a comment -->",
    "`not code` and ``double``",
    "a | b | c",
    "back\\slash\\* and \\",
    "&amp; &#123; AT&T",
    "~~not struck~~ ~~~",
    "Wow! [^1] is not a footnote",
    "    four leading spaces",
    "C# and F#",
]


@pytest.mark.parametrize("text", LITERALS)
def test_literal_text_stays_literal(text: str) -> None:
    source = md(body(para(text)))
    assert types(source) == ["paragraph_open", "inline", "text", "paragraph_close"], source
    assert inline_text(source) == text.strip()


@pytest.mark.parametrize("text", LITERALS)
def test_literal_text_in_headings_and_tables(text: str) -> None:
    table = Table((Row((Cell((para(text),), header=True),)),), ((Row((Cell((para(text),)),)),),))
    source = md(body(Heading(2, (Text(text),)), table))
    toks = tokens(source)
    assert toks[0].tag == "h2" and toks[1].children is not None
    assert "".join(t.content for t in toks[1].children) == text.strip()
    cells = [toks[i + 1] for i, t in enumerate(toks) if t.type in ("th_open", "td_open")]
    assert [c.content.replace("\\|", "|") for c in cells] and all(
        inline_text_of(c) == text.strip() for c in cells
    ), source


def inline_text_of(token: Token) -> str:
    return "".join(t.content for t in token.children or [] if t.type in ("text", "code_inline"))


@settings(phases=PHASES, max_examples=150, deadline=None)
@given(st.text(st.sampled_from(SPECIAL + "ab é"), min_size=1, max_size=30))
def test_random_punctuation_stays_literal(text: str) -> None:
    doc = body(para(text))
    source = md(doc)
    expected = " ".join(text.split())
    got = inline_text(source)
    assert " ".join(got.split()) == expected, source
    assert "html_inline" not in types(source)


@settings(phases=PHASES, max_examples=100, deadline=None)
@given(texts(min_size=1, max_size=30))
def test_random_text_stays_literal(text: str) -> None:
    source = md(body(para(text)))
    assert " ".join(inline_text(source).split()) == " ".join(text.split()), source


def test_code_span_and_block_fences() -> None:
    source = md(body(para(Code("a ``b`` `c")), CodeBlock("x = '```'\n````\n", language="py`thon")))
    toks = tokens(source)
    assert [t.content for t in toks if t.type == "code_inline"] == ["a ``b`` `c"]
    fences = [t for t in toks if t.type == "fence"]
    assert [(f.content, f.info) for f in fences] == [("x = '```'\n````\n", "python")]


def test_emphasis_and_strong() -> None:
    source = md(
        body(para("a ", Emph((Text(" spaced "),)), " b ", Strong((Text("bold"), Emph((Text("x"),))))))
    )
    kinds = types(source)
    assert kinds.count("em_open") == 2 and kinds.count("strong_open") == 1
    assert inline_text(source) == "a  spaced  b boldx"


def test_sup_and_line_break() -> None:
    source = md(body(para("10", Sup((Text("3"),)), " and x", Sup((Text("n+1"),)), LineBreak(), "next")))
    assert inline_text(source) == "10^3 and x^(n+1)\nnext"
    assert "hardbreak" in types(source)


# -------------------------------------------------------------------- lists


def items(*names: str) -> tuple[ListItem, ...]:
    return tuple(ListItem((para(n),)) for n in names)


def test_list_numbering_and_styles() -> None:
    report = Report()
    doc = body(
        OrderedList(items("x", "y"), start=3),
        OrderedList(items("p", "q"), style="a"),
        OrderedList(items("i", "j"), start=7, style="i"),
    )
    source = md(doc, report)
    toks = tokens(source)
    assert [t.attrGet("start") for t in toks if t.type == "ordered_list_open"] == [3, None, 7]
    assert [t.type for t in toks].count("list_item_open") == 6
    assert [d.code for d in report.diagnostics] == ["list-style"]


def test_adjacent_bullet_lists_stay_apart() -> None:
    doc = body(BulletList(items("a")), BulletList(items("b")), BulletList(items("c")))
    assert types(md(doc)).count("bullet_list_open") == 3


def test_nested_content_in_list_items() -> None:
    doc = body(
        BulletList(
            (
                ListItem(
                    (
                        para("first"),
                        OrderedList(items("n1", "n2"), start=5),
                        CodeBlock("code\n\nmore\n"),
                        BlockQuote((para("quoted"),)),
                    )
                ),
                ListItem((para("second"),)),
            )
        )
    )
    source = md(doc)
    toks = tokens(source)
    kinds = [t.type for t in toks]
    assert kinds.count("bullet_list_open") == 1 and kinds.count("list_item_open") == 4
    assert [t.content for t in toks if t.type == "fence"] == ["code\n\nmore\n"]
    # everything of the first item is inside it: the fence and the quote come before its close
    first_close = kinds.index("list_item_close", kinds.index("ordered_list_close"))
    assert kinds.index("fence") < first_close and kinds.index("blockquote_open") < first_close


def test_definition_list_as_bullets() -> None:
    doc = body(
        DefinitionList(
            (
                DefinitionItem((Text("Term"),), ((para("Meaning."),),)),
                DefinitionItem((Text("Other"),), ((para("One."),), (para("Two."),))),
            )
        )
    )
    source = md(doc)
    assert source.startswith("- **Term**: Meaning.\n")
    assert types(source).count("strong_open") == 2


# --------------------------------------------------------------- images etc.


def test_images_alt_conventions() -> None:
    report = Report()
    doc = Document(
        blocks=(
            para(
                Image(PNG_KEY, "A [chart] *x*"),
                Image(PNG_KEY, ""),
                Image(PNG_KEY, None),
                Image(None, "Map of Europe"),
                Image(None, None),
                Image(None, ""),
            ),
        ),
        resources={PNG_KEY: Resource(PNG_KEY, "image/png", PNG)},
    )
    out = write_md(doc, options=MarkdownWriterOptions(), report=report)
    source = out.data.decode()
    toks = tokens(source)
    assert [inline_text_of(t) for t in toks if t.type == "image"] == ["A [chart] *x*", "", ""]
    assert inline_text(source) == "A [chart] *x*[Image: Map of Europe][Image without description]"
    assert len(out.attachments) == 1
    assert {d.code for d in report.diagnostics} == {"image-alt", "image-not-embedded"}
    assert "http" not in source


def test_links_with_awkward_urls() -> None:
    report = Report()
    doc = body(
        para(
            Link((Text("a"),), "https://example.org/a b/(x)?q=<1>", title='say "hi"'),
            " ",
            Link((Text("bad"),), "javascript:alert(1)"),
            " ",
            Link((), "https://example.org/"),
            " ",
            Link((Text("with note"), Note((para("n"),))), "https://example.org/n"),
        )
    )
    source = md(doc, report)
    toks = tokens(source)
    links = [(t.attrGet("href"), t.attrGet("title")) for t in toks if t.type == "link_open"]
    assert links == [
        ("https://example.org/a%20b/(x)?q=%3C1%3E", 'say "hi"'),
        ("https://example.org/", None),
        ("https://example.org/n", None),
    ]
    assert "javascript" not in source and [d.code for d in report.diagnostics] == ["link-unsafe"]
    assert [t.type for t in toks].count("footnote_ref") == 1


def test_table_with_spans_falls_back_to_list() -> None:
    report = Report()
    table = Table(
        (Row((Cell((para("Name"),), header=True), Cell((para("Value"),), header=True))),),
        ((Row((Cell((para("wide"),), colspan=2),)), Row((Cell((para("a"),)), Cell((para("b"),))))),),
        caption=(Text("Caption"),),
    )
    source = md(body(table), report)
    kinds = types(source)
    assert "table_open" not in kinds and "html_block" not in kinds
    assert kinds.count("bullet_list_open") == 4  # the rows, and the cells of each of the 3 rows
    assert "Name: a" in inline_text(source) and "Value: b" in inline_text(source)
    assert source.startswith("Caption\n\n- * Name\n  * Value\n- * Name / Value: wide\n")
    assert [d.code for d in report.diagnostics] == ["table-as-list"]


def test_nested_first_lines_are_not_thematic_breaks() -> None:
    """Found by hypothesis: a list in a cell of a list-rendered table gave "- - -"."""
    inner = BulletList((ListItem(()), ListItem((para("x", Note((para("n"),))),))))
    table = Table((), (), foot=(Row((Cell(()), Cell((inner,)))),))
    nested = BulletList((ListItem((BulletList((ListItem((BulletList(items("deep")),)),)),)),))
    source = md(body(table, nested))
    kinds = types(source)
    assert "hr" not in kinds and "code_block" not in kinds, source
    assert [t.type for t in tokens(source)].count("footnote_ref") == 1
    assert kinds.count("bullet_list_open") == 3 + 3


def test_caret_or_bang_before_a_reference() -> None:
    """Found by hypothesis: "^" then a note gave "^[^1]", an inline footnote."""
    source = md(body(para("x^", Note((para("n"),)), " y!", Link((Text("l"),), "https://e.org"))))
    toks = tokens(source)
    assert [t.meta.get("label") for t in toks if t.type == "footnote_ref"] == ["1"]
    assert "image" not in [t.type for t in toks] and inline_text(source).startswith("x^ y!l")


# --------------------------------------------------------------------- notes


def test_notes_order_and_definitions_at_endnotes() -> None:
    doc = body(
        para("a", Note((para("one"),)), " b", Note((para("two", Note((para("nested"),))),))),
        Heading(2, (Text("Notes"),)),
        Endnotes(),
        para("c", Note((para("three"), BulletList(items("x", "y"))))),
    )
    source = md(doc)
    assert (
        "[^1]: one\n\n[^2]: two[^4]\n\n[^3]: three\n\n    - x\n    - y\n\n[^4]: nested\n\nc[^3]\n" in source
    )
    toks = tokens(source)
    assert [t.meta["label"] for t in toks if t.type == "footnote_ref"] == ["1", "2", "3", "4"]
    # markdown-it lists footnotes in the order it meets references (note 4 is
    # referenced from note 2's definition, which it reads before "c[^3]")
    assert sorted(t.meta["label"] for t in toks if t.type == "footnote_open") == ["1", "2", "3", "4"]
    assert re.findall(r"^\[\^(\d+)\]:", source, flags=re.M) == ["1", "2", "3", "4"]


def test_notes_without_marker_go_to_the_end() -> None:
    source = md(Document(Meta(title="T"), (para("x", Note((para("n"),))), para("y"))))
    assert source == "# T\n\nx[^1]\n\ny\n\n[^1]: n\n"


# ---------------------------------------------------------------- properties


def _all_children(toks: list[Token]) -> Iterator[Token]:
    for tok in toks:
        yield tok
        if tok.children:
            yield from _all_children(tok.children)


@settings(phases=PHASES, max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_documents(doc: Document) -> None:
    out = write_md(doc, options=MarkdownWriterOptions(), report=Report())
    source = out.data.decode("utf-8")
    toks = tokens(source)
    kinds = {t.type for t in toks}
    assert not kinds & {"html_inline", "html_block"}, "never raw HTML"
    notes = len(query(doc, Note))
    refs = {t.meta["label"] for t in toks if t.type == "footnote_ref"}
    defs = sorted(int(t.meta["label"]) for t in toks if t.type == "footnote_open")
    assert refs == {str(n) for n in range(1, notes + 1)}, source
    assert defs == list(range(1, notes + 1)), source
    used = {n.resource for n in query(doc, Image) if n.resource is not None}
    assert {a.path for a in out.attachments} == {f"{ASSETS_DIR}/{k}" for k in used}
    for tok in toks:
        if tok.type == "image":
            assert re.fullmatch(rf"{ASSETS_DIR}/sha256-[0-9a-f]{{12}}\.png", str(tok.attrGet("src")))
        if tok.type == "link_open":
            assert not str(tok.attrGet("href")).lower().startswith(("javascript:", "data:"))


def test_deep_nesting_is_flattened_not_crashing() -> None:
    block: Block = para("core", Note((para("deep note"),)))
    for _ in range(1000):
        block = BlockQuote((block,))
    report = Report()
    source = md(body(block), report)
    assert "core[^1]" in source and "[^1]: deep note" in source
    assert "nesting-too-deep" in [d.code for d in report.diagnostics]


def test_reference_then_colon_at_line_start_is_not_a_definition() -> None:
    source = md(body(para(Note((para("n"),)), ": explained", LineBreak(), Note((para("m"),)), ":")))
    toks = tokens(source)
    assert [t.meta["label"] for t in toks if t.type == "footnote_ref"] == ["1", "2"]
    assert inline_text(source) == ": explained\n:nm"  # then the two definitions


SMUGGLED = ["javascript&#58;alert(1)", "javascript&colon;alert(1)", "data&#x3a;text/html,x"]


@pytest.mark.parametrize("url", SMUGGLED)
def test_entities_cannot_smuggle_a_scheme(url: str) -> None:
    source = md(body(para(Link((Text("x"),), url, title="a &amp; b"))))
    links = [t for t in tokens(source) if t.type == "link_open"]
    assert len(links) == 1
    assert links[0].attrGet("href") == url, "the entity stays literal text, it is not decoded"
    assert links[0].attrGet("title") == "a &amp; b"


def test_adjacent_code_spans_do_not_fuse() -> None:
    """Found by hypothesis: `0` next to `` ` `` fused into one backtick run."""
    from briefconvert.model import Span

    source = md(body(para(Emph((Code("0"), Code("`"), Span((Code("0"),)))), Note(()), Code("0"))))
    toks = tokens(source)
    assert [t.content for t in toks if t.type == "code_inline"] == ["0`0", "0"]
    assert [t.type for t in toks].count("footnote_ref") == 1


def test_definition_starting_with_endnotes_keeps_the_definitions() -> None:
    """Found by hypothesis: the term label was put before "[^1]:"."""
    item = DefinitionItem((Note(()),), ((Paragraph(()), Endnotes()),))
    source = md(body(DefinitionList((item,))))
    toks = tokens(source)
    assert [t.type for t in toks].count("footnote_ref") == 1
    assert [t.type for t in toks].count("footnote_open") == 1


def test_reference_before_parenthesis_is_not_a_link() -> None:
    """Found by hypothesis: "[^1](" followed by ")" parsed as a link."""
    source = md(body(para(Emph((Note(()), Text("("))), Text(")"))))
    toks = tokens(source)
    assert "link_open" not in [t.type for t in toks]
    assert [t.type for t in toks].count("footnote_ref") == 1


def test_break_inside_bullet_items_stays_a_break() -> None:
    """Found by hypothesis: a "* * *" break in a "*" item made "* * * * *"."""
    from briefconvert.model import Figure, ThematicBreak

    cell = Cell((Figure((ThematicBreak(),), caption=(Note(()),)),))
    doc = body(
        BulletList((ListItem(()),)),
        Table((Row((cell,)),), ()),
        BulletList((ListItem((ThematicBreak(),)), ListItem((BulletList((ListItem((ThematicBreak(),)),)),)))),
    )
    source = md(doc)
    kinds = [t.type for t in tokens(source)]
    assert kinds.count("hr") == 3 and kinds.count("footnote_ref") == 1, source
    assert kinds.count("bullet_list_open") == 2 + 2 + 1, source


# ------------------------------------------------------------ internal links


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("foo", "foo"),
        ("Key findings: 2024 & beyond!", "key-findings-2024--beyond"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        ("😄 emoji", "-emoji"),
        ("snake_case and CamelCase", "snake_case-and-camelcase"),
        ("Über Straße – 3.1", "über-straße--31"),
    ],
)
def test_gfm_slug(text: str, slug: str) -> None:
    assert gfm_slug(text) == slug


def test_repeated_slugs_are_numbered_as_github_does() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("Foo", "foo", "Bar", "FOO", "foo-1")] == [
        "foo",
        "foo-1",
        "bar",
        "foo-2",
        "foo-1-1",
    ]


def test_internal_links_reach_the_anchors_a_renderer_makes() -> None:
    """Every ``#`` link of the Markdown resolves to an id that markdown-it's
    anchors plugin (GitHub-style slugs) gives a heading: links to headings,
    to a section holding a heading after some lead-in text, to a figure inside
    a section, with repeated heading texts and the title counted first."""
    doc = Document(
        Meta(title="Notes", lang="en"),
        (
            P(
                Link((T("a"),), "#h-intro"),
                Link((T("b"),), "#sec-data"),
                Link((T("c"),), "#fig-1"),
                Link((T("d"),), "#h-notes"),
                Link((T("e"),), "#nowhere"),
            ),
            Heading(2, (T("Introduction"),), Attr(id="h-intro")),
            P("text"),
            Div(
                (P("Lead-in before the heading."), Heading(2, (T("Data & methods"),)), P("x")),
                Attr(id="sec-data"),
            ),
            Figure((P(T("chart")),), (T("Figure 1"),), Attr(id="fig-1")),
            Heading(2, (T("Notes"),), Attr(id="h-notes")),
        ),
    )
    report = Report()
    source = md(doc, report)
    renderer = MarkdownIt("commonmark").use(anchors_plugin, min_level=1, max_level=6)
    html = renderer.render(source)
    ids = set(re.findall(r' id="([^"]+)"', html))
    hrefs = re.findall(r'href="#([^"]+)"', html)
    assert hrefs == ["introduction", "data--methods", "data--methods", "notes-1", "nowhere"]
    assert set(hrefs[:4]) <= ids  # the title "Notes" took "notes"; the heading "Notes" is notes-1
    assert [d.message for d in report.diagnostics if d.code == "md-anchor"] == [
        "2 internal link(s) point to an element Markdown cannot anchor (no raw HTML): "
        "they lead to the heading of its section"
    ]
