"""Plain-text writer (format ``txt``): UTF-8, LF, NFC, no control characters.

Layout scheme (meant to read well on screen, in a pager and to a screen
reader, with every level of structure still visible):

* Title block first: the title over- and underlined with ``=``, the subtitle
  below it, then authors (comma separated) and date on lines of their own.
* Headings: level 1 underlined with ``=``, level 2 underlined with ``-``
  (the title alone is also *over*lined, so it stays apart from level 1);
  levels 3 to 6 are prefixed with as many ``#`` as their level
  (``### Three steps``), the convention readers know from e-mail and Markdown.
* Paragraphs are wrapped at ``options.width`` (0: one line per paragraph;
  widths under 20 count as 20)
  with :mod:`textwrap`, never inside a word or a URL; a line break in the
  model stays a line break.  Emphasis, strong, spans and language changes
  leave no marks; subscripts are plain (``CO2``), superscripts get a caret
  (``10^3``, ``x^(n+1)``).
* Lists: ``*`` bullets (``-`` and ``+`` for nested levels), numbers that
  honour the start and the ``a``/``A``/``i``/``I`` styles, with hanging
  indentation; nested lists are indented under their item.
* Definition lists: the term, then each definition indented by 4 spaces.
* Block quotes: every line prefixed with ``> ``; the attribution is the last
  line of the quote.  Code blocks: indented by 4 spaces, verbatim (tabs
  expanded).  Asides (summaries, boxes): framed in a ``+---+`` box.
* Tables: the caption, then aligned columns between ``|`` with a ``---``
  rule under the header rows, between bodies and above the footer; cells
  spanning columns span them here too.  A table too wide for the width wraps
  its cells; if even the longest words do not fit, each row becomes a record
  of ``header: value`` lines.
* Links: ``text <url>`` (just ``<url>`` when the text is the URL; in-document
  ``#`` links just their text; links with unsafe schemes just their text).
  Images: ``[Image: alt]``; decorative images (alt ``""``) are left out; an
  image without a text alternative (alt ``None``) is ``[Image without
  description]``.  A figure's caption follows it on the next line.
* Notes: ``[1]`` at the reference; the notes as ``[1] text`` with hanging
  indentation where the Endnotes block stands, or at the end.  A ``Notes``
  label (underlined like a level-2 heading) is added only when no heading
  stands right before the Endnotes block (or there is none).
* Thematic break: a centred ``* * *``.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import assert_never
from urllib.parse import quote

from ..diagnostics import Report
from ..model import (
    Aside,
    BlockQuote,
    BulletList,
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
    NumberStyle,
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
from ..options import TextWriterOptions
from ..output import Output
from .notes import NoteNumbering, flatten, plan_notes
from .texttable import render_table

__all__ = ["display_width", "write_txt"]

MAX_DEPTH = 48  # containers rendered structurally; deeper content is flattened to one paragraph
MIN_WIDTH = 20  # nested content never gets narrower than this
BULLETS = ("*", "-", "+")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})

_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WS = re.compile("[ \t\n\x0b\x0c\r\x85\u2028\u2029]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(slots=True)
class _Ctx:
    report: Report
    notes: NoteNumbering
    depth: int = 0
    lists: int = 0  # bullet-list nesting, for the bullet character
    flattened: bool = False


def write_txt(doc: Document, *, options: TextWriterOptions, report: Report) -> Output:
    width = 0 if options.width <= 0 else max(options.width, MIN_WIDTH)
    ctx = _Ctx(report, NoteNumbering(plan_notes(doc)))
    parts = [_title_block(doc.meta, width), _blocks(doc.blocks, width, ctx)]
    if ctx.notes.plan.notes and not ctx.notes.rendered:
        parts.append(_notes_section(width, ctx, labelled=True))
    lines: list[str] = []
    for part in parts:
        if part:
            if lines:
                lines.append("")
            lines.extend(part)
    text = "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"
    text = unicodedata.normalize("NFC", _BAD.sub("", text.replace("\t", " ")))
    return Output(text.encode("utf-8"))


# ---------------------------------------------------------------- text utils


def clean(text: str) -> str:
    """Model text without control characters; whitespace runs kept as they are."""
    return _BAD.sub("", text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """Whitespace runs (not no-break spaces) collapsed to single spaces."""
    return _WS.sub(" ", clean(text))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced terminal (wide East Asian
    characters count 2, combining and format characters 0)."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def wrap(text: str, width: int, *, indent: str = "") -> list[str]:
    """``text`` (``\\n`` = forced line break) wrapped at ``width`` (0: not at
    all), continuation lines prefixed with ``indent``; words and URLs are
    never split."""
    lines: list[str] = []
    for segment in text.split("\n"):
        segment = re.sub(" {2,}", " ", segment).strip(" ")
        if width and segment:
            lines.extend(
                textwrap.wrap(
                    segment,
                    width,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        else:
            lines.append(segment)
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _inner(width: int, indent: int) -> int:
    return 0 if width == 0 else max(width - indent, MIN_WIDTH)


def _hang(marker: str, pad: int, lines: list[str]) -> list[str]:
    """``lines`` indented by ``pad``, the first one carrying ``marker``."""
    if not lines:
        return [marker]
    out = [marker.ljust(pad) + lines[0]]
    out.extend(" " * pad + line if line else "" for line in lines[1:])
    return out


def safe_url(url: str) -> str | None:
    """The URL with whitespace percent-encoded, or None for unsafe schemes
    (``javascript:``, ``data:``, ...)."""
    url = _BAD.sub("", url).strip()
    match = _SCHEME.match(re.sub(r"\s", "", url))
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return None
    return re.sub(r"\s", lambda m: quote(m.group()), url) if url else None


# ------------------------------------------------------------------- inlines


def _inlines(nodes: tuple[InlineT, ...], ctx: _Ctx) -> str:
    if ctx.depth >= MAX_DEPTH:
        _warn_flattened(ctx)
        return flatten(nodes, text=one_line, note=lambda n: f"[{ctx.notes.ref(n)}]")
    ctx.depth += 1
    try:
        return "".join(_inline(node, ctx) for node in nodes)
    finally:
        ctx.depth -= 1


def _inline(node: InlineT, ctx: _Ctx) -> str:
    match node:
        case Text(text=t):
            return one_line(t)
        case Emph(content=c) | Strong(content=c) | Span(content=c) | Sub(content=c):
            return _inlines(c, ctx)
        case Sup(content=c):
            sup = _inlines(c, ctx).strip()
            if not sup:
                return ""
            return f"^{sup}" if sup.isalnum() else f"^({sup})"
        case Code(text=t):
            return one_line(t)
        case Link(content=c, url=url):
            text = _inlines(c, ctx).strip()
            target = safe_url(url)
            if target is None:
                ctx.report.warning("link-unsafe", f"link target left out: {url[:60]!r}")
                return text
            if target.startswith("#"):
                return text
            if not text or text in (target, target.removeprefix("mailto:")):
                return f"<{target}>"
            return f"{text} <{target}>"
        case Image(alt=alt):
            if alt is None:
                return "[Image without description]"
            alt = one_line(alt).strip()
            return f"[Image: {alt}]" if alt else ""
        case Note():
            return f"[{ctx.notes.ref(node)}]"
        case PageBreak():
            return ""  # plain text has no pages
        case LineBreak():
            return "\n"
        case _:
            assert_never(node)


def _warn_flattened(ctx: _Ctx) -> None:
    if not ctx.flattened:
        ctx.flattened = True
        ctx.report.warning(
            "nesting-too-deep", f"content nested more than {MAX_DEPTH} levels deep is written as plain text"
        )


# -------------------------------------------------------------------- blocks


def _blocks(blocks: tuple[BlockT, ...], width: int, ctx: _Ctx, *, compact: bool = False) -> list[str]:
    """Blocks separated by blank lines; ``compact``: a list directly after a
    block is not (inside list items)."""
    lines: list[str] = []
    for block in blocks:
        rendered = _block(block, width, ctx)
        if not rendered:
            continue
        if lines and not (compact and isinstance(block, (BulletList, OrderedList))):
            lines.append("")
        lines.extend(rendered)
    return lines


def _block(node: BlockT, width: int, ctx: _Ctx) -> list[str]:
    if ctx.depth >= MAX_DEPTH:
        _warn_flattened(ctx)
        return wrap(flatten((node,), text=one_line, note=lambda n: f"[{ctx.notes.ref(n)}]"), width)
    ctx.depth += 1
    try:
        return _block_body(node, width, ctx)
    finally:
        ctx.depth -= 1


def _block_body(node: BlockT, width: int, ctx: _Ctx) -> list[str]:
    match node:
        case Paragraph(content=c):
            return wrap(_inlines(c, ctx), width)
        case Heading(level=level, content=c):
            return _heading(level, _inlines(c, ctx), width)
        case BulletList(items=items):
            ctx.lists += 1
            try:
                bullet = BULLETS[(ctx.lists - 1) % len(BULLETS)]
                return _list([bullet] * len(items), items, width, ctx)
            finally:
                ctx.lists -= 1
        case OrderedList(items=items, start=start, style=style):
            markers = [number_marker(start + i, style) + "." for i in range(len(items))]
            pad = max((display_width(m) for m in markers), default=0)
            return _list([m.rjust(pad) for m in markers], items, width, ctx)
        case DefinitionList(items=items):
            lines: list[str] = []
            for item in items:
                if lines:
                    lines.append("")
                lines.extend(wrap(_inlines(item.term, ctx), width))
                for index, definition in enumerate(item.definitions):
                    if index:
                        lines.append("")
                    body = _blocks(definition, _inner(width, 4), ctx)
                    lines.extend("    " + line if line else "" for line in body)
            return lines
        case BlockQuote(blocks=blocks, attribution=attribution):
            inner = _blocks(blocks, _inner(width, 2), ctx)
            if attribution:
                credit = wrap(_inlines(attribution, ctx), _inner(width, 2))
                inner.extend(["", *credit] if inner and credit else credit)
            return ["> " + line if line else ">" for line in inner]
        case Figure(blocks=blocks, caption=caption):
            lines = _blocks(blocks, width, ctx)
            if caption:
                lines.extend(wrap(_inlines(caption, ctx), width))
            return lines
        case Table():
            return render_table(
                node,
                width,
                cell=lambda blocks: [line for line in _blocks(blocks, 0, ctx) if line.strip()],
                caption=lambda content: wrap(_inlines(content, ctx), width),
                measure=display_width,
                report=ctx.report,
            )
        case Aside(blocks=blocks):
            return _box(_blocks(blocks, _inner(width, 4), ctx), width)
        case CodeBlock(text=t):
            code = clean(t).expandtabs(4).rstrip("\n").split("\n")
            return ["    " + line if line.strip() else "" for line in code] if t.strip() else []
        case ThematicBreak():
            return ["* * *".center(width).rstrip() if width else "* * *"]
        case Div(blocks=blocks):
            return _blocks(blocks, width, ctx)
        case Endnotes():
            if ctx.notes.is_marker(node) and ctx.notes.plan.notes:
                return _notes_section(width, ctx, labelled=ctx.notes.plan.labelled)
            return []
        case _:
            assert_never(node)


def _heading(level: int, text: str, width: int) -> list[str]:
    text = " ".join(text.split("\n"))
    if level <= 2:
        lines = wrap(text, width)
        if not lines:
            return []
        rule = ("=" if level <= 1 else "-") * max(display_width(line) for line in lines)
        return [*lines, rule]
    prefix = "#" * min(level, 6) + " "
    return wrap(prefix + text, width, indent=" " * len(prefix)) if text.strip() else []


def _list(markers: list[str], items: tuple[ListItem, ...], width: int, ctx: _Ctx) -> list[str]:
    pad = max((display_width(m) for m in markers), default=0) + 1
    rendered = [
        _hang(marker, pad, _blocks(item.blocks, _inner(width, pad), ctx, compact=True))
        for marker, item in zip(markers, items, strict=True)
    ]
    loose = any("" in lines for lines in rendered)
    lines: list[str] = []
    for item_lines in rendered:
        if lines and loose:
            lines.append("")
        lines.extend(item_lines)
    return lines


def number_marker(number: int, style: NumberStyle) -> str:
    """``number`` in the list style (letters and roman numerals fall back to
    digits where they cannot express the number)."""
    if style in ("a", "A") and number >= 1:
        letters = ""
        n = number
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters if style == "a" else letters.upper()
    if style in ("i", "I") and 1 <= number < 4000:
        roman = _roman(number)
        return roman if style == "i" else roman.upper()
    return str(number)


def _roman(number: int) -> str:
    out = []
    for value, digits in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        out.append(digits * count)
    return "".join(out)


def _box(lines: list[str], width: int) -> list[str]:
    if not lines:
        return []
    inner = max(max(display_width(line) for line in lines), width - 4 if width else 0)
    rule = "+" + "-" * (inner + 2) + "+"
    body = ["| " + line + " " * (inner - display_width(line)) + " |" for line in lines]
    return [rule, *body, rule]


def _notes_section(width: int, ctx: _Ctx, *, labelled: bool) -> list[str]:
    pad = len(f"[{len(ctx.notes.plan.notes)}]") + 1
    entries = [
        _hang(f"[{number}]", pad, _blocks(note.blocks, _inner(width, pad), ctx))
        for number, note in ctx.notes.contents()
    ]
    loose = any("" in entry for entry in entries)
    lines = ["Notes", "-----", ""] if labelled else []
    for index, entry in enumerate(entries):
        if index and loose:
            lines.append("")
        lines.extend(entry)
    return lines


def _title_block(meta: Meta, width: int) -> list[str]:
    lines: list[str] = []
    title = wrap(one_line(meta.title or ""), width)
    if title:
        rule = "=" * max(display_width(line) for line in title)
        lines.extend([rule, *title, rule])
    lines.extend(wrap(one_line(meta.subtitle or ""), width))
    byline = [*wrap(one_line(", ".join(meta.authors)), width), *wrap(one_line(meta.date or ""), width)]
    if lines and byline:
        lines.append("")
    lines.extend(byline)
    return lines
