"""A paragraph's runs -> inline nodes (see ``pieces`` for the grouping and
``fields`` for links and fields).

* Formatting: only direct formatting and character styles make Strong and
  Emph; a paragraph style's own bold (headings) is its look, not emphasis;
  so is the bold of a header row.  Monospace runs (code character styles,
  monospace fonts) are Code.
* Language: a run whose language (direct, character style, paragraph style)
  differs from the document's gets a Span with that ``lang``; when all of a
  paragraph's text is in one other language, the paragraph carries it.
* Notes: ``w:footnoteReference`` / ``w:endnoteReference`` -> Note with the
  note's blocks (read once per note); no notes inside notes.
* Hidden text (``w:vanish``) and tracked deletions are dropped, insertions
  kept; ``mc:AlternateContent`` is read once (see ``choose``); equations are
  kept as their text.
* Bookmarks become ids only when a link points to them: the first one of a
  paragraph is the block's id, others are empty Spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...model import Attr, Block, Code, Image, Inline, LineBreak, Note, Span, Text
from ...textnorm import clean_text, collapse_ws
from .context import LinkTarget, ReadContext, Story
from .fields import end_paragraph, field_link, field_target, fld_char, in_instructions, safe_url
from .images import drawing, vml
from .ns import KNOWN_CHOICE_PREFIXES, MC, R_ID, REL_HYPERLINK, Element, W, child
from .pieces import PLAIN, Piece, Style, finish
from .story import in_story
from .styles import ParaStyle, RunProps, run_props

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_SKIP = frozenset(
    {
        W + "pPr",
        W + "rPr",
        W + "del",
        W + "moveFrom",
        W + "proofErr",
        W + "commentRangeStart",
        W + "commentRangeEnd",
        W + "bookmarkEnd",
        W + "permStart",
        W + "permEnd",
    }
)
_WRAPPERS = frozenset(
    {W + "smartTag", W + "customXml", W + "ins", W + "moveTo", W + "dir", W + "bdo", W + "sdtContent"}
)
_R, _HYPERLINK, _SDT, _SDT_CONTENT = W + "r", W + "hyperlink", W + "sdt", W + "sdtContent"
_BOOKMARK, _BOOKMARK_NAME, _FLD_SIMPLE = W + "bookmarkStart", W + "name", W + "fldSimple"
_T, _TAB, _PTAB, _BR, _CR = W + "t", W + "tab", W + "ptab", W + "br", W + "cr"
_RPR, _FLD_CHAR, _INSTR = W + "rPr", W + "fldChar", W + "instrText"
_NOTE_REFS = frozenset({W + "footnoteReference", W + "endnoteReference"})
_DRAWING, _VML = W + "drawing", frozenset({W + "pict", W + "object"})
_BR_TYPE = W + "type"
_MATH = frozenset({M + "oMath", M + "oMathPara"})
_VERTS = frozenset({"superscript", "subscript"})


@dataclass(slots=True)
class _Para:
    """What the runs of one paragraph are read with."""

    p: Element
    style: ParaStyle
    pieces: list[Piece]
    ids: list[str]  # bookmark ids found in the paragraph
    link: LinkTarget | None = None  # the enclosing w:hyperlink


def choose(alt: Element) -> list[Element]:
    """The children of the ``mc:AlternateContent`` branch to read: the first
    ``mc:Choice`` this reader understands, else ``mc:Fallback``."""
    for branch in alt:
        if branch.tag == MC + "Choice":
            requires = (branch.get("Requires") or "").split()
            if requires and all(r in KNOWN_CHOICE_PREFIXES for r in requires):
                return list(branch)
        elif branch.tag == MC + "Fallback":
            return list(branch)
    return []


def paragraph_inlines(
    ctx: ReadContext, p: Element, style: ParaStyle
) -> tuple[tuple[Inline, ...], str | None, str | None]:
    """(inlines, paragraph language, first bookmark id) of a ``w:p``.  Text
    boxes met on the way are left in ``ctx.floats``."""
    para = _Para(p, style, [], [])
    _children(ctx, para, p)
    if ctx.fields:
        end_paragraph(ctx)
    nodes, lang = finish(para.pieces)
    if not para.ids:
        return nodes, lang, None
    extra = tuple(Span((), Attr(id=anchor)) for anchor in para.ids[1:])
    return (*extra, *nodes), lang, para.ids[0]


def _children(ctx: ReadContext, para: _Para, parent: Iterable[Element]) -> None:
    for el in parent:
        tag = el.tag
        if tag == _R:
            _run(ctx, para, el)
        elif tag in _SKIP:
            continue
        elif tag == _HYPERLINK:
            _hyperlink(ctx, para, el)
        elif tag in _WRAPPERS:
            _children(ctx, para, el)
        elif tag == _SDT:
            content = child(el, _SDT_CONTENT)
            if content is not None:
                _children(ctx, para, content)
        elif tag == _FLD_SIMPLE:
            _in_link(ctx, para, el, field_link(ctx, el.get(W + "instr") or ""))
        elif tag == _BOOKMARK:
            name = el.get(_BOOKMARK_NAME)
            if name and name in ctx.anchors and name not in ctx.used_ids:
                ctx.used_ids.add(name)
                para.ids.append(name)
        elif tag == MC + "AlternateContent":
            _children(ctx, para, choose(el))
        elif tag in _MATH:
            text = "".join(t.text or "" for t in el.iter(M + "t"))
            if text.strip():
                _add(ctx, para, Text(clean_text(text)), PLAIN)


def _hyperlink(ctx: ReadContext, para: _Para, el: Element) -> None:
    url = None
    rid = el.get(R_ID)
    anchor = el.get(W + "anchor")
    if rid:
        rel = ctx.story.rels.get(rid)
        if rel is not None and rel.type == REL_HYPERLINK and rel.external:
            url = safe_url(ctx, rel.target)
            if url is not None and anchor:
                url = f"{url}#{anchor}"
    elif anchor:
        url = "#" + anchor
    target = None
    if url is not None:
        tooltip = el.get(W + "tooltip")
        target = ctx.link(url, (collapse_ws(tooltip) or None) if tooltip else None)
    _in_link(ctx, para, el, target)


def _in_link(ctx: ReadContext, para: _Para, el: Element, target: LinkTarget | None) -> None:
    """Read ``el``'s children as the content of link ``target`` (links do not nest)."""
    saved = para.link
    if target is not None and para.link is None:
        para.link = target
    _children(ctx, para, el)
    para.link = saved


