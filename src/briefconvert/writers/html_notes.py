"""Notes and internal links in the HTML body.

Each ``Note`` becomes ``<sup><a href="#fnN" id="fnrefN"
role="doc-noteref">N</a></sup>``, numbered 1..n in order of appearance.  The
notes are written at the ``Endnotes`` block (or at the end of the body when
there is none; an ``Endnotes`` block without notes leaves nothing) as
``<section role="doc-endnotes" aria-label="Notes">`` holding an ``<ol>`` with
one ``<li id="fnN">`` per note.  The ``li`` has no ``doc-endnote`` role:
DPUB-ARIA 1.1 deprecates it and axe reports it.  Each note ends in a
``doc-backlink`` that shows "↩ N": the number is text, so axe can verify its
contrast and that the visible label is part of its accessible name ("Back to
note N reference"); the stylesheet gives it a 24×24 px target.  A note that
is referenced inside another language (``lang``) keeps that language.

A note inside a note is flattened to text in parentheses; a reference inside
a link is moved just after the link (no link inside a link).

``#fragment`` links are resolved at the end, when every id is known: a link
to a source id points at the element that carried it (whatever id that
element got), and a link to nothing becomes text (``link-target``).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..model import Block, Note
from ..walk import plain_text
from .html_context import (
    BLOCK_TAGS,
    HtmlContext,
    PendingNote,
    append_text,
    lang_in_force,
    local_name,
    remove_keep_tail,
    unwrap,
)

BACKLINK_TEXT = "\u21a9\ufe0e"  # ↩ with the text presentation selector (no emoji)

Flow = Callable[[tuple[Block, ...], etree._Element, HtmlContext], None]


def note_ref(note: Note, parent: etree._Element, ctx: HtmlContext) -> None:
    """The reference to ``note``; its content is rendered by :func:`render_notes`."""
    if ctx.in_note:
        text = plain_text(note.blocks, notes=True)
        if text:
            append_text(parent, f" ({text})")
        return
    n = len(ctx.notes) + 1
    pending = PendingNote(
        n, note, ctx.ids.allocate(f"fnref{n}"), ctx.ids.allocate(f"fn{n}"), lang_in_force(parent)
    )
    ctx.notes.append(pending)
    sup = ctx.el("sup")
    a = ctx.sub(sup, "a", {"href": f"#{pending.note_id}", "id": pending.ref_id, "role": "doc-noteref"})
    ctx.set_epub_type(a, "noteref")
    a.text = str(n)
    if ctx.link_depth:
        ctx.deferred_refs.append(sup)
    else:
        parent.append(sup)


def render_notes(container: etree._Element, ctx: HtmlContext, flow: Flow) -> None:
    """Fill the endnotes section (``flow`` renders the note blocks)."""
    slot = ctx.endnotes_slot
    if not ctx.notes:
        if slot is not None:
            remove_keep_tail(slot)
        return
    if slot is None:
        slot = ctx.sub(container, "section")
    slot.set("class", "endnotes")
    slot.set("role", "doc-endnotes")
    slot.set("aria-label", ctx.labels.notes)
    ctx.set_epub_type(slot, "endnotes")
    ol = ctx.sub(slot, "ol")
    ctx.in_note = True
    for pending in ctx.notes:
        li = ctx.sub(ol, "li", {"id": pending.note_id})
        ctx.set_epub_type(li, "endnote")
        if pending.lang is not None and pending.lang != ctx.lang:
            ctx.set_lang(li, pending.lang, f"note {pending.number}")
        flow(pending.note.blocks, li, ctx)
        _backlink(li, pending, ctx)
    ctx.in_note = False


def _backlink(li: etree._Element, pending: PendingNote, ctx: HtmlContext) -> None:
    a = ctx.el(
        "a",
        {
            "href": f"#{pending.ref_id}",
            "class": "backlink",
            "role": "doc-backlink",
            "aria-label": ctx.labels.backlink.format(n=pending.number),
        },
    )
    ctx.set_epub_type(a, "backlink")
    if ctx.lang is not None and li.get("lang") not in (None, ctx.lang):
        ctx.set_lang(a, ctx.lang, "back link")  # its label is in the document's language
    a.text = f"{BACKLINK_TEXT}\u00a0{pending.number}"  # a digit: axe can check its contrast
    target = li
    if len(li) and local_name(li[-1]) == "p":
        target = li[-1]
    elif len(li) and local_name(li[-1]) in BLOCK_TAGS:
        target = ctx.sub(li, "p")
    if len(target) or (target.text or "").strip():
        append_text(target, " ")
    target.append(a)


def resolve_fragments(container: etree._Element, ctx: HtmlContext) -> None:
    """Point each ``#fragment`` link at its element, or make it text."""
    present = {e.get("id") for e in container.iter() if e.get("id") is not None}
    for a, fragment in ctx.fragment_links:
        target = ctx.ids.resolve(fragment)
        if target is not None and target in present:
            a.set("href", f"#{target}")
        else:
            ctx.report.warning(
                "link-target", f"link to #{fragment[:60]} names nothing in the document; written as text"
            )
            unwrap(a)
