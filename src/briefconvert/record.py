"""The base of briefconvert's frozen dataclasses (the model, the options and
every other frozen value class).

``dataclasses`` compiles every generated method of every class at import
(one ``exec`` each): for the model's 34 classes ``__repr__``, ``__eq__`` and
``__hash__`` were 40% of the model's import time, paid by every run of the
CLI and the pre-commit hook.  These classes are declared with
``@dataclass(frozen=True, slots=True, eq=False, repr=False)`` and inherit the
three methods from :class:`Record` instead, written once here with the same
meaning as the generated ones:

* equality: same class and equal compared fields (``field(compare=False)``,
  such as the model's provenance ``src``, is left out);
* hash: the hash of the tuple of compared fields, as a frozen dataclass has;
* repr: ``Name(field=value, ...)`` over the fields with ``repr=True``.

``dataclasses.fields``, ``replace``, ``asdict``, ``match`` (``__match_args__``)
and the frozen ``__setattr__`` are the standard ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import cache
from operator import attrgetter
from typing import Any

__all__ = ["Record"]


@cache
def _compared(cls: type) -> Callable[[object], tuple[object, ...]]:
    """The compared fields of ``cls`` as a tuple, read by one getter (a memo
    per class, filled on first use: classes are immutable)."""
    names = [f.name for f in fields(cls) if f.compare]
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()


@cache
def _shown(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.repr)


class Record:
    """Equality, hashing and repr for a frozen, slotted dataclass."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        cls: Any = self.__class__  # (mypy sees no class as Hashable for functools.cache)
        key = _compared(cls)
        return key(self) == key(other)

    def __hash__(self) -> int:
        cls: Any = self.__class__  # (mypy sees no class as Hashable for functools.cache)
        return hash(_compared(cls)(self))

    def __repr__(self) -> str:
        cls: Any = self.__class__  # (mypy sees no class as Hashable for functools.cache)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _shown(cls))
        return f"{cls.__qualname__}({shown})"
