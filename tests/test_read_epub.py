"""The EPUB reader: package metadata as declared, spine order, chapters read
with the HTML reader (images from the container, locations with the
chapter's name), and a container that is read defensively."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

import briefconvert
from briefconvert.diagnostics import Report
from briefconvert.errors import InputError, LimitExceeded
from briefconvert.model import Div, Document, Heading, Image, Link, Paragraph
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.epub import EpubReaderOptions, read_epub
from briefconvert.readers.epub.container import resolve
from briefconvert.resources import load_image
from briefconvert.walk import plain_text, query

FIXTURES = Path(__file__).parent.parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
BAD_EPUB = SHARED / "tools" / "validate" / "samples" / "bad" / "bad.epub"
PNG = (FIXTURES / "brief" / "figure1-imports.png").read_bytes()
KEEP = EpubReaderOptions(html=HtmlReaderOptions(main_content=False, keep_faults=True))

# ------------------------------------------------------------------ building books

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

METADATA = """
    <dc:identifier id="uid">urn:isbn:9780000000002</dc:identifier>
    <dc:identifier id="other">other-id</dc:identifier>
    <dc:title id="t1">Main Title</dc:title>
    <dc:title id="t2">A Subtitle</dc:title>
    <meta refines="#t1" property="title-type">main</meta>
    <meta refines="#t2" property="title-type">subtitle</meta>
    <dc:language>en-GB</dc:language>
    <dc:creator id="c1">Ada Author</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <dc:creator id="c2">Ed Editor</dc:creator>
    <meta refines="#c2" property="role" scheme="marc:relators">edt</meta>
    <dc:date>2024-05-01</dc:date>
    <dc:publisher>The Institute</dc:publisher>
    <dc:description>What the book is about.</dc:description>
    <dc:subject>energy</dc:subject>
    <meta property="dcterms:modified">2024-05-01T00:00:00Z</meta>"""


def chapter(body: str, *, title: str = "Chapter", lang: str | None = "en-GB", head: str = "") -> str:
    langs = f' lang="{lang}" xml:lang="{lang}"' if lang else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{langs}>\n'
        f"<head><title>{title}</title>{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


NAV = chapter(
    '<nav epub:type="toc" role="doc-toc" id="toc"><h1>Contents</h1><ol>'
    '<li><a href="text/c1.xhtml">One</a></li><li><a href="text/c2.xhtml#s2">Two</a></li></ol></nav>',
    title="Contents",
)


def package(
    metadata: str = METADATA,
    manifest: str = "",
    spine: str = '<itemref idref="c1"/><itemref idref="c2"/>',
    *,
    attrs: str = 'xml:lang="en-GB"',
) -> str:
    items = (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c2" href="text/c2.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="img" href="images/fig.png" media-type="image/png"/>' + manifest
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" {attrs}>\n'
        f'  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}\n  </metadata>\n'
        f"  <manifest>{items}</manifest>\n  <spine>{spine}</spine>\n</package>\n"
    )


C1 = chapter(
    '<section><h1 id="top">Main Title</h1>\n<p>First <a href="c2.xhtml#two">see two</a>, '
    '<a href="c2.xhtml#s2">its section</a>, <a href="c2.xhtml#nowhere">a broken link</a>, '
    '<a href="c2.xhtml">chapter two</a>.</p>\n<figure><img src="../images/fig.png" alt="A chart of imports"/>'
    "<figcaption>Figure 1</figcaption></figure>"
    "\n</section>"
)
C2 = chapter('<section id="s2"><h2 id="two">Two</h2>\n<p>Second chapter.</p></section>')


def build(
    files: Mapping[str, str | bytes] | None = None,
    *,
    opf: str | None = None,
    mimetype: bytes | None = b"application/epub+zip",
    container: str | None = CONTAINER,
) -> bytes:
    """A small EPUB: mimetype first and stored, then the given entries
    (defaults: a package, a nav document, two chapters and an image)."""
    entries: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf if opf is not None else package(),
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/text/c1.xhtml": C1,
        "OEBPS/text/c2.xhtml": C2,
        "OEBPS/images/fig.png": PNG,
    }
    entries.update(files or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if mimetype is not None:
            zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        if container is not None:
            zf.writestr("META-INF/container.xml", container, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in entries.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def read(data: bytes, options: EpubReaderOptions = KEEP) -> tuple[Document, Report]:
    report = Report()
    return read_epub(data, options=options, report=report), report


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


# ------------------------------------------------------------------ metadata and content


def test_metadata_is_what_the_package_declares() -> None:
    doc, _ = read(build())
    m = doc.meta
    assert m.title == "Main Title"
    assert m.subtitle == "A Subtitle"
    assert m.lang == "en-GB"
    assert m.authors == ("Ada Author",)  # the editor is not an author
    assert m.date == "2024-05-01"
    assert m.publisher == "The Institute"
    assert m.description == "What the book is about."
    assert m.identifier == "urn:isbn:9780000000002"  # the unique-identifier, not the first found
    assert m.keywords == ("energy",)


def test_nothing_is_inferred_when_the_package_declares_nothing() -> None:
    opf = package(metadata="", attrs="")
    doc, _ = read(build(opf=opf))
    assert doc.meta.title is None  # not the first heading "Main Title"
    assert doc.meta.lang is None  # not the chapters' lang
    assert doc.meta.authors == ()


def test_language_falls_back_to_the_package_xml_lang() -> None:
    opf = package(metadata=METADATA.replace("<dc:language>en-GB</dc:language>", ""), attrs='xml:lang="fr"')
    doc, _ = read(build(opf=opf))
    assert doc.meta.lang == "fr"


def test_spine_order_chapters_and_locations() -> None:
    doc, _ = read(build())
    headings = query(doc, Heading)
    assert [(h.level, plain_text(h.content)) for h in headings] == [(1, "Main Title"), (2, "Two")]
    assert headings[0].src is not None and headings[0].src.part == "OEBPS/text/c1.xhtml"
    assert headings[0].src.line == line_of(C1, "<h1")  # the file's own line numbers
    assert headings[1].src is not None and headings[1].src.part == "OEBPS/text/c2.xhtml"
    # the nav document is not content
    assert "Contents" not in plain_text(doc.blocks)


def test_spine_order_is_followed_not_manifest_order() -> None:
    opf = package(spine='<itemref idref="c2"/><itemref idref="c1"/><itemref idref="c2"/>')
    doc, _ = read(build(opf=opf))
    assert [plain_text(h.content) for h in query(doc, Heading)] == ["Two", "Main Title"]  # c2 once


def test_images_come_from_the_container() -> None:
    doc, report = read(build())
    (image,) = query(doc, Image)
    assert image.alt == "A chart of imports"
    assert image.resource is not None
    # the container's image, decoded and re-encoded by resources.load_image (never passed through)
    expected = load_image(PNG, origin="x", report=Report())
    assert expected is not None and doc.resources[image.resource].data == expected.data
    assert image.src is not None and image.src.part == "OEBPS/text/c1.xhtml"
    assert "resource-missing" not in codes(report)


def test_links_to_other_chapters_become_fragments() -> None:
    doc, _ = read(build())
    # a target in the model; a target that exists but is no node (the top of
    # the page, as the HTML reader does); a missing target, kept; a chapter's start
    assert [link.url for link in query(doc, Link)] == ["#two", "#", "#nowhere", "#"]


def test_a_chapter_in_another_language_is_marked() -> None:
    c2 = chapter('<section id="s2"><h2>Deux</h2><p>Texte.</p></section>', lang="fr")
    doc, _ = read(build({"OEBPS/text/c2.xhtml": c2}))
    divs = [b for b in doc.blocks if isinstance(b, Div)]
    assert [d.attr.lang for d in divs] == ["fr"]
    assert plain_text(divs[0].blocks).startswith("Deux")


def test_self_closing_elements_do_not_swallow_what_follows() -> None:
    body = '<p>One<a id="n1"/> two<span/></p>\n<h2>Next</h2>\n<p>After.</p>'
    doc, _ = read(build({"OEBPS/text/c2.xhtml": chapter(body)}))
    headings = [plain_text(h.content) for h in query(doc, Heading)]
    assert "Next" in headings
    paragraphs = [plain_text(p.content) for p in query(doc, Paragraph)]
    assert "One two" in paragraphs and "After." in paragraphs


def test_faults_are_kept_as_found() -> None:
    body = '<h2>Two</h2>\n<h4>Skipped</h4>\n<p><img src="../images/fig.png"/></p>\n<h3></h3>'
    doc, _ = read(build({"OEBPS/text/c2.xhtml": chapter(body)}))
    assert [h.level for h in query(doc, Heading)] == [1, 2, 4, 3]
    assert [i.alt for i in query(doc, Image)] == ["A chart of imports", None]


def test_shared_bad_sample() -> None:
    if not BAD_EPUB.is_file():
        pytest.skip(f"{BAD_EPUB} not found")
    doc, report = read(BAD_EPUB.read_bytes())
    assert doc.meta.lang == "en-GB"  # dc:language was removed; <package xml:lang> remains
    assert doc.meta.title == "Heat Resilience in Mid-Sized Cities: Policy Options for 2027–2030"
    images = query(doc, Image)
    assert [i.alt for i in images][:2] == [None, ""]  # the alt removed from the first image; a decorative one
    assert all(i.resource is not None for i in images[:2])
    missing = [d for d in report.diagnostics if d.code == "resource-missing"]
    assert len(missing) == 1 and "not-in-manifest.png" in missing[0].message
    assert missing[0].where is not None and missing[0].where.startswith("EPUB/text/ch001.xhtml")
    levels = [h.level for h in query(doc, Heading)]
    assert 5 in levels  # the h5 planted after an h2 stays an h5


def test_our_own_epub_reads_back() -> None:
    result = briefconvert.convert(FIXTURES / "brief" / "brief.html", "epub")
    doc, _ = read(result.outputs["epub"].data)
    original = result.document
    assert (doc.meta.title, doc.meta.lang, doc.meta.authors) == (
        original.meta.title,
        original.meta.lang,
        original.meta.authors,
    )
    # the title page's h1, then the document's own headings
    assert [plain_text(h.content) for h in query(doc, Heading)] == [
        original.meta.title,
        *(plain_text(h.content) for h in query(original, Heading)),
    ]
    assert [i.alt for i in query(doc, Image)] == [i.alt for i in query(original, Image)]
    assert all(i.resource in doc.resources for i in query(doc, Image))
    parts = {h.src.part if h.src is not None else None for h in query(doc, Heading)}
    assert len(parts) > 1 and all(p is not None and p.startswith("EPUB/text/chapter-") for p in parts)


def test_conversion_options_read_the_same_book() -> None:
    doc, _ = read(build(), EpubReaderOptions())
    assert [plain_text(h.content) for h in query(doc, Heading)] == [
        "Two"
    ]  # the title heading is the masthead


# ------------------------------------------------------------------ the container


def test_not_a_zip_is_an_input_error() -> None:
    with pytest.raises(InputError, match="ZIP"):
        read(b"%PDF-1.7 not an epub")


def test_no_package_document_is_an_input_error() -> None:
    data = build(container=None, opf="")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            if not info.filename.endswith(".opf"):
                zout.writestr(info, zin.read(info))
    with pytest.raises(InputError, match="package document"):
        read(buf.getvalue())


def test_missing_container_xml_falls_back_to_the_only_opf() -> None:
    doc, report = read(build(container=None))
    assert doc.meta.title == "Main Title"
    assert "epub-container" in codes(report)


def test_wrong_or_missing_mimetype_is_reported_not_fatal() -> None:
    _, report = read(build(mimetype=b"application/zip"))
    assert [d.message for d in report.diagnostics if d.code == "epub-mimetype"] == [
        "the 'mimetype' entry is 'application/zip', not 'application/epub+zip'"
    ]
    doc, report = read(build(mimetype=None))
    assert "epub-mimetype" in codes(report) and doc.meta.title == "Main Title"


def test_a_chapter_that_is_not_well_formed_is_read_as_html() -> None:
    broken = chapter("<h2>Two</h2><p>Unclosed <b>bold</p>").replace("</body>", "")
    doc, report = read(build({"OEBPS/text/c2.xhtml": broken}))
    assert "Two" in [plain_text(h.content) for h in query(doc, Heading)]
    assert "epub-xhtml" in codes(report)


def test_an_entry_over_the_size_limit_is_not_read() -> None:
    big = chapter("<h2>Big</h2><p>" + "x" * 50_000 + "</p>")  # compresses to almost nothing
    options = EpubReaderOptions(max_entry_bytes=20_000, html=KEEP.html)
    doc, report = read(build({"OEBPS/text/c2.xhtml": big}), options)
    assert "Big" not in plain_text(doc.blocks)
    assert any(d.code == "epub-missing" and "c2.xhtml" in d.message for d in report.diagnostics)


def test_the_total_decompressed_size_is_limited() -> None:
    filler = {f"OEBPS/text/c{i}.xhtml": chapter("<p>" + "y" * 8_000 + "</p>") for i in (1, 2)}
    options = EpubReaderOptions(max_total_bytes=12_000, html=KEEP.html)
    with pytest.raises(LimitExceeded, match="max_total_bytes"):
        read(build(filler), options)


def test_too_many_entries_is_refused() -> None:
    extra = {f"OEBPS/x/{i}.txt": "x" for i in range(30)}
    with pytest.raises(LimitExceeded, match="entries"):
        read(build(extra), EpubReaderOptions(max_entries=20))


def test_references_cannot_leave_the_container(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    body = (
        '<p><img src="../../../secret.png" alt="a"/><img src="/etc/passwd" alt="b"/>'
        f'<img src="file://{secret}" alt="c"/></p>'
    )
    opf = package(manifest='<item id="evil" href="../../evil.xhtml" media-type="application/xhtml+xml"/>')
    opf = opf.replace('<itemref idref="c1"/>', '<itemref idref="evil"/><itemref idref="c1"/>')
    doc, _ = read(
        build({"OEBPS/text/c2.xhtml": chapter(body), "evil.xhtml": chapter("<p>EVIL</p>")}, opf=opf)
    )
    assert "EVIL" not in plain_text(doc.blocks)
    alts = {i.alt: i.resource for i in query(doc, Image)}
    assert alts["a"] is None and alts["b"] is None and alts["c"] is None
    assert all(r.data != PNG or r.origin == "../images/fig.png" for r in doc.resources.values())


@pytest.mark.parametrize(
    ("base", "ref", "expected"),
    [
        ("OEBPS/text/c1.xhtml", "../images/a.png", "OEBPS/images/a.png"),
        ("OEBPS/text/c1.xhtml", "c2.xhtml#x", "OEBPS/text/c2.xhtml"),
        ("OEBPS/text/c1.xhtml", "sub%20dir/a.png", "OEBPS/text/sub dir/a.png"),
        ("OEBPS/text/c1.xhtml", "../../../x.png", None),
        ("OEBPS/text/c1.xhtml", "/abs.png", None),
        ("OEBPS/text/c1.xhtml", "https://example.org/a.png", None),
        ("OEBPS/text/c1.xhtml", "a\\b.png", None),
        ("", "OEBPS/content.opf", "OEBPS/content.opf"),
    ],
)
def test_resolve(base: str, ref: str, expected: str | None) -> None:
    assert resolve(base, ref) == expected
