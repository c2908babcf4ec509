"""Endnotes: numbered note calls (superscript numbers in the text) joined to
the numbered list under a "Notes" heading, for both paths.

Each call becomes a :class:`Note` holding its note's blocks; the list
becomes an :class:`Endnotes` marker (the heading above it stays an ordinary
heading).  Nothing changes unless every call finds its note and every note
is called: a partial match would lose or duplicate text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ...model import (
    Block,
    BlockQuote,
    BulletList,
    Cell,
    Div,
    Emph,
    Endnotes,
    Heading,
    Inline,
    Link,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Row,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
)
from ...walk import plain_text

_NOTES_TITLE = re.compile(
    r"^(?:\d+\.?\s+)?(?:end\s*notes|notes|footnotes|notes and references|references and notes|anmerkungen|"
    r"fu(?:ß|ss)noten|endnoten|notas|notes de fin|noten|note|przypisy|poznámky|huomautukset)$",
    re.I,
)
_LEAD_NUMBER = re.compile(r"^\s*\[?(\d{1,3})[.)\]]?\s+")
_BACKLINK = re.compile(r"\s*[↩↑⤴]\ufe0e?\s*$")


def link_endnotes(blocks: Sequence[Block]) -> tuple[list[Block], int]:
    """The blocks with note calls joined to their endnotes, and how many."""
    found = _notes_section(blocks)
    if found is None:
        return list(blocks), 0
    start, end, bodies = found
    calls = _count_calls(blocks[:start])
    if not bodies or set(calls) != set(bodies) or any(n > 1 for n in calls.values()):
        return list(blocks), 0
    used: set[int] = set()
    head = [_block(b, bodies, used) for b in blocks[:start]]
    if used != set(bodies):
        return list(blocks), 0
    return [*head, Endnotes(), *blocks[end:]], len(used)


def _notes_section(blocks: Sequence[Block]) -> tuple[int, int, dict[int, tuple[Block, ...]]] | None:
    """(first block of the notes, block after them, number -> note blocks) for
    the last "Notes" heading followed by a numbered list or numbered paragraphs."""
    for i in range(len(blocks) - 1, -1, -1):
        h = blocks[i]
        if not isinstance(h, Heading) or not _NOTES_TITLE.match(plain_text(h.content).strip()):
            continue
        bodies: dict[int, tuple[Block, ...]] = {}
        j = i + 1
        if j < len(blocks) and isinstance(blocks[j], OrderedList):
            lst = blocks[j]
            assert isinstance(lst, OrderedList)
            for k, item in enumerate(lst.items):
                bodies[lst.start + k] = _clean(item.blocks)
            return i + 1, j + 1, bodies
        while j < len(blocks) and isinstance(blocks[j], Paragraph):
            para = blocks[j]
            assert isinstance(para, Paragraph)
            number, content = _strip_number(para.content)
            if number is None or number in bodies:
                break
            bodies[number] = _clean((Paragraph(content),))
            j += 1
        if bodies:
            return i + 1, j, bodies
        return None
    return None


def _strip_number(content: tuple[Inline, ...]) -> tuple[int | None, tuple[Inline, ...]]:
    if content and isinstance(content[0], Sup) and plain_text(list(content[0].content)).isdigit():
        return int(plain_text(list(content[0].content))), _lstrip(content[1:])
    if content and isinstance(content[0], Text):
        m = _LEAD_NUMBER.match(content[0].text)
        if m:
            rest = content[0].text[m.end() :]
            return int(m.group(1)), ((Text(rest),) if rest else ()) + content[1:]
    return None, content


def _lstrip(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if content and isinstance(content[0], Text):
        text = content[0].text.lstrip(" .")
        return ((Text(text),) if text else ()) + content[1:]
    return content


def _clean(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Note blocks without the "back to the text" arrow at their end."""
    if not blocks or not isinstance(blocks[-1], Paragraph):
        return blocks
    last = blocks[-1]
    content = list(last.content)
    if content and isinstance(content[-1], Text):
        text = _BACKLINK.sub("", content[-1].text)
        content[-1:] = [Text(text)] if text else []
    return (*blocks[:-1], replace(last, content=tuple(content)))


