"""Untagged PDFs (and pages whose tags cannot be trusted): layout
heuristics -> model blocks.

lines (layout) -> furniture dropped (furniture) -> reading order across
columns (layout) -> blocks (blocks) -> headings (headings) -> model, with
images placed where they stand on the page, captions attached, list
markers turned into lists and link annotations matched to the text under
their rectangles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ...model import (
    Block,
    BulletList,
    Cell,
    Figure,
    Heading,
    Image,
    Inline,
    ListItem,
    NumberStyle,
    OrderedList,
    Paragraph,
    Row,
    SourceRef,
    Table,
)
from ...walk import plain_text
from .backend import ImagePlacement, LinkAnnotation, OutlineEntry, PageData, TextSpan
from .blocks import TextBlock, join_continued, line_gaps, make_blocks
from .footnotes import find_footnotes, strip_marker
from .furniture import mark_furniture
from .headings import assign_headings, contiguous
from .images import is_decoration
from .inlines import Close, Flow, Open, Pic, Piece, Token, build_inlines, is_raised, normalise_key, safe_url
from .layout import Line, body_size, make_lines, reading_order
from .tables import Grid

_ORDERED = re.compile(r"^\(?(\d{1,2}|[a-z]|[ivx]{1,5})[.)]$", re.I)


@dataclass(slots=True)
class UntaggedResult:
    blocks: list[Block]
    title: str | None  # the visible title (largest type on the first page), dropped from the blocks
    subtitle: str | None = None  # the line set under it, larger than the body text
    images_without_alt: int = 0
    furniture: int = 0
    footnotes: int = 0
    headings_by: dict[str, int] = field(default_factory=dict)


def read_untagged(
    pages: Sequence[PageData],
    *,
    outline: Sequence[OutlineEntry],
    flow: Flow,
    make_image: Callable[[ImagePlacement, int, str | None], Image],
    meta_title: str | None,
) -> UntaggedResult:
    lines_by_page = [
        make_lines([s for s in p.spans if not s.artifact and _on_page(s, p)], p.index) for p in pages
    ]
    all_lines = [ln for lines in lines_by_page for ln in lines]
    body = body_size(all_lines)
    furniture = mark_furniture(
        [(lines, p.height, p.label) for lines, p in zip(lines_by_page, pages, strict=True)], body, meta_title
    )
    footnotes: dict[int, dict[str, list[Line]]] = {}
    regions: list[list[Line]] = []
    for lines, page in zip(lines_by_page, pages, strict=True):
        notes = find_footnotes(lines, body, page.height)
        if notes:
            footnotes[page.index] = notes
        regions.extend(
            reading_order([ln for ln in lines if not ln.furniture and not ln.meta.get("footnote")], body)
        )
    blocks = join_continued(make_blocks(regions, line_gaps(regions), body))
    title_block = _title_block(blocks, body, meta_title)
    subtitle = _subtitle_block(blocks, title_block, body)
    rest = [b for b in blocks if b is not title_block and b is not subtitle]
    assign_headings(rest, body, [e for e in outline if not _is_title_entry(e, title_block)])
    heads = [b for b in rest if b.heading_level is not None]
    for b, level in zip(heads, contiguous([b.heading_level or 1 for b in heads]), strict=True):
        b.heading_level = level
    result = UntaggedResult(
        [],
        title_block.text if title_block else None,
        subtitle.text if subtitle else None,
        furniture=furniture,
    )
    for b in heads:
        how = b.heading_how or "style"
        result.headings_by[how] = result.headings_by.get(how, 0) + 1
    emitter = _Emitter(pages, flow, make_image, result, footnotes)
    if title_block is not None and not _same(title_block.text, meta_title) and meta_title is not None:
        # a visible title unlike the file's title: keep it as text
        emitter.paragraph(title_block)
    # (a dropped title's page-break markers go before the first content that follows)
    emitter.emit(rest)
    return result


def _on_page(s: TextSpan, page: PageData) -> bool:
    """Text drawn inside the page (text off the page is invisible)."""
    x0, top, x1, bottom = s.bbox
    return x1 > -2 and x0 < page.width + 2 and bottom > -2 and top < page.height + 2


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and normalise_key(a) == normalise_key(b)


def _is_title_entry(entry: OutlineEntry, title: TextBlock | None) -> bool:
    return title is not None and normalise_key(entry.title) == normalise_key(title.text)


def _subtitle_block(blocks: Sequence[TextBlock], title: TextBlock | None, body: float) -> TextBlock | None:
    """The block right under the title, set larger than the body but not bold."""
    if title is None:
        return None
    i = next((k for k, b in enumerate(blocks) if b is title), None)
    if i is None or i + 1 >= len(blocks):
        return None
    b = blocks[i + 1]
    if (
        b.page == title.page
        and b.kind == "para"
        and len(b.lines) <= 3
        and b.bold < 0.5
        and 1.08 * body <= b.size < title.size
        and b.top - title.bottom < 4 * b.size
    ):
        return b
    return None


def _title_block(blocks: Sequence[TextBlock], body: float, meta_title: str | None) -> TextBlock | None:
    """The document's visible title: the largest type on the first page with
    text, in its upper half, clearly larger than the body text."""
    if not blocks:
        return None
    first_page = blocks[0].page
    page_blocks = [b for b in blocks if b.page == first_page and b.kind == "para" and len(b.lines) <= 4]
    if meta_title is not None:
        for b in page_blocks:
            if _same(b.text, meta_title):
                return b
    big = [b for b in page_blocks if b.size >= 1.3 * body and len(b.text) <= 250]
    if not big:
        return None
    best = max(big, key=lambda b: (round(b.size, 1), -b.top))
    others = [b for b in blocks if abs(b.size - best.size) < 0.05 * best.size and b is not best]
    return best if not others else None


@dataclass(slots=True)
class _Emitter:
    pages: Sequence[PageData]
    flow: Flow
    make_image: Callable[[ImagePlacement, int, str | None], Image]
    result: UntaggedResult
    footnotes: dict[int, dict[str, list[Line]]] = field(default_factory=dict)
    out: list[Block] = field(default_factory=list)

    def emit(self, blocks: list[TextBlock]) -> None:
        placed = _place_images(self.pages, blocks)
        i = 0
        while i < len(blocks):
            for img in placed.get(i, ()):
                self._figure(img, blocks, i)
            b = blocks[i]
            if b.meta.get("used"):
                i += 1
                continue
            if b.kind == "caption" and i + 1 < len(blocks) and blocks[i + 1].kind == "table":
                self._table(blocks[i + 1], caption=b)
                i += 2
                continue
            if b.kind == "table":
                self._table(b, caption=None)
                i += 1
                continue
            if b.heading_level is not None:
                content = self._inlines(b)
                if content:
                    self.out.append(Heading(b.heading_level, content, src=_src(b, b.heading_how or "style")))
                i += 1
            elif b.kind == "item":
                j = i
                while (j < len(blocks) and blocks[j].kind == "item" and not placed.get(j)) or j == i:
                    j += 1
                self._list(blocks[i:j])
                i = j
            else:
                self.paragraph(b)
                i += 1
        for img in placed.get(len(blocks), ()):
            self._figure(img, blocks, len(blocks))
        self.result.blocks = self.out

    def paragraph(self, b: TextBlock) -> None:
        b.meta["used"] = True
        content = self._inlines(b)
        if content:
            self.out.append(Paragraph(content, src=_src(b, "layout")))

    def _inlines(self, b: TextBlock, *, strip_marker: bool = False) -> tuple[Inline, ...]:
        page = self.pages[b.page] if b.page < len(self.pages) else None
        links = [a for a in page.links if safe_url(a.uri)] if page is not None else []
        tokens: list[Token] = []
        prefix = b.meta.get("number_prefix")
        for n, ln in enumerate(b.lines):
            spans = list(ln.spans)
            if strip_marker and n == 0 and b.marker:
                spans = _without_marker(spans, b.marker)
            if n == 0 and isinstance(prefix, str) and prefix.strip():
                spans = _without_marker(spans, prefix.strip())
            notes = self.footnotes.get(ln.page, {})
            main = max(ln.spans, key=lambda s: (round(s.size, 1), len(s.text)))
            for s in spans:
                mark = s.text.strip()
                if mark in notes and s is not main and is_raised(s, main):
                    tokens.extend(self._note(notes.pop(mark), mark, ln.page))
                    continue
                tokens.extend(_link_tokens(s, ln.page, links))
        return build_inlines(tokens, self.flow)

    def _note(self, lines: list[Line], mark: str, page: int) -> list[Token]:
        """A footnote's text as the content of a note at its call."""
        self.result.footnotes += 1
        tokens: list[Token] = [Open("note")]
        for n, ln in enumerate(lines):
            spans = strip_marker(ln.spans, mark) if n == 0 else list(ln.spans)
            tokens.extend(Piece(s, page) for s in spans)
        tokens.append(Close())
        return tokens

    def _list(self, items: list[TextBlock]) -> None:
        ordered = bool(items[0].marker and _ORDERED.match(items[0].marker))
        entries: list[ListItem] = []
        for b in items:
            content = self._inlines(b, strip_marker=True)
            if content:
                entries.append(ListItem((Paragraph(content),)))
        if not entries:
            return
        src = _src(items[0], "layout")
        if ordered:
            start = _start(items[0].marker or "1")
            self.out.append(OrderedList(tuple(entries), start, _style(items[0].marker or "1"), src=src))
        else:
            self.out.append(BulletList(tuple(entries), src=src))

    def _figure(self, img: ImagePlacement, blocks: list[TextBlock], at: int) -> None:
        page = _page_of(self.pages, img)
        image = self.make_image(img, page, None)
        self.result.images_without_alt += 1
        caption: tuple[Inline, ...] = ()
        cap = _caption_near(blocks, at, img, page)
        content = build_inlines([Pic(image, page)], self.flow)
        if cap is not None:
            cap.meta["used"] = True
            caption = self._inlines(cap)
        self.out.append(
            Figure((Paragraph(content),), caption, src=SourceRef(page=page + 1, bbox=img.bbox, how="layout"))
        )

    def _table(self, block: TextBlock, caption: TextBlock | None) -> None:
        grid = block.meta.get("grid")
        if not isinstance(grid, Grid):
            return
        cap = self._inlines(caption) if caption is not None else ()
        rows: list[Row] = []
        for r, row in enumerate(grid.rows):
            header = grid.header and r == 0
            cells: list[Cell] = []
            for lines in row:
                tokens: list[Token] = [Piece(s, ln.page) for ln in lines for s in ln.spans]
                content = build_inlines(tokens, self.flow)
                cells.append(
                    Cell(
                        (Paragraph(content),) if content else (),
                        header=header,
                        scope="col" if header else None,
                    )
                )
            rows.append(Row(tuple(cells)))
        head = tuple(rows[:1]) if grid.header else ()
        body_rows = tuple(rows[1:]) if grid.header else tuple(rows)
        prev = self.out[-1] if self.out else None
        if (
            isinstance(prev, Table)
            and not cap
            and prev.src is not None
            and prev.src.page is not None
            and block.page + 1 > prev.src.page
            and _continues_table(prev, head, body_rows)
        ):
            # the same table running on over a page break (its header repeated)
            merged = tuple(r for b in prev.bodies for r in b) + body_rows
            self.out[-1] = replace(prev, bodies=(merged,))
            return
        self.out.append(Table(head, (body_rows,) if body_rows else (), (), cap, src=_src(block, "layout")))


