"""Styles: ``word/styles.xml`` resolved along ``w:basedOn`` chains.

Built-in styles are recognised by their stored name, which Word keeps in
English whatever the user interface language ("heading 1", "caption",
"Title"), or by the paragraph outline level (``w:outlineLvl`` 0-8), which is
what Word's navigation pane and PDF export use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from ...record import Record
from .ns import W_VAL, Element, W, int_attr, on

StyleKind = Literal["title", "subtitle", "caption", "code", "quote", "list", "toc", "note", "header"]

_HEADING_NAME = re.compile(r"heading\s*([1-9])\Z")
_KINDS: dict[str, StyleKind] = {
    "title": "title",
    "subtitle": "subtitle",
    "caption": "caption",
    "quote": "quote",
    "intense quote": "quote",
    "block text": "quote",
    "source code": "code",
    "html preformatted": "code",
    "plain text": "code",
    "macro": "code",
    "list paragraph": "list",
    "list continue": "list",
    "list continue 2": "list",
    "list continue 3": "list",
    "list continue 4": "list",
    "list continue 5": "list",
    "footnote text": "note",
    "endnote text": "note",
    "header": "header",
    "footer": "header",
    "toc heading": "toc",
}
_TOC = re.compile(r"toc\s*[1-9]\Z")
_MONO_FONTS = frozenset(
    {
        "courier",
        "courier new",
        "consolas",
        "menlo",
        "monaco",
        "lucida console",
        "lucida sans typewriter",
        "andale mono",
        "source code pro",
        "inconsolata",
    }
)
_CODE_CHAR_STYLES = frozenset(
    {"verbatim char", "html code", "html typewriter", "html keyboard", "html sample"}
)
MAX_CHAIN = 32  # basedOn steps followed (cycles and absurd chains end here)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RunProps(Record):
    """Character properties; None means "not set here" (inherit)."""

    bold: bool | None = None
    italic: bool | None = None
    size: int | None = None  # half-points
    lang: str | None = None
    vert: str | None = None  # "superscript" | "subscript" | "baseline"
    mono: bool | None = None
    hidden: bool | None = None
    style: str | None = None  # w:rStyle (direct formatting only)

    def over(self, base: RunProps) -> RunProps:
        """These properties with ``base`` filling in what is not set."""
        if base is NO_RUN or self is base:
            return self
        if self is NO_RUN:
            return base
        return RunProps(
            self.bold if self.bold is not None else base.bold,
            self.italic if self.italic is not None else base.italic,
            self.size if self.size is not None else base.size,
            self.lang if self.lang is not None else base.lang,
            self.vert if self.vert is not None else base.vert,
            self.mono if self.mono is not None else base.mono,
            self.hidden if self.hidden is not None else base.hidden,
            self.style if self.style is not None else base.style,
        )


NO_RUN = RunProps()


def is_mono_font(name: str | None) -> bool:
    if not name:
        return False
    name = name.strip().lower()
    return name in _MONO_FONTS or " mono" in name or name.endswith("mono") or "code" in name


def run_props(rpr: Element | None) -> RunProps:
    """The properties a ``w:rPr`` sets."""
    if rpr is None:
        return NO_RUN
    bold = italic = mono = hidden = None
    size = None
    lang = vert = style = None
    for child in rpr:
        tag = child.tag
        if tag == W + "b":
            bold = on(child)
        elif tag == W + "i":
            italic = on(child)
        elif tag == W + "sz":
            size = int_attr(child)
        elif tag == W + "lang":
            value = child.get(W_VAL)
            if value and value.lower() != "x-none":
                lang = value
        elif tag == W + "vertAlign":
            vert = child.get(W_VAL)
        elif tag == W + "rFonts":
            font = child.get(W + "ascii") or child.get(W + "hAnsi")
            if font:
                mono = is_mono_font(font)
        elif tag in (W + "vanish", W + "specVanish"):
            hidden = on(child)
        elif tag == W + "rStyle":
            style = child.get(W_VAL)
    return RunProps(bold, italic, size, lang, vert, mono, hidden, style)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NumRef(Record):
    num_id: int
    ilvl: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ParaStyle(Record):
    """A paragraph style resolved along its ``basedOn`` chain."""

    id: str | None
    name: str  # lower-case
    outline: int | None  # 0-8 heading levels, 9 body text, None unset
    kind: StyleKind | None
    run: RunProps  # character properties of the style (docDefaults filled in)
    num: NumRef | None
    indent: int | None  # left indent, twips
    heading_name: int | None  # N of a "heading N" name in the chain

    @property
    def heading_level(self) -> int | None:
        """1..6 when paragraphs of this style are headings."""
        return heading_level(self.outline, self.heading_name)


def heading_level(outline: int | None, heading_name: int | None) -> int | None:
    if outline is not None:
        return min(outline + 1, 6) if 0 <= outline <= 8 else None
    if heading_name is not None:
        return min(heading_name, 6)
    return None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Raw(Record):
    type: str
    name: str
    based_on: str | None
    ppr: Element | None
    rpr: Element | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ParaProps(Record):
    """The direct paragraph properties (``w:pPr``) the reader and rules use."""

    style: str | None = None  # w:pStyle
    outline: int | None = None
    num: NumRef | None = None
    indent: int | None = None
    box: bool = False  # borders on all four sides
    rule: bool = False  # a top or bottom border only
    border: bool = False  # any border
    section: bool = False  # carries a section break (w:sectPr)


NO_PARA = ParaProps()
_SIDES = frozenset({W + "top", W + "left", W + "bottom", W + "right"})


def para_props(ppr: Element | None) -> ParaProps:
    """One pass over a ``w:pPr``."""
    if ppr is None:
        return NO_PARA
    style = outline = num = indent = None
    box = rule = border = section = False
    for el in ppr:
        tag = el.tag
        if tag == W + "pStyle":
            style = el.get(W_VAL)
        elif tag == W + "numPr":
            num = _numpr(el)
        elif tag == W + "outlineLvl":
            outline = int_attr(el)
        elif tag == W + "ind":
            indent = _indent(el)
        elif tag == W + "pBdr":
            sides = {b.tag for b in el if (b.get(W_VAL) or "none") not in ("none", "nil")}
            border = bool(sides)
            box = sides >= _SIDES
            rule = border and not box and sides <= {W + "top", W + "bottom"}
        elif tag == W + "sectPr":
            section = True
    return ParaProps(style, outline, num, indent, box, rule, border, section)


def _numpr(numpr: Element) -> NumRef | None:
    num_id = ilvl = None
    for el in numpr:
        if el.tag == W + "numId":
            num_id = int_attr(el)
        elif el.tag == W + "ilvl":
            ilvl = int_attr(el)
    if num_id is None:
        return None
    return NumRef(num_id, min(max(ilvl or 0, 0), 8))


def _indent(ind: Element) -> int | None:
    return int_attr(ind, W + "left") if ind.get(W + "left") is not None else int_attr(ind, W + "start")


def numbering_of(ppr: Element | None) -> NumRef | None:
    """The ``w:numPr`` of a ``w:pPr`` (numId 0 means "no numbering")."""
    if ppr is None:
        return None
    numpr = ppr.find(W + "numPr")
    return _numpr(numpr) if numpr is not None else None


def indent_of(ppr: Element | None) -> int | None:
    if ppr is None:
        return None
    ind = ppr.find(W + "ind")
    return _indent(ind) if ind is not None else None


def outline_of(ppr: Element | None) -> int | None:
    return None if ppr is None else int_attr(ppr.find(W + "outlineLvl"))


class Styles:
    """The style table of one document.  Lookups are cached per call."""

    def __init__(self, root: Element | None) -> None:
        self._raw: dict[str, _Raw] = {}
        self._para: dict[str | None, ParaStyle] = {}
        self._char: dict[str, RunProps] = {}
        self.default_para: str | None = None
        self.defaults = NO_RUN
        if root is None:
            return
        rpr_default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = run_props(rpr_default)
        for el in root.iterfind(W + "style"):
            sid = el.get(W + "styleId")
            if not sid:
                continue
            stype = el.get(W + "type") or "paragraph"
            name_el = el.find(W + "name")
            based = el.find(W + "basedOn")
            self._raw.setdefault(
                sid,
                _Raw(
                    stype,
                    (name_el.get(W_VAL) or "" if name_el is not None else "").strip().lower(),
                    based.get(W_VAL) if based is not None else None,
                    el.find(W + "pPr"),
                    el.find(W + "rPr"),
                ),
            )
            if stype == "paragraph" and (el.get(W + "default") or "").lower() in ("1", "true", "on"):
                self.default_para = self.default_para or sid

    # ------------------------------------------------------------------ chains

    def _chain(self, sid: str | None, stype: str) -> list[_Raw]:
        out: list[_Raw] = []
        seen: set[str] = set()
        while sid and sid not in seen and len(out) < MAX_CHAIN:
            seen.add(sid)
            raw = self._raw.get(sid)
            if raw is None or raw.type != stype:
                break
            out.append(raw)
            sid = raw.based_on
        return out

    def para(self, sid: str | None) -> ParaStyle:
        """The resolved paragraph style ``sid`` (the default paragraph style
        for None or an unknown id)."""
        cached = self._para.get(sid)
        if cached is not None:
            return cached
        chain = self._chain(sid, "paragraph")
        if not chain and self.default_para and sid != self.default_para:
            resolved = self.para(self.default_para)
        else:
            resolved = self._resolve(sid, chain)
        self._para[sid] = resolved
        return resolved

    def _resolve(self, sid: str | None, chain: list[_Raw]) -> ParaStyle:
        outline = kind = num = indent = heading_name = None
        run = NO_RUN
        for raw in chain:  # nearest first
            if outline is None:
                outline = outline_of(raw.ppr)
            if num is None:
                num = numbering_of(raw.ppr)
            if indent is None:
                indent = indent_of(raw.ppr)
            if kind is None:
                kind = _KINDS.get(raw.name) or ("toc" if _TOC.match(raw.name) else None)
            if heading_name is None and (m := _HEADING_NAME.match(raw.name)):
                heading_name = int(m[1])
            run = run.over(run_props(raw.rpr))
        name = chain[0].name if chain else ""
        return ParaStyle(sid, name, outline, kind, run.over(self.defaults), num, indent, heading_name)

    def char(self, sid: str | None) -> RunProps:
        """The properties of character style ``sid`` along its chain."""
        if not sid:
            return NO_RUN
        cached = self._char.get(sid)
        if cached is not None:
            return cached
        run = NO_RUN
        chain = self._chain(sid, "character")
        for raw in chain:
            run = run.over(run_props(raw.rpr))
        if chain and chain[0].name in _CODE_CHAR_STYLES and run.mono is None:
            run = replace(run, mono=True)
        self._char[sid] = run
        return run

    def body_size(self) -> int:
        """The body text size (half-points) of the default paragraph style."""
        return self.para(None).run.size or 20  # Word's default when nothing says otherwise: 10 pt

    def default_lang(self) -> str | None:
        """The language of the default paragraph style's text (docDefaults or Normal)."""
        return self.para(None).run.lang

    def numbering_style_num(self, sid: str | None) -> int | None:
        """The numId a numbering style (``w:type="numbering"``) points to."""
        raw = self._raw.get(sid or "")
        if raw is None or raw.type != "numbering":
            return None
        ref = numbering_of(raw.ppr)
        return ref.num_id if ref else None
