"""Reading a story part: the main document body, or one footnote or endnote
(whose paragraphs are numbered within their own part)."""

from __future__ import annotations

from ...model import Block
from .context import ReadContext, Story
from .ns import Element


def in_story(ctx: ReadContext, story: Story, container: Element, *, note: bool) -> tuple[Block, ...]:
    """The blocks of ``container``, an element of ``story``'s part, read with
    that part's relationships and paragraph numbers."""
    saved = ctx.story, ctx.fields, ctx.in_note, ctx.floats
    ctx.story = story
    ctx.fields, ctx.in_note, ctx.floats = [], note or ctx.in_note, []
    try:
        return ctx.read_blocks(ctx, container)
    finally:
        ctx.story, ctx.fields, ctx.in_note, ctx.floats = saved
