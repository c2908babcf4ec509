"""``briefconvert check`` on HTML (a11y/html_rules.py plus the semantic rules
over the page read with keep_faults): planted faults each reported with the
right rule id and line, the shared known-bad page, and no findings at
warning or above on briefconvert's own HTML output of the corpus briefs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import briefconvert
from briefconvert.a11y import html_rules, model_rules
from briefconvert.a11y.findings import Finding, Sink
from briefconvert.diagnostics import Report, Severity
from briefconvert.model import Document, Heading, Image, Link, Paragraph
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.html import read_html
from briefconvert.walk import query
from conftest import FIXTURES, SHARED, require_shared


def page(
    body: str, head: str = "", *, html: str = '<html lang="en">', title: str = "<title>A page</title>"
) -> str:
    """A clean page around ``body``: the head on line 3, ``body`` from line 5."""
    return (
        f'<!DOCTYPE html>\n{html}\n<head><meta charset="utf-8">{title}{head}</head>\n'
        f"<body><main><h1>Title</h1>\n{body}\n</main></body>\n</html>\n"
    )


def check(tmp_path: Path, text: str, name: str = "page.html") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    sink = Sink(str(path))
    doc = html_rules.inspect(path.read_bytes(), path, sink)
    model_rules.run(doc, sink, fmt="html")
    return sink.findings


def found(tmp_path: Path, text: str, name: str = "page.html") -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in check(tmp_path, text, name)]


def test_clean_page_has_no_findings(tmp_path: Path) -> None:
    body = """<p>Read <a href="https://x.org/r">the annual report</a>.</p>
<ul><li>One</li><li>Two<ul><li>Nested</li></ul></li><script></script><template></template></ul>
<menu><li>Menu item</li></menu>
<form><label for="q">Search</label><input id="q" type="search">
<label>Name <input type="text" name="n"></label>
<input type="text" aria-label="City"> <input type="email" placeholder="E-mail address">
<textarea title="Comment"></textarea> <input type="hidden" name="t"> <input type="submit">
<select aria-labelledby="lab"><option>A</option></select><span id="lab">Country</span></form>
<button>Send</button> <button><img src="x.png" alt="Print"></button> <button aria-label="Close"></button>
<input type="button" value="Go"> <div role="button" title="Open menu"></div>
<iframe src="https://example.org/video" title="Interview with the author"></iframe>
<h2>Section</h2><table><tr><th>Country</th><th>Value</th></tr><tr><td>France</td><td>1</td></tr></table>
<img src="deco.png" alt=""> <img src="p.png" alt="" role="presentation">"""
    assert (
        check(tmp_path, page(body, '<meta name="viewport" content="width=device-width, initial-scale=1">'))
        == []
    )


# ------------------------------------------------------------------ the shared bad page


def test_shared_bad_page() -> None:
    path = SHARED / "tools" / "validate" / "samples" / "bad.html"
    require_shared(path)
    sink = Sink(str(path))
    model_rules.run(html_rules.inspect(path.read_bytes(), path, sink), sink, fmt="html")
    got = sorted((f.rule, f.line) for f in sink.findings)
    assert got == [
        ("document-lang", None),  # <html> without lang
        ("heading-order", 9),  # h1 -> h4
        ("html-main-landmark", None),
        ("image-alt", 11),
        ("link-name", 12),
        ("table-header", 14),
    ]
    assert "'figure1-emissions.png'" in next(f.message for f in sink.findings if f.rule == "image-alt")


# ------------------------------------------------------------------ format rules


def test_main_landmark(tmp_path: Path) -> None:
    none = "<!DOCTYPE html><html lang=en><head><title>T</title></head><body><h1>T</h1></body></html>"
    assert found(tmp_path, none) == [("html-main-landmark", None)]
    two = page("</main><main><p>Second</p>")
    assert found(tmp_path, two) == [("html-main-landmark", 5)]
    role = none.replace("<body>", '<body><div role="main">').replace("</body>", "</div></body>")
    assert found(tmp_path, role) == []
    hidden = page("<main hidden><p>x</p></main>")
    assert found(tmp_path, hidden) == []


def test_duplicate_ids(tmp_path: Path) -> None:
    got = check(tmp_path, page('<p id="a">1</p>\n<p id="a">2</p>\n<p id="a">3</p>\n<p id="b">4</p>'))
    assert [(f.rule, f.line) for f in got] == [("html-duplicate-id", 6)]
    assert "'a' is used 3 times (first at line 5)" in got[0].message


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("<ul>\n<li>One</li>\n<div>Two</div>\n</ul>", 7),
        ("<ol>\n<li>One</li>\n<p>Two</p></ol>", 7),
        ("<ul>Loose text<li>One</li></ul>", 5),
        ("<div>\n<li>Alone</li></div>", 6),
        ("<ul>\n<ul><li>x</li></ul></ul>", 6),
    ],
)
def test_list_structure(tmp_path: Path, body: str, line: int) -> None:
    assert found(tmp_path, page(body)) == [("html-list-structure", line)]


@pytest.mark.parametrize(
    ("content", "bad"),
    [
        ("width=device-width, user-scalable=no", True),
        ("width=device-width, user-scalable=0", True),
        ("width=device-width; maximum-scale=1.0", True),
        ("width=device-width, maximum-scale=yes", True),
        ("width=device-width, maximum-scale=3", False),
        ("width=device-width, user-scalable=yes, initial-scale=1", False),
        ("width=device-width, maximum-scale=device-width", False),
    ],
)
def test_meta_viewport(tmp_path: Path, content: str, bad: bool) -> None:
    got = found(tmp_path, page("<p>x</p>", f'<meta name="viewport" content="{content}">'))
    assert got == ([("html-meta-viewport", 3)] if bad else [])


def test_frames(tmp_path: Path) -> None:
    body = """<iframe src="https://example.org/embed"></iframe>
