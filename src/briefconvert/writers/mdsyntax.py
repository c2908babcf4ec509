"""Markdown syntax helpers: escaping text so it stays text, code spans,
link destinations and titles, emphasis delimiters, paragraph lines and list
items.  Pure functions over strings; the writer is in :mod:`.markdown`."""

from __future__ import annotations

import re

from .text import one_line

__all__ = [
    "BREAK",
    "MARKER",
    "code_span",
    "delimit",
    "destination",
    "escape",
    "last_marker",
    "line_start",
    "list_items",
    "one_line_md",
    "para_lines",
    "prefixable",
    "title_attr",
]

BREAK = "\n"  # hard line break inside rendered inline content (never produced by text)
MARKER = re.compile(r"(?:([-*+])(?: |$)|\d{1,9}([.)])(?: |$))")  # a list item's marker

_ALWAYS = re.compile(r"([\\`*\[\]<~|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_NOTE_DEF = re.compile(r"\[\^\d+\]:")
_ORDERED_START = re.compile(r"(\d{1,9})([.)])")


def escape(text: str) -> str:
    """Markdown-significant characters of ``text`` escaped (line starts
    are handled per line by :func:`line_start`)."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    if "_" in text:
        out = []
        for i, ch in enumerate(text):
            if ch == "_" and not (0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()):
                out.append("\\_")
            else:
                out.append(ch)
        text = "".join(out)
    if text.endswith(("!", "^")):  # "![" starts an image, "^[" an inline note (extensions)
        text = text[:-1] + "\\" + text[-1]
    return text


def line_start(line: str) -> str:
    note = _NOTE_DEF.match(line)
    if note:  # a reference followed by ":" would define a note
        return line[: note.end() - 1] + "\\" + line[note.end() - 1 :]
    match = _ORDERED_START.match(line)
    if match:
        return match.group(1) + "\\" + line[match.end(1) :]
    if line[:1] in ("#", ">", "+", "-", "="):
        return "\\" + line
    return line


def code_span(text: str, in_table: bool) -> str:
    text = text.replace("\n", " ")
    if not text:
        return ""
    if in_table:
        text = text.replace("|", "\\|")
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " " and text.strip(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def destination(url: str, in_table: bool) -> str:
    """A link destination: parentheses and backslashes escaped, ``<>`` encoded,
    and ``&`` escaped where it would start an entity (``javascript&#58;``
    would otherwise decode to a scheme the writer has refused)."""
    url = url.replace("\\", "\\\\").replace("<", "%3C").replace(">", "%3E")
    url = _ENTITY.sub(r"\\&", url.replace("(", "\\(").replace(")", "\\)"))
    return url.replace("|", "\\|") if in_table else url


def title_attr(title: str | None, in_table: bool) -> str:
    if not title or not one_line(title).strip():
        return ""
    text = _ENTITY.sub(r"\\&", one_line(title).strip().replace("\\", "\\\\").replace('"', '\\"'))
    if in_table:
        text = text.replace("|", "\\|")
    return f' "{text}"'


def delimit(inner: str, mark: str) -> str:
    """``inner`` between ``mark``s, with surrounding whitespace moved outside
    (CommonMark emphasis cannot start or end with whitespace)."""
    core = inner.strip()
    if not core:
        return inner
    start = inner.index(core[0])
    return inner[:start] + mark + core + mark + inner[start + len(core) :]


def para_lines(text: str) -> list[str]:
    """Rendered inline content as paragraph lines joined by hard breaks."""
    segments = [segment.strip() for segment in text.split(BREAK)]
    lines = [line_start(segment) for segment in segments if segment]
    return [line + "\\" for line in lines[:-1]] + lines[-1:]


def one_line_md(text: str) -> str:
    return " ".join(segment.strip() for segment in text.split(BREAK) if segment.strip())


def last_marker(lines: list[str]) -> str | None:
    """The marker character of the list item the top level of ``lines`` ends
    with: ``-``, ``*``, ``.`` or ``)`` (or None)."""
    for line in reversed(lines):
        if line and not line.startswith(" "):
            match = MARKER.match(line)
            if match is None:
                return None
            return match.group(1) or match.group(2)
    return None


def list_items(entries: list[tuple[str, list[str]]], *, tight: bool | None = None) -> list[str]:
    if tight is None:
        tight = not any("" in body for _, body in entries)
    lines: list[str] = []
    for marker, body in entries:
        if lines and not tight:
            lines.append("")
        pad = " " * (len(marker) + 1)
        if not body:
            lines.append(marker)
            continue
        lines.append(f"{marker} {body[0]}")
        lines.extend(pad + line if line else "" for line in body[1:])
    return lines


def prefixable(line: str) -> bool:
    """Whether ``line`` (the first line of rendered blocks) is paragraph text
    that a label such as ``**term**:`` may precede without changing what the
    line is (a list item, heading, quote, fence, table row, break or note
    definition must stay at the start)."""
    if not line or MARKER.match(line) or _NOTE_DEF.match(line):
        return False
    return not line.startswith(("#", ">", "`", "|", "___"))
