"""The JSON form of the model: writer, strict reader, round trips."""

from __future__ import annotations

import base64
import dataclasses
import json
import types
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from briefconvert import model
from briefconvert.diagnostics import Report
from briefconvert.errors import InputError
from briefconvert.model import (
    BlockQuote,
    Document,
    Emph,
    Image,
    ListItem,
    Paragraph,
    Resource,
    SourceRef,
    Text,
)
from briefconvert.options import JsonWriterOptions
from briefconvert.readers.jsonmodel import MAX_DEPTH, parse_json, read_json
from briefconvert.writers.jsonmodel import SCHEMA_NAME, SCHEMA_VERSION, JsonValue, dumps, write_json
from model_samples import PNG, PNG_KEY, rich_document
from model_samples import minimal_document as minimal
from strategies import documents

# no "explain" phase: tracing deep strategies makes a failure take minutes to report
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
OPTS = JsonWriterOptions()


def to_json(doc: Document, options: JsonWriterOptions = OPTS, report: Report | None = None) -> bytes:
    return write_json(doc, options=options, report=report or Report()).data


def from_json(data: bytes | str) -> Document:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_json(raw, base=None, options=None, report=Report())


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("name", ["rich", "minimal"])
def test_golden(name: str, golden: typing.Callable[[str, str | bytes], None]) -> None:
    doc = rich_document() if name == "rich" else minimal()
    golden(f"jsonmodel/{name}.json", to_json(doc))


def test_golden_without_data_with_provenance(golden: typing.Callable[[str, str | bytes], None]) -> None:
    doc = rich_document()
    first = doc.blocks[0]
    doc = dataclasses.replace(
        doc,
        blocks=(
            Paragraph(
                (Text("Sourced."),), src=SourceRef(line=3, page=2, bbox=(1.0, 2.5, 3.0, 4.0), how="tag")
            ),
            first,
        ),
    )
    golden("jsonmodel/rich-nodata-provenance.json", to_json(doc, JsonWriterOptions(False, True)))


