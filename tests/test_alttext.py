"""Alt-text sidecars: collect, write, load (validation), merge, and apply by content hash."""

from __future__ import annotations

import hashlib
import io
import re
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefconvert.alttext import (
    AltTextEntry,
    AltTextSidecar,
    collect,
    count_unloaded,
    load_sidecar,
    merge,
    parse_sidecar,
    write_sidecar,
)
from briefconvert.diagnostics import Report, Severity
from briefconvert.errors import InputError
from briefconvert.files import write_output
from briefconvert.model import (
    Cell,
    Div,
    Document,
    Emph,
    Figure,
    Image,
    Note,
    Paragraph,
    Resource,
    Row,
    Table,
    Text,
)
from briefconvert.options import ConvertOptions
from briefconvert.pipeline import convert, read
from briefconvert.transforms.alt_text import apply_alt_text, map_images
from briefconvert.walk import query
from conftest import SHARED, require_shared


def png(rgb: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, rgb).save(out, format="PNG")
    return out.getvalue()


PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Housing brief</title></head>
<body><main>
<h1>Housing brief</h1>
<p>Rents rose faster than wages in every region we looked at.</p>
<figure>
<img src="chart.png">
<figcaption>Figure 1: Rents and wages, 2010-2023</figcaption>
</figure>
<p>The same chart again, as a reminder: <img src="chart.png"> and a logo <img src="logo.png" alt=""></p>
<p>A photo: <img src="photo.png" alt="Terraced houses in Leeds"></p>
<p>Remote: <img src="https://example.org/remote.png"></p>
</main></body></html>
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "chart.png").write_bytes(png((200, 30, 30)))
    (folder / "logo.png").write_bytes(png((0, 90, 200), (8, 8)))
    (folder / "photo.png").write_bytes(png((20, 160, 40)))
    path = folder / "brief.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def images(doc: Document) -> list[Image]:
    return query(doc, Image)


# ------------------------------------------------------------------ collect


def test_collect_lists_each_distinct_image_once(page: Path) -> None:
    doc = read(page)
    sidecar = collect(doc, source=page.name)
    assert sidecar.source == "brief.html"
    by = sidecar.by_digest()
    chart, logo, photo = (sha(page.parent / n) for n in ("chart.png", "logo.png", "photo.png"))
    assert [e.sha256 for e in sidecar.entries] == [chart, logo, photo]  # order of first use
    assert by[chart].status == "missing" and by[chart].alt is None
    assert by[logo].status == "decorative" and by[logo].alt == ""
    assert by[photo].status == "described" and by[photo].alt == "Terraced houses in Leeds"
    # the chart is used twice: one entry, two locations, the caption of its figure
    assert len(by[chart].locations) == 2
    assert all(re.fullmatch(r"line \d+", loc) for loc in by[chart].locations)
    assert by[chart].caption == "Figure 1: Rents and wages, 2010-2023"
    assert by[chart].origin == "chart.png"
    # the text around the first use, without the caption
    context = by[chart].context or ""
    assert "Rents rose faster than wages" in context and "[this image]" in context
    assert "Figure 1" not in context
    # the remote image has no bytes: it cannot be listed, but it is counted
    assert count_unloaded(doc) == 1


def test_context_is_short_and_marks_other_images() -> None:
    res = Resource("sha256-aaaaaaaaaaaa.png", "image/png", b"\x89PNG one")
    words = " ".join(f"word{i}" for i in range(200))
    doc = Document(
        blocks=(
            Paragraph((Text(words),)),
            Paragraph((Image(res.key, None), Text(" after "), Image(None, "other"), Text(" " + words))),
        ),
        resources={res.key: res},
    )
    (entry,) = collect(doc, source="x.html").entries
    assert entry.context is not None
    before, _, after = entry.context.partition(" [this image] ")
    assert before.startswith("…word") and before.endswith("word199")
    assert after.startswith("after [image] word0") and after.endswith("…")
    assert len(entry.context) < 200


