"""Text runs -> inline content, for both the tagged and the untagged path.

A block's content arrives as a flat list of tokens: text pieces (a span on a
page), images, literal text (``/ActualText``) and open/close markers for the
wrappers the structure gives (links, emphasis, a language change, a note).
One pass decides the separators from the geometry (a space between words, a
join across a hyphenated line end, nothing before a superscript), marks
superscripts, bold and italic runs (only where they differ from the rest of
the block), inserts page breaks where a new page starts, and builds the
nested inline tree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ...model import (
    Attr,
    Code,
    Emph,
    Image,
    Inline,
    Link,
    Note,
    Paragraph,
    Span,
    Strong,
    Sub,
    Sup,
    Text,
)
from ...record import Record
from ...textnorm import clean_text
from .backend import TextSpan

WrapperKind = Literal["link", "emph", "strong", "span", "note", "sup", "sub", "code"]

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Piece(Record):
    span: TextSpan
    page: int
    text: str | None = None  # a part of the span's text (a link splits a span)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Pic(Record):
    image: Image
    page: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Lit(Record):
    """Literal text (``/ActualText``, an alternative description)."""

    text: str
    page: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Open(Record):
    kind: WrapperKind
    url: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Close(Record):
    pass


Token = Piece | Pic | Lit | Open | Close


def fix_text(text: str) -> str:
    """Clean text from a content stream: ligatures expanded, controls removed, NFC."""
    return clean_text(text.translate(_LIGATURES))


def safe_url(url: str | None) -> str | None:
    if not url:
        return None
    url = "".join(clean_text(url).split())
    return url if url.lower().startswith(SAFE_SCHEMES) and len(url) > 8 else None


@dataclass(slots=True)
class Words:
    """The document's vocabulary, for deciding hyphenation at line ends."""

    plain: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)

    def add(self, text: str) -> None:
        for w in _WORD.findall(text):
            lw = w.casefold()
            if "-" in lw:
                self.hyphenated.add(lw)
                self.plain.update(lw.split("-"))
            else:
                self.plain.add(lw)


@dataclass(slots=True)
class Flow:
    """Per-document state of the inline assembly (created per call)."""

    labels: Sequence[str]
    page_break: Callable[[str], Inline | None]
    words: Words = field(default_factory=Words)
    cursor: int = -1  # the last page whose content has been placed (-1: none yet, so page 1 gets a marker)

    def breaks_before(self, page: int) -> list[Inline]:
        """Page-break markers for every page started before ``page``'s content."""
        out: list[Inline] = []
        while self.cursor < page:
            self.cursor += 1
            mark = self.page_break(self.labels[self.cursor] if self.cursor < len(self.labels) else "")
            if mark is not None:
                out.append(mark)
        return out


def same_line(a: TextSpan, b: TextSpan) -> bool:
    """Whether ``b`` continues ``a`` on the same line (superscripts included)."""
    if not (a.upright and b.upright):
        return abs(a.baseline - b.baseline) < 0.3 * max(a.size, b.size)
    top = max(a.bbox[1], b.bbox[1])
    bottom = min(a.bbox[3], b.bbox[3])
    overlap = bottom - top
    smaller = min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])
    if overlap < 0.4 * smaller:
        return False
    return b.bbox[0] >= a.bbox[2] - 0.5 * min(a.size, b.size)


def is_raised(span: TextSpan, ref: TextSpan) -> bool:
    """``span`` is set smaller than and above ``ref``'s baseline (a superscript)."""
    return span.size < 0.85 * ref.size and ref.baseline - span.baseline > 0.18 * ref.size


def is_lowered(span: TextSpan, ref: TextSpan) -> bool:
    return span.size < 0.85 * ref.size and span.baseline - ref.baseline > 0.1 * ref.size


