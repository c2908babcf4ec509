"""Pieces -> inline nodes.

A paragraph's runs are first flattened into *pieces*: a node (text, code,
image, note, line break) with its link and its style (language, bold,
italic, vertical position).  Pieces are plain tuples: a paragraph makes many
of them and tuples cost least.  ``finish`` then collapses whitespace across
pieces, trims the paragraph, and nests consecutive pieces that share a
property: Link > Span(lang) > Strong > Emph > Sup/Sub.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from ...model import Attr, Code, Emph, Inline, LineBreak, Link, Note, Span, Strong, Sub, Sup, Text
from .context import LinkTarget

Style: TypeAlias = tuple[str | None, bool, bool, str | None]  # lang, bold, italic, vert
Piece: TypeAlias = tuple[Inline, LinkTarget | None, Style]
PLAIN: Style = (None, False, False, None)

_WS = re.compile(r"[ \t\n\r\f\v]+")
_LINK, _LANG, _BOLD, _ITALIC, _VERT = range(5)


def _value(piece: Piece, layer: int) -> object:
    return piece[1] if layer == _LINK else piece[2][layer - 1]


def finish(pieces: list[Piece]) -> tuple[tuple[Inline, ...], str | None]:
    """The inline nodes of a paragraph's pieces, and the language of all of
    its text when that is one language other than the document's."""
    out = _normalise(pieces)
    link = bold = italic = vert = False
    langs: set[str | None] = set()
    for node, target, (lang, b, i, v) in out:
        link = link or target is not None
        bold, italic, vert = bold or b, italic or i, vert or v is not None
        if isinstance(node, Text | Code) and not node.text.isspace():
            langs.add(lang)
    common = next(iter(langs)) if len(langs) == 1 else None
    mixed = len(langs) > 1
    layers = tuple(
        layer
        for layer, used in ((_LINK, link), (_LANG, mixed), (_BOLD, bold), (_ITALIC, italic), (_VERT, vert))
        if used
    )
    return _group(out, layers), common


def _normalise(pieces: list[Piece]) -> list[Piece]:
    """Collapse whitespace across pieces; trim the paragraph and around line
    breaks; drop pieces left empty."""
    out: list[Piece] = []
    space_before = True  # at the start of the paragraph or after a space / break
    for piece in pieces:
        node = piece[0]
        if isinstance(node, Text | Code):
            text = node.text
            if "  " in text or not text.isprintable():
                text = _WS.sub(" ", text)
            if space_before and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            space_before = text.endswith(" ")
            if text is not node.text:
                piece = (Text(text) if isinstance(node, Text) else Code(text), piece[1], piece[2])
        elif isinstance(node, LineBreak):
            _rstrip(out)
            space_before = True
        elif not isinstance(node, Note):
            space_before = False
        out.append(piece)
    _rstrip(out)
    return out


def _rstrip(out: list[Piece]) -> None:
    while out and isinstance(node := out[-1][0], Text | Code):
        text = node.text.rstrip(" ")
        if text:
            if text != node.text:
                new = Text(text) if isinstance(node, Text) else Code(text)
                out[-1] = (new, out[-1][1], out[-1][2])
            return
        out.pop()


def _group(pieces: list[Piece], layers: tuple[int, ...]) -> tuple[Inline, ...]:
    """Nest consecutive pieces that share a property, outermost layer first."""
    if not layers:
        return _merge_text([p[0] for p in pieces])
    layer, rest = layers[0], layers[1:]
    out: list[Inline] = []
    i, n = 0, len(pieces)
    while i < n:
        value = _value(pieces[i], layer)
        j = i + 1
        while j < n and _value(pieces[j], layer) == value:
            j += 1
        inner = _group(pieces[i:j], rest)
        out.extend(_wrap(layer, value, inner) if value else inner)
        i = j
    return tuple(out)


def _wrap(layer: int, value: object, inner: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if layer == _LINK:
        assert isinstance(value, LinkTarget)
        return (Link(inner, value.url, value.title),)
    if layer == _LANG:
        return (Span(inner, Attr(lang=str(value))),)
    if layer == _BOLD:
        return (Strong(inner),)
    if layer == _ITALIC:
        return (Emph(inner),)
    return (Sup(inner),) if value == "superscript" else (Sub(inner),)


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent Text (and adjacent Code) nodes as one (joined once: a
    paragraph of thousands of runs stays linear)."""
    out: list[Inline] = []
    buffer: list[str] = []
    kind: type[Text] | type[Code] | None = None
    for node in nodes:
        if isinstance(node, Text | Code):
            if type(node) is not kind:
                _flush(out, buffer, kind)
                kind = type(node)
            buffer.append(node.text)
            continue
        _flush(out, buffer, kind)
        kind = None
        out.append(node)
    _flush(out, buffer, kind)
    return tuple(out)


def _flush(out: list[Inline], buffer: list[str], kind: type[Text] | type[Code] | None) -> None:
    if buffer and kind is not None:
        out.append(kind("".join(buffer)))
    buffer.clear()