def _continues_table(prev: Table, head: tuple[Row, ...], body: tuple[Row, ...]) -> bool:
    rows = [*prev.head, *(r for b in prev.bodies for r in b)]
    if not rows or not body:
        return False
    width = len(rows[0].cells)
    if any(len(r.cells) != width for r in (*head, *body)):
        return False
    if head:
        return bool(prev.head) and plain_text(list(prev.head[0].cells)) == plain_text(list(head[0].cells))
    return True


def _src(b: TextBlock, how: str) -> SourceRef:
    return SourceRef(page=b.page + 1, bbox=(b.x0, b.top, b.x1, b.bottom), how=how)


def _start(marker: str) -> int:
    token = marker.strip("().")
    if token.isdigit():
        return int(token)
    if len(token) == 1 and token.isalpha() and token.lower() not in "ivx":
        return ord(token.lower()) - ord("a") + 1
    return 1


def _style(marker: str) -> NumberStyle:
    token = marker.strip("().")
    if token.isdigit():
        return "1"
    if re.fullmatch(r"[ivx]+", token):
        return "i"
    if re.fullmatch(r"[IVX]+", token):
        return "I"
    return "a" if token.islower() else "A"


def _without_marker(spans: list[TextSpan], marker: str) -> list[TextSpan]:
    """The first line's spans with the list marker removed."""
    out = list(spans)
    remaining = marker
    while out and remaining:
        s = out[0]
        text = s.text.lstrip()
        if text.startswith(remaining):
            rest = text[len(remaining) :].lstrip()
            if rest:
                out[0] = _replace_text(s, rest, fraction=1 - len(rest) / max(len(s.text), 1))
            else:
                out.pop(0)
            remaining = ""
        elif remaining.startswith(text.strip()) and text.strip():
            remaining = remaining[len(text.strip()) :]
            out.pop(0)
        else:
            break
    return out