def _join(prev: str, nxt: str, words: Words) -> tuple[str, str]:
    """(previous text, separator) at a line end: hyphenation or a space."""
    if prev.endswith("\u00ad"):
        return prev[:-1], ""
    if prev[-1:] in "–-/" and prev[-2:-1].isdigit() and nxt[:1].isdigit():
        return prev, ""  # a range or a date broken after its dash: 2010–2023
    if len(prev) >= 2 and prev[-1] in "-\u2010" and prev[-2].isalpha() and nxt[:1].islower():
        left = re.findall(r"[^\W\d_]+$", prev[:-1])
        right = re.findall(r"^[^\W\d_]+", nxt)
        if left and right:
            joined = (left[0] + right[0]).casefold()
            compound = f"{left[0]}-{right[0]}".casefold()
            if joined in words.plain and compound not in words.hyphenated:
                return prev[:-1], ""
        return prev, ""
    return prev, " "


def build_inlines(tokens: Iterable[Token], flow: Flow) -> tuple[Inline, ...]:
    """The inline content of one block."""
    toks = list(tokens)
    pieces = [t for t in toks if isinstance(t, Piece)]
    refs = _line_refs(pieces)
    texts, seps = _separators(toks, flow.words)
    total = sum(len(p.span.text) for p in pieces) or 1
    bold_all = sum(len(p.span.text) for p in pieces if p.span.bold) >= 0.8 * total
    italic_all = sum(len(p.span.text) for p in pieces if p.span.italic) >= 0.8 * total
    mono_all = sum(len(p.span.text) for p in pieces if p.span.monospace) >= 0.8 * total

    root: list[Inline] = []
    stack: list[tuple[Open, list[Inline]]] = []
    pending: list[Open] = []

    def container() -> list[Inline]:
        return stack[-1][1] if stack else root

    def start(page: int, sep: str) -> None:
        """Separator, page breaks, then the wrappers opened since the last content."""
        if sep:
            container().append(Text(sep))
        container().extend(flow.breaks_before(page))
        for op in pending:
            stack.append((op, []))
        pending.clear()

    for i, tok in enumerate(toks):
        if isinstance(tok, Open):
            pending.append(tok)
        elif isinstance(tok, Close):
            if pending:
                pending.pop()
            elif stack:
                op, kids = stack.pop()
                node = _wrap(op, kids)
                if node is not None:
                    container().append(node)
        elif isinstance(tok, Piece):
            start(tok.page, seps.get(i, ""))
            container().append(_styled(tok, texts[i], refs, bold_all, italic_all, mono_all))
        elif isinstance(tok, Lit):
            start(tok.page, seps.get(i, ""))
            container().append(Text(texts[i]))
        else:  # Pic
            start(tok.page, "")
            container().append(tok.image)
    pending.clear()
    while stack:
        op, kids = stack.pop()
        node = _wrap(op, kids)
        if node is not None:
            container().append(node)
    return tidy(root)


def _separators(toks: list[Token], words: Words) -> tuple[dict[int, str], dict[int, str]]:
    """Cleaned text of each text token and the separator before it (by token
    index): a space between words, nothing before a superscript or after a
    hyphen that splits a word at a line end."""
    texts: dict[int, str] = {}
    seps: dict[int, str] = {}
    prev: int | None = None
    prev_span: TextSpan | None = None
    opened: list[tuple[WrapperKind, int | None, TextSpan | None]] = []
    for i, tok in enumerate(toks):
        if isinstance(tok, Open):
            opened.append((tok.kind, prev, prev_span))
            if tok.kind == "note":  # a note's text starts afresh and is not joined to the call
                prev, prev_span = None, None
            continue
        if isinstance(tok, Close):
            if opened:
                kind, before, before_span = opened.pop()
                if kind == "note":  # the text after a note continues the text before it
                    prev, prev_span = before, before_span
            continue
        if isinstance(tok, Lit):
            texts[i] = _WS.sub(" ", fix_text(tok.text))
            if prev is not None:
                seps[i] = " "
            prev, prev_span = i, None
            continue
        if not isinstance(tok, Piece):
            continue
        text = _WS.sub(" ", fix_text(tok.text if tok.text is not None else tok.span.text))
        texts[i] = text
        if prev is not None:
            if prev_span is not None and same_line(prev_span, tok.span):
                gap = tok.span.bbox[0] - prev_span.bbox[2]
                if gap > 0.12 * min(prev_span.size, tok.span.size):
                    seps[i] = " "
            else:
                fixed, sep = _join(texts[prev].rstrip(), text.lstrip(), words)
                texts[prev] = fixed
                seps[i] = sep
        prev, prev_span = i, tok.span
    return texts, seps