<iframe src="a.html" title="Map of the region"></iframe>
<iframe src="b.html" aria-label="Chart"></iframe>
<iframe src="c.html" hidden></iframe>
<div style="display: none"><iframe src="d.html"></iframe></div>"""
    got = check(tmp_path, page(body))
    assert [(f.rule, f.line) for f in got] == [("html-frame-title", 5)]
    assert "https://example.org/embed" in got[0].message


def test_form_labels(tmp_path: Path) -> None:
    body = """<form>
<input type="text" name="q">
<select name="s"><option>A</option></select>
<textarea name="t"></textarea>
<label for="other">Orphan label</label><input id="x" type="text">
<label><input type="checkbox" name="c"></label>
</form>"""
    got = found(tmp_path, page(body))
    assert got == [("html-form-label", n) for n in (6, 7, 8, 9, 10)]


def test_buttons(tmp_path: Path) -> None:
    body = """<button></button>
<button><i class="icon-search"></i></button>
<input type="button">
<div role="button"></div>
<button><span hidden>Hidden text</span></button>"""
    got = found(tmp_path, page(body))
    assert got == [("html-button-name", n) for n in (5, 6, 7, 8, 9)]


# ------------------------------------------------------------------ the model as written


def model(tmp_path: Path, text: str, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return html_rules.inspect(path.read_bytes(), path, Sink(str(path)))


def test_title_and_language_only_as_declared(tmp_path: Path) -> None:
    text = """<!DOCTYPE html><html><head><meta property="og:title" content="From metadata">
<meta name="citation_language" content="en"></head>
<body><main><h1>From a heading</h1><p>x</p></main></body></html>"""
    d = model(tmp_path, text)
    assert d.meta.title is None and d.meta.lang is None
    assert sorted(r for r, _ in found(tmp_path, text)) == ["document-lang", "document-title"]
    # and the heading that shows the title stays in the flow
    assert [h.level for h in query(d, Heading)] == [1]


def test_xml_lang_counts_in_xhtml_only(tmp_path: Path) -> None:
    text = page("<p>x</p>", html='<html xml:lang="en" xmlns="http://www.w3.org/1999/xhtml">')
    assert found(tmp_path, text) == [("document-lang", None)]
    assert found(tmp_path, text, "page.xhtml") == []


def test_invalid_language_tags_are_kept(tmp_path: Path) -> None:
    text = page('<p>He said <span lang="fr_FR">bonjour</span>.</p>', html='<html lang="english">')
    got = check(tmp_path, text)
    assert [(f.rule, f.line) for f in got] == [("document-lang", None), ("lang-part", 5)]
    assert "'english'" in got[0].message and "'fr_FR'" in got[1].message


def test_faults_the_converter_repairs_are_kept(tmp_path: Path) -> None:
    body = """<h2></h2>
<p><a href="https://example.org/x"><i class="icon"></i></a></p>
<p><a href="report.pdf">Read more</a></p>
<p>See <a href="#missing">the annex</a> and <a href="#q">the search field</a>.</p>
<form><input id="q" type="search" aria-label="Search"></form>
<img src="no-alt.png">
<aside class="summary"><h1>Key findings</h1><p>Text.</p></aside>"""
    got = sorted(found(tmp_path, page(body)))
    assert got == [
        ("heading-empty", 5),
        ("heading-h1", 11),  # the aside's h1 stays a heading
        ("image-alt", 10),
        ("link-name", 6),
        ("link-text-generic", 7),  # a relative link is still a link
        ("note-ref-link", 8),  # #missing; #q exists in the page (not in the model): not reported
    ]
    # the same page converted: the reader repairs as before
    conv = read_html(page(body).encode(), base=None, options=HtmlReaderOptions(), report=Report())
    assert not [h for h in query(conv, Heading) if not h.content]
    assert not [ln for ln in query(conv, Link) if not ln.content]


def test_aria_names_count_as_text_alternatives(tmp_path: Path) -> None:
    body = """<p><img src="a.png" aria-label="Map of Europe"> <img src="b.png" title="Gas imports chart">
