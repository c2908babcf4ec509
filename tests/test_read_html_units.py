"""Unit checks of the HTML reader's helpers: encoding detection, dates,
language tags, site-name suffixes, white space, chrome hints, and the corpus
evaluation's scoring functions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefconvert.diagnostics import Report
from briefconvert.model import Attr, Emph, Inline, LineBreak, Link, Note, Paragraph, Span, Text
from briefconvert.readers.html.dates import normalise_date
from briefconvert.readers.html.decode import decode_html
from briefconvert.readers.html.dom import Element
from briefconvert.readers.html.hints import chrome_hint, is_chrome_action
from briefconvert.readers.html.masthead import split_byline
from briefconvert.readers.html.metadata import normalise_lang, strip_site
from briefconvert.readers.html.parse import flatten_deep, parse_html
from briefconvert.readers.html.whitespace import finish, split_paragraphs
from conftest import FIXTURES

HTML = FIXTURES / "html"
ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ encodings


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    report = Report()
    text, codec = decode_html(data, report)
    return text, codec, [d.code for d in report.diagnostics]


@pytest.mark.parametrize(
    ("name", "codec", "snippet", "diagnostics"),
    [
        ("encoding-bom.html", "utf-8", "Die Straße führt über die Brücke – „schön“.", []),
        ("encoding-bom-utf16.html", "utf-16-le", "Déjà vu à l’été — cœur.", []),
        ("encoding-meta-1252.html", "cp1252", "The café charges 5 € for a “crème brûlée” – cash only.", []),
        ("encoding-http-equiv-latin1.html", "cp1252", "El niño comió piñata en señal de alegría.", []),
        ("encoding-undeclared.html", "cp1252", "« à bientôt »", ["encoding-fallback"]),
        (
            "encoding-bad-bytes.html",
            "utf-8",
            "Valid é then invalid",
            ["encoding-errors", "control-characters"],
        ),
    ],
)
def test_encoding_fixtures(name: str, codec: str, snippet: str, diagnostics: list[str]) -> None:
    text, got, codes = _decode((HTML / name).read_bytes())
    assert got == codec
    assert snippet in text
    assert codes == diagnostics
    assert "\ufeff" not in text


def test_bom_beats_a_meta_declaration() -> None:
    data = b"\xef\xbb\xbf<meta charset=windows-1252><p>\xc3\xa9"
    assert _decode(data)[:2] == ("<meta charset=windows-1252><p>é", "utf-8")


def test_declared_charset_beats_valid_utf8() -> None:
    # valid UTF-8 bytes, but the page says windows-1252: browsers follow the page
    assert _decode("<meta charset='windows-1252'><p>é".encode())[0].endswith("Ã©")


def test_unknown_charset_falls_back_to_utf8() -> None:
    text, codec, codes = _decode('<meta charset="klingon"><p>é'.encode())
    assert (codec, codes) == ("utf-8", ["encoding-unknown"])
    assert text.endswith("é")


def test_xml_declaration() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-15"?><p>€</p>'.encode("iso-8859-15")
    text, codec, _ = _decode(data)
    assert codec == "iso8859-15" and "€" in text


def test_meta_utf16_without_bom_means_utf8() -> None:
    assert _decode('<meta charset="utf-16"><p>é'.encode())[1] == "utf-8"


# ------------------------------------------------------------------ parsing


def test_html5_elements_before_the_body_are_not_left_in_head() -> None:
    root = parse_html("<title>T</title><main><h1>T</h1><p>x</p></main>")
    assert root is not None
    assert [e.tag for e in root.find("body")] == ["main"]  # type: ignore[union-attr]
    assert [e.tag for e in root.find("head")] == ["title"]  # type: ignore[union-attr]


def test_flatten_deep_keeps_text_and_shallow_structure() -> None:
    text = "<div><p>a</p>" + "<section>" * 10 + "deep" + "</section>" * 10 + "<script>'<div>'</script></div>"
    flat, removed = flatten_deep(text, 4)
    assert removed == 7
    assert flat.count("<section>") == 3 and flat.count("</section>") == 3
    assert "deep" in flat and "<script>'<div>'</script>" in flat


# ------------------------------------------------------------------ dates and languages


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-10-17T09:00:00Z", "2024-10-17"),
        ("2024-10-17", "2024-10-17"),
        ("2024/11/08", "2024-11-08"),
        ("20240101", "2024-01-01"),
        ("17 October 2024", "2024-10-17"),
        ("October 17, 2024", "2024-10-17"),
        ("Thursday, 17 Oct. 2024", "2024-10-17"),
        ("17. Oktober 2024", "2024-10-17"),
        ("1er mars 2023", "2023-03-01"),
        ("3 de marzo de 2023", "2023-03-03"),
        ("30 giugno 2022", "2022-06-30"),
        ("12 lutego 2024", "2024-02-12"),
        ("17 października 2024", "2024-10-17"),
        ("17.10.2024", "2024-10-17"),
        ("10/17/2024", "2024-10-17"),
        ("October 2024", "2024-10"),
        ("2024", "2024"),
        ("2024-02-30", None),
        ("31 June 2024", None),
        ("sometime soon", None),
        ("", None),
    ],
)
def test_normalise_date(text: str, iso: str | None) -> None:
    assert normalise_date(text) == iso


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("en_GB", "en-GB"),
        ("EN-us", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("de, en", "de"),
        ("fr", "fr"),
        ("und", None),
        ("x-default", None),
        ("english", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_lang(value: str | None, tag: str | None) -> None:
    assert normalise_lang(value) == tag


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Energy | Nordic Policy Centre", ["Nordic Policy Centre"], "Energy"),
        ("Energy – Nordic Policy Centre", ["nordic policy centre"], "Energy"),
        ("Nordic Policy Centre | Energy", ["Nordic Policy Centre"], "Energy"),
        ("Hermitian matrix - Wikipedia", ["en", "wikipedia", "org"], "Hermitian matrix"),
        ("Brexit - the aftermath", ["Policy Review"], "Brexit - the aftermath"),
        ("Energy | Centre", [], "Energy | Centre"),
    ],
)
def test_strip_site(title: str, names: list[str], expected: str) -> None:
    assert strip_site(title, names) == expected


def test_split_byline() -> None:
    assert split_byline("By Anna Nowak, Piotr Wiśniewski and Jan Kowalski") == [
        "Anna Nowak",
        "Piotr Wiśniewski",
        "Jan Kowalski",
    ]
    assert split_byline("Por Lucía Fernández y Jordi Puig") == ["Lucía Fernández", "Jordi Puig"]
    assert split_byline("von Katrin Schulze") == ["Katrin Schulze"]


# ------------------------------------------------------------------ white space


def test_finish_collapses_and_trims_across_nodes() -> None:
    items: list[Inline] = [Text(" a "), Emph((Text(" b "),)), Text(" c "), LineBreak(), Text(" d ")]
    assert finish(items) == (Text("a "), Emph((Text("b "),)), Text("c"), LineBreak(), Text("d"))


@given(st.text(alphabet=" ab\u00a0\n", max_size=8))
def test_finish_of_one_text_node_is_the_general_result(text: str) -> None:
    """finish() has a short path for a single Text node (most paragraphs);
    an empty Emph after it contributes nothing but takes the general path."""
    assert finish([Text(text)]) == finish([Text(text), Emph(())])


def test_finish_keeps_empty_anchor_spans_and_notes() -> None:
    note = Note((Paragraph((Text("n"),)),))
    items: list[Inline] = [Text("x "), note, Span((), _anchor("a")), Text(" ")]
    assert finish(items) == (Text("x"), note, Span((), _anchor("a")))  # no space before a closing note


def test_finish_drops_empty_containers() -> None:
    assert finish([Emph((Text("  "),)), Link((), "https://x.org")]) == ()


def test_split_paragraphs_on_double_breaks() -> None:
    parts = split_paragraphs((Text("a"), LineBreak(), Text("b"), LineBreak(), LineBreak(), Text("c")))
    assert parts == [(Text("a"), LineBreak(), Text("b")), (Text("c"),)]


def _anchor(ident: str) -> Attr:
    return Attr(id=ident)


# ------------------------------------------------------------------ hints


def _el(html: str) -> Element:
    root = parse_html(f"<body>{html}</body>")
    body = root.find("body") if root is not None else None
    assert body is not None
    return body[0]


@pytest.mark.parametrize(
    ("html", "chrome"),
    [
        ('<div class="share-bar">x</div>', True),
        ('<div class="c-shareBar">x</div>', True),
        ('<div id="printfooter">x</div>', True),
        ('<div class="author-card">x</div>', True),
        ('<nav aria-label="Breadcrumb">x</nav>', True),
        ('<div class="entry-content">x</div>', False),
        ('<section id="share-of-renewables"><h2>Share of renewables</h2></section>', False),
        ('<section id="recommendations"><h2>Recommendations</h2></section>', False),
        ('<section id="about-the-authors"><h2>About the authors</h2></section>', False),
        ('<div id="comments"><h2>Leave a reply</h2></div>', True),
    ],
)
def test_chrome_hint(html: str, chrome: bool) -> None:
    assert chrome_hint(_el(html)) is chrome


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Share", True),
        ("Download the full text (PDF, 1.2 MB)", True),
        ("PDF herunterladen", True),
        ("Imprimer", True),
        ("Udostępnij", True),
        ("Download statistics show a rise in demand for heat pumps across the EU", False),
        ("The report", False),
    ],
)
def test_chrome_action(text: str, action: bool) -> None:
    assert is_chrome_action(text) is action


# ------------------------------------------------------------------ evaluation scoring


def _eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_html", ROOT / "benchmarks" / "eval_html.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_html"] = module
    spec.loader.exec_module(module)
    return module


def test_normalise_levels_like_a_writer() -> None:
    ev = _eval()
    assert ev.normalise_levels([(3, "a"), (5, "b"), (3, "c"), (4, "d")]) == [
        (2, "a"),
        (3, "b"),
        (2, "c"),
        (3, "d"),
    ]
    assert ev.normalise_levels([(2, "x [edit]")]) == [(2, "x")]
    assert ev.normalise_levels([]) == []


def test_score_headings() -> None:
    ev = _eval()
    truth = [(1, "T"), (2, "A"), (3, "B")]
    assert ev.score_headings(truth, truth) == 1.0
    assert ev.score_headings(truth, [(1, "T"), (2, "A"), (2, "B")]) == pytest.approx(2 / 3)
    assert ev.score_headings(truth, []) == 0.0
    assert ev.score_headings([], []) == 1.0


def test_reading_order_and_alt() -> None:
    ev = _eval()
    assert ev.reading_order(["one two", "three"], ["one two x", "zzz", "three four"]) == 1.0
    assert ev.reading_order(["three", "one"], ["one", "three"]) == 0.5
    assert ev.alt_present(["a", "a", "b"], ["a", "b"]) == pytest.approx(2 / 3)
