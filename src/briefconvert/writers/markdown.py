"""Markdown writer (format ``md``): CommonMark plus GFM pipe tables and
footnotes (``[^1]``), never raw HTML.

Choices (deterministic: the same model gives the same bytes):

* Title block in plain Markdown, no front matter: ``# Title``, then the
  subtitle, the authors (comma separated) and the date as paragraphs.  Body
  headings are ATX headings at their own level.
* Text is escaped so that it stays text: ``\\ ` * [ ] < ~ |`` always, ``_``
  unless inside a word, ``&`` when it would start an entity, ``!`` before a
  link, and ``# > + - =`` or ``1.``/``1)`` at the start of a line.
* Emphasis ``*x*``, strong ``**x**`` (no delimiters for emphasis nested in
  emphasis); inline code with a backtick fence longer than any run inside.
  Subscripts are plain text (``CO2``), superscripts get a caret (``10^3``,
  ``x^(n+1)``): CommonMark has neither.  Line breaks are backslash breaks.
* Lists: bullets ``-``, ``*``, ``+`` by nesting depth, never the bullet of
  the enclosing item (``- - -`` would read as a thematic break), and ``1.``
  numbers honouring the start; a list right after another one takes another
  bullet or ``1)``, so they stay two lists;
  letter and roman styles are written as numbers (an info diagnostic says
  so).  Nested content is indented to the item's content column.
* Definition lists become bullet lists: ``**term**: definition``.
* Block quotes ``> ``, the attribution as their last paragraph.  Asides
  (summaries, boxes) sit between two thematic breaks, written ``___`` (no
  bullet uses ``_``).  Code blocks are fenced
  with the language as info string.
* Images ``![alt](images/<key>)`` with the image returned as an attachment
  (``options.assets_dir``, default ``images``); decorative images ``![](images/<key>)``; an image without
  a file becomes its alt text in escaped brackets (``\\[Image: alt\\]``), never
  a remote URL.  An image whose alt is unknown (``None``) can only be written
  with an empty alt: a warning says so.
* Links ``[text](url "title")``; unsafe schemes (``javascript:``, ``data:``)
  keep only the text.  Internal links (``#id``) go to the anchor a GFM
  renderer makes from the target's heading, or from the heading of the
  section the target is in (``markdown_anchors.py``).  Notes met inside link text are placed after the link.
* Notes: ``[^n]`` at the reference and ``[^n]: ...`` definitions (later
  blocks indented by 4 spaces) where the Endnotes block stands, else at the
  end.
* Tables: GFM pipe tables when there is one header row and every cell is
  one paragraph (or empty) without spans; otherwise a list with one item per
  row (header rows included), each cell a sub-item, labelled ``header: value``
  in the other rows.

Known limit: CommonMark's flanking rules make ``*`` emphasis fail when it
starts or ends with punctuation directly against a letter outside it
(``a*(b)*c``); the asterisks then show literally.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import assert_never

from ..diagnostics import Report
from ..model import (
    Aside,
    BlockQuote,
    BulletList,
    Cell,
    Code,
    CodeBlock,
    DefinitionList,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from ..model import Block as BlockT
from ..model import Inline as InlineT
from ..options import MarkdownWriterOptions
from ..output import Attachment, Output, assets_folder
from .markdown_anchors import anchors
from .mdsyntax import (
    BREAK,
    code_span,
    delimit,
    destination,
    escape,
    last_marker,
    line_start,
    list_items,
    one_line_md,
    para_lines,
    prefixable,
    title_attr,
)
from .mdtable import gfm_shape, pipe_table, table_as_list
from .notes import NoteNumbering, flatten, plan_notes
from .text import clean, one_line, safe_url

__all__ = ["ASSETS_DIR", "escape", "write_md"]

ASSETS_DIR = MarkdownWriterOptions().assets_dir  # the default folder for image attachments
MAX_DEPTH = 48  # containers rendered structurally; deeper content is flattened to one paragraph
MAX_NUMBER = 999_999_999  # CommonMark list numbers have at most 9 digits
BULLETS = ("-", "*", "+")
BREAK_LINE = "___"  # thematic break: no bullet uses "_", so "- ___" cannot become "- - -"

_ENDS_WITH_REF = re.compile(r"\[\^\d+\]$")
_AFTER_REF = re.compile(r"(\[\^\d+\])\(")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


@dataclass(slots=True)
class _Ctx:
    doc: Document
    report: Report
    notes: NoteNumbering
    depth: int = 0
    in_emph: bool = False
    in_strong: bool = False
    in_link: bool = False
    in_table: bool = False
    bullets: int = 0  # nesting of list items, for the bullet character
    parent: str | None = None  # the bullet of the list item being rendered
    pending: list[str] = field(default_factory=list)  # note refs met inside link text
    attachments: dict[str, bytes] = field(default_factory=dict)
    assets_dir: str = ASSETS_DIR
    said: set[str] = field(default_factory=set)  # diagnostics given once per document
    anchors: dict[str, str] = field(default_factory=dict)  # model id -> GFM heading anchor
    sectioned: set[str] = field(default_factory=set)  # ids not on a heading: their section's anchor
    led_to_section: int = 0  # links written to a section's anchor instead of their target's

    def once(self, code: str, message: str) -> None:
        if code not in self.said:
            self.said.add(code)
            self.report.info(code, message)


def write_md(doc: Document, *, options: MarkdownWriterOptions, report: Report) -> Output:
    ctx = _Ctx(
        doc, report, NoteNumbering(plan_notes(doc)), assets_dir=assets_folder(options.assets_dir, report)
    )
    ctx.anchors, ctx.sectioned = anchors(doc)
    parts = [_title_block(doc.meta), _blocks(doc.blocks, ctx)]
    if ctx.notes.plan.notes and not ctx.notes.rendered:
        parts.append(_definitions(ctx))
    if ctx.led_to_section:
        report.info(
            "md-anchor",
            f"{ctx.led_to_section} internal link(s) point to an element Markdown cannot anchor "
            "(no raw HTML): they lead to the heading of its section",
        )
    lines: list[str] = []
    for part in parts:
        if part:
            if lines:
                lines.append("")
            lines.extend(part)
    text = "\n".join(lines).strip("\n") + "\n"
    text = unicodedata.normalize("NFC", clean(text))
    attachments = tuple(Attachment(path, data) for path, data in ctx.attachments.items())
    return Output(text.encode("utf-8"), attachments)


# ------------------------------------------------------------------- inlines


def _inlines(nodes: tuple[InlineT, ...], ctx: _Ctx) -> str:
    if ctx.depth >= MAX_DEPTH:
        _warn_flattened(ctx)
        text = flatten(nodes, text=escape, note=lambda n: _note_ref(n, ctx))
        return _AFTER_REF.sub(r"\1\\(", text)  # flat text has no code spans: safe
    ctx.depth += 1
    try:
        parts: list[str] = []
        for node in _sequence(nodes):
            part = _inline(node, ctx)
            if part.startswith("(") and parts and _ENDS_WITH_REF.search(parts[-1]):
                part = "\\" + part  # "[^1](" would start a link
            if part:
                parts.append(part)
        return "".join(parts)
    finally:
        ctx.depth -= 1


def _sequence(nodes: tuple[InlineT, ...]) -> list[InlineT]:
    """``nodes`` with spans and subscripts (which leave no mark in Markdown)
    opened up and adjacent code merged: two code spans side by side would
    fuse their backtick fences into one run."""
    out: list[InlineT] = []
    stack: list[InlineT] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, (Span, Sub)):
            stack.extend(reversed(node.content))
        elif isinstance(node, Code) and out and isinstance(out[-1], Code):
            out[-1] = Code(out[-1].text + node.text)
        else:
            out.append(node)
    return out


def _note_ref(note: Note, ctx: _Ctx) -> str:
    ref = f"[^{ctx.notes.ref(note)}]"
    if ctx.in_link:
        ctx.pending.append(ref)
        return ""
    return ref


def _inline(node: InlineT, ctx: _Ctx) -> str:
    match node:
        case Text(text=t):
            return escape(one_line(t))
        case Emph(content=c):
            if ctx.in_emph:
                return _inlines(c, ctx)
            ctx.in_emph = True
            try:
                return delimit(_inlines(c, ctx), "*")
            finally:
                ctx.in_emph = False
        case Strong(content=c):
            if ctx.in_strong:
                return _inlines(c, ctx)
            ctx.in_strong = True
            try:
                return delimit(_inlines(c, ctx), "**")
            finally:
                ctx.in_strong = False
        case Sub(content=c) | Span(content=c):
            return _inlines(c, ctx)
        case Sup(content=c):
            sup = _inlines(c, ctx).strip()
            if not sup:
                return ""
            return f"^{sup}" if sup.isalnum() else f"^({sup})"
        case Code(text=t):
            return code_span(clean(t), ctx.in_table)
        case Link():
            return _link(node, ctx)
        case Image():
            return _image(node, ctx)
        case Note():
            return _note_ref(node, ctx)
        case PageBreak():
            return ""  # Markdown has no page markers
        case LineBreak():
            return " " if ctx.in_table else BREAK
        case _:
            assert_never(node)


def _link(node: Link, ctx: _Ctx) -> str:
    if ctx.in_link:  # links cannot nest in Markdown
        return _inlines(node.content, ctx)
    ctx.in_link = True
    try:
        text = _inlines(node.content, ctx)
    finally:
        ctx.in_link = False
    refs = "".join(ctx.pending)
    ctx.pending.clear()
    target = safe_url(node.url)
    if target is None:
        ctx.report.warning("link-unsafe", f"link target left out: {node.url[:60]!r}")
        return text + refs
    if not text.strip():
        text = escape(target)
    if target.startswith("#") and target[1:] in ctx.anchors:  # to the anchor GFM makes (markdown_anchors)
        ctx.led_to_section += target[1:] in ctx.sectioned
        target = "#" + ctx.anchors[target[1:]]
    dest = destination(target, ctx.in_table)
    return f"[{text}]({dest}{title_attr(node.title, ctx.in_table)}){refs}"


def _image(node: Image, ctx: _Ctx) -> str:
    key = node.resource
    resource = ctx.doc.resources.get(key) if key is not None else None
    alt = None if node.alt is None else one_line(node.alt).strip()
    if key is None or resource is None or not _KEY.fullmatch(key):
        if key is not None:
            ctx.report.warning(
                "resource-missing", f"image {key[:40]!r} is not among the document's resources"
            )
        if alt is None:
            return "\\[Image without description\\]"
        if alt:
            ctx.once("image-not-embedded", "images without a file are written as their text alternative")
            return f"\\[Image: {escape(alt)}\\]"
        return ""
    if alt is None:
        ctx.report.warning("image-alt", f"image {key} has no text alternative; written with an empty one")
    path = f"{ctx.assets_dir}/{key}"
    ctx.attachments.setdefault(path, resource.data)
    return f"![{escape(alt or '')}]({destination(path, ctx.in_table)}{title_attr(node.title, ctx.in_table)})"


def _warn_flattened(ctx: _Ctx) -> None:
    if "nesting-too-deep" not in ctx.said:
        ctx.said.add("nesting-too-deep")
        ctx.report.warning(
            "nesting-too-deep", f"content nested more than {MAX_DEPTH} levels deep is written as plain text"
        )


# -------------------------------------------------------------------- blocks


def _blocks(blocks: tuple[BlockT, ...], ctx: _Ctx, *, avoid: str | None = None) -> list[str]:
    """Blocks separated by blank lines.  ``avoid`` is the list marker of a list
    that ends right before (a list directly after another list of the same
    marker character would merge with it)."""
    lines: list[str] = []
    for block in blocks:
        rendered = _block(block, ctx, avoid=last_marker(lines) if lines else avoid)
        if not rendered:
            continue
        if lines:
            lines.append("")
        lines.extend(rendered)
    return lines


def _bullet(ctx: _Ctx, avoid: str | None) -> str:
    """The bullet for a list: ``-``, ``*``, ``+`` by depth, but never the
    bullet of the item it sits in (``- - -`` would read as a thematic break)
    nor ``avoid`` (the marker of a list right before, which would merge)."""
    for shift in range(len(BULLETS)):
        bullet = BULLETS[(ctx.bullets + shift) % len(BULLETS)]
        if bullet not in (avoid, ctx.parent):
            return bullet
    raise AssertionError("three bullets, two exclusions")


@contextmanager
def _inside(ctx: _Ctx, marker: str | None) -> Iterator[None]:
    """While rendering the content of a list item with bullet ``marker``
    (None for a number)."""
    saved = ctx.parent
    ctx.bullets += 1
    ctx.parent = marker
    try:
        yield
    finally:
        ctx.bullets -= 1
        ctx.parent = saved


def _block(node: BlockT, ctx: _Ctx, *, avoid: str | None = None) -> list[str]:
    if ctx.depth >= MAX_DEPTH:
        _warn_flattened(ctx)
        text = _AFTER_REF.sub(r"\1\\(", flatten((node,), text=escape, note=lambda n: _note_ref(n, ctx)))
        return [line_start(text)] if text else []
    ctx.depth += 1
    try:
        return _block_body(node, ctx, avoid)
    finally:
        ctx.depth -= 1


def _block_body(node: BlockT, ctx: _Ctx, avoid: str | None) -> list[str]:
    match node:
        case Paragraph(content=c):
            return para_lines(_inlines(c, ctx))
        case Heading(level=level, content=c):
            text = one_line_md(_inlines(c, ctx))
            if text.endswith("#"):
                text = text[:-1] + "\\#"
            return [("#" * min(max(level, 1), 6) + " " + text).rstrip()]
        case BulletList(items=items):
            bullet = _bullet(ctx, avoid)
            return _list([bullet] * len(items), items, ctx, bullet=bullet)
        case OrderedList(items=items, start=start, style=style):
            if style != "1":
                ctx.once("list-style", "letter and roman list numbering is written as numbers")
            if start < 0 or start + len(items) - 1 > MAX_NUMBER:
                ctx.report.warning("list-start", f"list start {start} cannot be written in Markdown; using 1")
                start = 1
            delim = ")" if avoid == "." else "."
            return _list([f"{start + i}{delim}" for i in range(len(items))], items, ctx, bullet=None)
        case DefinitionList(items=items):
            entries: list[tuple[str, list[str]]] = []
            bullet = _bullet(ctx, avoid)
            for item in items:
                term = one_line_md(_inlines(item.term, ctx))
                body: list[str] = []
                with _inside(ctx, bullet):
                    for definition in item.definitions:
                        rendered = _blocks(definition, ctx)
                        if body and rendered:
                            body.append("")
                        body.extend(rendered)
                label = delimit(term, "**") if term.strip() else ""
                if label and body and prefixable(body[0]):
                    body[0] = f"{label}: {body[0]}"
                elif label:
                    body = [label, *([""] if body else []), *body]
                entries.append((bullet, body))
            return list_items(entries)
        case BlockQuote(blocks=blocks, attribution=attribution):
            inner = _blocks(blocks, ctx)
            if attribution:
                credit = para_lines(_inlines(attribution, ctx))
                inner.extend(["", *credit] if inner and credit else credit)
            return ["> " + line if line else ">" for line in inner]
        case Figure(blocks=blocks, caption=caption):
            lines = _blocks(blocks, ctx, avoid=avoid)
            if caption:
                credit = para_lines(_inlines(caption, ctx))
                lines.extend(["", *credit] if lines and credit else credit)
            return lines
        case Table():
            return _table(node, ctx, avoid)
        case Aside(blocks=blocks):
            inner = _blocks(blocks, ctx)
            return [BREAK_LINE, "", *inner, "", BREAK_LINE] if inner else []
        case CodeBlock(text=t, language=language):
            code = clean(t).rstrip("\n")
            runs = [len(run) for run in re.findall("`+", code)]
            fence = "`" * max(3, max(runs, default=0) + 1)
            info = re.sub(r"[^A-Za-z0-9_+.#-]", "", language or "")
            return [fence + info, *(code.split("\n") if code else []), fence]
        case ThematicBreak():
            return [BREAK_LINE]
        case Div(blocks=blocks):
            return _blocks(blocks, ctx, avoid=avoid)
        case Endnotes():
            if ctx.notes.is_marker(node) and ctx.notes.plan.notes:
                return _definitions(ctx)
            return []
        case _:
            assert_never(node)


def _can_interrupt(block: BlockT) -> bool:
    """A list that may directly follow a paragraph line (no blank line)."""
    match block:
        case BulletList(items=items):
            first = items[0].blocks if items else ()
        case OrderedList(items=items, start=1):
            first = items[0].blocks if items else ()
        case _:
            return False
    return bool(first) and isinstance(first[0], Paragraph) and bool(first[0].content)


def _tight(item: ListItem) -> bool:
    blocks = item.blocks
    if not blocks:
        return True
    return isinstance(blocks[0], Paragraph) and all(_can_interrupt(b) for b in blocks[1:])


def _list(markers: list[str], items: tuple[ListItem, ...], ctx: _Ctx, *, bullet: str | None) -> list[str]:
    tight = all(_tight(item) for item in items)
    entries: list[tuple[str, list[str]]] = []
    with _inside(ctx, bullet):
        for marker, item in zip(markers, items, strict=True):
            body: list[str] = []
            for block in item.blocks:
                rendered = _block(block, ctx, avoid=last_marker(body) if body else None)
                if not rendered:
                    continue
                if body and not (tight and _can_interrupt(block)):
                    body.append("")
                body.extend(rendered)
            entries.append((marker, body))
    return list_items(entries, tight=tight)


def _definitions(ctx: _Ctx) -> list[str]:
    lines: list[str] = []
    for number, note in ctx.notes.contents():
        body = _blocks(note.blocks, ctx)
        if lines:
            lines.append("")
        label = f"[^{number}]:"
        if not body:
            lines.append(label)
            continue
        lines.append(f"{label} {body[0]}")
        lines.extend("    " + line if line else "" for line in body[1:])
    return lines


# -------------------------------------------------------------------- tables


def _cell_inline(cell: Cell, ctx: _Ctx) -> str:
    if not cell.blocks or not isinstance(cell.blocks[0], Paragraph):
        return ""
    ctx.in_table = True
    try:
        return one_line_md(_inlines(cell.blocks[0].content, ctx))
    finally:
        ctx.in_table = False


def _table(table: Table, ctx: _Ctx, avoid: str | None) -> list[str]:
    caption = para_lines(_inlines(table.caption, ctx)) if table.caption else []
    if gfm_shape(table) is not None:
        return pipe_table(table, caption, lambda cell: _cell_inline(cell, ctx))
    ctx.once("table-as-list", "tables with spans or block content are written as lists, one item per row")
    bullet = _bullet(ctx, None if caption else avoid)  # one item per row
    with _inside(ctx, bullet):
        cell_bullet = _bullet(ctx, None)  # a sub-item per cell

    def blocks_of(cell: Cell) -> list[str]:
        with _inside(ctx, bullet), _inside(ctx, cell_bullet):
            return _blocks(cell.blocks, ctx)

    return table_as_list(table, caption, blocks_of, bullets=(bullet, cell_bullet))


def _title_block(meta: Meta) -> list[str]:
    lines: list[str] = []
    for kind, value in (
        ("title", meta.title),
        ("subtitle", meta.subtitle),
        ("authors", ", ".join(meta.authors)),
        ("date", meta.date),
    ):
        text = escape(one_line(value or "").strip())
        if not text:
            continue
        if lines:
            lines.append("")
        if kind == "title":
            lines.append("# " + (text[:-1] + "\\#" if text.endswith("#") else text))
        else:
            lines.append(line_start(text))
    return lines
