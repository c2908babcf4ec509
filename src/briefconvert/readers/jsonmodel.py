"""JSON reader (format ``json``): the model as written by
:mod:`briefconvert.writers.jsonmodel`, validated strictly.

* The schema name and version must match (a newer version is refused with a
  message saying so).
* Every object's ``"t"`` must name a model class allowed at that place; the
  classes come from a fixed table built from ``model.BLOCK_TYPES``,
  ``model.INLINE_TYPES`` and the auxiliary classes, never from an arbitrary
  name lookup.
* Every field is checked against the dataclass type hints (strings, ints,
  bools, literals, tuples, unions, nested model objects); unknown fields and
  missing required fields are errors; a few values are range-checked where
  a writer relies on them (heading level 1..6, spans as HTML allows them).
* Strings must not contain control characters (other than tab and line
  feed) or lone surrogates, as :func:`briefconvert.textnorm.clean_text`
  guarantees for reader output.
* Resources: base64 checked, media type sniffed from the data, the key
  re-derived from the data; images must refer to a resource present.

Parsing and conversion are iterative; nesting deeper than
``MAX_DEPTH`` JSON levels is refused with an :class:`InputError`.
Every error is an :class:`~briefconvert.errors.InputError` with a one-line
message naming the place (``blocks[3].content[0].url``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, Union, get_args, get_origin

from ..diagnostics import Report
from ..errors import InputError
from ..model import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Attr,
    Cell,
    DefinitionItem,
    Document,
    Heading,
    Image,
    ListItem,
    Meta,
    OrderedList,
    Resource,
    Row,
    SourceRef,
)
from ..model import JSON_SCHEMA as SCHEMA_NAME
from ..model import JSON_SCHEMA_VERSION as SCHEMA_VERSION
from ..record import Record
from ..resources import resource_key, sniff_media_type
from .jsonparse import MAX_DEPTH, parse_json

__all__ = ["MAX_DEPTH", "parse_json", "read_json"]


_CLASSES: Mapping[str, type] = types.MappingProxyType(
    {
        cls.__name__: cls
        for cls in (*BLOCK_TYPES, *INLINE_TYPES, ListItem, DefinitionItem, Row, Cell, Attr, SourceRef, Meta)
    }
)
_HINTS: Mapping[type, Mapping[str, object]] = types.MappingProxyType(
    {cls: types.MappingProxyType(typing.get_type_hints(cls)) for cls in _CLASSES.values()}
)
_FIELDS: Mapping[type, tuple[dataclasses.Field[object], ...]] = types.MappingProxyType(
    {cls: dataclasses.fields(cls) for cls in _CLASSES.values()}
)
# value checks beyond the type, where writers rely on them (HTML's own limits for spans)
_RANGES: Mapping[tuple[type, str], tuple[int, int]] = types.MappingProxyType(
    {
        (Heading, "level"): (1, 6),
        (Cell, "colspan"): (1, 1000),
        (Cell, "rowspan"): (1, 65534),
        (OrderedList, "start"): (-(2**31), 2**31 - 1),
    }
)
_BLOCKS_HINT = typing.get_type_hints(Document)["blocks"]
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_RESOURCE_FIELDS = frozenset({"media_type", "width", "height", "data", "size", "origin"})


def read_json(data: bytes, *, base: Path | None, options: object, report: Report) -> Document:
    """The Document that ``data`` (JSON written by ``write_json``) describes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"model JSON is not UTF-8 (byte {exc.start})") from None
    top = parse_json(text.removeprefix("\ufeff"))
    if not isinstance(top, dict):
        raise InputError("model JSON must be an object with schema, version, meta, blocks and resources")
    if top.get("schema") != SCHEMA_NAME:
        raise InputError(f"not a briefconvert model: schema is {top.get('schema')!r}, not {SCHEMA_NAME!r}")
    version = top.get("version")
    if type(version) is not int:
        raise InputError("model JSON has no integer version")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"model JSON version {version} is newer than this briefconvert reads ({SCHEMA_VERSION})"
        )
    # Version 1 lacked SourceRef.part (an optional provenance field): a v1 file is a valid v2 file.
    if version not in (1, SCHEMA_VERSION):
        raise InputError(
            f"model JSON version {version} is not supported (this briefconvert reads {SCHEMA_VERSION})"
        )
    unknown = set(top) - {"schema", "version", "meta", "blocks", "resources"}
    if unknown:
        raise InputError(f"model JSON has unknown top-level field {sorted(unknown)[0]!r}")
    for name in ("meta", "blocks", "resources"):
        if name not in top:
            raise InputError(f"model JSON has no {name!r}")
    resources = _resources(top["resources"])
    meta = _decode(top["meta"], Meta, "meta", resources)
    blocks = _decode(top["blocks"], _BLOCKS_HINT, "blocks", resources)
    assert isinstance(meta, Meta) and isinstance(blocks, tuple)
    return Document(meta, blocks, resources)


