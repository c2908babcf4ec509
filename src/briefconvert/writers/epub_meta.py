"""Package facts derived from the model: title, language, identifier, dates.

Everything here is a pure function of the model, the rendered book and the
options, so the same document always gets the same identifier and the same
``dcterms:modified``: the build time never enters the book.

Identifier
    ``options.identifier`` when given; else ``urn:uuid:`` + a name-based
    (version 5) UUID whose name is the SHA-256 of the book's content: a
    canonical serialisation of the metadata, then every file of the
    container other than the package document (its name, media type and
    the SHA-256 of its bytes: chapters, navigation, stylesheet, images).
    Provenance (``src`` fields) is not rendered, so the same content read
    from a differently laid out file keeps its identifier; any change to
    what a reader of the book sees changes it.  (Hashing the rendered files
    rather than walking the model again keeps this to one pass over bytes
    that exist anyway.)

Dates
    ``dc:date`` is ``Meta.date`` when it is a W3C date (``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``, a real day), else it is left out (EPUBCheck
    warns about other forms).  ``dcterms:modified`` is that date at midnight
    UTC, the missing month and day taken as 01; without a usable date it is
    :data:`FIXED_MODIFIED`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import fields

from ..model import Document, Meta
from .html import page_title
from .html_context import xml_safe

FIXED_MODIFIED = "2000-01-01T00:00:00Z"
# A fixed namespace for our name-based UUIDs (itself a v5 UUID of the project's name).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_OID, "briefconvert.epub.identifier")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def book_title(doc: Document) -> tuple[str, str]:
    """The title and where it came from: ``"meta"``, ``"first heading"`` or
    ``"start of the text"`` -- the HTML writer's choice, so that page and book agree."""
    title, source = page_title(doc)
    return xml_safe(title), source


def w3c_date(value: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a ``YYYY[-MM[-DD]]`` date that exists, else None."""
    if value is None:
        return None
    m = _DATE.match(value.strip())
    if m is None:
        return None
    year, month, day = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if year == 0:
        return None
    return year, month, day


def dc_date(value: str | None) -> str | None:
    parts = w3c_date(value)
    if parts is None:
        return None
    year, month, day = parts
    out = f"{year:04d}"
    if month is not None:
        out += f"-{month:02d}"
        if day is not None:
            out += f"-{day:02d}"
    return out


def modified(value: str | None) -> str:
    """``dcterms:modified`` (``CCYY-MM-DDThh:mm:ssZ``) from the publication date."""
    parts = w3c_date(value)
    if parts is None:
        return FIXED_MODIFIED
    year, month, day = parts
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"


def identifier(meta: Meta, files: Iterable[tuple[str, str, bytes]], given: str | None) -> str:
    """``given`` (cleaned) or a UUID from the metadata and ``files``, the
    book's (name, media type, bytes) other than the package document."""
    if given is not None:
        cleaned = " ".join(xml_safe(given).split())
        if cleaned:
            return cleaned
    h = hashlib.sha256(_metadata_bytes(meta))
    for name, media_type, data in sorted(files):
        for part in (name, media_type, hashlib.sha256(data).hexdigest()):
            encoded = part.encode("utf-8", "surrogatepass")
            h.update(b"f%d:" % len(encoded) + encoded)
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, h.hexdigest())}"


def _metadata_bytes(meta: Meta) -> bytes:
    """A canonical serialisation of the metadata (all strings, optional
    strings or tuples of strings): each field by name with its item count,
    each item length-prefixed, so that no two different metadata serialise
    alike."""
    out: list[bytes] = []
    for f in fields(meta):
        value = getattr(meta, f.name)
        items = value if isinstance(value, tuple) else (value,)
        out.append(f"{f.name}:{len(items)}".encode("ascii"))
        for item in items:
            if item is None:
                out.append(b"-")
            else:
                data = str(item).encode("utf-8", "surrogatepass")
                out.append(b"s%d:" % len(data) + data)
    return b"".join(out)
