"""JSON writer (format ``json``): the model itself, deterministically.

Shape (see docs/model.md)::

    {"schema": "briefconvert-model", "version": 1,
     "meta": {"t": "Meta", ...}, "blocks": [{"t": "Paragraph", ...}, ...],
     "resources": {"sha256-....png": {"media_type": ..., "width": ..., "height": ..., "data": base64}}}

Every model object is a JSON object with ``"t"`` (its class name) and its
fields by name, found generically through :func:`dataclasses.fields`, so a new
node type or field is written without a change here (but see the version
policy in docs/model.md).  Fields equal to their default are left out; tuples
are lists; keys are sorted; ``indent=1``; non-ASCII kept; a final newline.
Provenance (``src`` and ``Resource.origin``) is written only with
``options.provenance``.  ``options.resource_data=False`` writes ``"size"``
instead of the base64 ``"data"`` (for goldens; such JSON cannot be read back).

Both the conversion and the serialisation are iterative, so a deeply nested
document cannot exhaust the stack.
"""

from __future__ import annotations

import base64
import dataclasses
import math
from collections.abc import Iterator
from json.encoder import encode_basestring

from ..diagnostics import Report
from ..model import JSON_SCHEMA, JSON_SCHEMA_VERSION, Document, Resource, SourceRef
from ..options import JsonWriterOptions
from ..output import Output

__all__ = ["PROVENANCE_FIELDS", "SCHEMA_NAME", "SCHEMA_VERSION", "JsonValue", "dumps", "write_json"]

SCHEMA_NAME = JSON_SCHEMA
SCHEMA_VERSION = JSON_SCHEMA_VERSION
PROVENANCE_FIELDS = frozenset({"src", "origin"})  # fields excluded from equality

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def write_json(doc: Document, *, options: JsonWriterOptions, report: Report) -> Output:
    tree: dict[str, JsonValue] = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "meta": _encode(doc.meta, options, report),
        "blocks": _encode(doc.blocks, options, report),
        "resources": {key: _resource(res, options) for key, res in doc.resources.items()},
    }
    return Output((dumps(tree) + "\n").encode("utf-8"))


def _resource(res: Resource, options: JsonWriterOptions) -> JsonValue:
    out: dict[str, JsonValue] = {"media_type": res.media_type}
    if res.width is not None:
        out["width"] = res.width
    if res.height is not None:
        out["height"] = res.height
    if options.resource_data:
        out["data"] = base64.b64encode(res.data).decode("ascii")
    else:
        out["size"] = len(res.data)
    if options.provenance and res.origin is not None:
        out["origin"] = res.origin
    return out


def _is_default(f: dataclasses.Field[object], value: object) -> bool:
    if f.default is not dataclasses.MISSING:
        default: object = f.default
    elif f.default_factory is not dataclasses.MISSING:
        default = f.default_factory()
    else:
        return False
    if isinstance(value, tuple) and isinstance(default, tuple) and len(value) != len(default):
        return False  # cheap: never compares deep trees
    return type(value) is type(default) and value == default


def _encode(root: object, options: JsonWriterOptions, report: Report) -> JsonValue:
    """Model objects to JSON values, top down with an explicit stack."""
    holder: list[JsonValue] = [None]
    stack: list[tuple[object, list[JsonValue] | dict[str, JsonValue], int | str]] = [(root, holder, 0)]
    while stack:
        value, container, key = stack.pop()
        out: JsonValue
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if (
                isinstance(value, SourceRef)
                and value.bbox is not None
                and not all(map(math.isfinite, value.bbox))
            ):
                report.warning("provenance-bbox", "a bounding box with non-finite numbers was left out")
                value = dataclasses.replace(value, bbox=None)
            obj: dict[str, JsonValue] = {"t": type(value).__name__}
            for f in dataclasses.fields(value):
                if f.name in PROVENANCE_FIELDS and not options.provenance:
                    continue
                child = getattr(value, f.name)
                if _is_default(f, child):
                    continue
                obj[f.name] = None
                stack.append((child, obj, f.name))
            out = obj
        elif isinstance(value, tuple):
            items: list[JsonValue] = [None] * len(value)
            stack.extend((child, items, i) for i, child in enumerate(value))
            out = items
        elif value is None or isinstance(value, (str, bool, int)):
            out = value
        elif isinstance(value, float):
            out = value if math.isfinite(value) else None
        else:
            raise TypeError(f"cannot write {type(value).__name__} as JSON")
        if isinstance(container, list):
            assert isinstance(key, int)
            container[key] = out
        else:
            assert isinstance(key, str)
            container[key] = out
    return holder[0]


_END = object()


def dumps(root: JsonValue) -> str:
    """``json.dumps(root, indent=1, sort_keys=True, ensure_ascii=False)``,
    iteratively (the standard encoder recurses once per nesting level)."""
    parts: list[str] = []
    # frames: (items, indent of the items, closing bracket, [first item?])
    stack: list[tuple[Iterator[tuple[str | None, JsonValue]], int, str, list[bool]]] = []

    def start(value: JsonValue, depth: int) -> None:
        if isinstance(value, dict):
            if not value:
                parts.append("{}")
                return
            parts.append("{")
            pairs: Iterator[tuple[str | None, JsonValue]] = iter(sorted(value.items()))
            stack.append((pairs, depth + 1, "}", [True]))
        elif isinstance(value, list):
            if not value:
                parts.append("[]")
                return
            parts.append("[")
            stack.append((((None, item) for item in value), depth + 1, "]", [True]))
        else:
            parts.append(_scalar(value))

    start(root, 0)
    while stack:
        items, depth, closer, first = stack[-1]
        pair = next(items, _END)
        if pair is _END:
            stack.pop()
            parts.append("\n" + " " * (depth - 1) + closer)
            continue
        assert isinstance(pair, tuple)
        key, value = pair
        parts.append(("\n" if first[0] else ",\n") + " " * depth)
        first[0] = False
        if key is not None:
            parts.append(encode_basestring(key) + ": ")
        start(value, depth)
    return "".join(parts)


def _scalar(value: JsonValue) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite numbers have no JSON form")
        return float.__repr__(value)
    if isinstance(value, str):
        return str(encode_basestring(value))
    raise TypeError(f"not a JSON scalar: {type(value).__name__}")
