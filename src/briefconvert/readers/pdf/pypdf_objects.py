"""Safe access to pypdf objects from untrusted files."""

from __future__ import annotations

from typing import Any

from pypdf.errors import LimitReachedError
from pypdf.generic import IndirectObject


def is_loop(exc: LimitReachedError) -> bool:
    """pypdf reports an object whose reading needs itself (a reference
    cycle: damage, not size) as a LimitReachedError too."""
    return "loop" in str(exc).lower()


def resolve(value: Any) -> Any:
    """The object an indirect reference points to; None when it cannot be
    read (damaged, or part of a reference cycle).  Size limits propagate."""
    if not isinstance(value, IndirectObject):
        return value
    try:
        return value.get_object()
    except LimitReachedError as exc:
        if is_loop(exc):
            return None
        raise
    except Exception:
        return None


def text(value: Any) -> str | None:
    try:
        value = resolve(value)
    except Exception:
        return None
    if value is None:
        return None
    if isinstance(value, bytes):
        if value[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return value.decode("utf-16", "replace")
        return value.decode("latin-1")
    if isinstance(value, str):
        return str(value)
    return None