def _call_number(node: Inline) -> int | None:
    if isinstance(node, Sup):
        text = plain_text(list(node.content)).strip()
        if text.isdigit() and len(text) <= 3:
            return int(text)
    return None


def _count_calls(blocks: Sequence[Block]) -> dict[int, int]:
    counts: dict[int, int] = {}
    stack: list[object] = list(blocks)
    while stack:
        node = stack.pop()
        if isinstance(node, (Paragraph, Heading)):
            stack.extend(node.content)
        elif isinstance(node, (BulletList, OrderedList)):
            stack.extend(node.items)
        elif isinstance(node, (ListItem, Div, BlockQuote, Cell)):
            stack.extend(node.blocks)
        elif isinstance(node, Table):
            stack.extend(
                c for r in (*node.head, *(r for b in node.bodies for r in b), *node.foot) for c in r.cells
            )
        elif isinstance(node, Note):
            continue
        elif isinstance(node, Sup):
            n = _call_number(node)
            if n is not None:
                counts[n] = counts.get(n, 0) + 1
        elif isinstance(node, (Emph, Strong, Sub, Link, Span)):
            stack.extend(node.content)
    return counts


def _inlines(
    content: tuple[Inline, ...], bodies: dict[int, tuple[Block, ...]], used: set[int]
) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in content:
        n = _call_number(node)
        if n is not None and n in bodies and n not in used:
            used.add(n)
            if out and isinstance(out[-1], Text) and out[-1].text.endswith(" "):
                out[-1] = Text(out[-1].text.rstrip())
            out.append(Note(bodies[n]))
            continue
        if isinstance(node, (Emph, Strong, Sub, Sup, Link, Span)):
            out.append(replace(node, content=_inlines(node.content, bodies, used)))
        else:
            out.append(node)
    return tuple(out)


def _block(block: Block, bodies: dict[int, tuple[Block, ...]], used: set[int]) -> Block:
    match block:
        case Paragraph() | Heading():
            return replace(block, content=_inlines(block.content, bodies, used))
        case BulletList() | OrderedList():
            items = tuple(
                ListItem(tuple(_block(b, bodies, used) for b in i.blocks), i.attr) for i in block.items
            )
            return replace(block, items=items)
        case Div() | BlockQuote():
            return replace(block, blocks=tuple(_block(b, bodies, used) for b in block.blocks))
        case Table():

            def row(r: Row) -> Row:
                return Row(
                    tuple(
                        replace(c, blocks=tuple(_block(b, bodies, used) for b in c.blocks)) for c in r.cells
                    )
                )

            return replace(
                block,
                head=tuple(row(r) for r in block.head),
                bodies=tuple(tuple(row(r) for r in b) for b in block.bodies),
                foot=tuple(row(r) for r in block.foot),
            )
    return block


def link_footnotes(
    blocks: Sequence[Block], geometry: Mapping[int, tuple[int, float]], body: float
) -> tuple[list[Block], int]:
    """Small numbered paragraphs (footnotes set at the page bottom) joined to
    the superscript number that calls them earlier on the same page."""
    out = list(blocks)
    joined = 0
    i = 0
    while i < len(out):
        b = out[i]
        geo = geometry.get(id(b))
        if not isinstance(b, Paragraph) or geo is None or geo[1] >= 0.92 * body:
            i += 1
            continue
        page = geo[0]
        number, content = _strip_number(b.content)
        if number is None:
            i += 1
            continue
        note = _clean((Paragraph(_lstrip(content)),))
        for j in range(i - 1, -1, -1):
            prev = out[j]
            prev_geo = geometry.get(id(prev))
            prev_page = prev_geo[0] if prev_geo is not None else _src_page(prev)
            if prev_page is not None and prev_page != page:
                break
            used: set[int] = set()
            replaced = _block(prev, {number: note}, used)
            if used:
                out[j] = replaced
                geometry = {**geometry, id(replaced): geometry.get(id(prev), (page, body))}
                del out[i]
                joined += 1
                break
        else:
            i += 1
            continue
    return out, joined


def _src_page(block: Block) -> int | None:
    src = getattr(block, "src", None)
    return src.page - 1 if src is not None and src.page is not None else None
