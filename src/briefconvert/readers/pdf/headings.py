"""Headings of untagged PDFs, by signal precedence: the outline (bookmarks)
matched to the text by title and page, then numbering patterns (1., 1.1,
I., A.), then typography (size and weight against the body text, short
blocks).  Levels are made contiguous, with 1 for the top level of the body;
each heading's signal is kept (``block.heading_how``)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

from .backend import OutlineEntry
from .blocks import TextBlock
from .inlines import normalise_key

_NUMBERED = re.compile(r"^\s*((?:\d{1,2}\.)*\d{1,2})\.?\s+(?=\S)")
_ROMAN = re.compile(r"^\s*([IVXL]{1,6})\.\s+(?=\S)")
_NUMBER_PREFIX = re.compile(r"^\s*(?:(?:\d{1,2}\.)*\d{1,2}|[IVXL]{1,6}|[A-H])[.)]?\s+(?=\S)")
_LETTER = re.compile(r"^\s*([A-H])[.)]\s+(?=[A-Z])")
_BACK_MATTER = re.compile(
    r"^(?:end\s*notes|notes|footnotes|references|bibliography|works cited|sources|further reading|"
    r"acknowledg(?:e)?ments|about the authors?|about the [a-z]+|annex(?:es)?|appendix|appendices|glossary|"
    r"abbreviations|anmerkungen|literatur(?:verzeichnis)?|quellen|notas|referencias|bibliograf[ií]a|"
    r"r[ée]f[ée]rences|bibliographie|noten|referenties|note|riferimenti)\b",
    re.I,
)
MAX_HEADING_CHARS = 200
MAX_HEADING_LINES = 4
MAX_OUTLINE = 3000  # longer outlines (an index of every page) are not headings


def _style_key(b: TextBlock) -> tuple[float, bool, bool]:
    return (round(b.size * 2) / 2, b.bold >= 0.5, b.italic >= 0.5)


def _in_row(b: TextBlock, blocks_on_page: Sequence[TextBlock]) -> bool:
    """Side by side with another block (a table row): not a heading."""
    first = b.lines[0]
    for o in blocks_on_page:
        if o is b or o.region != b.region:
            continue
        ol = o.lines[0]
        if abs(ol.baseline - first.baseline) < 0.3 * first.size and (ol.x1 < first.x0 or ol.x0 > first.x1):
            return True
    return False


def is_candidate(b: TextBlock, body: float) -> bool:
    if b.kind != "para" or len(b.lines) > MAX_HEADING_LINES:
        return False
    text = b.text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or not re.search(r"[^\W\d_]", text):
        return False
    if text[-1] in ",;" or (text.endswith(".") and len(text.split()) > 12 and not _NUMBERED.match(text)):
        return False
    size = b.size
    if size >= 1.12 * body:
        return True
    return b.bold >= 0.8 and size >= 0.93 * body


def _numbering_depth(text: str) -> int | None:
    m = _NUMBERED.match(text)
    if m:
        return m.group(1).count(".") + 1
    if _ROMAN.match(text) or _LETTER.match(text):
        return 1
    return None


def _match_outline(
    entries: Sequence[OutlineEntry], blocks: Sequence[TextBlock], candidates: set[int]
) -> dict[int, int]:
    """block index -> outline level for the entries found in the text."""
    by_page: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.kind == "para" and len(b.lines) <= MAX_HEADING_LINES + 2:
            by_page.setdefault(b.page, []).append(i)
    found: dict[int, int] = {}
    for e in entries:
        key = normalise_key(e.title)
        if not key:
            continue
        pages = [e.page, e.page + 1, e.page - 1] if e.page is not None else sorted(by_page)
        best: tuple[float, int] | None = None
        for p in pages:
            for i in by_page.get(p, ()):
                if i in found:
                    continue
                bkey = normalise_key(blocks[i].text)
                if not bkey:
                    continue
                number = _NUMBER_PREFIX.match(blocks[i].text)
                bare = normalise_key(blocks[i].text[number.end() :]) if number else None
                if bkey == key:
                    score = 1.0
                elif bare == key and number is not None:
                    score = 1.0
                    blocks[i].meta["number_prefix"] = number.group(0)
                elif bkey.startswith(key + " ") and i in candidates:
                    score = 0.9
                elif len(bkey) <= 2 * len(key) + 20:
                    score = difflib.SequenceMatcher(None, key, bkey).ratio()
                    if score < 0.88:
                        continue
                else:
                    continue
                score += 0.05 * (i in candidates) - 0.01 * abs(p if e.page is None else p - e.page)
                if e.top is not None and p == e.page:
                    score -= min(abs(blocks[i].top - e.top), 400) / 40000
                if best is None or score > best[0]:
                    best = (score, i)
            if best is not None and best[0] >= 1.0:
                break
        if best is not None:
            found[best[1]] = e.level
    return found


def assign_headings(blocks: Sequence[TextBlock], body: float, outline: Sequence[OutlineEntry]) -> None:
    """Set ``heading_level`` (not yet contiguous) and ``heading_how`` on heading blocks."""
    by_page: dict[int, list[TextBlock]] = {}
    for b in blocks:
        by_page.setdefault(b.page, []).append(b)
    candidates = {
        i for i, b in enumerate(blocks) if is_candidate(b, body) and not _in_row(b, by_page[b.page])
    }
    usable = outline if len(outline) <= MAX_OUTLINE else ()
    matched = _match_outline(usable, blocks, candidates) if usable else {}
    if usable and len(matched) >= max(1, 0.5 * len(usable)):
        for i, level in matched.items():
            blocks[i].heading_level = level
            blocks[i].heading_how = "outline"
        # headings left out of the outline that look exactly like outline headings
        styles: dict[tuple[float, bool, bool], Counter[int]] = {}
        for i, level in matched.items():
            styles.setdefault(_style_key(blocks[i]), Counter())[level] += 1
        for i in sorted(candidates - set(matched)):
            counter = styles.get(_style_key(blocks[i]))
            if counter:
                blocks[i].heading_level = counter.most_common(1)[0][0]
                blocks[i].heading_how = "style"
        return
    _by_typography(blocks, sorted(candidates), body)


def _by_typography(blocks: Sequence[TextBlock], candidates: list[int], body: float) -> None:
    """Levels from the nesting of styles: a heading closes every open heading
    set in the same or a lesser style, and sits one level below the rest."""
    if not candidates:
        return
    paragraphs = sum(1 for b in blocks if b.kind == "para")
    counts = Counter(_style_key(blocks[i]) for i in candidates)
    # a style used by a large share of all blocks is emphasised body text, not headings
    styles = [s for s, n in counts.items() if n <= max(3, 0.4 * paragraphs) or s[0] >= 1.12 * body]
    ranked = sorted(styles, key=lambda s: (-s[0], not s[1], s[2]))
    rank = {s: r + 1 for r, s in enumerate(ranked)}
    numbered = {i: d for i in candidates if (d := _numbering_depth(blocks[i].text)) is not None}
    use_numbers = len(numbered) >= 2 and len(numbered) >= 0.5 * len(candidates)
    chosen = [i for i in candidates if _style_key(blocks[i]) in rank]
    if not chosen:
        return
    top_rank = min(rank[_style_key(blocks[i])] for i in chosen)
    open_ranks: list[float] = []
    for i in chosen:
        b = blocks[i]
        if use_numbers and i in numbered:
            depth = numbered[i]
            b.heading_level = depth
            b.heading_how = "numbering"
            r_num = float(rank[_style_key(b)])
            kept = open_ranks[: depth - 1]
            open_ranks = kept + [r_num - 0.5] * (depth - 1 - len(kept)) + [r_num]
            continue
        r = float(rank[_style_key(b)])
        if r > top_rank and _BACK_MATTER.match(b.text.strip()):
            r = top_rank
        while open_ranks and open_ranks[-1] >= r:
            open_ranks.pop()
        open_ranks.append(r)
        b.heading_level = len(open_ranks)
        b.heading_how = "style"


def contiguous(levels: Sequence[int]) -> list[int]:
    """Levels mapped onto 1..n by rank, then never deeper than one below the previous."""
    ranks = {lvl: r + 1 for r, lvl in enumerate(sorted(set(levels)))}
    out: list[int] = []
    prev = 0
    for lvl in levels:
        level = min(ranks[lvl], prev + 1, 6)
        out.append(level)
        prev = level
    return out
