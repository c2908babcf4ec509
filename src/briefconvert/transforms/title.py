"""Make sure the document has a title and that the body does not repeat it."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Report
from ..model import Block, Document, Heading
from ..walk import plain_text


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def ensure_title(doc: Document, report: Report) -> Document:
    """Take the title from a leading heading when the metadata has none, and
    drop a leading heading that only repeats the title."""
    blocks: tuple[Block, ...] = doc.blocks
    first = blocks[0] if blocks else None
    if doc.meta.title is None:
        if isinstance(first, Heading) and first.level == min(
            (b.level for b in blocks if isinstance(b, Heading)), default=first.level
        ):
            text = plain_text(first.content)
            if text:
                report.info("title-from-heading", f"document title taken from its first heading: {text!r}")
                return replace(doc, meta=replace(doc.meta, title=text), blocks=blocks[1:])
        report.warning("document-title", "the document has no title")
        return doc
    if isinstance(first, Heading) and _same(plain_text(first.content), doc.meta.title):
        return replace(doc, blocks=blocks[1:])
    return doc
