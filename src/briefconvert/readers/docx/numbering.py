"""List numbering: ``word/numbering.xml`` (numId/ilvl -> bullet or number
format, start value, indent) and Word's running counters, which continue a
list's numbers across interruptions unless the list instance restarts them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...record import Record
from .ns import W_VAL, Element, W, int_attr
from .styles import Styles

ListKind = str  # "bullet", "none", or a model NumberStyle: "1", "a", "A", "i", "I"

_FORMATS = {
    "bullet": "bullet",
    "none": "none",
    "lowerLetter": "a",
    "upperLetter": "A",
    "lowerRoman": "i",
    "upperRoman": "I",
}
_MAX_LINKS = 4  # numStyleLink indirections followed


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Level(Record):
    kind: ListKind
    start: int
    indent: int | None  # left indent of the level's text, twips


_DEFAULT_LEVEL = Level("1", 1, None)


def _level(el: Element) -> Level:
    fmt_el = el.find(W + "numFmt")
    fmt = fmt_el.get(W_VAL, "decimal") if fmt_el is not None else "decimal"
    start = int_attr(el.find(W + "start"))
    ind = el.find(f"{W}pPr/{W}ind")
    indent = None
    if ind is not None:
        indent = int_attr(ind, W + "left") if ind.get(W + "left") is not None else int_attr(ind, W + "start")
    return Level(_FORMATS.get(fmt, "1"), start if start is not None else 1, indent)


@dataclass(slots=True)
class _Num:
    abstract: int
    starts: dict[int, int]  # ilvl -> startOverride
    levels: dict[int, Level]  # ilvl -> lvl override


class Numbering:
    def __init__(self, root: Element | None, styles: Styles) -> None:
        self._abstract: dict[int, dict[int, Level]] = {}
        self._links: dict[int, str] = {}  # abstractNumId -> numbering style id
        self._nums: dict[int, _Num] = {}
        self._styles = styles
        if root is None:
            return
        for el in root.iterfind(W + "abstractNum"):
            aid = int_attr(el, W + "abstractNumId")
            if aid is None:
                continue
            levels = {}
            for lvl in el.iterfind(W + "lvl"):
                ilvl = int_attr(lvl, W + "ilvl")
                if ilvl is not None and 0 <= ilvl <= 8:
                    levels[ilvl] = _level(lvl)
            self._abstract[aid] = levels
            link = el.find(W + "numStyleLink")
            if link is not None and link.get(W_VAL):
                self._links[aid] = link.get(W_VAL, "")
        for el in root.iterfind(W + "num"):
            nid = int_attr(el, W + "numId")
            aid = int_attr(el.find(W + "abstractNumId"))
            if nid is None or aid is None:
                continue
            starts: dict[int, int] = {}
            overrides: dict[int, Level] = {}
            for ov in el.iterfind(W + "lvlOverride"):
                ilvl = int_attr(ov, W + "ilvl")
                if ilvl is None:
                    continue
                start = int_attr(ov.find(W + "startOverride"))
                if start is not None:
                    starts[ilvl] = start
                override = ov.find(W + "lvl")
                if override is not None:
                    overrides[ilvl] = _level(override)
            self._nums[nid] = _Num(aid, starts, overrides)

    def _abstract_of(self, num_id: int) -> int | None:
        num = self._nums.get(num_id)
        aid = num.abstract if num else None
        for _ in range(_MAX_LINKS):  # numStyleLink: the definition lives with a numbering style
            if aid is None or aid not in self._links:
                break
            linked = self._styles.numbering_style_num(self._links[aid])
            target = self._nums.get(linked) if linked is not None else None
            if target is None or target.abstract == aid:
                break
            aid = target.abstract
        return aid

    def level(self, num_id: int, ilvl: int) -> Level | None:
        """The level definition of list instance ``num_id``; None when the
        paragraph is not numbered (numId 0 or unknown)."""
        num = self._nums.get(num_id)
        if num_id == 0 or num is None:
            return None
        if ilvl in num.levels:
            lvl = num.levels[ilvl]
        else:
            aid = self._abstract_of(num_id)
            lvl = self._abstract.get(aid, {}).get(ilvl, _DEFAULT_LEVEL) if aid is not None else _DEFAULT_LEVEL
        start = num.starts.get(ilvl)
        return lvl if start is None else Level(lvl.kind, start, lvl.indent)

    def counter_key(self, num_id: int, ilvl: int) -> tuple[str, int]:
        """Which running counter an item uses: its own list instance when
        that instance restarts the level, else the shared definition."""
        num = self._nums.get(num_id)
        if num is not None and ilvl in num.starts:
            return ("num", num_id)
        aid = self._abstract_of(num_id)
        return ("abstract", aid) if aid is not None else ("num", num_id)


@dataclass(slots=True)
class Counters:
    """Word's running list numbers, per counter key and level."""

    values: dict[tuple[str, int], list[int | None]] = field(default_factory=dict)

    def next(self, key: tuple[str, int], ilvl: int, start: int) -> int:
        levels = self.values.setdefault(key, [None] * 9)
        current = levels[ilvl]
        number = start if current is None else current + 1
        levels[ilvl] = number
        for deeper in range(ilvl + 1, 9):  # a higher level restarts the levels below it
            levels[deeper] = None
        return number
