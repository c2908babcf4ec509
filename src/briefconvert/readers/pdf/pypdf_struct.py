"""The structure tree of a tagged PDF, walked over pypdf objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .backend import AnnotRef, ContentRef, StructElement, StructKid
from .pypdf_objects import resolve as _resolve
from .pypdf_objects import text as _text

MAX_STRUCT_ELEMENTS = 1_000_000
MAX_ROLEMAP_CHAIN = 16
STANDARD_TYPES = frozenset(
    {
        "Document",
        "DocumentFragment",
        "Part",
        "Art",
        "Sect",
        "Div",
        "Aside",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "Title",
        "FENote",
        "Sub",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
        "Em",
        "Strong",
        "Artifact",
    }
)
_ATTR_KEYS = ("/Scope", "/ColSpan", "/RowSpan", "/Placement", "/ListNumbering")


@dataclass(slots=True)
class _Builder:
    type: str
    raw: str | None
    page: int | None
    alt: str | None
    actual: str | None
    lang: str | None
    attrs: dict[str, str]
    kids: list[_Builder | StructKid] = field(default_factory=list)


def _role(name: str, role_map: DictionaryObject | None) -> str:
    current = name
    for _ in range(MAX_ROLEMAP_CHAIN):
        if current in STANDARD_TYPES or role_map is None:
            break
        target = role_map.get("/" + current)
        if not isinstance(target, NameObject):
            break
        nxt = str(target)[1:]
        if nxt == current:
            break
        current = nxt
    return current


def walk_structure(
    tree: DictionaryObject, role_map: DictionaryObject | None, page_of: Callable[[Any], int | None]
) -> StructElement:
    """The structure tree as plain dataclasses, in logical order.  Each
    indirect object is visited once, so a cyclic tree cannot loop, and the
    walk is iterative, so a deep one cannot exhaust the stack."""
    top = _Builder("Document", None, None, None, None, None, {})
    order: list[_Builder] = [top]
    seen: set[tuple[int, int]] = set()
    # (object, parent, inherited page)
    stack: list[tuple[Any, _Builder, int | None]] = [(k, top, None) for k in reversed(_kids(tree))]
    count = 0
    while stack:
        raw, parent, page = stack.pop()
        if isinstance(raw, IndirectObject):
            key = (raw.idnum, raw.generation)
            if key in seen:
                continue
            seen.add(key)
        count += 1
        if count > MAX_STRUCT_ELEMENTS:
            break
        try:
            obj = _resolve(raw)
        except Exception:
            continue
        if isinstance(obj, int) and not isinstance(obj, bool):
            if page is not None:
                parent.kids.append(ContentRef(page, int(obj)))
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        own_page = page_of(obj.get("/Pg"))
        pg = own_page if own_page is not None else page
        kind = obj.get("/Type")
        if kind == "/MCR":
            mcid = _resolve(obj.get("/MCID"))
            if isinstance(mcid, int) and pg is not None and "/Stm" not in obj:
                parent.kids.append(ContentRef(pg, int(mcid)))
            continue
        if kind == "/OBJR":
            ref = obj.raw_get("/Obj") if "/Obj" in obj else None
            if isinstance(ref, IndirectObject):
                parent.kids.append(AnnotRef(pg, ref.idnum))
            continue
        s = obj.get("/S")
        if not isinstance(s, NameObject):
            continue
        raw_type = str(s)[1:]
        std = _role(raw_type, role_map)
        node = _Builder(
            type=std,
            raw=raw_type if raw_type != std else None,
            page=pg,
            alt=_text(obj.get("/Alt")),
            actual=_text(obj.get("/ActualText")),
            lang=_text(obj.get("/Lang")),
            attrs=_attrs(obj.get("/A")),
        )
        parent.kids.append(node)
        order.append(node)
        stack.extend((k, node, pg) for k in reversed(_kids(obj)))
    frozen: dict[int, StructElement] = {}
    for b in reversed(order):
        kids = tuple(frozen[id(k)] if isinstance(k, _Builder) else k for k in b.kids)
        frozen[id(b)] = StructElement(
            type=b.type,
            kids=kids,
            page=b.page,
            alt=b.alt,
            actual_text=b.actual,
            lang=b.lang,
            attrs=b.attrs,
            raw_type=b.raw,
        )
    return frozen[id(top)]


def _kids(obj: DictionaryObject) -> list[Any]:
    k = obj.raw_get("/K") if "/K" in obj else None
    if k is None:
        return []
    resolved = _resolve(k)
    if isinstance(resolved, ArrayObject):
        return list(resolved)
    return [k]


def _attrs(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    value = _resolve(value)
    items = list(value) if isinstance(value, ArrayObject) else [value]
    for item in items[:32]:
        item = _resolve(item)
        if not isinstance(item, DictionaryObject):
            continue
        for key in _ATTR_KEYS:
            v = _resolve(item.get(key))
            if isinstance(v, (NameObject, int, float)):
                out[key[1:]] = str(v).lstrip("/")
    return out
