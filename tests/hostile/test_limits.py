"""The defences one by one: pypdf's configuration, the HTML reader's markup
limits, image loading, link filtering, the writers' final safety pass."""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from lxml import etree
from pypdf.errors import LimitReachedError

from briefconvert.diagnostics import Report
from briefconvert.errors import LimitExceeded
from briefconvert.readers.html.parse import MAX_ATTRIBUTES, MAX_ELEMENTS, limit_markup, parse_html
from briefconvert.readers.pdf.backend_pypdf import limit_error, open_pypdf
from briefconvert.resources import load_image
from briefconvert.writers.html_context import safe_href
from briefconvert.writers.html_safety import UnsafeOutputError, check_page, nh3_removes

from . import pdfgen
from .inputs import png

# ------------------------------------------------------------------ pypdf


def test_pypdf_runs_without_external_programs_and_under_limits() -> None:
    before = pypdf.get_configuration()
    with open_pypdf(pdfgen.simple(), password=None, max_stream_bytes=12345) as backend:
        config = pypdf.get_configuration()
        assert config.jbig2dec_binary is None
        for name in ("zlib", "lzw", "run_length", "jbig2", "brotli"):
            assert getattr(config, f"{name}_maximum_output_length") == 12345
        assert config.stream_parsing_work_maximum_count < before.stream_parsing_work_maximum_count
        assert backend.count == 1
    assert pypdf.get_configuration() is before  # restored for the rest of the process


@pytest.mark.parametrize(
    ("message", "option"),
    [
        ("Limit reached while decompressing. 4181175 bytes remaining.", "--max-stream-size"),
        ("Requested image buffer size 4800000000 exceeds limit 67108864.", "--max-stream-size"),
        ("Maximum page tree depth reached: 101 > 100.", "--max-pages"),
        ("Reached maximum array element count.", "a fixed limit"),
    ],
)
def test_pdf_limit_messages_name_the_option(message: str, option: str) -> None:
    error = limit_error(LimitReachedError(message), "page 3")
    assert str(error).startswith("page 3 exceeds a safety limit: ")
    assert option in str(error) and "\n" not in str(error)


def test_a_reference_cycle_reported_as_a_limit_is_an_input_error() -> None:
    from briefconvert.errors import InputError

    error = limit_error(LimitReachedError("Detected loop with self reference for IndirectObject(9, 0, 1)."))
    assert isinstance(error, InputError) and "refers to itself" in str(error)


def test_a_flate_bomb_is_refused_quickly() -> None:
    objs = pdfgen.simple_objects()
    objs[pdfgen.CONTENT] = pdfgen.stream(b"/Filter /FlateDecode", pdfgen.flate_zeros(1 << 30))
    from briefconvert.options import PdfReaderOptions
    from briefconvert.readers.pdf import read_pdf

    start = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"--max-stream-size"):
        read_pdf(pdfgen.build(objs), base=None, options=PdfReaderOptions(), report=Report())
    assert time.perf_counter() - start < 5


def test_flate_zeros_is_valid_zlib() -> None:
    import zlib

    assert zlib.decompress(pdfgen.flate_zeros(3 << 20)) == bytes(3 << 20)


# ------------------------------------------------------------------- HTML


def test_attributes_past_the_limit_are_dropped_in_linear_time() -> None:
    attrs = " ".join(f'a{i}="<p {i}>"' for i in range(200_000))  # quoted "<" cannot hide them
    report = Report()
    start = time.perf_counter()
    root = parse_html(f"<p {attrs}>text</p><p b=1>next</p>", report)
    assert time.perf_counter() - start < 2
    assert root is not None
    p = root.find(".//p")
    assert p is not None and len(p.attrib) == MAX_ATTRIBUTES and p.text == "text"
    assert [d.code for d in report.diagnostics] == ["html-attributes"]


def test_ordinary_markup_is_left_alone() -> None:
    text = '<p class="a" id=b data-x=\'1\'>x</p><img src="a.png" alt="">' * 100
    assert limit_markup(text) is text


def test_more_elements_than_the_limit_is_a_clean_refusal() -> None:
    with pytest.raises(LimitExceeded, match=f"more than {MAX_ELEMENTS:,} elements .*--max-elements"):
        limit_markup("<i>x</i>" * (MAX_ELEMENTS + 1))


# ----------------------------------------------------------------- images


