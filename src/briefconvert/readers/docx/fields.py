"""Link targets and fields.

* ``w:hyperlink``: an external target from the story part's relationships
  (``TargetMode="External"``), an internal one from ``w:anchor``.
* Complex fields (``w:fldChar`` begin ... separate ... end): instruction
  text is skipped and results kept; a HYPERLINK field makes its result a
  link.  A field still in its instructions at the end of a paragraph is
  closed there, so a broken field cannot swallow the rest of the document.
* Only http, https and mailto targets become links; others keep their text
  (info ``link-dropped``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ...textnorm import clean_text
from .context import MAX_FIELDS, Field, LinkTarget, ReadContext
from .ns import Element, W

_FIELD_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_SCHEMES = frozenset({"http", "https", "mailto"})
_FLD_TYPE = W + "fldCharType"


def safe_url(ctx: ReadContext, target: str) -> str | None:
    """``target`` when it is an http, https or mailto URL."""
    target = clean_text(target).strip()
    try:
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in _SCHEMES:
        return target
    if target:
        ctx.report.info("link-dropped", f"link to {target[:80]!r} is not http, https or mailto; kept as text")
    return None


def field_link(ctx: ReadContext, instr: str) -> LinkTarget | None:
    """The link of a HYPERLINK field instruction (``HYPERLINK "url" \\l "anchor"``)."""
    tokens = [a if a else b for a, b in _FIELD_TOKENS.findall(instr)]
    if not tokens or tokens[0].upper() != "HYPERLINK":
        return None
    url = anchor = tooltip = None
    args = iter(tokens[1:])
    for token in args:
        switch = token.lower()
        if switch == "\\l":
            anchor = next(args, None)
        elif switch == "\\o":
            tooltip = next(args, None)
        elif switch == "\\t":
            next(args, None)
        elif token.startswith("\\"):
            continue
        elif url is None:
            url = token
    title = " ".join(clean_text(tooltip).split()) or None if tooltip else None
    target = safe_url(ctx, url) if url else None
    if target is not None:
        return ctx.link(target + (f"#{anchor}" if anchor else ""), title)
    if anchor and not url:
        return ctx.link("#" + anchor, title)
    return None


def fld_char(ctx: ReadContext, el: Element) -> None:
    kind = el.get(_FLD_TYPE)
    if kind == "begin":
        if len(ctx.fields) < MAX_FIELDS:
            ctx.fields.append(Field())
    elif kind == "separate":
        if ctx.fields and not ctx.fields[-1].in_result:
            f = ctx.fields[-1]
            f.in_result = True
            f.link = field_link(ctx, "".join(f.instr))
    elif kind == "end" and ctx.fields:
        ctx.fields.pop()


def in_instructions(ctx: ReadContext) -> bool:
    """Whether the runs being read are a field's instructions (not shown)."""
    return any(not f.in_result for f in ctx.fields)


def field_target(ctx: ReadContext) -> LinkTarget | None:
    """The link of the innermost HYPERLINK field whose result is being read."""
    for f in reversed(ctx.fields):
        if f.link is not None:
            return f.link
    return None


def end_paragraph(ctx: ReadContext) -> None:
    """Instructions cannot outlive their paragraph: close fields left in that state."""
    while ctx.fields and not ctx.fields[-1].in_result:
        ctx.fields.pop()