def _styled(
    tok: Piece,
    text: str,
    refs: dict[int, TextSpan],
    bold_all: bool,
    italic_all: bool,
    mono_all: bool,
) -> Inline:
    span = tok.span
    node: Inline = Text(text)
    if span.monospace and not mono_all and text.strip():
        node = Code(text)
    ref = refs.get(id(tok))
    if ref is not None and is_raised(span, ref):
        node = Sup((node,))
    elif ref is not None and is_lowered(span, ref):
        node = Sub((node,))
    if span.italic and not italic_all:
        node = Emph((node,))
    if span.bold and not bold_all:
        node = Strong((node,))
    return node


def _line_refs(pieces: list[Piece]) -> dict[int, TextSpan]:
    """For each piece, the dominant span of its line (largest size, longest text)."""
    refs: dict[int, TextSpan] = {}
    line: list[Piece] = []

    def close() -> None:
        if not line:
            return
        main = max(line, key=lambda p: (round(p.span.size, 1), len(p.span.text)))
        for p in line:
            refs[id(p)] = main.span

    for p in pieces:
        if line and not any(same_line(q.span, p.span) or same_line(p.span, q.span) for q in line[-3:]):
            close()
            line = []
        line.append(p)
    close()
    return refs


def _wrap(op: Open, kids: list[Inline]) -> Inline | None:
    content = tidy(kids)
    if not content:
        return None
    match op.kind:
        case "link":
            url = safe_url(op.url)
            return Link(content, url) if url else Span(content)
        case "emph":
            return Emph(content)
        case "strong":
            return Strong(content)
        case "sup":
            return Sup(content)
        case "sub":
            return Sub(content)
        case "code":
            return Code(_text_of(content))
        case "span":
            return Span(content, Attr(lang=op.lang)) if op.lang else Span(content)
        case "note":
            return Note((Paragraph(content),))


def _text_of(content: Sequence[Inline]) -> str:
    from ...walk import plain_text

    return plain_text(list(content))


def tidy(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent texts and identical style wrappers, collapse spaces,
    trim the ends, drop empty wrappers and plain Spans without attributes."""
    flat: list[Inline] = []
    for n in nodes:
        if isinstance(n, Span) and n.attr == Attr():
            flat.extend(n.content)
            continue
        flat.append(n)
    out: list[Inline] = []
    for n in flat:
        if isinstance(n, Text):
            if not n.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(_WS.sub(" ", out[-1].text + n.text))
                continue
            n = Text(_WS.sub(" ", n.text))
        elif isinstance(n, (Emph, Strong, Sup, Sub)):
            if not n.content:
                continue
            if out and type(out[-1]) is type(n):
                prev = out[-1]
                assert isinstance(prev, (Emph, Strong, Sup, Sub))
                out[-1] = type(n)(tidy((*prev.content, *n.content)))
                continue
            # a space between two identical wrappers joins them
            if (
                len(out) >= 2
                and isinstance(out[-1], Text)
                and not out[-1].text.strip()
                and type(out[-2]) is type(n)
                and not isinstance(n, (Sup, Sub))
            ):
                prev2 = out[-2]
                assert isinstance(prev2, (Emph, Strong))
                out.pop()
                out[-1] = type(n)(tidy((*prev2.content, Text(" "), *n.content)))
                continue
        out.append(n)
    return _trim(out)


def _trim(nodes: list[Inline]) -> tuple[Inline, ...]:
    while nodes and isinstance(nodes[0], Text) and not nodes[0].text.strip():
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], Text) and not nodes[-1].text.strip():
        nodes.pop()
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].text.lstrip())
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip())
    return tuple(nodes)


def text_of(nodes: Sequence[Inline]) -> str:
    return _text_of(nodes)


def normalise_key(text: str) -> str:
    """A comparison key for matching headings, titles and outline entries."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def with_lang(content: tuple[Inline, ...], lang: str | None) -> tuple[Inline, ...]:
    return (Span(content, Attr(lang=lang)),) if lang and content else content