def test_images_in_captions_and_notes_are_listed_but_their_text_is_not_context() -> None:
    a = Resource("sha256-dddddddddddd.png", "image/png", b"\x89PNG d")
    icon = Resource("sha256-eeeeeeeeeeee.png", "image/png", b"\x89PNG e")
    chart = Resource("sha256-ffffffffffff.png", "image/png", b"\x89PNG f")
    note = Note((Paragraph((Text("Note text "), Image(chart.key, None))),))
    doc = Document(
        blocks=(
            Paragraph((Text("Prices "), Emph((Text("rose"),)), Text(", sharply."), note)),
            Figure((Paragraph((Image(a.key, None),)),), (Text("Caption with "), Image(icon.key, ""))),
            Paragraph((Text("Afterwards."),)),
        ),
        resources={r.key: r for r in (a, icon, chart)},
    )
    by = {e.sha256: e for e in collect(doc, source="x").entries}
    assert [e.alt for e in collect(doc, source="x").entries] == [None, None, ""]  # chart, a, icon
    context = by[hashlib.sha256(a.data).hexdigest()].context
    # the note's chart and the caption's icon are marked, their text left out
    assert context == "Prices rose, sharply.[image] [this image] [image] Afterwards."
    assert by[hashlib.sha256(icon.data).hexdigest()].caption == "Caption with"


def test_mixed_alts_of_one_image() -> None:
    res = Resource("sha256-bbbbbbbbbbbb.png", "image/png", b"\x89PNG two")
    doc = Document(
        blocks=(Paragraph((Image(res.key, None), Image(res.key, ""), Image(res.key, "A map"))),),
        resources={res.key: res},
    )
    (entry,) = collect(doc, source="x").entries
    assert entry.alt == "A map"  # the first described use wins over missing and decorative
    doc2 = Document(blocks=(Paragraph((Image(res.key, None), Image(res.key, ""))),), resources=doc.resources)
    assert collect(doc2, source="x").entries[0].alt == ""


# -------------------------------------------------------------- write / load


def test_write_is_valid_toml_with_instructions(page: Path, tmp_path: Path) -> None:
    sidecar = collect(read(page), source=page.name)
    data = write_sidecar(sidecar, name="brief.alt.toml")
    assert data == write_sidecar(sidecar, name="brief.alt.toml")  # deterministic
    text = data.decode("utf-8")
    assert text.startswith("# Alt text for the images of brief.html")
    assert 'status = "decorative"' in text and "--alt-text brief.alt.toml" in text
    assert text.count("NEEDS ALT TEXT") == 1  # the chart
    parsed = tomllib.loads(text)
    assert parsed["format"] == "briefconvert-alt-text" and parsed["version"] == 1
    assert [t["status"] for t in parsed["image"]] == ["missing", "decorative", "described"]
    target = tmp_path / "brief.alt.toml"
    target.write_bytes(data)
    loaded = load_sidecar(target)
    assert loaded == sidecar
    assert loaded.path == str(target)
    assert [e.line for e in loaded.entries] == [
        n for n, line in enumerate(text.splitlines(), 1) if line == "[[image]]"
    ]


def fill(text: str, digest: str, *, status: str, alt: str) -> str:
    """Edit the [[image]] table whose sha256 is ``digest`` as an editor would."""
    blocks = text.split("[[image]]")
    for i, block in enumerate(blocks):
        if f'sha256 = "{digest}"' in block:
            block = re.sub(r'^status = ".*"$', f'status = "{status}"', block, count=1, flags=re.M)
            blocks[i] = re.sub(r'^alt = ".*"$', f'alt = "{alt}"', block, count=1, flags=re.M)
            return "[[image]]".join(blocks)
    raise AssertionError(f"no entry {digest}")


