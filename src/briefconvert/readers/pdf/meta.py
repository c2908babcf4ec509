"""Document metadata from XMP (dc:*, pdf:Keywords), /Info and the catalog's /Lang."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...model import Meta
from ...textnorm import collapse_ws
from .backend import DocumentInfo

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_JUNK_TITLE = re.compile(
    r"^(?:untitled|title|document\d*|microsoft word|unknown|none|null|\s*-\s*)$"
    r"|\.(?:docx?|pdf|indd|rtf|odt|tex|dvi|pptx?|xlsx?|qxp|ai|eps|ps)\s*$",
    re.I,
)
_APP_PREFIX = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled - )", re.I)


def clean_title(value: str | None) -> str | None:
    """A usable title, or None for empty values, file names and application defaults."""
    if not value:
        return None
    text = collapse_ws(_APP_PREFIX.sub("", collapse_ws(value)))
    if not text or _JUNK_TITLE.search(text) or not re.search(r"\w", text):
        return None
    return text


def normalise_lang(value: str | None) -> str | None:
    """A BCP 47 tag from a PDF language value ("en_US" -> "en-US"), or None."""
    if not value:
        return None
    tag = collapse_ws(value).replace("_", "-")
    if not _LANG.match(tag) or tag.lower() in ("x-default", "und", "x-unknown"):
        return None
    parts = tag.split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else (p.title() if len(p) == 4 else p.lower()))
    return "-".join(out)


def iso_date(value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from an ISO or a PDF date string."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DATE.match(value) if "-" in value[:8] else _PDF_DATE.match(value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not 1000 <= int(year) <= 2999:
        return None
    if month and not 1 <= int(month) <= 12:
        return year
    if day and not 1 <= int(day) <= 31:
        day = None
    return "-".join(p for p in (year, month, day if month else None) if p)


def _first(values: Sequence[str] | None) -> str | None:
    for v in values or ():
        text = collapse_ws(v)
        if text:
            return text
    return None


def _split(value: str | None, seps: str) -> tuple[str, ...]:
    if not value:
        return ()
    parts = [collapse_ws(p) for p in re.split(seps, value)]
    out: list[str] = []
    for p in parts:
        if p and p not in out:
            out.append(p)
    return tuple(out)


def read_meta(info: DocumentInfo) -> Meta:
    xmp = info.xmp
    d = info.info
    title = clean_title(_first(xmp.get("title"))) or clean_title(d.get("Title"))
    lang = normalise_lang(info.lang) or normalise_lang(_first(xmp.get("language")))
    creators = tuple(c for c in (collapse_ws(v) for v in xmp.get("creator", ())) if c)
    authors = creators or _split(d.get("Author"), r"\s*;\s*|\s+&\s+")
    date = None
    for value in (*xmp.get("date", ()), d.get("CreationDate")):
        date = iso_date(value)
        if date:
            break
    description = _first(xmp.get("description")) or (collapse_ws(d.get("Subject", "")) or None)
    keywords = _split(_first(xmp.get("keywords")) or d.get("Keywords"), r"\s*[;,]\s*")
    publisher = _first(xmp.get("publisher"))
    rights = _first(xmp.get("rights"))
    identifier = _first(xmp.get("identifier"))
    return Meta(
        title=title,
        lang=lang,
        authors=authors,
        date=date,
        publisher=publisher,
        description=description,
        identifier=identifier,
        keywords=keywords,
        rights=rights,
    )