<img src="c.png" aria-labelledby="cap"><span id="cap">Caption text</span> <img src="d.png" alt=" "></p>
<p><a href="https://x.org/t" aria-label="Our account on Mastodon"><svg></svg></a></p>"""
    got = found(tmp_path, page(body))
    assert got == [("image-alt", 6)]  # alt=" " only


def test_unresolved_note_reference(tmp_path: Path) -> None:
    text = (FIXTURES / "html" / "footnotes-unresolved.html").read_text(encoding="utf-8")
    rules = [r for r, _ in found(tmp_path, text)]
    assert "note-ref-link" in rules


@pytest.mark.parametrize(
    ("lang", "alone", "in_sentence"),
    [
        (
            "en",
            "Read more",
            'The data for every member state can be found <a href="https://x.org/d">here</a>.',
        ),
        (
            "de",
            "Weiterlesen",
            'Die Daten für alle Mitgliedstaaten finden Sie <a href="https://x.org/d">hier</a>.',
        ),
        (
            "fr",
            "Lire la suite",
            'Les données de chaque État membre sont disponibles <a href="https://x.org/d">ici</a>.',
        ),
    ],
)
def test_generic_links_in_three_languages(tmp_path: Path, lang: str, alone: str, in_sentence: str) -> None:
    body = f'<p>A teaser paragraph about the report.</p>\n<p><a href="https://x.org/r">{alone}</a></p>\n<p>{in_sentence}</p>'
    got = check(tmp_path, page(body, html=f'<html lang="{lang}">'))
    assert [(f.rule, f.line, f.severity) for f in got] == [
        ("link-text-generic", 6, Severity.WARNING),
        ("link-text-vague", 7, Severity.INFO),
    ]


def test_unmarked_foreign_script_in_a_page(tmp_path: Path) -> None:
    body = '<p>The slogan «Мы будем стоять до конца» was everywhere.</p>\n<p lang="ru">Мы будем стоять</p>'
    assert found(tmp_path, page(body)) == [("lang-part", 5)]


# ------------------------------------------------------------------ EPUB content documents


def test_xhtml_tree_of_a_chapter() -> None:
    xhtml = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>Chapter</title></head>
<body>
<section epub:type="chapter"><h1 id="c1">Chapter</h1>
<p id="c1">Duplicate.</p>
<ol><li>One</li><p>Stray</p></ol>
<iframe src="x.xhtml"></iframe>
</section>
</body>
</html>"""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(xhtml, parser)
    sink = Sink("book.epub")
    html_rules.check_xhtml_tree(root, sink, part="EPUB/ch1.xhtml")
    got = sorted((f.rule, f.line, f.part) for f in sink.findings)
    assert got == [
        ("html-duplicate-id", 6, "EPUB/ch1.xhtml"),
        ("html-frame-title", 8, "EPUB/ch1.xhtml"),
        ("html-list-structure", 7, "EPUB/ch1.xhtml"),
    ]  # no main landmark asked of a chapter


# ------------------------------------------------------------------ robustness


def test_hostile_pages_do_not_crash(tmp_path: Path) -> None:
    deep = "<div>" * 3000 + "<p>deep</p>" + "</div>" * 3000
    for text in (deep, "", "<html", "\x00\x01<p>x", "<ul>" * 500, "<table>" + "<tr><td>x" * 2000):
        check(tmp_path, text)


# ------------------------------------------------------------------ briefconvert's own output


def _own_outputs(tmp_path: Path) -> list[Path]:
    sources = sorted((SHARED / "corpus" / "generated").glob("*/source.html"))
    sources.append(FIXTURES / "brief" / "brief.html")
    out: list[Path] = []
    for src in sources:
        result = briefconvert.convert(src, "html")
        folder = tmp_path / src.parent.name
        for att in result.outputs["html"].attachments:
            target = folder / att.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(att.data)
        folder.mkdir(exist_ok=True)
        (folder / "index.html").write_bytes(result.outputs["html"].data)
        out.append(folder / "index.html")
    return out


def test_own_html_output_passes_at_warning_level(tmp_path: Path) -> None:
    require_shared(SHARED / "corpus" / "generated")
    pages = _own_outputs(tmp_path)
    assert len(pages) >= 2
    for path in pages:
        sink = Sink(str(path))
        doc = html_rules.inspect(path.read_bytes(), path, sink)
        model_rules.run(doc, sink, fmt="html")
        serious = [f for f in sink.findings if f.severity >= Severity.WARNING]
        assert serious == [], path
        # what check read is the real page: its title, language, headings and images
        assert doc.meta.title and doc.meta.lang
        assert query(doc, Heading)[0].level == 1
        assert all(img.alt for img in query(doc, Image) if img.resource)
        assert query(doc, Paragraph)