# ------------------------------------------------------------------ resources


def _resources(value: object) -> dict[str, Resource]:
    if not isinstance(value, dict):
        raise InputError("resources: expected an object")
    out: dict[str, Resource] = {}
    for key, entry in value.items():
        where = f"resources[{key!r}]"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: expected an object")
        unknown = set(entry) - _RESOURCE_FIELDS
        if unknown:
            raise InputError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        if "data" not in entry:
            if "size" in entry:
                raise InputError(
                    f"{where}: written without data (resource_data=False); such JSON cannot be read back"
                )
            raise InputError(f"{where}: no data")
        media_type, encoded = entry.get("media_type"), entry["data"]
        if not isinstance(media_type, str) or not isinstance(encoded, str):
            raise InputError(f"{where}: media_type and data must be strings")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"{where}: data is not valid base64") from None
        if sniff_media_type(raw) != media_type:
            raise InputError(f"{where}: data is not a {media_type} image")
        if resource_key(raw, media_type) != key:
            raise InputError(
                f"{where}: key does not match the data (expected {resource_key(raw, media_type)})"
            )
        dims: list[int | None] = []
        for name in ("width", "height"):
            dim = entry.get(name)
            if dim is not None and (type(dim) is not int or dim < 0):
                raise InputError(f"{where}.{name}: expected a non-negative integer")
            dims.append(dim)
        origin = entry.get("origin")
        if origin is not None:
            _check_str(origin, f"{where}.origin")
        out[key] = Resource(key, media_type, raw, dims[0], dims[1], origin=origin)
    return out


# ------------------------------------------------------------- typed decoding


class _Path:
    """Where a value sits, as a parent link (cheap to make, formatted on error)."""

    __slots__ = ("key", "parent")

    def __init__(self, parent: _Path | None, key: str | int) -> None:
        self.parent = parent
        self.key = key

    def __str__(self) -> str:
        keys: list[str | int] = []
        node: _Path | None = self
        while node is not None:
            keys.append(node.key)
            node = node.parent
        out = ""
        for key in reversed(keys):
            out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
        return out


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Build(Record):
    """Finish an object or tuple from the last ``count`` decoded values."""

    make: Callable[[list[object]], object]
    count: int


def _decode(value: object, hint: object, where: str, resources: Mapping[str, Resource]) -> object:
    """``value`` (parsed JSON) as the model value of type ``hint``; iterative:
    objects are built bottom-up from a value stack."""
    results: list[object] = []
    todo: list[tuple[object, object, _Path] | _Build] = [(value, hint, _Path(None, where))]
    while todo:
        task = todo.pop()
        if isinstance(task, _Build):
            args = results[len(results) - task.count :] if task.count else []
            del results[len(results) - task.count :]
            results.append(task.make(args))
            continue
        value, hint, path = task
        _step(value, hint, path, results, todo, resources)
    assert len(results) == 1
    return results[0]


