"""Property tests: random models full of hostile strings, through every
writer.  Each output must be well-formed and safe (the scanners of
tests/hostile/safety.py, which parse the output afresh), and no writer may
crash.  Markdown is rendered with markdown-it (raw HTML allowed, as in most
renderers) and the result scanned the same way.

Hostile strings: markup (``<script>``, event handlers, ``</pre>``, CDATA
ends, comment openers), every spelling of ``javascript:`` we know, ``data:``
and ``file:`` URLs, remote image URLs, attribute breakers (quotes, ``>``),
bidi controls; and, before clean_text (as a reader would apply it), control
characters and lone surrogates.  Models stay valid models: text passes
through :func:`briefconvert.textnorm.clean_text` as every reader's does.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Attr,
    Document,
    Resource,
)
from briefconvert.options import ConvertOptions
from briefconvert.pipeline import write
from briefconvert.resources import resource_key
from briefconvert.textnorm import clean_text
from hostile.safety import scan_output, scan_tree
from strategies import Vocabulary, blocks, meta

MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "</pre><script>",
    "]]><script>", "<!--", "-->", "<![CDATA[", "<style>@import 'x'</style>", "<iframe src=//x>",
    "<a href=javascript:alert(1)>x</a>", "&lt;script&gt;", "&#x3C;script&#x3E;", "{{7*7}}", "${x}",
    "' onmouseover='x", '" onfocus="x', "<base href=//x>", "<meta http-equiv=refresh content=0;url=//x>",
    "\u202e\u2066", "[x](javascript:alert(1))", "![x](https://example.org/x.png)", "<https://x>",
]  # fmt: skip
URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "javascript&colon;alert(1)", "&#106;avascript:alert(1)", "vbscript:x",
    "data:text/html;base64,PHNjcmlwdD4=", "data:image/png;base64,iVBORw0KGgo=", "file:///etc/passwd",
    "//example.org/x", "\\\\example.org\\x", "../../etc/passwd", "https://example.org/a\"onmouseover=\"x",
    "https://example.org/<script>", "http://127.0.0.1:9/x.png", "mailto:a@example.org?body=<script>",
    "#\"><script>", "https://ex ample.org/", "blob:https://x/1", "jar:file:///x!/", "\x01javascript:x",
    "https://example.org/ok", "#ok",
]  # fmt: skip
_RAW = st.one_of(
    st.sampled_from(MARKUP),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(st.sampled_from("<>&\"'`=/\\:;#\x00\x01\x1b\x7f\u0085\u2028\ufeff\ufffe"), max_size=8),
    st.builds(lambda a, b: a + "\ud800" + b, st.text(max_size=4), st.text(max_size=4)),
)
TEXT = st.lists(_RAW, min_size=1, max_size=3).map(lambda parts: clean_text("".join(parts)))
URL = st.one_of(st.sampled_from(URLS), TEXT)
LANG = st.none() | st.sampled_from(
    ["en", "de", "ar", 'en" onclick="x', "x><script>", "", "und", "zh-Hant-TW"]
)
ATTR = st.builds(Attr, id=st.none() | TEXT, classes=st.lists(TEXT, max_size=2).map(tuple), lang=LANG)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
KEY = resource_key(PNG, "image/png")
RESOURCES = {KEY: Resource(KEY, "image/png", PNG, 2, 1, origin="<script>")}
HOSTILE = Vocabulary(
    text=lambda lo, hi: TEXT,
    url=URL,
    attr=ATTR,
    lang=LANG,
    date=st.none() | st.sampled_from(["2024", "2025-03-14", "<script>", "javascript:x"]),
    word=TEXT,
    source_url=URL,
    image_refs=(None, "../../x.png", "https://example.org/x.png"),  # refs no resource holds
    page_breaks=True,
)
DOCUMENTS = st.builds(
    Document, meta(HOSTILE), st.lists(blocks([KEY], HOSTILE), max_size=5).map(tuple), st.just(RESOURCES)
)
# BRIEFCONVERT_SAFETY_EXAMPLES=2000 for a longer hunt than the suite's
EXAMPLES = int(os.environ.get("BRIEFCONVERT_SAFETY_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _write(doc: Document, fmt: str, options: ConvertOptions | None = None) -> bytes:
    return write(doc, fmt, options=options or ConvertOptions(), report=Report()).data


@SETTINGS
@given(DOCUMENTS)
def test_html_is_safe(doc: Document) -> None:
    assert scan_output("html", _write(doc, "html")) == []


@SETTINGS
@given(DOCUMENTS)
def test_html_with_embedded_images_is_safe(doc: Document) -> None:
    from dataclasses import replace

    options = ConvertOptions()
    options = replace(options, html=replace(options.html, embed_images=True, toc=True))
    assert scan_output("html", _write(doc, "html", options)) == []


@SETTINGS
@given(DOCUMENTS)
def test_epub_is_safe(doc: Document) -> None:
    assert scan_output("epub", _write(doc, "epub")) == []


@SETTINGS
@given(DOCUMENTS)
def test_docx_is_safe(doc: Document) -> None:
    assert scan_output("docx", _write(doc, "docx")) == []


@SETTINGS
@given(DOCUMENTS)
def test_text_is_clean(doc: Document) -> None:
    assert scan_output("txt", _write(doc, "txt")) == []


_MD = MarkdownIt("commonmark", {"html": True})
_ACTIVE = re.compile(r"<(?:script|iframe|object|embed|form|svg|style|base|meta)\b", re.I)


@SETTINGS
@given(DOCUMENTS)
def test_markdown_renders_to_safe_html(doc: Document) -> None:
    text = _write(doc, "md").decode("utf-8")
    html = _MD.render(text)
    assert _ACTIVE.search(html) is None, html
    root = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser(no_network=True))
    problems = [p for p in scan_tree(root, epub=False) if not p.startswith(("a href=", "img src="))]
    assert problems == [], html
    for a in root.iter("a"):
        href = re.sub(r"[\x00-\x20]", "", a.get("href") or "")
        assert not re.match(r"(?i)(javascript|vbscript|data|file):", href), href
    for img in root.iter("img"):
        assert not re.match(r"(?i)(https?:|//|file:|javascript:)", img.get("src") or ""), img.get("src")


@SETTINGS
@given(DOCUMENTS)
def test_model_json_is_json(doc: Document) -> None:
    data = json.loads(_write(doc, "json"))
    assert data["schema"] == "briefconvert-model"
