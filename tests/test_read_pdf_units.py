"""Pure parts of the PDF reader, on hand-made spans and values: metadata
normalisation, line building, reading order across columns, furniture,
blocks and list markers, heading levels, tables, inline assembly."""

from __future__ import annotations

import pytest

from briefconvert.model import Emph, Link, PageBreak, Strong, Sup, Text
from briefconvert.readers.pdf.backend import DocumentInfo, OutlineEntry, TextSpan
from briefconvert.readers.pdf.blocks import TextBlock, is_caption, list_marker, make_blocks
from briefconvert.readers.pdf.furniture import mark_furniture
from briefconvert.readers.pdf.headings import assign_headings, contiguous
from briefconvert.readers.pdf.inlines import Close, Flow, Open, Piece, Words, build_inlines, safe_url
from briefconvert.readers.pdf.layout import Line, body_size, make_lines, reading_order
from briefconvert.readers.pdf.meta import clean_title, iso_date, normalise_lang, read_meta
from briefconvert.readers.pdf.tables import Grid, split_tables


def span(
    text: str, x: float, baseline: float, *, size: float = 10, width: float | None = None, bold: bool = False,
    italic: bool = False,
) -> TextSpan:  # fmt: skip
    w = width if width is not None else 0.5 * size * len(text)
    return TextSpan(
        text=text,
        bbox=(x, baseline - 0.8 * size, x + w, baseline + 0.2 * size),
        baseline=baseline,
        size=size,
        font="Helvetica-Bold" if bold else "Helvetica",
        bold=bold,
        italic=italic,
    )


def flow(words: Words | None = None) -> Flow:
    """A flow in the middle of a document: page 1 has started already."""
    return Flow(["1", "2", "3"], page_break=PageBreak, words=words or Words(), cursor=0)


def test_first_page_gets_a_marker_too() -> None:
    fresh = Flow(["i", "ii"], page_break=PageBreak)
    tokens = [Piece(span("Start", 50, 100), 0), Piece(span("next", 50, 100), 1)]
    assert build_inlines(tokens, fresh) == (PageBreak("i"), Text("Start "), PageBreak("ii"), Text("next"))


# ------------------------------------------------------------------ meta


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D:20240101120000Z", "2024-01-01"),
        ("D:202403", "2024-03"),
        ("2024-10-17T10:00:00+02:00", "2024-10-17"),
        ("D:2024", "2024"),
        ("D:20241301", "2024"),
        ("garbage", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en_us", "en-US"), ("EN-gb", "en-GB"), ("de", "de"), ("zh-hant-tw", "zh-Hant-TW"), ("x-default", None),
     ("not a language", None), ("", None)],
)  # fmt: skip
def test_normalise_lang(value: str, expected: str | None) -> None:
    assert normalise_lang(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Microsoft Word - Brief on water.docx", None),
        ("untitled", None),
        ("report_final.indd", None),
        ("Microsoft Word - Water and cities", "Water and cities"),
        ("  Water   and cities ", "Water and cities"),
    ],
)
def test_clean_title(value: str, expected: str | None) -> None:
    assert clean_title(value) == expected


def test_meta_prefers_xmp_and_splits_lists() -> None:
    info = DocumentInfo(
        info={"Title": "Info title", "Author": "A. One; B. Two", "Subject": "About", "Keywords": "a, b; c"},
        xmp={"title": ("XMP title",), "date": ("2023-05-06T00:00:00",), "language": ("fr_FR",)},
        lang=None,
        marked=False,
        has_structure=False,
        page_count=1,
    )
    meta = read_meta(info)
    assert (meta.title, meta.authors, meta.date, meta.lang) == (
        "XMP title",
        ("A. One", "B. Two"),
        "2023-05-06",
        "fr-FR",
    )
    assert (meta.description, meta.keywords) == ("About", ("a", "b", "c"))


# ----------------------------------------------------------------- lines


def test_lines_keep_superscripts_and_split_columns() -> None:
    spans = [
        span("Left column text", 50, 100),
        span("Right column text", 300, 100),
        span("1", 131, 96, size=6),
        span("next line", 50, 113),
    ]
    lines = make_lines(spans, 0)
    texts = sorted((round(ln.baseline), ln.x0, ln.text) for ln in lines)
    assert texts == [(100, 50, "Left column text 1"), (100, 300, "Right column text"), (113, 50, "next line")]