def _replace_text(s: TextSpan, text: str, *, fraction: float) -> TextSpan:
    x0 = s.bbox[0] + (s.bbox[2] - s.bbox[0]) * fraction
    return TextSpan(
        text=text,
        bbox=(x0, s.bbox[1], s.bbox[2], s.bbox[3]),
        baseline=s.baseline,
        size=s.size,
        font=s.font,
        bold=s.bold,
        italic=s.italic,
        monospace=s.monospace,
        mcid=s.mcid,
        artifact=s.artifact,
        upright=s.upright,
    )


def _link_tokens(s: TextSpan, page: int, links: Sequence[LinkAnnotation]) -> list[Token]:
    """The span as pieces, wrapped in links where an annotation covers part of it."""
    hits = [a for a in links if _overlap_x(s, a) > 0]
    if not hits:
        return [Piece(s, page)]
    text = s.text
    n = len(text)
    width = max(s.bbox[2] - s.bbox[0], 1e-6)
    cuts: list[tuple[int, int, str]] = []
    for a in hits:
        lo = round((max(a.bbox[0], s.bbox[0]) - s.bbox[0]) / width * n)
        hi = round((min(a.bbox[2], s.bbox[2]) - s.bbox[0]) / width * n)
        lo, hi = _snap(text, lo, hi)
        if hi > lo and a.uri:
            cuts.append((lo, hi, a.uri))
    if not cuts:
        return [Piece(s, page)]
    cuts.sort()
    out: list[Token] = []
    pos = 0
    for lo, hi, uri in cuts:
        if lo < pos:
            continue
        if lo > pos:
            out.append(Piece(s, page, text[pos:lo]))
        out.extend([Open("link", url=uri), Piece(s, page, text[lo:hi]), Close()])
        pos = hi
    if pos < n:
        out.append(Piece(s, page, text[pos:]))
    return out


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move a character range estimated from geometry onto word boundaries."""
    n = len(text)
    lo = max(0, min(lo, n))
    hi = max(lo, min(hi, n))
    while 0 < lo < n and text[lo - 1].isalnum() and text[lo].isalnum():
        lo -= 1
    while 0 < hi < n and text[hi - 1].isalnum() and text[hi].isalnum():
        hi += 1
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _overlap_x(s: TextSpan, a: LinkAnnotation) -> float:
    """Horizontal overlap of a span and a link rectangle that covers most of
    the span's height (zero-height rectangles of note calls count as 2 pt)."""
    top, bottom = a.bbox[1], a.bbox[3]
    if bottom - top < 2:
        top, bottom = top - 1, bottom + 1
    v = min(s.bbox[3], bottom) - max(s.bbox[1], top)
    if v < 0.5 * min(s.bbox[3] - s.bbox[1], bottom - top):
        return 0.0
    return min(s.bbox[2], a.bbox[2]) - max(s.bbox[0], a.bbox[0])


