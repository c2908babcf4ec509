"""Blocks -> paragraphs (``w:p``) and tables (``w:tbl``), appended to a
container: the body, a table cell or a footnote."""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from lxml import etree

from ..model import (
    Aside,
    Attr,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionList,
    Div,
    Endnotes,
    Figure,
    Heading,
    Inline,
    Note,
    OrderedList,
    Paragraph,
    Table,
    Text,
    ThematicBreak,
)
from ..walk import plain_text
from .docx_ctx import MAX_DEPTH, DocxContext, Env
from .docx_inlines import inlines, run_lang
from .docx_parts import MAX_LEVEL
from .docx_tables import table
from .docx_xml import (
    BLOCK_INDENT,
    LIST_HANGING,
    LIST_INDENT,
    XML_SPACE,
    ParaProps,
    RunFmt,
    W,
    is_rtl,
    sub,
    valid_lang,
    xml_safe,
)


def blocks(ctx: DocxContext, parent: etree._Element, seq: tuple[Block, ...], env: Env) -> None:
    """Render ``seq`` into ``parent``.  ``env.num`` (a list item's number)
    goes to the first block only."""
    ctx.depth += 1
    try:
        if ctx.depth > MAX_DEPTH:
            _too_deep(ctx, parent, seq, env)
            return
        rest = replace(env, num=None) if env.num else env
        for i, block in enumerate(without_endnotes(ctx, seq)):
            _block(ctx, parent, block, env if i == 0 else rest)
    finally:
        ctx.depth -= 1


def without_endnotes(ctx: DocxContext, seq: tuple[Block, ...]) -> list[Block]:
    """``seq`` without Endnotes markers: in DOCX the notes are real footnotes
    at the foot of their pages, so nothing is rendered where the marker was.
    The heading above the marker stays: the document keeps every heading of
    its source, at its level."""
    return [block for block in seq if not isinstance(block, Endnotes)]


def _too_deep(ctx: DocxContext, parent: etree._Element, seq: tuple[Block, ...], env: Env) -> None:
    if not ctx.depth_reported:
        ctx.depth_reported = True
        ctx.report.warning(
            "docx-depth", f"content nested more than {MAX_DEPTH} levels deep is written as text"
        )
    for block in seq:
        text = plain_text(block)
        if text:
            paragraph(ctx, parent, env, (Text(text),))


def _block(ctx: DocxContext, parent: etree._Element, block: Block, env: Env) -> None:
    match block:
        case Paragraph(content=content, attr=attr):
            ctx.mark(attr.id)
            paragraph(ctx, parent, env, content, lang=valid_lang(attr.lang))
        case Heading():
            _heading(ctx, parent, block, env)
        case BulletList() | OrderedList():
            _list(ctx, parent, block, env)
        case DefinitionList(items=items, attr=attr):
            ctx.mark(attr.id)
            env = _with_lang(env, attr)
            for item in items:
                paragraph(ctx, parent, replace(env, num=None), item.term, fmt_bold=True, keep_next=True)
                for definition in item.definitions:
                    blocks(ctx, parent, definition, replace(env, num=None, indent=env.indent + BLOCK_INDENT))
        case BlockQuote(blocks=inner, attribution=attribution, attr=attr):
            ctx.mark(attr.id)
            env = _with_lang(env, attr)
            blocks(ctx, parent, inner, env if env.in_note else replace(env, style="Quote"))
            if attribution:
                style = None if env.in_note else "Quote"
                paragraph(ctx, parent, replace(env, num=None), attribution, style=style, jc="right")
        case Figure(blocks=inner, caption=caption, attr=attr):
            ctx.mark(attr.id)
            env = _with_lang(env, attr)
            blocks(ctx, parent, inner, replace(env, keep_next=bool(caption)))
            if caption:
                paragraph(ctx, parent, replace(env, num=None), caption, style="Caption")
        case Table(attr=attr):
            ctx.mark(attr.id)
            table(ctx, parent, block, _with_lang(env, attr), blocks, paragraph)
        case Aside(blocks=inner, attr=attr):
            ctx.mark(attr.id)
            blocks(ctx, parent, inner, replace(_with_lang(env, attr), box=True))
        case CodeBlock():
            _code(ctx, parent, block, env)
        case ThematicBreak():
            p = ctx.new_paragraph(parent, ParaProps(rule=True))
            ctx.finish_paragraph(p, keep_empty=True)
        case Div(blocks=inner, attr=attr):
            ctx.mark(attr.id)
            blocks(ctx, parent, inner, _with_lang(env, attr))
        case Endnotes():
            pass  # removed by without_endnotes: the notes are real footnotes
        case _:
            assert_never(block)


def _with_lang(env: Env, attr: Attr) -> Env:
    lang = valid_lang(attr.lang)
    return replace(env, lang=lang) if lang else env