def test_round_trip_gives_outputs_the_editors_text(page: Path, tmp_path: Path) -> None:
    text = write_sidecar(collect(read(page), source=page.name)).decode()
    chart = sha(page.parent / "chart.png")
    description = "Line chart: rents up 40 % since 2010, wages up 18 %"
    sidecar_path = tmp_path / "brief.alt.toml"
    sidecar_path.write_text(fill(text, chart, status="described", alt=description), encoding="utf-8")
    sidecar = load_sidecar(sidecar_path)

    report = Report()
    doc = apply_alt_text(read(page), sidecar, report)
    alts = {(i.resource, i.alt) for i in images(doc)}
    chart_key = next(k for k, r in doc.resources.items() if hashlib.sha256(r.data).hexdigest() == chart)
    assert [i.alt for i in images(doc) if i.resource == chart_key] == [description, description]
    assert (None, None) in alts  # the remote image stays unknown: nothing invented
    assert [d.code for d in report.diagnostics] == ["alt-text-applied"]

    result = convert(page, ["html", "epub", "docx"], options=ConvertOptions(alt_text=sidecar))
    html = result.outputs["html"].data.decode()
    assert html.count(f'alt="{description}"') == 2
    with zipfile.ZipFile(io.BytesIO(result.outputs["epub"].data)) as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert xhtml.count(f'alt="{description}"') == 2
    with zipfile.ZipFile(io.BytesIO(result.outputs["docx"].data)) as z:
        body = z.read("word/document.xml").decode()
    assert f'descr="{description}"' in body
    assert any(d.code == "alt-text-applied" for d in result.diagnostics)


def test_an_empty_alt_without_status_is_still_missing(tmp_path: Path) -> None:
    digest = "ab" * 32
    path = tmp_path / "s.toml"
    path.write_text(f'[[image]]\nsha256 = "{digest}"\nalt = "   "\n', encoding="utf-8")
    assert load_sidecar(path).entries[0].alt is None
    path.write_text(
        f'[[image]]\nsha256 = "{digest.upper()}"\nalt = "A  chart\\n of prices"\n', encoding="utf-8"
    )
    entry = load_sidecar(path).entries[0]
    assert entry.sha256 == digest and entry.alt == "A chart of prices" and entry.status == "described"
    # text written but the status left at "missing": the text counts
    path.write_text(
        f'[[image]]\nsha256 = "{digest}"\nstatus = "missing"\nalt = "A chart"\n', encoding="utf-8"
    )
    assert load_sidecar(path).entries[0].alt == "A chart"


GOOD = "ab" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[image]]\nsha256 = "abc\n', r"s\.toml:2:\d+: not valid TOML: "),
        ("format = 'briefconvert-alt-text'\nversion = 1\nfoo = 2\n", r"s\.toml:3: unknown key 'foo'"),
        ("version = 2\n", r"s\.toml:1: unsupported version 2"),
        ('format = "other"\n', r"s\.toml:1: format must be 'briefconvert-alt-text'"),
        ("source = 3\n", r"s\.toml:1: 'source' must be a string, not an integer"),
        ('[image]\nsha256 = "x"\n', r"s\.toml: 'image' must be a list of \[\[image\]\] tables"),
        (
            f'# c\n\n[[image]]\nsha256 = "{GOOD}"\nalt = 3\n',
            r"s\.toml:5: image 1: 'alt' must be a string, not an integer",
        ),
        (
            f'[[image]]\nsha256 = "{GOOD}"\n[[image]]\nsha256 = "{GOOD}"\ncolour = "red"\n',
            r"s\.toml:5: image 2: unknown key 'colour'",
        ),
        ('[[image]]\nalt = "x"\n', r"s\.toml:1: image 1: 'sha256' is missing"),
        (
            '[[image]]\nsha256 = "sha256-910650652019.png"\n',
            r"s\.toml:2: image 1: 'sha256' must be the 64 hex",
        ),
        (f'[[image]]\nsha256 = "{GOOD}"\nstatus = "done"\n', r"s\.toml:3: image 1: status must be one of"),
        (
            f'[[image]]\nsha256 = "{GOOD}"\nstatus = "decorative"\nalt = "A logo"\n',
            r's\.toml:4: image 1: status is "decorative" but alt has text',
        ),
        (
            f'[[image]]\nsha256 = "{GOOD}"\nstatus = "described"\n',
            r's\.toml:1: image 1: status is "described" but alt is empty',
        ),
        (
            f'[[image]]\nsha256 = "{GOOD}"\nlocations = "page 2"\n',
            r"s\.toml:3: image 1: 'locations' must be an array",
        ),
        (
            f'[[image]]\nsha256 = "{GOOD}"\n\n[[image]]\nsha256 = "{GOOD.upper()}"\n',
            r"s\.toml:4: image 2: the same sha256 is listed twice \(first at line 1\)",
        ),
    ],
)
def test_bad_sidecars_give_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_sidecar(path)
    message = str(info.value)
    assert re.search(expected, message), message
    assert "\n" not in message and "Traceback" not in message