# --------------------------------------------------------------------- runs


def _run(ctx: ReadContext, para: _Para, r: Element) -> None:
    first = r[0] if len(r) else None
    direct = run_props(first if first is not None and first.tag == _RPR else None)
    fmt = direct.over(ctx.styles.char(direct.style)) if direct.style else direct
    if fmt.hidden or (fmt.hidden is None and para.style.run.hidden):
        return
    _run_content(ctx, para, r, fmt, _style(ctx, para, fmt))


def _style(ctx: ReadContext, para: _Para, fmt: RunProps) -> Style:
    lang = fmt.lang or para.style.run.lang
    base = ctx.base_lang
    if lang is not None and base is not None and lang.lower() == base.lower():
        lang = None
    bold = bool(fmt.bold) and not ctx.in_header
    return (lang, bold, bool(fmt.italic), fmt.vert if fmt.vert in _VERTS else None)


def _run_content(
    ctx: ReadContext, para: _Para, parent: Iterable[Element], fmt: RunProps, style: Style
) -> None:
    for el in parent:
        tag = el.tag
        if ctx.fields:
            if tag == _FLD_CHAR:
                fld_char(ctx, el)
                continue
            if tag == _INSTR:
                if not ctx.fields[-1].in_result:
                    ctx.fields[-1].instr.append(el.text or "")
                continue
            if in_instructions(ctx):
                continue
        if tag == _T:
            text = el.text
            if text:
                if not (text.isascii() and text.isprintable()):  # printable ASCII needs no cleaning
                    text = clean_text(text)
                _add(ctx, para, Code(text) if fmt.mono else Text(text), style)
        elif tag == _RPR:
            continue
        elif tag == _FLD_CHAR:
            fld_char(ctx, el)
        elif tag in (_TAB, _PTAB):
            _add(ctx, para, Text(" "), style)
        elif tag == _BR:
            if el.get(_BR_TYPE) in (None, "textWrapping"):
                _add(ctx, para, LineBreak(), style)
        elif tag == _CR:
            _add(ctx, para, LineBreak(), style)
        elif tag in _NOTE_REFS:
            _note(ctx, para, el)
        elif tag == _DRAWING or tag in _VML:
            images: list[Image] = []
            (drawing if tag == _DRAWING else vml)(ctx, el, images, ctx.src(para.p))
            for image in images:
                _add(ctx, para, image, style)
        elif tag == W + "noBreakHyphen":
            _add(ctx, para, Text("\u2011"), style)
        elif tag == W + "sym":
            _symbol(ctx, para, el, style)
        elif tag == MC + "AlternateContent":
            _run_content(ctx, para, choose(el), fmt, style)
        elif tag == W + "ruby":
            base = child(el, W + "rubyBase")
            if base is not None:
                _children(ctx, para, base)