def test_images_are_re_encoded_without_their_metadata() -> None:
    data = png(20, 10, text=b"SECRET-METADATA") + b"<script>trailing</script>"
    report = Report()
    res = load_image(data, origin="x.png", report=report)
    assert res is not None and (res.width, res.height) == (20, 10)
    assert b"SECRET-METADATA" not in res.data and b"<script>" not in res.data
    assert res.data.startswith(b"\x89PNG")
    assert load_image(data, origin="x.png", report=Report()) == res  # deterministic


def test_pillow_decompression_bomb_warning_is_a_refusal() -> None:
    import zlib

    data = png(10_000, 10_000, zlib.compress(bytes(100)))  # 100 M pixels: over Pillow's own limit
    report = Report()
    assert load_image(data, origin="big.png", report=report, max_pixels=10**10) is None
    assert [d.code for d in report.diagnostics] == ["resource-too-large"]


def test_images_over_the_pixel_limit_are_not_decoded() -> None:
    import zlib

    report = Report()
    assert load_image(png(8000, 8000, zlib.compress(b"x")), origin="a.png", report=report) is None
    assert "--max-image-pixels" in report.diagnostics[0].message


# ------------------------------------------------------------------ links


@pytest.mark.parametrize(
    "url",
    ["https://ex ample.org/", "http://a:99999/", "https://xn--zz.org/", "javascript:alert(1)",
     "JAVASCRIPT:x", "data:text/html,x", "file:///etc/passwd", "//example.org/", "java\tscript:x", ""],
)  # fmt: skip
def test_unsafe_or_unparsable_links_are_not_written(url: str) -> None:
    assert safe_href(url) is None


def test_web_links_are_written() -> None:
    assert safe_href("https://example.org/a b?q=<x>") == "https://example.org/a%20b?q=%3Cx%3E"
    assert safe_href("mailto:a@example.org") == "mailto:a@example.org"


# ------------------------------------------------------- the final pass


def _page(body: str) -> etree._Element:
    root = etree.fromstring(
        f"<html><head><title>t</title></head><body><main>{body}</main></body></html>",
        etree.HTMLParser(no_network=True),
    )
    assert root is not None
    return root


@pytest.mark.parametrize(
    "body",
    ["<script>x()</script>", '<p onclick="x()">p</p>', '<a href="javascript:x()">a</a>',
     '<img src="https://example.org/x.png" alt="">', '<img src="../secret.png" alt="">',
     '<iframe src="x"></iframe>', '<p style="color:red">p</p>', '<form action="x"></form>',
     '<img srcset="x.png 2x" src="images/sha256-0123456789ab.png" alt="">', '<base href="x">',
     '<meta http-equiv="refresh" content="0">', '<svg><a href="x"/></svg>'],
)  # fmt: skip
def test_the_structural_check_refuses(body: str) -> None:
    with pytest.raises(UnsafeOutputError):
        check_page(_page(body), None)


def test_the_structural_check_accepts_our_own_references() -> None:
    check_page(
        _page(
            '<p><a href="https://example.org/">w</a><a href="#x">f</a><a href="mailto:a@b.org">m</a>'
            '<img src="brief_files/sha256-0123456789ab.png" alt="">'
            '<img src="data:image/png;base64,iVBORw0KGgo=" alt=""></p>'
        ),
        None,
    )


@pytest.mark.parametrize(
    ("body", "removed"),
    [
        ('<p onclick="x()">p</p>', "onclick="),
        ('<a href="javascript:x()">a</a>', "href="),
        ("<video>v</video>", "<video>"),
        ('<img src="https://example.org/x.png" alt="">', "src="),
        ('<p data-x="1">p</p>', "data-x="),
    ],
)
def test_nh3_pass_lists_what_it_would_remove(body: str, removed: str) -> None:
    main = _page(body).find(".//main")
    assert main is not None
    fragment = "".join(etree.tostring(c, method="html", encoding="unicode") for c in main)
    found = nh3_removes(fragment, list(main))
    assert any(removed in item for item in found), found


def test_nh3_pass_keeps_what_the_writer_makes() -> None:
    from briefconvert.options import HtmlWriterOptions
    from briefconvert.readers.jsonmodel import read_json
    from briefconvert.writers.html import write_html
    from conftest import GOLDEN_DIR

    doc = read_json(
        (GOLDEN_DIR / "jsonmodel" / "rich.json").read_bytes(), base=None, options=None, report=Report()
    )
    page = write_html(doc, options=HtmlWriterOptions(), report=Report()).data
    root = etree.parse(io.BytesIO(page), etree.HTMLParser(no_network=True)).getroot()
    body = root.find("body")
    assert body is not None
    fragment = "".join(etree.tostring(c, method="html", encoding="unicode") for c in body)
    assert nh3_removes(fragment, list(body)) == []
