"""Safe access to pypdf objects from untrusted files."""

from __future__ import annotations

from typing import Any

from pypdf.errors import LimitReachedError
from pypdf.generic import IndirectObject


def resolve(value: Any) -> Any:
    """The object an indirect reference points to; None when it cannot be read."""
    if not isinstance(value, IndirectObject):
        return value
    try:
        return value.get_object()
    except LimitReachedError:
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
