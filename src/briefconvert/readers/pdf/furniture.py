"""Page furniture: running headers and footers, page numbers.

A line in the top or bottom band of its page is furniture when its text
(digits masked) recurs in the same band on other pages, or when it is only
a page number ("7", "Page 7 of 12", "vii", the printed page label)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import Line

BAND = 0.1  # top and bottom share of the page height for running heads
NUMBER_BAND = 0.2  # a lone page number may sit higher (LaTeX's footer)
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—|·•\s]*)(?:page|p\.|pg\.?|seite|página|pagina|pag\.|strona|side|sida|sivu)?\s*"
    r"(?:\d{1,5}|[ivxlcdm]{1,8})(?:\s*(?:of|/|de|von|sur|di|van|z|av)\s*\d{1,5})?(?:[-–—|·•\s]*)$",
    re.I,
)


def _key(text: str) -> str:
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


def _in_band(line: Line, height: float, band: float = BAND) -> str | None:
    if height <= 0:
        return None
    if line.bottom <= band * height + 8:
        return "top"
    if line.top >= (1 - band) * height - 8:
        return "bottom"
    return None


def mark_furniture(
    pages: Sequence[tuple[Sequence[Line], float, str]], body: float, title: str | None = None
) -> int:
    """Mark furniture lines (``line.furniture = True``) on every page; ``pages``
    holds (lines, page height, page label).  Returns the number marked.

    Besides repetition and page numbers, a small line at the very top or
    bottom of a later page that repeats the title or words of the first
    page's masthead is a running head (a two-page document repeats nothing)."""
    counts: dict[tuple[str, str], set[int]] = {}
    for index, (lines, height, _label) in enumerate(pages):
        for ln in lines:
            band = _in_band(ln, height)
            if band is not None and len(ln.text) <= 200:
                counts.setdefault((band, _key(ln.text)), set()).add(index)
    n_pages = len(pages)
    need = 2 if n_pages < 8 else max(2, round(0.2 * n_pages))
    first_text = " ".join(ln.text.casefold() for ln in pages[0][0]) if pages else ""
    known = " ".join(first_text.split())
    title_key = " ".join((title or "").casefold().split())
    marked = 0
    for index, (lines, height, label) in enumerate(pages):
        if not lines:
            continue
        top_line = min(lines, key=lambda ln: ln.top)
        bottom_line = max(lines, key=lambda ln: ln.bottom)
        for ln in lines:
            band = _in_band(ln, height, NUMBER_BAND)
            if band is None:
                continue
            near = _in_band(ln, height)
            repeated = (
                near is not None
                and len(counts.get((near, _key(ln.text)), ())) >= need
                and ln.size <= 1.15 * body
            )
            extreme = ln is top_line or ln is bottom_line
            number = extreme and (bool(_PAGE_NUMBER.match(ln.text)) or ln.text.strip() == label.strip())
            key = " ".join(ln.text.casefold().split())
            running = (
                extreme
                and near is not None
                and index > 0
                and ln.size < 0.95 * body
                and len(key) >= 8
                and (key in known or (bool(title_key) and key in title_key))
            )
            if repeated or number or running:
                ln.furniture = True
                marked += 1
    return marked
