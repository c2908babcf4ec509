"""A document with no content at all gets a visible notice, so that an output
never looks like an empty success (a scanned PDF without a text layer, a page
whose content could not be found).  The notice is briefconvert's own words,
marked as such; the diagnostics say the same on stderr."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Report, Severity
from ..model import Aside, Attr, Document, Paragraph, Text


def notice_if_empty(doc: Document, report: Report) -> Document:
    if doc.blocks:
        return doc
    reasons = [d.message for d in report.diagnostics if d.severity >= Severity.WARNING]
    text = "briefconvert found no text to convert in this document"
    text += f": {reasons[0]}." if reasons else "."
    report.warning("document-empty", "the document has no content; the output carries a notice saying so")
    notice = Aside((Paragraph((Text(text),)),), kind="box", attr=Attr(classes=("briefconvert-notice",)))
    return replace(doc, blocks=(notice,))
