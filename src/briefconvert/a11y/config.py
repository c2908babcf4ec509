"""Configuration of ``briefconvert check``: which rules run, the failure
threshold and the output format.

Settings come from ``[tool.briefconvert.check]`` in the nearest
``pyproject.toml`` that has that table, searched from the current directory
upward (like ruff, a ``pyproject.toml`` without the table is passed over), and
from the command line, which wins key by key::

    [tool.briefconvert.check]
    select = ["all"]                  # rule ids or prefixes ending in "*" ("epub-*")
    ignore = ["link-text-generic"]
    fail-on = "warning"               # error | warning | info
    format = "human"                  # human | json | sarif

An unknown key, an unknown rule id or a value of the wrong type is a usage
error (:class:`ConfigError`, exit 2) that names the file and the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from ..diagnostics import Severity
from ..record import Record
from .rules import RULES_BY_ID

OutputFormat = Literal["human", "json", "sarif"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("human", "json", "sarif")
KEYS = ("select", "ignore", "fail-on", "format")


class ConfigError(Exception):
    """A usage error in the configuration or the command line (exit 2)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FileConfig(Record):
    """What a ``pyproject.toml`` says; ``None`` means "not set there"."""

    source: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: Severity | None = None
    format: OutputFormat | None = None


def pattern_matches(rule_id: str, pattern: str) -> bool:
    """``all``, an exact id, or a prefix ending in ``*`` (``epub-*``)."""
    if pattern == "all":
        return True
    if pattern.endswith("*"):
        return rule_id.startswith(pattern[:-1])
    return rule_id == pattern


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    """The patterns that name no rule of the table."""
    return [p for p in patterns if not any(pattern_matches(r, p) for r in RULES_BY_ID)]


def _did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(RULES_BY_ID), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_rules_message(unknown: Sequence[str], origin: str) -> str:
    names = ", ".join(f"{u!r}{_did_you_mean(u)}" for u in unknown)
    noun = "rule id" if len(unknown) == 1 else "rule ids"
    return f"{origin}: unknown {noun} {names}; `briefconvert check --list-rules` lists them"


def split_rule_list(value: str) -> tuple[str, ...]:
    """``"a, b,c"`` -> ``("a", "b", "c")`` (empty items dropped)."""
    return tuple(p.strip() for p in value.split(",") if p.strip())


def validate_rule_list(patterns: Sequence[str], origin: str) -> tuple[str, ...]:
    unknown = unknown_patterns(patterns)
    if unknown:
        raise ConfigError(unknown_rules_message(unknown, origin))
    return tuple(patterns)


def parse_severity(value: str, origin: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError:
        raise ConfigError(f"{origin}: {value!r} is not a severity (choose error, warning or info)") from None


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.briefconvert.check]`` table,
    from ``start`` upward."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(_load_toml(candidate), candidate) is not None:
            return candidate
    return None


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    node: Any = data
    for key in ("tool", "briefconvert", "check"):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    if not isinstance(node, dict):
        raise ConfigError(f"{path}: [tool.briefconvert.check] must be a table")
    return cast(dict[str, Any], node)


def load_file_config(path: Path) -> FileConfig:
    """Read and validate ``[tool.briefconvert.check]`` of ``path`` (an empty
    FileConfig when the table is absent)."""
    table = _table(_load_toml(path), path)
    if table is None:
        return FileConfig(source=path)
    where = f"{path}: [tool.briefconvert.check]"
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(KEYS)})"
        )
    select = _rule_list(table, "select", where)
    ignore = _rule_list(table, "ignore", where)
    fail_on = None
    if "fail-on" in table:
        value = table["fail-on"]
        if not isinstance(value, str):
            raise ConfigError(f"{where}: fail-on must be a string (error, warning or info)")
        fail_on = parse_severity(value, f"{where}: fail-on")
    fmt: OutputFormat | None = None
    if "format" in table:
        value = table["format"]
        if value not in OUTPUT_FORMATS:
            raise ConfigError(f"{where}: format must be one of {', '.join(OUTPUT_FORMATS)}, not {value!r}")
        fmt = value
    return FileConfig(source=path, select=select, ignore=ignore, fail_on=fail_on, format=fmt)


def _rule_list(table: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: {key} must be a list of rule ids, like {key} = ["image-alt"]')
    return validate_rule_list([v.strip() for v in value], f"{where}: {key}")