def test_unreadable_sidecar_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.toml: no such file"):
        load_sidecar(tmp_path / "nothere.toml")
    with pytest.raises(InputError, match="not a regular file"):
        load_sidecar(tmp_path)
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"# ok\n# caf\xe9\n")
    with pytest.raises(InputError, match=r"latin1\.toml:2: not UTF-8"):
        load_sidecar(path)
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"latin1\.toml: nested too deeply"):
        load_sidecar(path)
    path.write_bytes(b"\xef\xbb\xbf" + f'[[image]]\nsha256 = "{GOOD}"\n'.encode())  # a BOM is fine
    assert load_sidecar(path).entries[0].sha256 == GOOD


# -------------------------------------------------------------------- apply


def _doc() -> tuple[Document, Resource, Resource]:
    a = Resource("sha256-aaaaaaaaaaaa.png", "image/png", b"\x89PNG a")
    b = Resource("sha256-bbbbbbbbbbbb.png", "image/png", b"\x89PNG b")
    note = Note((Paragraph((Image(a.key, None),)),))
    table = Table((), ((Row((Cell((Paragraph((Image(b.key, "Old text"),)),)),)),),))
    doc = Document(
        blocks=(
            Figure((Paragraph((Image(a.key, None),)),), (Text("Caption "), Image(b.key, None))),
            Paragraph((Text("See"), note)),
            table,
        ),
        resources={a.key: a, b.key: b},
    )
    return doc, a, b


def entry(res: Resource, alt: str | None) -> AltTextEntry:
    return AltTextEntry(hashlib.sha256(res.data).hexdigest(), alt)


def test_apply_everywhere_and_the_sidecar_wins() -> None:
    doc, a, b = _doc()
    report = Report()
    out = apply_alt_text(doc, AltTextSidecar("x", (entry(a, "A"), entry(b, "B"))), report)
    assert [(i.resource, i.alt) for i in images(out)] == [
        (a.key, "A"),
        (b.key, "B"),
        (a.key, "A"),
        (b.key, "B"),
    ]
    codes = [d.code for d in report.diagnostics]
    assert codes == ["alt-text-replaced", "alt-text-applied"]
    assert "'Old text'" in report.diagnostics[0].message
    assert all(d.severity == Severity.INFO for d in report.diagnostics)
    # the untouched document is not modified (values are immutable), and provenance survives
    assert [i.alt for i in images(doc)] == [None, None, None, "Old text"]


def test_apply_decorative_and_missing_entries() -> None:
    doc, a, b = _doc()
    out = apply_alt_text(doc, AltTextSidecar("x", (entry(a, ""), entry(b, None))), Report())
    assert [i.alt for i in images(out)] == ["", None, "", "Old text"]