def _step(
    value: object,
    hint: object,
    path: _Path,
    results: list[object],
    todo: list[tuple[object, object, _Path] | _Build],
    resources: Mapping[str, Resource],
) -> None:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None:
            if type(None) in options:
                results.append(None)
                return
            raise InputError(f"{path}: null is not allowed here")
        if isinstance(value, dict):
            classes = [o for o in options if isinstance(o, type) and dataclasses.is_dataclass(o)]
            if classes:
                _object(value, classes, path, todo, resources)
                return
        for option in options:
            if option is not type(None) and _matches(value, option):
                _step(value, option, path, results, todo, resources)
                return
        raise InputError(f"{path}: expected {_describe(hint)}, got {_json_kind(value)}")
    if origin is Literal:
        if isinstance(value, str) and value in get_args(hint):
            results.append(value)
            return
        raise InputError(f"{path}: expected one of {', '.join(map(repr, get_args(hint)))}, got {value!r:.40}")
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list):
            raise InputError(f"{path}: expected a list, got {_json_kind(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            kinds = [args[0]] * len(value)
        else:
            if len(value) != len(args):
                raise InputError(f"{path}: expected a list of {len(args)} items, got {len(value)}")
            kinds = list(args)
        todo.append(_Build(tuple, len(value)))
        todo.extend(
            (item, kind, _Path(path, i))
            for i, (item, kind) in reversed(list(enumerate(zip(value, kinds, strict=True))))
        )
        return
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise InputError(f"{path}: expected {hint.__name__}, got {_json_kind(value)}")
        _object(value, [hint], path, todo, resources)
        return
    if hint is str:
        results.append(_check_str(value, str(path)))
        return
    if hint is bool:
        if type(value) is not bool:
            raise InputError(f"{path}: expected true or false, got {_json_kind(value)}")
        results.append(value)
        return
    if hint is int:
        if type(value) is not int:
            raise InputError(f"{path}: expected an integer, got {_json_kind(value)}")
        results.append(value)
        return
    if hint is float:
        if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
            raise InputError(f"{path}: expected a number, got {_json_kind(value)}")
        results.append(float(value))  # type: ignore[arg-type]
        return
    raise InputError(f"{path}: cannot read a value of type {_describe(hint)}")  # a model change: update here


def _object(
    value: dict[str, object],
    allowed: list[type],
    path: _Path,
    todo: list[tuple[object, object, _Path] | _Build],
    resources: Mapping[str, Resource],
) -> None:
    name = value.get("t")
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise InputError(f"{path}: unknown node type {name!r}")
    if cls not in allowed:
        raise InputError(f"{path}: {cls.__name__} is not allowed here (expected {_names(allowed)})")
    hints = _HINTS[cls]
    present: list[str] = []
    for f in _FIELDS[cls]:
        if f.name in value:
            present.append(f.name)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise InputError(f"{path}: {cls.__name__} has no {f.name!r}")
    unknown = set(value) - set(present) - {"t"}
    if unknown:
        raise InputError(f"{path}: {cls.__name__} has no field {sorted(unknown)[0]!r}")
    for f_name in present:
        bounds = _RANGES.get((cls, f_name))
        field_value = value[f_name]
        if bounds and type(field_value) is int and not bounds[0] <= field_value <= bounds[1]:
            raise InputError(f"{path}.{f_name}: {field_value} is out of range {bounds[0]}..{bounds[1]}")
    if cls is Image:
        key = value.get("resource")
        if isinstance(key, str) and key not in resources:
            raise InputError(f"{path}.resource: {key!r} is not among the resources")

    def make(args: list[object], cls: type = cls, names: tuple[str, ...] = tuple(present)) -> object:
        return cls(**dict(zip(names, args, strict=True)))

    todo.append(_Build(make, len(present)))
    todo.extend((value[n], hints[n], _Path(path, n)) for n in reversed(present))


def _check_str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string, got {_json_kind(value)}")
    bad = _BAD_CHARS.search(value)
    if bad:
        raise InputError(f"{where}: control character or lone surrogate U+{ord(bad.group()):04X} in text")
    return value


def _matches(value: object, hint: object) -> bool:
    """Whether a JSON value has the right kind for one member of a union."""
    origin = get_origin(hint)
    if origin is Literal:
        return isinstance(value, str)
    if origin is tuple:
        return isinstance(value, list)
    if hint is str:
        return isinstance(value, str)
    if hint is bool:
        return type(value) is bool
    if hint is int:
        return type(value) is int
    if hint is float:
        return type(value) in (int, float)
    return isinstance(value, dict)


def _names(classes: list[type]) -> str:
    if set(classes) == set(INLINE_TYPES):
        return "an inline node"
    if set(classes) == set(BLOCK_TYPES):
        return "a block node"
    return " or ".join(c.__name__ for c in classes)


def _describe(hint: object) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("briefconvert.model.", "")


def _json_kind(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "a list"
        case _:
            return "an object"
