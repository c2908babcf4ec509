"""The semantic rules (``kind="model"`` in rules.py): one pass over the
document model serves every format, because readers keep faults as they
find them.  ``run`` reports to a Sink; only the rules whose ``formats``
include ``fmt`` run.

Text alternatives, links and notes are in model_rules_text.py, language tags
and scripts in model_rules_lang.py, the traversal in model_rules_scan.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import (
    Aside,
    Block,
    BlockQuote,
    Cell,
    DefinitionList,
    Div,
    Document,
    Figure,
    Heading,
    LineBreak,
    ListItem,
    Note,
    Paragraph,
    Row,
    SourceRef,
    Table,
    Text,
)
from ..walk import plain_text
from .findings import Sink
from .model_rules_lang import expected_scripts, foreign_runs, tag_problem
from .model_rules_scan import Visit, add, attr_of, scan
from .model_rules_text import image_rules, link_rules, note_rules, short
from .rules import RULES, Format

_WHERE_TITLE = {
    "html": "no <title> element, or an empty one",
    "epub": "no dc:title in the package",
    "docx": "the core property 'title' is empty",
    "pdf": "no /Title in the document information or XMP metadata",
}
_WHERE_LANG = {
    "html": "the <html> element has no lang attribute",
    "epub": "the content declares no language",
    "docx": "no language is set on the default style or the document",
    "pdf": "the catalogue has no /Lang entry",
}


def run(doc: Document, sink: Sink, *, fmt: Format) -> None:
    """Report every semantic fault of ``doc`` (read from a file of format ``fmt``)."""
    enabled = frozenset(r.id for r in RULES if r.kind == "model" and fmt in r.formats)
    visits = scan(doc)
    if "document-title" in enabled and not (doc.meta.title and doc.meta.title.strip()):
        sink.add("document-title", f"the document has no title ({_WHERE_TITLE[fmt]})")
    if "document-lang" in enabled:
        _document_lang(doc, sink, fmt)
    if "lang-part" in enabled:
        _lang_parts(doc, visits, sink)
    _headings(visits, sink, enabled, fmt)
    image_rules(doc, visits, sink, enabled)
    link_rules(visits, sink, enabled)
    if "table-header" in enabled:
        for v in visits:
            if isinstance(v.node, Table):
                _table(v.node, v, sink)
    if "list-fake" in enabled:
        _fake_lists(doc, visits, sink)
    if "note-ref-link" in enabled:
        note_rules(doc, visits, sink)


# ------------------------------------------------------------------ language


def _document_lang(doc: Document, sink: Sink, fmt: Format) -> None:
    lang = doc.meta.lang
    if lang is None or not lang.strip():
        sink.add("document-lang", f"the document declares no language ({_WHERE_LANG[fmt]})")
        return
    why = tag_problem(lang)
    if why is not None:
        sink.add(
            "document-lang", f"the document language {short(lang, 40)!r} is not a valid language tag: {why}"
        )
    elif lang.strip().lower() in ("und", "zxx"):
        sink.add("document-lang", f"the document language {lang!r} names no language")


def _lang_parts(doc: Document, visits: list[Visit], sink: Sink) -> None:
    reported: set[str] = set()
    for v in visits:
        a = attr_of(v.node)
        if a is None or a.lang is None or a.lang in reported:
            continue
        why = tag_problem(a.lang)
        if why is not None:
            reported.add(a.lang)
            add(
                sink,
                "lang-part",
                f"the language mark {short(a.lang, 40)!r} is not a valid language tag: {why}",
                v.scope.src,
            )
    for lang, src, text in _text_runs(visits):
        allowed = expected_scripts(lang)
        if allowed is None:
            continue
        for run in foreign_runs(text, allowed):
            add(
                sink,
                "lang-part",
                f"text in {run.script_name} ({short(run.text, 40)!r}) is not marked with its language "
                f"(the language here is {lang!r})",
                src,
            )


def _text_runs(visits: list[Visit]) -> Iterator[tuple[str | None, SourceRef | None, str]]:
    """Text joined per text block and language: (lang, src, text)."""
    key: tuple[int, str | None] | None = None
    parts: list[str] = []
    where: SourceRef | None = None
    lang: str | None = None
    for v in visits:
        if not isinstance(v.node, Text) or v.scope.block is None:
            continue
        k = (id(v.scope.block), v.scope.lang)
        if k != key:
            if parts:
                yield lang, where, "".join(parts)
            key, parts, where, lang = k, [], v.scope.src, v.scope.lang
        parts.append(v.node.text)
    if parts:
        yield lang, where, "".join(parts)


# ------------------------------------------------------------------ headings


def _headings(visits: list[Visit], sink: Sink, enabled: frozenset[str], fmt: Format) -> None:
    headings = [v for v in visits if isinstance(v.node, Heading) and not v.scope.in_note]
    previous: int | None = None
    for v in headings:
        h = v.node
        assert isinstance(h, Heading)
        text = plain_text(h.content)
        if not text and "heading-empty" in enabled:
            add(sink, "heading-empty", f"a level-{h.level} heading has no text", v.scope.src)
        if previous is not None and h.level > previous + 1 and "heading-order" in enabled:
            add(
                sink,
                "heading-order",
                f"heading level jumps from {previous} to {h.level} ({short(text, 50)!r})",
                v.scope.src,
            )
        previous = h.level
    if "heading-h1" not in enabled:
        return
    tops = [v for v in headings if isinstance(v.node, Heading) and v.node.level == 1]
    if not tops:
        sink.add("heading-h1", "the document has no first-level heading")
    elif len(tops) > 1 and fmt == "html":
        # Books (one h1 per chapter), Word documents and PDFs may well have several.
        lines = ", ".join(str(v.scope.src.line) for v in tops[:5] if v.scope.src and v.scope.src.line)
        at = f" (lines {lines})" if lines else ""
        add(sink, "heading-h1", f"the page has {len(tops)} first-level headings{at}", tops[1].scope.src)


# ------------------------------------------------------------------ tables

_MAX_GRID = 100_000  # cells of the span-expanded grid; larger tables get the simple test


def _table(table: Table, v: Visit, sink: Sink) -> None:
    rows: list[tuple[Row, bool]] = [(r, True) for r in table.head]
    rows += [(r, False) for body in table.bodies for r in body]
    rows += [(r, False) for r in table.foot]
    if len(rows) < 2:
        return
    width = max((sum(max(1, c.colspan) for c in r.cells) for r, _ in rows), default=0)
    if width < 2:
        return
    caption = plain_text(table.caption)
    name = f"table {short(caption, 50)!r}" if caption else "a table"
    size = f"{len(rows)}×{width}"

    def is_header(cell: Cell, head_row: bool) -> bool:
        return cell.header or head_row

    if not any(is_header(c, h) for r, h in rows for c in r.cells):
        add(sink, "table-header", f"{name} ({size}) has no header cells", v.scope.src)
        return
    if len(rows) * width > _MAX_GRID:
        return
    # Lay the cells out on a grid (row and column spans), then look for data
    # cells with no header cell anywhere in their rows or columns.
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[Cell, bool, range, range]] = []
    for y, (row, head_row) in enumerate(rows):
        x = 0
        for cell in row.cells:
            while (y, x) in taken:
                x += 1
            cols = range(x, min(x + max(1, cell.colspan), width))
            span_rows = range(y, min(y + max(1, cell.rowspan), len(rows)))
            for yy in span_rows:
                for xx in cols:
                    taken.add((yy, xx))
            placed.append((cell, head_row, span_rows, cols))
            x = cols.stop
    header_rows: set[int] = set()
    header_cols: set[int] = set()
    for cell, head_row, span_rows, cols in placed:
        if is_header(cell, head_row):
            header_rows.update(span_rows)
            header_cols.update(cols)
    orphans = sum(
        1
        for cell, head_row, span_rows, cols in placed
        if not is_header(cell, head_row)
        and plain_text(list(cell.blocks))
        and not header_rows.intersection(span_rows)
        and not header_cols.intersection(cols)
    )
    if orphans:
        add(
            sink,
            "table-header",
            f"{name} ({size}): {orphans} data cell(s) have no header cell in their row or column",
            v.scope.src,
        )


# ------------------------------------------------------------------ fake lists

_BULLET = re.compile(r"^\s*([•◦▪▫‣⁃●○■□►▸▹➢➤✓✔☐·\-–—*])\s+\S")
_NUMBER = re.compile(r"^\s*(\(?)(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})([.)])\s+\S")
_ROMAN = {"i": 1, "v": 5, "x": 10}


def _roman(s: str) -> int | None:
    s = s.lower()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        val = _ROMAN[c]
        total += -val if i + 1 < len(s) and _ROMAN[s[i + 1]] > val else val
    return total


def _marks(line: str) -> set[tuple[str, int]]:
    """The list marks a line starts with: ("bullet", 0) or (style, ordinal)."""
    if _BULLET.match(line):
        return {("bullet", 0)}
    m = _NUMBER.match(line)
    if m is None:
        return set()
    paren, num, delim = m.groups()
    style = paren + delim
    out: set[tuple[str, int]] = set()
    if num.isdigit():
        out.add(("1" + style, int(num)))
    if len(num) == 1 and num.isalpha():
        out.add(("a" + style, ord(num.lower()) - 96))
    roman = _roman(num)
    if roman is not None:
        out.add(("i" + style, roman))
    return out


def _lines(p: Paragraph) -> list[str]:
    lines: list[list[str]] = [[]]
    for it in p.content:
        if isinstance(it, LineBreak):
            lines.append([])
        else:
            lines[-1].append(plain_text(it))
    return [" ".join(parts) for parts in lines if "".join(parts).strip()]


def _sequences(doc: Document, visits: list[Visit]) -> Iterator[tuple[tuple[Block, ...], Visit | None]]:
    yield doc.blocks, None
    for v in visits:
        match v.node:
            case ListItem(blocks=b) | Div(blocks=b) | Aside(blocks=b) | BlockQuote(blocks=b) | Cell(blocks=b):
                yield b, v
            case Note(blocks=b) | Figure(blocks=b):
                yield b, v
            case DefinitionList(items=items):
                for item in items:
                    for d in item.definitions:
                        yield d, v


def _fake_lists(doc: Document, visits: list[Visit], sink: Sink) -> None:
    for blocks, _ in _sequences(doc, visits):
        run: list[tuple[Paragraph, set[tuple[str, int]]]] = []
        for block in blocks:
            if not isinstance(block, Paragraph):
                _report_fake(run, sink)
                run = []
                continue
            for line in _lines(block) or [""]:
                marks = _marks(line)
                if run and _follows(run[-1][1], marks):
                    run.append((block, marks))
                else:
                    _report_fake(run, sink)
                    run = [(block, marks)] if marks else []
        _report_fake(run, sink)


def _follows(prev: set[tuple[str, int]], marks: set[tuple[str, int]]) -> bool:
    if not marks:
        return False
    if ("bullet", 0) in prev and ("bullet", 0) in marks:
        return True
    return any((style, n - 1) in prev for style, n in marks if style != "bullet")


def _report_fake(run: list[tuple[Paragraph, set[tuple[str, int]]]], sink: Sink) -> None:
    if len(run) < 2:
        return
    first = run[0][0]
    paragraphs = len({id(p) for p, _ in run})
    text = plain_text(first.content)
    what = f"{len(run)} consecutive paragraphs" if paragraphs == len(run) else f"{len(run)} lines"
    mark = "bullets" if ("bullet", 0) in run[0][1] else "numbers"
    add(
        sink,
        "list-fake",
        f"{what} start with {mark} ({short(text, 30)!r} …) but are not a list",
        first.src,
    )
