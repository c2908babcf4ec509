"""Per-call state of one HTML read, passed explicitly (no global state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...diagnostics import Report
from ...model import Block, Resource, SourceRef
from ...options import HtmlReaderOptions
from .dom import Element


@dataclass(slots=True)
class NoteTarget:
    """A note's content element (an ``li``, ``aside``, ``div``...); ``inline``
    when the element itself sits in the text (``span.footnote``)."""

    body: Element
    inline: bool = False
    blocks: tuple[Block, ...] | None = None  # converted once, on first use


@dataclass(slots=True)
class Notes:
    refs: dict[Element, NoteTarget | None] = field(default_factory=dict)  # None: unresolved
    containers: list[Element] = field(default_factory=list)  # notes sections, removed from the flow
    bodies: dict[Element, NoteTarget] = field(default_factory=dict)
    used: set[Element] = field(default_factory=set)  # bodies referenced at least once
    live: set[Element] = field(default_factory=set)  # bodies with a reference in the content
    in_progress: set[Element] = field(default_factory=set)
    endnotes_placed: bool = False


@dataclass(slots=True)
class Context:
    options: HtmlReaderOptions
    report: Report
    base: Path | None
    # A container's own files (EPUB): image reference -> bytes, None when absent.
    # When set, it replaces ``base`` for images; nothing is read from the file system.
    fetch: Callable[[str], bytes | None] | None = None
    base_url: str | None = None  # absolute http(s) URL relative links resolve against
    lang: str | None = None  # the document language (Meta.lang)
    resources: dict[str, Resource] = field(default_factory=dict)
    loaded: dict[str, str | None] = field(default_factory=dict)  # image reference -> resource key
    notes: Notes = field(default_factory=Notes)
    id_owner: dict[Element, str] = field(default_factory=dict)  # element -> id it carries in the model
    id_alias: dict[str, str] = field(default_factory=dict)  # source id -> model id
    summary_boxes: set[Element] = field(default_factory=set)
    too_deep: bool = False
    file_ids: set[str] = field(default_factory=set)  # keep_faults: every id/name in the page

    @property
    def keep(self) -> bool:
        """Whether faults are kept as found (HtmlReaderOptions.keep_faults)."""
        return self.options.keep_faults

    @staticmethod
    def where(el: Element) -> str | None:
        line = el.sourceline
        return f"line {line}" if line else None

    @staticmethod
    def src(el: Element) -> SourceRef | None:
        line = el.sourceline
        return SourceRef(line=line) if line else None