def test_apply_without_matches_returns_the_same_document() -> None:
    doc, _, _ = _doc()
    report = Report()
    other = AltTextEntry("cd" * 32, "Chart of prices", ("page 3",), line=12)
    unused = AltTextEntry("ef" * 32, None)  # nothing to apply, nothing to report
    out = apply_alt_text(doc, AltTextSidecar("x", (other, unused), path="brief.alt.toml"), report)
    assert out is doc
    (d,) = report.diagnostics
    assert d.code == "alt-text-unmatched" and d.severity == Severity.INFO
    assert d.where == "brief.alt.toml line 12" and "page 3" in d.message and "cdcdcdcdcdcd" in d.message


def test_apply_keeps_provenance(page: Path) -> None:
    doc = read(page)
    sidecar = collect(doc, source="b")
    filled = replace(sidecar, entries=tuple(replace(e, alt=e.alt or "Described") for e in sidecar.entries))
    out = apply_alt_text(doc, filled, Report())
    assert [i.src for i in images(out)] == [i.src for i in images(doc)]
    assert all(i.src is not None and i.src.line for i in images(out))


def test_deep_documents_do_not_recurse() -> None:
    res = Resource("sha256-cccccccccccc.png", "image/png", b"\x89PNG c")
    node: Div = Div((Paragraph((Image(res.key, None),)),))
    for _ in range(5000):
        node = Div((node,))
    doc = Document(blocks=(node,), resources={res.key: res})
    sidecar = collect(doc, source="deep")
    assert [e.alt for e in sidecar.entries] == [None]
    out = apply_alt_text(doc, AltTextSidecar("deep", (entry(res, "Deep"),)), Report())
    assert [i.alt for i in images(out)] == ["Deep"]


def test_map_images_shares_unchanged_subtrees() -> None:
    doc, a, _ = _doc()
    blocks = map_images(doc.blocks, lambda i: replace(i, alt="x") if i.resource == a.key else i)
    assert blocks[2] is doc.blocks[2]  # the table holds only the other image
    assert blocks[0] is not doc.blocks[0]


# -------------------------------------------------------------------- merge


def test_merge_keeps_editors_text(page: Path) -> None:
    old_doc = read(page)
    chart, logo, photo = (sha(page.parent / n) for n in ("chart.png", "logo.png", "photo.png"))
    old = collect(old_doc, source="brief.html")
    edited = AltTextSidecar(
        "brief.html",
        tuple(
            replace(e, alt={chart: "Chart by editor", photo: "Photo by editor"}.get(e.sha256, e.alt))
            for e in old.entries
        ),
    )
    # the revision: the logo is gone, a new map is added, the photo's alt changed in the source
    (page.parent / "map.png").write_bytes(png((90, 90, 0)))
    revised = (
        PAGE.replace('a logo <img src="logo.png" alt="">', "no logo")
        .replace("Terraced houses in Leeds", "Houses")
        .replace("<p>Remote:", '<p><img src="map.png"></p><p>Remote:')
    )
    page.write_text(revised, encoding="utf-8")
    fresh = collect(read(page), source="brief.html")
    result = merge(fresh, edited)
    by = result.sidecar.by_digest()
    mapd = sha(page.parent / "map.png")
    assert [e.sha256 for e in result.sidecar.entries] == [chart, photo, mapd, logo]
    assert by[chart].alt == "Chart by editor" and by[photo].alt == "Photo by editor"
    assert by[mapd].alt is None
    assert by[logo].alt == "" and by[logo].locations == ()  # gone, kept (decorative is an editor's call)
    assert by[chart].locations == fresh.by_digest()[chart].locations  # refreshed
    assert (result.kept, result.added, result.orphans) == (2, 1, 1)
    assert [c.sha256 for c in result.conflicts] == [photo]
    text = write_sidecar(result.sidecar).decode()
    assert "# the document now says: 'Houses'; this file's text is kept" in text
    assert "# no longer in the document" in text
    # the merged file reads back with the editors' text
    assert parse_sidecar(text, path=Path("m.toml")) == result.sidecar