def _column(x: float, top: float, n: int, prefix: str) -> list[TextSpan]:
    return [
        span(f"{prefix} line {i} with enough words to be running text", x, top + 13 * i, width=220)
        for i in range(n)
    ]


def test_reading_order_goes_down_each_column() -> None:
    spans = [span("A Title Over Both Columns", 50, 60, size=20, width=400)]
    spans += _column(50, 100, 6, "left") + _column(300, 100, 6, "right")
    lines = make_lines(spans, 0)
    order = [ln.text.split()[0] for region in reading_order(lines, 10) for ln in region]
    assert order == ["A"] + ["left"] * 6 + ["right"] * 6


def test_reading_order_does_not_split_a_table_into_columns() -> None:
    spans = []
    for i in range(5):
        spans += [span(f"Row {i}", 50, 100 + 15 * i), span(str(i * 7), 300, 100 + 15 * i)]
    lines = make_lines(spans, 0)
    order = [ln.text for region in reading_order(lines, 10) for ln in region]
    assert order[:4] == ["Row 0", "0", "Row 1", "7"]


def test_body_size_is_the_most_used_size() -> None:
    lines = make_lines(
        [span("Heading", 50, 50, size=16), span("body " * 20, 50, 80), span("more body", 50, 93)], 0
    )
    assert body_size(lines) == 10


# ------------------------------------------------------------- furniture


def test_running_heads_and_page_numbers_are_furniture() -> None:
    pages = []
    for n in range(3):
        lines = make_lines(
            [
                span("Policy Brief Series", 50, 30, size=8),
                span(f"Body text of page {n} that is long enough", 50, 200),
                span(str(n + 1), 290, 810, size=8),
            ],
            n,
        )
        pages.append((lines, 842.0, str(n + 1)))
    assert mark_furniture(pages, 10) == 6
    assert all(not ln.furniture for lines, _, _ in pages for ln in lines if ln.text.startswith("Body"))


def test_a_heading_at_the_top_of_two_pages_is_not_furniture() -> None:
    pages = [
        (make_lines([span("Results", 50, 60, size=16), span(f"text {n}", 50, 300)], n), 842.0, str(n))
        for n in (1, 2)
    ]
    mark_furniture(pages, 10)
    assert not any(ln.furniture for lines, _, _ in pages for ln in lines)


# ---------------------------------------------------------------- blocks


@pytest.mark.parametrize(
    ("text", "marker"),
    [("• Item", "•"), ("– dash item", "–"), ("1. First", "1."), ("(a) Sub", "(a)"), ("iv) roman", "iv)"),
     ("2024. The year", None), ("Plain text", None)],
)  # fmt: skip
def test_list_markers(text: str, marker: str | None) -> None:
    found = list_marker(text)
    assert (found[0] if found else None) == marker  # a year ("2024.") is not a list number


def test_captions() -> None:
    assert (
        is_caption("Figure 3: Flood losses")
        and is_caption("Table 2. Budgets")
        and is_caption("Abbildung 1 - X")
    )
    assert not is_caption("Figures show that")


def test_blocks_break_at_paragraph_gaps_and_style() -> None:
    spans = [span("Heading", 50, 50, size=10, bold=True)]
    spans += [span(f"first paragraph line {i}", 50, 70 + 13 * i, width=300) for i in range(3)]
    spans += [span(f"second paragraph line {i}", 50, 120 + 13 * i, width=300) for i in range(2)]
    lines = make_lines(spans, 0)
    blocks = make_blocks([lines], {10: 3.0}, 10)
    assert [len(b.lines) for b in blocks] == [1, 3, 2]


# -------------------------------------------------------------- headings


def test_contiguous_levels() -> None:
    assert contiguous([2, 4, 4, 2, 5]) == [1, 2, 2, 1, 2]
    assert contiguous([3]) == [1]


def _block(text: str, size: float, page: int = 0, bold: bool = True, y: float = 100) -> TextBlock:
    return TextBlock(make_lines([span(text, 50, y, size=size, bold=bold)], page))


