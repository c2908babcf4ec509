"""Metadata: only what the file itself declares.

* title: ``dc:title`` of ``docProps/core.xml`` (never the first heading);
* language: the default language of the text (``w:docDefaults`` or the
  default paragraph style in ``styles.xml``), else ``dc:language``; kept as
  written, even when it is not a valid tag (the document-lang rule says so);
* authors: ``dc:creator``, split on ";" (Word's separator for several
  authors); description: ``dc:description`` or ``dc:subject``; keywords;
  identifier.
"""

from __future__ import annotations

import re

from ...model import Meta
from ...textnorm import collapse_ws
from .ns import CP_NS, DC_NS, Element

_DC = f"{{{DC_NS}}}"
_CP = f"{{{CP_NS}}}"
_KEYWORDS = re.compile(r"[;,]")


def _text(root: Element | None, tag: str) -> str | None:
    if root is None:
        return None
    el = root.find(tag)
    if el is None:
        return None
    value = collapse_ws("".join(el.itertext()))
    return value or None


def read_meta(core: Element | None, style_lang: str | None) -> Meta:
    creator = _text(core, _DC + "creator")
    keywords = _text(core, _CP + "keywords")
    lang = collapse_ws(style_lang) if style_lang else None
    return Meta(
        title=_text(core, _DC + "title"),
        lang=lang or _text(core, _DC + "language"),
        authors=tuple(a for a in (collapse_ws(x) for x in (creator or "").split(";")) if a),
        description=_text(core, _DC + "description") or _text(core, _DC + "subject"),
        identifier=_text(core, _DC + "identifier"),
        keywords=tuple(k for k in (collapse_ws(x) for x in _KEYWORDS.split(keywords or "")) if k),
    )