def _page_of(pages: Sequence[PageData], img: ImagePlacement) -> int:
    for p in pages:
        if any(i is img for i in p.images):
            return p.index
    return 0


def _place_images(pages: Sequence[PageData], blocks: Sequence[TextBlock]) -> dict[int, list[ImagePlacement]]:
    """block index -> the images to put before it (``len(blocks)``: at the end).

    An image goes before the first block of its column (blocks that overlap
    it horizontally) that starts below its top, else after the last such
    block above it, else after the page's last block."""
    placed: dict[int, list[ImagePlacement]] = {}
    for p in pages:
        imgs = sorted(
            (i for i in p.images if not i.artifact and not is_decoration(i)), key=lambda i: i.bbox[1]
        )
        on_page = [j for j, b in enumerate(blocks) if b.page == p.index]
        for img in imgs:
            width = img.bbox[2] - img.bbox[0]
            column = [
                j
                for j in on_page
                if min(blocks[j].x1, img.bbox[2]) - max(blocks[j].x0, img.bbox[0])
                > 0.3 * min(width, blocks[j].x1 - blocks[j].x0)
                or (blocks[j].kind == "caption" and _beside(blocks[j], img))
            ]
            below = [j for j in column if blocks[j].top >= img.bbox[1] - 1]
            above = [j for j in column if blocks[j].bottom <= img.bbox[1] + 1]
            if below:
                idx = below[0]
            elif above:
                idx = above[-1] + 1
            elif on_page:
                idx = on_page[-1] + 1
            else:
                idx = next((j for j, b in enumerate(blocks) if b.page > p.index), len(blocks))
            placed.setdefault(idx, []).append(img)
    return placed


def _beside(b: TextBlock, img: ImagePlacement) -> bool:
    """A caption set next to an image, near its top or bottom edge."""
    return min(abs(b.top - img.bbox[3]), abs(b.bottom - img.bbox[3]), abs(b.top - img.bbox[1])) < 40


def _caption_near(blocks: Sequence[TextBlock], at: int, img: ImagePlacement, page: int) -> TextBlock | None:
    for j in (at, at - 1):
        if 0 <= j < len(blocks):
            b = blocks[j]
            if b.kind == "caption" and b.page == page and not b.meta.get("used"):
                near = min(abs(b.top - img.bbox[3]), abs(img.bbox[1] - b.bottom))
                if near < 60:
                    return b
    return None