def _add(ctx: ReadContext, para: _Para, node: Inline, style: Style) -> None:
    link = para.link or (field_target(ctx) if ctx.fields else None)
    para.pieces.append((node, link, style))


def _symbol(ctx: ReadContext, para: _Para, el: Element, style: Style) -> None:
    """``w:sym``: a character of a symbol font.  Code points in the private
    use area (Symbol, Wingdings) have no Unicode meaning and are dropped."""
    raw = el.get(W + "char") or ""
    try:
        code = int(raw, 16)
    except ValueError:
        return
    if 0x20 <= code < 0xE000 or 0xF900 <= code <= 0xFFFD:
        _add(ctx, para, Text(clean_text(chr(code))), style)


# -------------------------------------------------------------------- notes


def _note(ctx: ReadContext, para: _Para, el: Element) -> None:
    if ctx.in_note:  # no notes inside notes
        return
    kind = "footnotes" if el.tag == W + "footnoteReference" else "endnotes"
    note_id = el.get(W + "id")
    if note_id is None:
        return
    blocks = note_blocks(ctx, kind, note_id)
    if blocks is not None:
        _add(ctx, para, Note(blocks, src=ctx.src(para.p)), PLAIN)


def note_blocks(ctx: ReadContext, kind: str, note_id: str) -> tuple[Block, ...] | None:
    """The blocks of footnote or endnote ``note_id`` (read once)."""
    key = (kind, note_id)
    if key in ctx.notes:
        return ctx.notes[key]
    if kind not in ctx.note_parts:
        ctx.note_parts[kind] = _note_part(ctx, kind)
    found = ctx.note_parts[kind]
    note = found[1].get(note_id) if found is not None else None
    if found is None or note is None:
        return None
    blocks = in_story(ctx, found[0], note, note=True)
    ctx.notes[key] = blocks
    return blocks


def _note_part(ctx: ReadContext, kind: str) -> tuple[Story, dict[str, Element]] | None:
    """The story of the footnotes or endnotes part and its notes by id."""
    part = ctx.pkg.related(ctx.main, kind)
    root = ctx.pkg.xml(part) if part else None
    if part is None or root is None:
        return None
    tag = W + ("footnote" if kind == "footnotes" else "endnote")
    notes = {n.get(W + "id", ""): n for n in root.iterfind(tag)}
    return Story(part, ctx.pkg.rels(part), ctx.pkg.para_numbers(part, root)), notes


def raw_text(p: Element) -> str:
    """The text of a code paragraph as typed: tabs and line breaks kept,
    spaces not collapsed."""
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        elif el.get(_BR_TYPE) in (None, "textWrapping"):
            parts.append("\n")
    return clean_text("".join(parts))