def test_typography_levels_nest_by_style() -> None:
    blocks = [
        _block("Introduction", 14),
        _block("Body " * 30, 10, bold=False, y=130),
        _block("Details", 12, y=160),
        _block("Deeper point", 10.5, y=190),
        _block("Other details", 12, y=220),
        _block("Notes", 11, y=250),
    ]
    assign_headings(blocks, 10, ())
    levels = [(b.text, b.heading_level, b.heading_how) for b in blocks if b.heading_level is not None]
    assert levels == [
        ("Introduction", 1, "style"),
        ("Details", 2, "style"),
        ("Deeper point", 3, "style"),
        ("Other details", 2, "style"),
        ("Notes", 1, "style"),  # back matter returns to the top level
    ]


def test_outline_levels_and_number_prefix() -> None:
    blocks = [
        _block("1 Methods", 14, page=1),
        _block("Body " * 30, 10, bold=False, page=1, y=130),
        _block("1.1 Data", 12, page=1, y=200),
    ]
    outline = (OutlineEntry("Methods", 1, 1, None), OutlineEntry("Data", 2, 1, None))
    assign_headings(blocks, 10, outline)
    assert [(b.heading_level, b.heading_how) for b in blocks] == [
        (1, "outline"),
        (None, None),
        (2, "outline"),
    ]
    assert blocks[0].meta["number_prefix"].strip() == "1"


# ---------------------------------------------------------------- tables


def test_split_tables_finds_a_grid_with_a_spanning_header() -> None:
    spans = [span("City size Share lost", 50, 100, width=120, bold=True)]
    for i, (a, b) in enumerate((("Small", "18%"), ("Large", "24%"))):
        spans += [span(a, 50, 115 + 15 * i), span(b, 110, 115 + 15 * i)]
    lines = make_lines(spans, 0)
    items = split_tables(lines, 10)
    (grid,) = items
    assert isinstance(grid, Grid) and grid.header
    assert [[" ".join(ln.text for ln in cell) for cell in row] for row in grid.rows] == [
        ["City size", "Share lost"],
        ["Small", "18%"],
        ["Large", "24%"],
    ]


def test_single_row_is_not_a_table() -> None:
    lines = make_lines([span("Left", 50, 100), span("Right", 300, 100), span("Paragraph text", 50, 130)], 0)
    assert not any(isinstance(i, Grid) for i in split_tables(lines, 10))


# --------------------------------------------------------------- inlines


def test_hyphenation_joins_known_words_only() -> None:
    words = Words()
    words.add("information supply-chain")
    tokens = [
        Piece(span("more informa-", 50, 100), 0),
        Piece(span("tion about the supply-", 50, 113), 0),
        Piece(span("chain", 50, 126), 0),
    ]
    assert build_inlines(tokens, flow(words)) == (Text("more information about the supply-chain"),)


def test_styles_superscripts_links_and_page_breaks() -> None:
    tokens = [
        Piece(span("Plain", 50, 100), 0),
        Piece(span("bold", 80, 100, bold=True), 0),
        Piece(span("2", 100.3, 96, size=6), 0),
        Open("link", url="https://example.org/a"),
        Piece(span("linked", 50, 113, italic=True), 1),
        Close(),
        Open("link", url="javascript:alert(1)"),
        Piece(span("unsafe", 90, 113), 1),
        Close(),
    ]
    content = build_inlines(tokens, flow())
    assert content == (
        Text("Plain "),
        Strong((Text("bold"),)),
        Sup((Text("2"),)),
        Text(" "),
        PageBreak("2"),
        Link((Emph((Text("linked"),)),), "https://example.org/a"),
        Text(" unsafe"),
    )


def test_uniform_style_is_not_emphasis() -> None:
    tokens = [Piece(span("All", 50, 100, italic=True), 0), Piece(span("italic", 70, 100, italic=True), 0)]
    assert build_inlines(tokens, flow()) == (Text("All italic"),)


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://a.example/x", True), ("http://a.example", True), ("mailto:x@example.org", True),
     ("javascript:alert(1)", False), ("file:///etc/passwd", False), ("data:text/html,x", False),
     (None, False)],
)  # fmt: skip
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


def test_line_dataclass_reports_style_shares() -> None:
    (line,) = make_lines([span("bold", 50, 100, bold=True), span("plain text", 80, 100)], 0)
    assert isinstance(line, Line) and 0.2 < line.bold < 0.5
