"""Tables: caption, head/bodies/foot, header cells with scope, spans.
Rows without a ``<thead>`` whose cells are all ``<th>`` become the head."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from ...model import Attr, Block, Cell, Inline, Row, Scope, Table
from .context import Context
from .dom import Element, attr, tag

BlocksOf = Callable[[Element, int, "str | None"], list[Block]]
InlinesOf = Callable[[Element, int, "str | None"], tuple[Inline, ...]]

_SCOPES: dict[str, Scope] = {"col": "col", "row": "row", "colgroup": "colgroup", "rowgroup": "rowgroup"}
_MAX_SPAN = 1000


def _span(el: Element, name: str, limit: int) -> int:
    value = attr(el, name)
    try:
        n = int(value) if value else 1
    except ValueError:
        return 1
    return max(1, min(n, limit))


def _rows(group: Element) -> list[Element]:
    return [r for r in group if tag(r) == "tr"]


def read_table(
    ctx: Context,
    el: Element,
    depth: int,
    lang: str | None,
    blocks_of: BlocksOf,
    inlines_of: InlinesOf,
    new_lang: str | None,
) -> list[Block]:
    caption: tuple[Inline, ...] = ()
    head: list[Element] = []
    foot: list[Element] = []
    bodies: list[list[Element]] = []
    loose: list[Element] = []  # rows directly under <table>
    for child in el:
        t = tag(child)
        if t == "caption" and not caption:
            caption = inlines_of(child, depth + 1, lang)
        elif t == "thead":
            head.extend(_rows(child))
        elif t == "tfoot":
            foot.extend(_rows(child))
        elif t == "tbody":
            if loose:
                bodies.append(loose)
                loose = []
            bodies.append(_rows(child))
        elif t == "tr":
            loose.append(child)
    if loose:
        bodies.append(loose)
    bodies = [b for b in bodies if b]
    if not head and bodies:
        first = bodies[0]
        while first and _all_th(first[0]):
            head.append(first.pop(0))
        bodies = [b for b in bodies if b]

    def row(tr: Element, remaining: int) -> Row:
        cells: list[Cell] = []
        for c in tr:
            t = tag(c)
            if t not in ("td", "th"):
                continue
            rowspan_raw = attr(c, "rowspan")
            rowspan = remaining if rowspan_raw == "0" else _span(c, "rowspan", 65534)
            scope = _SCOPES.get(attr(c, "scope").lower()) if t == "th" else None
            cells.append(
                Cell(
                    tuple(blocks_of(c, depth + 2, lang)),
                    header=t == "th",
                    colspan=_span(c, "colspan", _MAX_SPAN),
                    rowspan=max(1, min(rowspan, remaining)),
                    scope=scope,
                )
            )
        return Row(tuple(cells))

    def rows(group: list[Element]) -> tuple[Row, ...]:
        out = [row(tr, len(group) - i) for i, tr in enumerate(group)]
        return tuple(r for r in out if r.cells)

    table = Table(
        head=rows(head),
        bodies=tuple(b for b in (rows(g) for g in bodies) if b),
        foot=rows(foot),
        caption=caption,
        attr=Attr(id=ctx.id_owner.get(el), lang=new_lang),
        src=ctx.src(el),
    )
    if not table.head and not table.bodies and not table.foot:
        return []
    return [table]


def _all_th(tr: Element) -> bool:
    cells = [c for c in tr if tag(c) in ("td", "th")]
    return bool(cells) and all(tag(c) == "th" for c in cells)


def is_layout_table(el: Element) -> bool:
    """A table used for page layout, not data: role=presentation/none, or a
    single cell."""
    if attr(el, "role").lower() in ("presentation", "none"):
        return True
    cells = (c for tr in el.iter("tr") for c in tr if tag(c) in ("td", "th"))
    # at most two cells are looked at: counting them all would make nested
    # tables cost quadratic time
    return next(islice(cells, 1, None), None) is None and not any(tag(c) == "caption" for c in el)


def layout_cells(el: Element) -> list[Element]:
    """The cells of a layout table in reading order (nested layout tables
    are handled when their cell is converted)."""
    out: list[Element] = []
    for child in el:
        t = tag(child)
        for tr in [child] if t == "tr" else _rows(child) if t in ("thead", "tbody", "tfoot") else []:
            out.extend(c for c in tr if tag(c) in ("td", "th"))
    return out
