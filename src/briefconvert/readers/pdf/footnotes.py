"""Footnotes of untagged pages: small numbered text at the bottom of a page,
joined to the superscript numbers that call them on the same page.

The footnote area is the run of small lines (smaller than the body text) at
the bottom of the page, under all body text; each note starts with its
number.  Only notes whose call is found are taken out of the flow; the
others stay where they are, as text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .backend import TextSpan
from .inlines import is_raised
from .layout import Line

_MARK = re.compile(r"^\s*\(?(\d{1,3}|[*†‡§])[.):]?(?:\s+|$)")


def _marker(line: Line) -> str | None:
    first = line.spans[0]
    if first.text.strip().isdigit() and len(line.spans) > 1 and first.size < 0.9 * line.size:
        return first.text.strip()  # a superscript number before the note text
    m = _MARK.match(line.text)
    return m.group(1) if m else None


def _calls(lines: Sequence[Line]) -> set[str]:
    """Raised numbers in the page's body text."""
    found: set[str] = set()
    for ln in lines:
        main = max(ln.spans, key=lambda s: (round(s.size, 1), len(s.text)))
        for s in ln.spans:
            text = s.text.strip()
            if s is not main and text and (text.isdigit() or text in "*†‡§") and is_raised(s, main):
                found.add(text)
    return found


def find_footnotes(lines: Sequence[Line], body: float, height: float) -> dict[str, list[Line]]:
    """number -> the lines of its note, for the notes at the bottom of one page
    that the page's text calls.  The lines are flagged (``meta["footnote"]``)."""
    live = sorted((ln for ln in lines if not ln.furniture), key=lambda ln: (ln.top, ln.x0))
    if len(live) < 2:
        return {}
    area: list[Line] = []
    for ln in reversed(live):
        if ln.size >= 0.92 * body or ln.top < 0.4 * height:
            break
        if area and area[-1].top - ln.bottom > 1.2 * ln.size:
            break  # the gap above the footnote area
        area.append(ln)
    area.reverse()
    if not area or len(area) == len(live):
        return {}
    calls = _calls([ln for ln in live if ln not in area])
    notes: dict[str, list[Line]] = {}
    current: str | None = None
    for ln in area:
        mark = _marker(ln)
        if mark is not None and mark not in notes:
            current = mark
            notes[mark] = [ln]
        elif current is not None:
            notes[current].append(ln)
        else:
            return {}  # small text that is not a note (a caption, a source line)
    taken = {k: v for k, v in notes.items() if k in calls}
    for group in taken.values():
        for ln in group:
            ln.meta["footnote"] = True
    return taken


def strip_marker(spans: Sequence[TextSpan], mark: str) -> list[TextSpan]:
    """The first line's spans without the note number."""
    out = list(spans)
    if out and out[0].text.strip() == mark:
        return out[1:]
    if out:
        m = _MARK.match(out[0].text)
        if m and m.group(1) == mark:
            rest = out[0].text[m.end() :]
            first = out[0]
            cut = first.bbox[0] + (first.bbox[2] - first.bbox[0]) * (m.end() / max(len(first.text), 1))
            out[0] = TextSpan(
                text=rest,
                bbox=(cut, first.bbox[1], first.bbox[2], first.bbox[3]),
                baseline=first.baseline,
                size=first.size,
                font=first.font,
                bold=first.bold,
                italic=first.italic,
                monospace=first.monospace,
                mcid=first.mcid,
                artifact=first.artifact,
                upright=first.upright,
            )
            if not rest.strip():
                out.pop(0)
    return out
