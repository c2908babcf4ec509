"""Numbering of notes, shared by the writers that render notes as endnotes.

A :class:`~briefconvert.model.Note` holds its content at the point of
reference.  Writers show a number there and render the content where the
document's :class:`~briefconvert.model.Endnotes` block stands (or at the end).

Numbering order is *reading order*: first the references in the main flow,
in document order (the order of :func:`briefconvert.walk.children`, so a table
caption comes before its cells and a term before its definitions); then the
references found inside note content, breadth first (notes referenced from
note 1, then from note 2, ...).  That is exactly the order in which a writer
meets the references when it renders the main flow once, in document order,
and the note contents once each, in number order, wherever it puts them.

Usage in a writer (one :class:`NoteNumbering` per call, no global state)::

    numbering = NoteNumbering(plan_notes(doc))
    ... numbering.ref(note) -> 1, 2, 3 ... while rendering the flow
    for number, note in numbering.contents():   # at the Endnotes block
        ... render note.blocks (nested refs get their numbers here)

The numbering checks that the writer meets the notes in the planned order
(by identity), so a writer that renders something twice or skips a subtree
fails loudly in tests instead of printing wrong numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..model import INLINE_TYPES, Code, CodeBlock, Document, Endnotes, Heading, Image, LineBreak, Note, Text
from ..record import Record
from ..walk import children

__all__ = ["NoteNumbering", "NotePlan", "flatten", "plan_notes", "refs_in"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NotePlan(Record):
    """Where the notes of a document are and where they go."""

    notes: tuple[Note, ...]  # note number n is notes[n - 1]
    main_count: int  # notes[:main_count] are referenced from the main flow
    endnotes: Endnotes | None  # the Endnotes block that receives them (by identity); None: at the end
    labelled: bool  # the writer should put a "Notes" label above them


def refs_in(nodes: Iterable[object]) -> list[Note]:
    """The notes referenced in ``nodes``, in document order, without descending
    into note content.  Iterative."""
    found: list[Note] = []
    stack: list[object] = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        if isinstance(node, Note):
            found.append(node)
            continue
        stack.extend(reversed(children(node)))
    return found


def _endnotes_marker(doc: Document) -> tuple[Endnotes | None, bool]:
    """The first Endnotes block of the main flow (document order) and whether
    a Heading stands right before it in the same sequence of blocks."""
    stack: list[tuple[object, object]] = [(doc, None)]
    while stack:
        node, previous = stack.pop()
        if isinstance(node, Endnotes):
            return node, isinstance(previous, Heading)
        if isinstance(node, Note):
            continue
        kids = children(node)
        stack.extend(reversed([(kid, kids[i - 1] if i else None) for i, kid in enumerate(kids)]))
    return None, False


def plan_notes(doc: Document) -> NotePlan:
    """Number the notes of ``doc`` (see the module docstring for the order)."""
    main = refs_in(doc.blocks)
    notes = list(main)
    index = 0
    while index < len(notes):  # breadth first over note content
        notes.extend(refs_in(notes[index].blocks))
        index += 1
    marker, after_heading = _endnotes_marker(doc)
    return NotePlan(tuple(notes), len(main), marker, labelled=not after_heading)


class NoteNumbering:
    """Per-call cursor over a :class:`NotePlan`."""

    __slots__ = ("_in_notes", "_main", "_nested", "_plan", "rendered")

    def __init__(self, plan: NotePlan) -> None:
        self._plan = plan
        self._main = 0
        self._nested = plan.main_count
        self._in_notes = False
        self.rendered = False  # set once contents() has run

    @property
    def plan(self) -> NotePlan:
        return self._plan

    def ref(self, note: Note) -> int:
        """The number of ``note``, met at this point of the rendering."""
        notes = self._plan.notes
        if self._in_notes:
            index = self._nested
            self._nested += 1
        else:
            index = self._main
            self._main += 1
        if index >= len(notes) or notes[index] is not note:
            raise RuntimeError("writer met the notes out of the planned order (a writer bug)")
        return index + 1

    def is_marker(self, block: Endnotes) -> bool:
        """True for the Endnotes block that receives the notes (only once)."""
        return not self.rendered and not self._in_notes and block is self._plan.endnotes

    def contents(self) -> Iterator[tuple[int, Note]]:
        """Every note with its number, in order; references met while the
        caller renders these contents are numbered as nested notes."""
        self.rendered = True
        self._in_notes = True
        try:
            yield from enumerate(self._plan.notes, start=1)
        finally:
            self._in_notes = False


def flatten(nodes: Iterable[object], *, text: Callable[[str], str], note: Callable[[Note], str]) -> str:
    """Everything below ``nodes`` as one line of text, iteratively: ``text``
    maps each piece of text (escaping it for the output format), ``note``
    gives the marker of each note reference (so the numbering stays in step).
    Writers use it for content nested deeper than they render structurally."""
    parts: list[str] = []
    stack: list[object] = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        match node:
            case Note():
                parts.append(note(node))
            case Text(text=t) | Code(text=t) | CodeBlock(text=t):
                parts.append(text(" ".join(t.split())))
            case Image(alt=alt):
                if alt:
                    parts.append(text(alt))
            case LineBreak():
                parts.append(" ")
            case str():
                parts.append(node)
            case _ if isinstance(node, INLINE_TYPES):
                stack.extend(reversed(children(node)))
            case _:  # a block or a part of one: keep words apart
                parts.append(" ")
                stack.append(" ")
                stack.extend(reversed(children(node)))
    return " ".join("".join(parts).split())
