"""Transforms: Document -> Document steps run between reading and writing.

Readers keep the document as they found it (faults included, so that the
accessibility rules can see them); transforms repair what writers need.
Each transform is a plain function ``(doc, report) -> doc``; DEFAULT is the
ordered list that :func:`briefconvert.pipeline.convert` applies.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Report
from ..model import Document
from .empty import notice_if_empty
from .headings import normalize_headings
from .title import ensure_title

Transform = Callable[[Document, Report], Document]

DEFAULT: tuple[Transform, ...] = (ensure_title, normalize_headings, notice_if_empty)


def apply(doc: Document, report: Report, transforms: tuple[Transform, ...] = DEFAULT) -> Document:
    for transform in transforms:
        doc = transform(doc, report)
    return doc
