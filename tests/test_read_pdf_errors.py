"""The PDF reader's failure modes: encryption, damaged and hostile files,
limits, a scanned PDF without a text layer.  Every PDF here is made in the
test (pypdf's writer, Pillow) from the project's own fixtures."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from briefconvert.diagnostics import Report, Severity
from briefconvert.errors import InputError, LimitExceeded
from briefconvert.model import Document, Heading
from briefconvert.readers.pdf import PdfReaderOptions, read_pdf
from briefconvert.walk import query
from conftest import FIXTURES

TWO_COLUMNS = (FIXTURES / "pdf" / "untagged" / "two-columns.pdf").read_bytes()


def read(data: bytes, **options: object) -> tuple[Document, Report]:
    report = Report()
    doc = read_pdf(data, base=None, options=PdfReaderOptions(**options), report=report)  # type: ignore[arg-type]
    return doc, report


def encrypted(user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(TWO_COLUMNS))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -------------------------------------------------------------- encryption


def test_empty_user_password_opens() -> None:
    doc, _ = read(encrypted("", "owner-secret"))
    assert len(query(doc, Heading)) == 6


def test_password_protected_without_password() -> None:
    with pytest.raises(InputError, match=r"^the PDF is encrypted; give --password$"):
        read(encrypted("secret", "owner-secret"))


def test_wrong_password() -> None:
    with pytest.raises(InputError, match="wrong password"):
        read(encrypted("secret", "owner-secret"), password="guess")


def test_right_password_opens() -> None:
    doc, _ = read(encrypted("secret", "owner-secret"), password="secret")
    assert doc.meta.title == "Rivers and Regional Resilience"


# --------------------------------------------------------- damaged inputs


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF",
        b"not a pdf at all",
    ],
    ids=["header-only", "no-pages", "not-pdf"],
)
def test_unreadable_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        read(data)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_file_gives_input_error_or_a_document(cut: float) -> None:
    data = TWO_COLUMNS[: int(len(TWO_COLUMNS) * cut)]
    try:
        doc, _ = read(data)
    except InputError as exc:
        assert str(exc)  # one clear line, no traceback
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc, Document)


def test_garbage_inside_a_content_stream() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(TWO_COLUMNS))
    page = writer.pages[0]
    page.replace_contents(_stream(b"BT /F1 12 Tf 72 720 Td (ok) Tj ET q 1 0 0 cm ((( [ << Tj ] >> BT ET"))
    out = io.BytesIO()
    writer.write(out)
    doc, _ = read(out.getvalue())
    assert isinstance(doc, Document)


def _stream(data: bytes) -> object:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


# ---------------------------------------------------------------- limits


def test_page_limit() -> None:
    with pytest.raises(LimitExceeded, match=r"2 pages, over the limit of 1 \(--max-pages\)"):
        read(TWO_COLUMNS, max_pages=1)


def test_stream_limit() -> None:
    with pytest.raises(LimitExceeded, match="--max-stream-size"):
        read(TWO_COLUMNS, max_stream_bytes=200)


def test_input_size_limit() -> None:
    with pytest.raises(LimitExceeded, match="--max-input-size"):
        read(TWO_COLUMNS, max_bytes=1000)


def test_operator_budget_cuts_a_page_with_a_warning() -> None:
    doc, report = read(TWO_COLUMNS, max_objects_per_page=20)
    assert isinstance(doc, Document)
    assert any(d.code == "pdf-page-damaged" for d in report.diagnostics)


# -------------------------------------------------------- no text layer


def test_scanned_pdf_without_text() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (240, 240, 240)).save(buf, format="PDF")
    doc, report = read(buf.getvalue())
    assert doc.blocks == ()
    (diag,) = [d for d in report.diagnostics if d.code == "pdf-no-text"]
    assert diag.severity == Severity.WARNING
    assert "no text layer" in diag.message and "OCR is not performed" in diag.message


# --------------------------------------------- hostile structure trees


def _with_structure(kids: object) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(TWO_COLUMNS))
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    root[NameObject("/K")] = kids(writer, root_ref) if callable(kids) else kids  # type: ignore[assignment]
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): NameObject("/true")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_cyclic_structure_tree() -> None:
    def kids(writer: PdfWriter, parent: object) -> object:
        el = DictionaryObject({NameObject("/S"): NameObject("/P")})
        ref = writer._add_object(el)
        el[NameObject("/K")] = ArrayObject([ref, NumberObject(0)])  # itself
        return ArrayObject([ref, ref])

    start = time.perf_counter()
    doc, report = read(_with_structure(kids))
    assert time.perf_counter() - start < 10
    # the tree covers no text: the layout is used, and the reader says so
    assert any(d.code == "pdf-tags-partial" for d in report.diagnostics)
    assert len(query(doc, Heading)) == 6


def test_very_deep_structure_tree() -> None:
    def kids(writer: PdfWriter, parent: object) -> object:
        ref = None
        for _ in range(5000):
            el = DictionaryObject({NameObject("/S"): NameObject("/Div")})
            if ref is not None:
                el[NameObject("/K")] = ref
            ref = writer._add_object(el)
        return ArrayObject([ref])

    doc, _ = read(_with_structure(kids))
    assert isinstance(doc, Document)


def test_reader_is_usable_after_a_failure() -> None:
    with pytest.raises(InputError):
        read(b"%PDF-1.7\n")
    doc, _ = read(TWO_COLUMNS)
    assert PdfReader(io.BytesIO(TWO_COLUMNS)).pages and doc.meta.title


def test_repaired_damage_is_reported_not_printed(capfd: pytest.CaptureFixture[str]) -> None:
    import re

    bad = re.sub(rb"startxref\n\d+", b"startxref\n99", TWO_COLUMNS)
    doc, report = read(bad)
    assert len(query(doc, Heading)) == 6
    (diag,) = [d for d in report.diagnostics if d.code == "pdf-repaired"]
    assert "startxref" in diag.message
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("name", ["tagged/brief.pdf", "untagged/two-columns.pdf"])
def test_random_damage_never_escapes_as_another_exception(name: str) -> None:
    import random

    from briefconvert.errors import BriefconvertError

    original = (FIXTURES / "pdf" / name).read_bytes()
    rng = random.Random(20240517)
    for _ in range(40):
        data = bytearray(original)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            doc, _ = read(bytes(data))
        except BriefconvertError:
            continue
        assert isinstance(doc, Document)