def test_merge_drops_gone_entries_without_text() -> None:
    old = AltTextSidecar("x", (AltTextEntry("aa" * 32, None), AltTextEntry("bb" * 32, "Kept")))
    result = merge(AltTextSidecar("x", ()), old)
    assert [e.sha256 for e in result.sidecar.entries] == ["bb" * 32]


# ------------------------------------------------------- an untagged PDF


CORPUS = SHARED / "corpus" / "generated" / "housing-affordability"


def test_untagged_pdf_gets_its_alt_from_a_sidecar(tmp_path: Path) -> None:
    require_shared(CORPUS)
    pdf = CORPUS / "weasyprint-plain.pdf"
    doc = read(pdf)
    assert [i.alt for i in images(doc)] == [None]  # untagged: nothing to read alt text from
    sidecar = collect(doc, source=pdf.name)
    (e,) = sidecar.entries
    assert e.status == "missing" and e.locations == ("page 2",)
    assert e.caption is not None and e.caption.startswith("Figure 1")
    path = tmp_path / "plain.alt.toml"
    description = "Line chart: house prices reach about 147 in 2023, rents about 123 (2010 = 100)."
    path.write_text(fill(write_sidecar(sidecar).decode(), e.sha256, status="described", alt=description))
    result = convert(pdf, ["html", "docx"], options=ConvertOptions(alt_text=load_sidecar(path)))
    assert [i.alt for i in images(result.document)] == [description]
    assert f'alt="{description}"' in result.outputs["html"].data.decode()
    # nothing is left to fix: no warning about alt text (the reader's summary of the input is information)
    assert not [
        d for d in result.diagnostics if d.code.startswith("image-alt") and d.severity >= Severity.WARNING
    ]
    assert any(d.code == "image-alt-unknown" and d.severity == Severity.INFO for d in result.diagnostics)


def test_warning_stays_when_images_remain_without_alt() -> None:
    require_shared(CORPUS)
    pdf = CORPUS / "weasyprint-plain.pdf"
    result = convert(
        pdf, "html", options=ConvertOptions(alt_text=AltTextSidecar("x", (AltTextEntry("ab" * 32, "x"),)))
    )
    assert any(d.code == "image-alt" and d.severity == Severity.WARNING for d in result.diagnostics)


def test_the_hash_survives_conversion_and_renaming(page: Path, tmp_path: Path) -> None:
    """A sidecar made from the source applies to briefconvert's own HTML output,
    whose image files are renamed (the bytes are the same)."""
    sidecar = collect(read(page), source=page.name)
    chart = sha(page.parent / "chart.png")
    filled = replace(
        sidecar, entries=tuple(replace(e, alt="Chart") if e.sha256 == chart else e for e in sidecar.entries)
    )
    out = tmp_path / "out" / "converted.html"
    write_output(out, convert(page, "html").outputs["html"])
    assert not (out.parent / "chart.png").exists()  # renamed on the way
    doc = read(out)
    (key,) = [k for k, r in doc.resources.items() if hashlib.sha256(r.data).hexdigest() == chart]
    assert [i.alt for i in images(doc) if i.resource == key] == [None, None]
    doc = apply_alt_text(doc, filled, Report())
    assert [i.alt for i in images(doc) if i.resource == key] == ["Chart", "Chart"]


def test_the_documented_example_is_a_valid_sidecar() -> None:
    doc = Path(__file__).resolve().parent.parent / "docs" / "alt-text.md"
    match = re.search(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    assert match is not None
    sidecar = parse_sidecar(match.group(1), path=Path("example.toml"))
    assert [e.status for e in sidecar.entries] == ["missing", "decorative"]
    assert sidecar.entries[0].locations == ("page 2",)
