"""Text normalisation at model entry: every string a reader puts in the model
passes through :func:`clean_text` so that no writer meets control characters,
lone surrogates or unnormalised Unicode."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except TAB, LF; plus lone surrogates and non-characters.
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BAD.sub("", text)
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """Whitespace runs to single spaces, trimmed (for titles, alt text, metadata)."""
    return " ".join(clean_text(text).split())
