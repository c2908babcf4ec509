"""Transforms: title and heading levels."""

from __future__ import annotations

from briefconvert.diagnostics import Report
from briefconvert.model import (
    Aside,
    BlockQuote,
    BulletList,
    Document,
    Heading,
    ListItem,
    Meta,
    Note,
    Paragraph,
    Text,
)
from briefconvert.transforms import apply
from briefconvert.transforms.headings import normalize_headings
from briefconvert.transforms.title import ensure_title


def H(level: int, text: str) -> Heading:
    return Heading(level, (Text(text),))


def levels(doc: Document) -> list[tuple[int, str]]:
    out = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append((b.level, b.content[0].text))  # type: ignore[union-attr]
        if isinstance(b, Aside):
            out += [(h.level, h.content[0].text) for h in b.blocks if isinstance(h, Heading)]  # type: ignore[union-attr]
    return out


def test_levels_start_at_two_and_never_skip() -> None:
    doc = Document(Meta(title="T"), (H(1, "a"), H(3, "b"), H(5, "c"), H(2, "d"), H(1, "e")))
    report = Report()
    out = normalize_headings(doc, report)
    assert levels(out) == [(2, "a"), (3, "b"), (4, "c"), (3, "d"), (2, "e")]
    assert {d.code for d in report.diagnostics} == {"heading-shift", "heading-order"}


def test_contiguous_levels_are_left_alone() -> None:
    doc = Document(Meta(title="T"), (H(2, "a"), H(3, "b"), H(4, "c"), H(2, "d")))
    report = Report()
    assert normalize_headings(doc, report) == doc
    assert report.diagnostics == []


def test_every_rendered_heading_counts_but_notes_do_not() -> None:
    in_list = BulletList((ListItem((H(2, "Feature"), Paragraph((Text("text"),)))),))
    note = Note((H(1, "in a note"),))
    doc = Document(
        Meta(title="T"),
        (Aside((H(3, "Summary"),), kind="summary"), in_list, H(4, "Notice"), BlockQuote((H(6, "quoted"),)),
         Paragraph((Text("x"), note))),
    )  # fmt: skip
    out = normalize_headings(doc, Report())
    assert levels(out) == [(2, "Summary"), (3, "Notice")]
    assert out.blocks[1] == in_list  # the h2 in the list item stays h2 and sets the level that follows
    assert out.blocks[3] == BlockQuote((H(4, "quoted"),))
    assert out.blocks[4] is doc.blocks[4]  # notes are left alone


def test_title_from_first_heading() -> None:
    report = Report()
    out = ensure_title(Document(Meta(), (H(1, "The title"), H(2, "a"))), report)
    assert out.meta.title == "The title" and levels(out) == [(2, "a")]
    assert report.diagnostics[0].code == "title-from-heading"


def test_title_repeated_in_body_is_dropped() -> None:
    out = ensure_title(Document(Meta(title="The  Title"), (H(1, "the title"), H(2, "a"))), Report())
    assert levels(out) == [(2, "a")]


def test_missing_title_is_reported_not_invented() -> None:
    report = Report()
    doc = Document(Meta(), (Paragraph((Text("x"),)),))
    assert ensure_title(doc, report) == doc
    assert report.diagnostics[0].code == "document-title"


def test_apply_runs_in_order() -> None:
    doc = Document(Meta(), (H(1, "Title"), H(3, "a"), H(5, "b")))
    out = apply(doc, Report())
    assert out.meta.title == "Title" and levels(out) == [(2, "a"), (3, "b")]


def test_a_skip_deep_in_the_document_is_found() -> None:
    doc = Document(Meta(title="T"), (H(2, "a"), H(3, "b"), H(2, "c"), H(4, "d")))
    assert levels(normalize_headings(doc, Report())) == [(2, "a"), (3, "b"), (2, "c"), (3, "d")]
    same = Document(Meta(title="T"), (H(2, "a"), H(3, "b"), H(2, "c")))
    assert normalize_headings(same, Report()) is same


def test_an_empty_document_says_so() -> None:
    from briefconvert.transforms.empty import notice_if_empty

    report = Report()
    report.error("pdf-no-text", "no text layer; OCR is not performed, so the output has no text")
    out = notice_if_empty(Document(Meta(title="Scan")), report)
    assert isinstance(out.blocks[0], Aside)
    text = out.blocks[0].blocks[0].content[0].text  # type: ignore[union-attr]
    assert text.startswith("briefconvert found no text to convert in this document: no text layer; OCR")
    doc = Document(Meta(title="T"), (Paragraph((Text("x"),)),))
    assert notice_if_empty(doc, Report()) is doc
