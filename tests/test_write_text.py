"""The plain-text writer."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    Block,
    BlockQuote,
    BulletList,
    Cell,
    CodeBlock,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    Inline,
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
from briefconvert.options import TextWriterOptions
from briefconvert.writers.text import display_width, number_marker, write_txt
from briefconvert.writers.texttable import MAX_SPAN
from model_samples import PNG, PNG_KEY, rich_document
from model_samples import minimal_document as minimal
from strategies import documents, texts

# no "explain" phase: tracing deep strategies makes a failure take minutes to report
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
Golden = Callable[[str, str | bytes], None]


def txt(doc: Document, width: int = 72, report: Report | None = None) -> str:
    out = write_txt(doc, options=TextWriterOptions(width=width), report=report or Report())
    assert out.attachments == ()
    return out.data.decode("utf-8")


def body(*blocks: Block) -> Document:
    return Document(blocks=blocks)


def para(*inlines: Inline | str) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inlines))


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("width", [72, 0])
@pytest.mark.parametrize("name", ["rich", "minimal"])
def test_golden(name: str, width: int, golden: Golden) -> None:
    doc = rich_document() if name == "rich" else minimal()
    golden(f"write_text/{name}-w{width}.txt", txt(doc, width))


def test_deterministic() -> None:
    assert txt(rich_document()) == txt(rich_document())


# ---------------------------------------------------------------- properties


def _check_text(out: str) -> None:
    assert out.endswith("\n") and "\r" not in out
    assert unicodedata.is_normalized("NFC", out)
    bad = [ch for ch in out if unicodedata.category(ch) == "Cc" and ch != "\n"]
    assert not bad, f"control characters {bad!r}"


@settings(phases=PHASES, max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from([0, 20, 40, 72]))
def test_random_documents(doc: Document, width: int) -> None:
    report = Report()
    data = write_txt(doc, options=TextWriterOptions(width=width), report=report).data
    _check_text(data.decode("utf-8"))  # strict UTF-8


@settings(phases=PHASES, max_examples=80, deadline=None)
@given(st.lists(texts(min_size=1), min_size=1, max_size=6), st.integers(20, 60))
def test_wrapping_keeps_words_and_width(words: list[str], width: int) -> None:
    doc = body(para(" ".join(words)))
    out = txt(doc, width)
    _check_text(out)
    assert out.split() == " ".join(words).split(), "no word is lost, split or joined"
    for line in out.splitlines():
        assert len(line) <= width or " " not in line, "only a single unbreakable word may overflow"


# ----------------------------------------------------------------- wrapping


def test_wrapping_never_splits_urls() -> None:
    url = "https://example.org/a/very/long/path-with-hyphens/and-more/segments/report-2025.pdf?x=1&y=2"
    doc = body(para("Read the ", Link((Text("full report on flexibility markets"),), url), " today, please."))
    out = txt(doc, 30)
    assert f"<{url}>" in out.splitlines()
    assert all(len(line) <= 30 for line in out.splitlines() if url not in line)


def test_width_zero_does_not_wrap() -> None:
    text = "word " * 60
    assert txt(body(para(text)), 0) == text.strip() + "\n"


def test_line_break_is_kept() -> None:
    from briefconvert.model import LineBreak

    assert txt(body(para("one", LineBreak(), "two"))) == "one\ntwo\n"


# ------------------------------------------------------------------ headings


def test_heading_levels_are_distinguishable() -> None:
    doc = Document(
        Meta(title="The Title", subtitle="Sub", authors=("A B", "C D"), date="2025"),
        tuple(Heading(level, (Text(f"Level {level}"),)) for level in range(1, 7)),
    )
    lines = txt(doc).splitlines()
    assert lines[:8] == ["=========", "The Title", "=========", "Sub", "", "A B, C D", "2025", ""]
    assert lines[8:10] == ["Level 1", "======="]
    assert lines[11:13] == ["Level 2", "-------"]
    assert "### Level 3" in lines and "###### Level 6" in lines


# --------------------------------------------------------------------- lists


def items(*texts_: str) -> tuple[ListItem, ...]:
    return tuple(ListItem((para(t),)) for t in texts_)


@pytest.mark.parametrize(
    ("start", "style", "expected"),
    [
        (3, "1", ["3. x", "4. y", "5. z"]),
        (3, "a", ["c. x", "d. y", "e. z"]),
        (3, "A", ["C. x", "D. y", "E. z"]),
        (3, "i", ["iii. x", " iv. y", "  v. z"]),
        (1, "I", ["  I. x", " II. y", "III. z"]),
        (9, "1", [" 9. x", "10. y", "11. z"]),
    ],
)
def test_ordered_list_numbering(start: int, style: str, expected: list[str]) -> None:
    doc = body(OrderedList(items("x", "y", "z"), start=start, style=style))  # type: ignore[arg-type]
    assert txt(doc).splitlines() == expected


def test_number_markers_fall_back_to_digits() -> None:
    assert number_marker(27, "a") == "aa"
    assert number_marker(0, "a") == "0"
    assert number_marker(-2, "i") == "-2"
    assert number_marker(4000, "I") == "4000"
    assert number_marker(1994, "I") == "MCMXCIV"


def test_nested_list_hanging_indent() -> None:
    long = "a long item text that certainly needs to wrap onto a second line here"
    doc = body(BulletList((ListItem((para(long), BulletList(items("inner one", "inner two")))), *items("b"))))
    assert txt(doc, 40).splitlines() == [
        "* a long item text that certainly needs",
        "  to wrap onto a second line here",
        "  - inner one",
        "  - inner two",
        "* b",
    ]


# -------------------------------------------------------------------- tables


def cell(text: str, **kw: object) -> Cell:
    return Cell((para(text),), **kw)  # type: ignore[arg-type]


def simple_table(*rows: tuple[str, ...], head: tuple[str, ...] | None = None) -> Table:
    head_rows = (Row(tuple(cell(h, header=True) for h in head)),) if head else ()
    return Table(head_rows, (tuple(Row(tuple(cell(c) for c in r)) for r in rows),))


def test_table_columns_align() -> None:
    table = simple_table(("Germany", "12.4"), ("France", "8.1"), ("日本", "3"), head=("Land", "GW"))
    lines = txt(body(table)).splitlines()
    assert lines[0] == "| Land    | GW   |"
    assert lines[1] == "|---------|------|"
    assert len({display_width(line) for line in lines}) == 1, lines
    assert lines[4] == "| 日本    | 3    |"


def test_table_colspan_and_rowspan() -> None:
    table = Table(
        (Row((cell("Group", header=True, colspan=2), cell("C", header=True))),),
        (
            (
                Row((cell("tall", rowspan=2), cell("b1"), cell("c1"))),
                Row((cell("b2"), cell("c2"))),
            ),
        ),
    )
    lines = txt(body(table)).splitlines()
    assert len({display_width(line) for line in lines}) == 1, lines
    assert lines[0].startswith("| Group") and lines[0].count("|") == 3
    assert lines[3] == "|      | b2 | c2 |", lines


def test_wide_table_wraps_cells() -> None:
    table = simple_table(
        ("short", "a rather long cell text that needs wrapping in a narrow layout"), head=("A", "B")
    )
    lines = txt(body(table), 40).splitlines()
    assert all(len(line) == 40 for line in lines), lines
    assert " ".join(line.split("|")[2] for line in lines[2:]).split() == [
        "a",
        "rather",
        "long",
        "cell",
        "text",
        "that",
        "needs",
        "wrapping",
        "in",
        "a",
        "narrow",
        "layout",
    ]


def test_too_wide_table_becomes_records() -> None:
    words = [f"supercalifragilistic{i}" for i in range(4)]
    table = simple_table(tuple(words), tuple(w.upper() for w in words), head=("A", "B", "C", "D"))
    report = Report()
    out = txt(body(table), 40, report)
    assert out.splitlines()[:5] == [f"{h}: {w}" for h, w in zip("ABCD", words, strict=True)] + [""]
    assert [d.code for d in report.diagnostics] == ["table-as-records"]


def test_huge_colspan_is_bounded() -> None:
    table = Table((), ((Row((cell("x", colspan=10**9),)),),))
    out = txt(body(table), 0)
    assert len(out.splitlines()[0]) < 6 * MAX_SPAN


# -------------------------------------------------------------------- images


def test_image_alt_conventions() -> None:
    doc = Document(
        blocks=(
            para("a ", Image(PNG_KEY, "Chart of prices"), " b"),
            para("c ", Image(PNG_KEY, ""), "d"),
            para("e ", Image(None, None), " f"),
            Figure((para(Image(PNG_KEY, "")),), caption=(Text("Figure 2: decorative."),)),
        ),
        resources={PNG_KEY: Resource(PNG_KEY, "image/png", PNG)},
    )
    assert txt(doc).splitlines() == [
        "a [Image: Chart of prices] b",
        "",
        "c d",
        "",
        "e [Image without description] f",
        "",
        "Figure 2: decorative.",
    ]


# --------------------------------------------------------------------- links


def test_links() -> None:
    report = Report()
    doc = body(
        para(
            Link((Text("site"),), "https://example.org"),
            " ",
            Link((Text("https://example.org"),), "https://example.org"),
            " ",
            Link((Text("section"),), "#s2"),
            " ",
            Link((Text("bad"),), "javascript:alert(1)"),
            " ",
            Link((Text("spaced"),), "https://example.org/a b"),
        )
    )
    out = txt(doc, 0, report)
    assert (
        out
        == "site <https://example.org> <https://example.org> section bad spaced <https://example.org/a%20b>\n"
    )
    assert [d.code for d in report.diagnostics] == ["link-unsafe"]


# --------------------------------------------------------------------- notes


def note(text: str, *more: Inline) -> Note:
    return Note((para(text, *more),))


def test_notes_numbered_in_order_and_placed_at_endnotes() -> None:
    doc = body(
        para("First", note("one"), " and second", note("two", note("nested"))),
        Heading(2, (Text("Notes"),)),
        Endnotes(),
        para("After", note("three")),
    )
    assert txt(doc).splitlines() == [
        "First[1] and second[2]",
        "",
        "Notes",
        "-----",
        "",
        "[1] one",
        "[2] two[4]",
        "[3] three",
        "[4] nested",
        "",
        "After[3]",
    ]


def test_notes_without_marker_go_to_the_end_with_a_label() -> None:
    doc = body(para("Text", note("one")), para("More."))
    assert txt(doc) == "Text[1]\n\nMore.\n\nNotes\n-----\n\n[1] one\n"


def test_marker_without_heading_gets_a_label() -> None:
    doc = body(para("Text", note("one")), Endnotes(), para("End."))
    assert txt(doc) == "Text[1]\n\nNotes\n-----\n\n[1] one\n\nEnd.\n"


def test_multi_block_note_hangs() -> None:
    doc = body(para("x", Note((para("first para"), para("second para")))), Endnotes())
    assert txt(doc).endswith("[1] first para\n\n    second para\n")


# -------------------------------------------------------------------- others


def test_blockquote_aside_code_break() -> None:
    doc = body(
        BlockQuote((para("Quoted."),), attribution=(Text("— Someone"),)),
        Aside((para("Boxed."),), kind="summary"),
        CodeBlock("if x:\n\treturn 1\n", language="python"),
        ThematicBreak(),
    )
    assert txt(doc, 24).splitlines() == [
        "> Quoted.",
        ">",
        "> — Someone",
        "",
        "+----------------------+",
        "| Boxed.               |",
        "+----------------------+",
        "",
        "    if x:",
        "        return 1",
        "",
        "         * * *",
    ]


def test_deep_nesting_is_flattened_not_crashing() -> None:
    block: Block = para("core", note("deep note"))
    for _ in range(1000):
        block = BlockQuote((block,))
    inline: Inline = Text("inner")
    for _ in range(1000):
        inline = Emph((inline,))
    report = Report()
    out = txt(body(block, para(inline)), 72, report)
    assert "core[1]" in out and "inner" in out and "[1] deep note" in out
    assert "nesting-too-deep" in [d.code for d in report.diagnostics]


# ------------------------------------------------------- the notes helper


def test_plan_notes_order_and_marker() -> None:
    from briefconvert.model import Div
    from briefconvert.writers.notes import NoteNumbering, plan_notes

    inner = note("inner")
    a, b, c = note("a", inner), note("b"), note("c")
    marker = Endnotes()
    table = Table((), ((Row((Cell((para("cell", b),)),)),),), caption=(Text("cap"), a))
    doc = body(table, Div((Heading(2, (Text("Notes"),)), marker)), para("after", c))
    plan = plan_notes(doc)
    assert [n is m for n, m in zip(plan.notes, (a, b, c, inner), strict=True)] == [True] * 4
    assert plan.main_count == 3 and plan.endnotes is marker and plan.labelled is False
    numbering = NoteNumbering(plan)
    assert numbering.ref(a) == 1
    with pytest.raises(RuntimeError, match="out of the planned order"):
        numbering.ref(c)  # b comes first


def test_plan_notes_first_marker_wins() -> None:
    from briefconvert.writers.notes import plan_notes

    first, second = Endnotes(), Endnotes()
    doc = body(para("x", note("n")), BlockQuote((first,)), second)
    plan = plan_notes(doc)
    assert plan.endnotes is first and plan.labelled is True
    out = txt(doc)
    assert out == "x[1]\n\n> Notes\n> -----\n>\n> [1] n\n"


def test_long_low_level_heading_wraps_with_hanging_indent() -> None:
    heading = Heading(4, (Text("A rather long section heading that cannot fit on one line"),))
    assert txt(body(heading), 30).splitlines() == [
        "#### A rather long section",
        "     heading that cannot fit",
        "     on one line",
    ]