def _props(
    ctx: DocxContext,
    env: Env,
    style: str | None,
    lang: str | None,
    jc: str | None = None,
    keep_next: bool = False,
) -> ParaProps:
    """Paragraph properties from the environment: list numbering and
    continuation indents, the Aside box, the language's direction."""
    if style is None:
        if env.in_note:
            style = "FootnoteText"
        elif env.list_level >= 0:
            style = "ListParagraph"
        else:
            style = env.style
    indent = hanging = 0
    if env.num is not None:
        if env.indent != LIST_INDENT * (env.num[1] + 1):  # nested in an indented block
            indent, hanging = env.indent, LIST_HANGING
    else:
        indent = env.indent
    effective = lang or ctx.lang
    return ParaProps(
        style=style,
        keep_next=keep_next or env.keep_next,
        num=env.num,
        box=env.box,
        bidi=bool(effective and is_rtl(effective)),
        indent=indent,
        hanging=hanging,
        jc=jc,
    )


def paragraph(
    ctx: DocxContext,
    parent: etree._Element,
    env: Env,
    content: tuple[Inline, ...],
    *,
    style: str | None = None,
    lang: str | None = None,
    jc: str | None = None,
    keep_next: bool = False,
    fmt_bold: bool = False,
) -> bool:
    """One paragraph of inline content; False when it was empty and dropped."""
    lang = lang or env.lang
    p = ctx.new_paragraph(parent, _props(ctx, env, style, lang, jc, keep_next))
    fmt = RunFmt(bold=env.bold or fmt_bold, lang=run_lang(ctx, lang))
    inlines(ctx, p, content, fmt, env if lang == env.lang else replace(env, lang=lang))
    return ctx.finish_paragraph(p)


def _heading(ctx: DocxContext, parent: etree._Element, h: Heading, env: Env) -> None:
    ctx.mark(h.attr.id)
    lang = valid_lang(h.attr.lang)
    if env.in_note:  # no outline entries from footnotes: a bold paragraph
        paragraph(ctx, parent, env, h.content, lang=lang, fmt_bold=True, keep_next=True)
        return
    level = ctx.headings.level_for(h.level)
    if paragraph(ctx, parent, env, h.content, style=f"Heading{level}", lang=lang):
        ctx.headings.commit(level)
        if level != h.level:
            text = plain_text(h.content)[:60]
            ctx.report.info(
                "heading-order", f"heading {text!r} written as Heading {level} (was level {h.level})"
            )


def _list(ctx: DocxContext, parent: etree._Element, lst: BulletList | OrderedList, env: Env) -> None:
    ctx.mark(lst.attr.id)
    env = _with_lang(env, lst.attr)
    ilvl = min(env.list_level + 1, MAX_LEVEL)
    base = env.indent - (LIST_INDENT * (env.list_level + 1) if env.list_level >= 0 else 0)
    if isinstance(lst, BulletList):
        num_id = ctx.numbering.new_list("bullet", ilvl, None)
    else:
        num_id = ctx.numbering.new_list(lst.style, ilvl, max(0, lst.start))
    item_env = replace(env, list_level=ilvl, indent=base + LIST_INDENT * (ilvl + 1), style=None)
    for item in lst.items:
        ctx.mark(item.attr.id)
        blocks(ctx, parent, item.blocks, replace(_with_lang(item_env, item.attr), num=(num_id, ilvl)))


def _code(ctx: DocxContext, parent: etree._Element, code: CodeBlock, env: Env) -> None:
    """A Source Code paragraph; lines separated by ``w:br``, tabs as
    ``w:tab``, spaces kept as they are (``xml:space="preserve"``)."""
    text = xml_safe(code.text)
    if text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        return
    p = ctx.new_paragraph(parent, _props(ctx, env, "SourceCode", env.lang))
    run = sub(p, "r")
    RunFmt(lang=run_lang(ctx, env.lang)).apply(run)
    for i, line in enumerate(text.split("\n")):
        if i:
            sub(run, "br")
        for j, part in enumerate(line.split("\t")):
            if j:
                sub(run, "tab")
            if part:
                t = sub(run, "t")
                t.set(XML_SPACE, "preserve")
                t.text = part
    ctx.finish_paragraph(p)


def render_note(ctx: DocxContext, note: Note, env: Env) -> None:
    """The content of footnote number ``ctx.footnote_count`` in the footnotes
    part: FootnoteText paragraphs, the first starting with the note's number."""
    root = ctx.ensure_footnotes()
    fn = sub(root, "footnote", id=str(ctx.footnote_count))
    saved = ctx.part, ctx.pending
    ctx.part, ctx.pending, ctx.note_ref_pending = ctx.footnotes_part, [], True
    try:
        blocks(ctx, fn, note.blocks, Env(style="FootnoteText", in_note=True, lang=env.lang))
        if ctx.note_ref_pending:  # nothing was written: the number alone
            ctx.finish_paragraph(ctx.new_paragraph(fn, ParaProps(style="FootnoteText")), keep_empty=True)
        if ctx.pending:  # ids on note content that made no paragraph: the note's last one
            ctx.wrap_bookmarks(list(fn.iter(W + "p"))[-1], ctx.pending)
    finally:
        ctx.part, ctx.pending, ctx.note_ref_pending = saved[0], saved[1], False