def _fmt(hint: object) -> str:
    """A type hint spelled the same way on every Python version."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_fmt(a) for a in args)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else _fmt(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return hint.__name__ if isinstance(hint, type) else repr(hint)


def _schema_text() -> str:
    """Every model class the JSON form carries, with its fields and types."""
    classes = sorted(
        {*model.BLOCK_TYPES, *model.INLINE_TYPES, model.ListItem, model.DefinitionItem, model.Row,
         model.Cell, model.Attr, model.SourceRef, model.Meta, model.Resource, model.Document},
        key=lambda c: c.__name__,
    )  # fmt: skip
    lines = [f"{SCHEMA_NAME} version {SCHEMA_VERSION}"]
    for cls in classes:
        hints = typing.get_type_hints(cls)
        lines.append(f"{cls.__name__}")
        for f in dataclasses.fields(cls):
            default = "" if f.default is dataclasses.MISSING else f" = {f.default!r}"
            lines.append(f"    {f.name}: {_fmt(hints[f.name])}{default}")
    return "\n".join(lines) + "\n"


def test_schema_fingerprint(golden: typing.Callable[[str, str | bytes], None]) -> None:
    """If this golden changes, the model changed: bump SCHEMA_VERSION in
    writers/jsonmodel.py (see the version policy in docs/model.md)."""
    golden("jsonmodel/schema.txt", _schema_text())


# --------------------------------------------------------------- round trips


@pytest.mark.parametrize("make", [rich_document, minimal])
def test_round_trip_samples(make: typing.Callable[[], Document]) -> None:
    doc = make()
    data = to_json(doc)
    back = from_json(data)
    assert back == doc
    assert back.resources.keys() == doc.resources.keys()
    assert to_json(back) == data


def test_round_trip_keeps_provenance() -> None:
    src = SourceRef(line=3, page=2, bbox=(1.0, 2.5, 3.0, 4.0), how="tag")
    doc = Document(
        blocks=(Paragraph((Text("x"), Image(PNG_KEY, "alt", src=src)), src=src),),
        resources={PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1, origin="fig.png")},
    )
    data = to_json(doc, JsonWriterOptions(provenance=True))
    back = from_json(data)
    para = back.blocks[0]
    assert isinstance(para, Paragraph) and para.src == src
    image = para.content[1]
    assert isinstance(image, Image) and image.src == src
    assert back.resources[PNG_KEY].origin == "fig.png"
    assert b'"src"' not in to_json(doc), "provenance is left out by default"


def test_output_format_is_canonical() -> None:
    data = to_json(rich_document())
    text = data.decode("utf-8")
    tree = json.loads(text)
    assert text == json.dumps(tree, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert tree["schema"] == SCHEMA_NAME and tree["version"] == SCHEMA_VERSION
    assert set(tree) == {"schema", "version", "meta", "blocks", "resources"}
    assert tree["resources"][PNG_KEY] == {
        "media_type": "image/png",
        "width": 2,
        "height": 1,
        "data": base64.b64encode(PNG).decode(),
    }
    assert "Tomás" in text, "non-ASCII is kept"
    # defaults are left out: a plain cell is just its blocks
    table = next(b for b in tree["blocks"] if b["t"] == "Div" and b["blocks"][0]["t"] == "Table")
    cell = table["blocks"][0]["bodies"][0][0]["cells"][1]
    assert set(cell) == {"t", "blocks"}


def test_dumps_matches_json_module() -> None:
    value: JsonValue = {"b": [1, 2.5, {"x": None, "é": '\u2028"\\'}], "a": {}, "c": [], "d": True, "e": -0.0}
    assert dumps(value) == json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


def test_without_data_is_refused_clearly() -> None:
    data = to_json(rich_document(), JsonWriterOptions(resource_data=False))
    assert f'"size": {len(PNG)}'.encode() in data and b'"data"' not in data
    with pytest.raises(InputError, match="resource_data=False"):
        from_json(data)


@settings(phases=PHASES, max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_round_trip_random(doc: Document) -> None:
    data = to_json(doc)
    back = from_json(data)
    assert back == doc
    provenance = JsonWriterOptions(provenance=True)
    assert to_json(from_json(to_json(doc, provenance)), provenance) == to_json(doc, provenance)


# ------------------------------------------------------------------ nesting


def _deep_emph(depth: int) -> Document:
    inline: model.Inline = Text("core")
    for _ in range(depth):
        inline = Emph((inline,))
    return Document(blocks=(Paragraph((inline,)),))


def _deep_quotes(depth: int) -> Document:
    block: model.Block = Paragraph((Text("core"),))
    for i in range(depth):
        block = BlockQuote((block,)) if i % 2 else model.BulletList((ListItem((block,)),))
    return Document(blocks=(block,))


@pytest.mark.parametrize("make", [_deep_emph, _deep_quotes])
def test_deep_nesting_round_trips(make: typing.Callable[[int], Document]) -> None:
    doc = make(1000)
    data = to_json(doc)  # would exceed the recursion limit with the json module
    with pytest.raises(RecursionError):
        json.loads(data)
    back = from_json(data)
    assert to_json(back) == data  # compared as JSON: == on the trees would recurse


def test_nesting_beyond_limit_is_an_input_error() -> None:
    text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    with pytest.raises(InputError, match="nested more than"):
        parse_json(text)
    assert parse_json("[" * 3 + "]" * 3) == [[[]]]
    assert isinstance(parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH), list)


# --------------------------------------------------------------- bad inputs


def _doc_json(blocks: list[object], resources: dict[str, object] | None = None, **top: object) -> str:
    tree: dict[str, object] = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "meta": {"t": "Meta"},
        "blocks": blocks,
        "resources": resources or {},
    }
    tree.update(top)
    return json.dumps(tree)


def _para(*inlines: object) -> dict[str, object]:
    return {"t": "Paragraph", "content": list(inlines)}


_B64 = base64.b64encode(PNG).decode()

BAD_INPUTS: dict[str, tuple[bytes | str, str]] = {
    "not utf-8": (b"\xff\xfe{}", "not UTF-8"),
    "not json": ("{", "not valid at line 1, column 2"),
    "trailing comma": ('{"a": [1,]}', "expected a value"),
    "nan": ('{"a": NaN}', "expected a value"),
    "duplicate key": ('{"a": 1, "a": 2}', "duplicate key 'a'"),
    "extra data": ("{} {}", "extra data"),
    "not an object": ("[]", "must be an object"),
    "wrong schema": ('{"schema": "pandoc", "version": 1}', "not a briefconvert model"),
    "newer version": (_doc_json([], version=SCHEMA_VERSION + 1), "newer than this briefconvert reads"),
    "older version": (_doc_json([], version=0), "not supported"),
    "unknown top field": (_doc_json([], extra=1), "unknown top-level field 'extra'"),
    "missing blocks": (
        json.dumps({"schema": SCHEMA_NAME, "version": 1, "meta": {"t": "Meta"}}),
        "no 'blocks'",
    ),
    "unknown node type": (_doc_json([{"t": "Script"}]), r"blocks\[0\]: unknown node type 'Script'"),
    "python name as type": (_doc_json([{"t": "__class__"}]), "unknown node type"),
    "non-node class": (_doc_json([{"t": "Document"}]), "unknown node type 'Document'"),
    "no type": (_doc_json([{"content": []}]), "unknown node type None"),
    "inline where block": (_doc_json([{"t": "Text", "text": "x"}]), "Text is not allowed here"),
    "block where inline": (_doc_json([_para(_para())]), r"content\[0\]: Paragraph is not allowed here"),
    "wrong field type": (
        _doc_json([_para({"t": "Text", "text": 5})]),
        r"content\[0\]\.text: expected a string",
    ),
    "bool for int": (_doc_json([{"t": "Heading", "level": True, "content": []}]), "expected an integer"),
    "heading level": (_doc_json([{"t": "Heading", "level": 9, "content": []}]), "out of range 1..6"),
    "colspan": (
        _doc_json(
            [
                {
                    "t": "Table",
                    "head": [],
                    "bodies": [[{"t": "Row", "cells": [{"t": "Cell", "blocks": [], "colspan": 0}]}]],
                }
            ]
        ),
        "out of range",
    ),
    "bad literal": (_doc_json([{"t": "Aside", "blocks": [], "kind": "popup"}]), "expected one of"),
    "missing field": (_doc_json([{"t": "Heading", "content": []}]), "Heading has no 'level'"),
    "unknown field": (_doc_json([_para() | {"onclick": "x"}]), "Paragraph has no field 'onclick'"),
    "string for list": (_doc_json([{"t": "Paragraph", "content": "text"}]), "expected a list"),
    "null for required": (
        _doc_json([_para({"t": "Link", "content": [], "url": None})]),
        r"content\[0\]\.url: expected a string, got null",
    ),
    "null in a list": (_doc_json([_para(None)]), r"content\[0\]: null is not allowed"),
    "control char": (_doc_json([_para({"t": "Text", "text": "a\u0007b"})]), "control character"),
    "lone surrogate": (_doc_json([_para({"t": "Text", "text": "\ud800"})]), "lone surrogate"),
    "bbox length": (
        _doc_json([_para() | {"src": {"t": "SourceRef", "bbox": [1, 2, 3]}}]),
        "list of 4 items",
    ),
    "missing resource": (
        _doc_json([_para({"t": "Image", "resource": "sha256-000000000000.png", "alt": ""})]),
        "not among the resources",
    ),
    "bad base64": (_doc_json([], {PNG_KEY: {"media_type": "image/png", "data": "!!"}}), "not valid base64"),
    "wrong key": (
        _doc_json([], {"sha256-000000000000.png": {"media_type": "image/png", "data": _B64}}),
        "key does not match",
    ),
    "wrong media type": (
        _doc_json([], {PNG_KEY: {"media_type": "image/gif", "data": _B64}}),
        "not a image/gif",
    ),
    "resource field": (
        _doc_json([], {PNG_KEY: {"media_type": "image/png", "data": _B64, "url": "http://x"}}),
        "unknown field 'url'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_an_input_error(name: str) -> None:
    data, message = BAD_INPUTS[name]
    with pytest.raises(InputError, match=message) as info:
        from_json(data)
    assert "\n" not in str(info.value), "one-line message"


def test_good_resource_is_accepted() -> None:
    data = _doc_json(
        [_para({"t": "Image", "resource": PNG_KEY, "alt": None})],
        {PNG_KEY: {"media_type": "image/png", "data": _B64}},
    )
    doc = from_json(data)
    assert doc.resources[PNG_KEY].data == PNG
    assert doc.blocks == (Paragraph((Image(PNG_KEY, None),)),)


def test_byte_order_mark_is_accepted() -> None:
    assert from_json(b"\xef\xbb\xbf" + to_json(minimal())) == minimal()


def test_docs_example_is_what_the_writer_writes() -> None:
    """The JSON example in docs/model.md is real writer output."""
    docs = (Path(__file__).parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    example = docs.split("```json\n", 1)[1].split("```", 1)[0]
    doc = from_json(example)
    assert to_json(doc).decode("utf-8") == example
    assert isinstance(doc.blocks[-1], model.Endnotes)
