"""The shared corpus's generated briefs converted to HTML keep exactly the
truth file's heading sequence, every figure's alt text and caption, the summary
bullets and every paragraph in order (acceptance of the foundation issue)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import lxml.html
import pytest

import briefconvert
from conftest import SHARED, require_shared

require_shared(SHARED / "corpus" / "generated")
BRIEFS = sorted((SHARED / "corpus" / "generated").glob("*/source.html"))


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _html(path: Path) -> lxml.html.HtmlElement:
    result = briefconvert.convert(path, to="html")
    parser = lxml.html.HTMLParser(no_network=True)
    return lxml.html.document_fromstring(result.outputs["html"].data, parser=parser)


@pytest.fixture(scope="module", params=BRIEFS, ids=lambda p: p.parent.name)
def case(request: pytest.FixtureRequest) -> tuple[dict[str, object], lxml.html.HtmlElement]:
    path: Path = request.param
    truth = json.loads((path.parent / "truth.json").read_text())
    return truth, _html(path)


def test_heading_sequence_is_exact(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    got = [(int(h.tag[1]), _text(h)) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert got == [(h["level"], h["text"]) for h in truth["headings"]]


def test_metadata(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    assert page.get("lang") == truth["lang"]
    assert _text(page.find(".//title")) == truth["title"]
    for author in truth["authors"]:
        assert author in _text(page.find(".//header"))


def test_figures_keep_alt_and_caption(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    figures = page.findall(".//figure")
    got = [
        (f.find(".//img").get("alt"), _text(f.find(".//figcaption")))
        for f in figures
        if f.find(".//img") is not None
    ]
    assert got == [(f["alt"], f["caption"]) for f in truth["figures"]]


def test_tables_keep_shape(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    tables = page.findall(".//table")
    assert len(tables) == len(truth["tables"])
    for table, t in zip(tables, truth["tables"], strict=True):
        assert _text(table.find("caption")) == t["caption"]
        assert len(table.findall(".//tr")) == t["rows"]
        assert len(table.findall("thead/tr")) == t["header_rows"]
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))


def test_paragraphs_in_reading_order(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    main = copy.deepcopy(page.find(".//main"))
    for ref in main.xpath(".//a[@role='doc-noteref']"):
        ref.drop_tree()
    texts = [_text(p) for p in main.iter("p") if not p.xpath("ancestor::*[@role='doc-endnotes']")]
    position = 0
    for entry in truth["reading_order"]:
        words = entry["first_words"]
        found = next((i for i in range(position, len(texts)) if texts[i].startswith(words)), None)
        assert found is not None, f"paragraph {words!r} missing or out of order"
        position = found + 1


def test_summary_and_notes(case: tuple[dict, lxml.html.HtmlElement]) -> None:  # type: ignore[type-arg]
    truth, page = case
    items = [_text(li) for li in page.iter("li")]
    for bullet in truth["summary_bullets"]:
        assert bullet in items
    assert len(page.xpath("//*[@role='doc-endnotes']/ol/li")) == truth["footnotes"]
    assert len(page.xpath("//a[@role='doc-noteref']")) == truth["footnotes"]
    assert len(page.findall(".//blockquote")) == truth["blockquotes"]
