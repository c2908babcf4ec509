"""A strict, iterative JSON parser (RFC 8259).

The standard :mod:`json` decoder recurses once per nesting level and fails
with RecursionError near 1,000 levels; a model nested that deep is legitimate
input for :mod:`.jsonmodel`.  This parser keeps an explicit stack, refuses
nesting deeper than ``MAX_DEPTH``, ``NaN``/``Infinity``, trailing commas and
duplicate keys, and reports errors as :class:`InputError` with line and column.
"""

from __future__ import annotations

import json
import math
import re
import typing

from ..errors import InputError

__all__ = ["MAX_DEPTH", "parse_json"]

MAX_DEPTH = 10_000  # JSON nesting levels (a model nested 1000 deep takes about 2000-4000)

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def parse_json(text: str) -> object:
    """Strict JSON (RFC 8259: no NaN, no trailing commas, no duplicate keys)
    parsed iteratively, so nesting depth is limited only by ``MAX_DEPTH``."""
    stack: list[tuple[dict[str, object] | list[object], list[str]]] = []  # container, [pending key]
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    while True:
        # a value starts at pos
        if pos >= len(text):
            _fail(text, pos, "unexpected end of input")
        ch = text[pos]
        value: object
        if ch in "{[":
            if len(stack) >= MAX_DEPTH:
                raise InputError(f"model JSON is nested more than {MAX_DEPTH} levels deep")
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if ch == "{":
                if text.startswith("}", pos):
                    value, pos = {}, pos + 1
                else:
                    key, pos = _key(text, pos)
                    stack.append(({}, [key]))
                    continue
            elif text.startswith("]", pos):
                value, pos = [], pos + 1
            else:
                stack.append(([], []))
                continue
        elif ch == '"':
            try:
                value, pos = json.decoder.scanstring(text, pos + 1, True)  # type: ignore[attr-defined]
            except ValueError as exc:
                _fail(text, pos, f"bad string ({str(exc).split(':')[0]})")
        elif text.startswith("true", pos):
            value, pos = True, pos + 4
        elif text.startswith("false", pos):
            value, pos = False, pos + 5
        elif text.startswith("null", pos):
            value, pos = None, pos + 4
        else:
            match = _NUMBER.match(text, pos)
            if not match:
                _fail(text, pos, "expected a value")
            value = _number(match.group(), text, pos)
            pos = match.end()
        # the value is complete: attach it, then read separators and closers
        while True:
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if not stack:
                if pos != len(text):
                    _fail(text, pos, "extra data after the JSON value")
                return value
            container, pending = stack[-1]
            if isinstance(container, dict):
                if pending[0] in container:
                    _fail(text, pos, f"duplicate key {pending[0]!r}")
                container[pending[0]] = value
            else:
                container.append(value)
            closer = "}" if isinstance(container, dict) else "]"
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                if isinstance(container, dict):
                    pending[0], pos = _key(text, pos)
                break
            if text.startswith(closer, pos):
                pos += 1
                stack.pop()
                value = container
                continue
            _fail(text, pos, f"expected ',' or '{closer}'")


def _key(text: str, pos: int) -> tuple[str, int]:
    if not text.startswith('"', pos):
        _fail(text, pos, "expected a string key")
    try:
        key, pos = json.decoder.scanstring(text, pos + 1, True)  # type: ignore[attr-defined]
    except ValueError as exc:
        _fail(text, pos, f"bad string ({str(exc).split(':')[0]})")
    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
    if not text.startswith(":", pos):
        _fail(text, pos, "expected ':'")
    return key, _WS.match(text, pos + 1).end()  # type: ignore[union-attr]


def _number(token: str, text: str, pos: int) -> int | float:
    try:
        if "." in token or "e" in token or "E" in token:
            number = float(token)
            if not math.isfinite(number):
                _fail(text, pos, "number out of range")
            return number
        return int(token)
    except ValueError:  # more digits than Python converts
        _fail(text, pos, "number too long")


def _fail(text: str, pos: int, message: str) -> typing.NoReturn:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    raise InputError(f"model JSON is not valid at line {line}, column {column}: {message}")
