"""Byte-for-byte reproducible DOCX packages.

python-docx writes zip entries stamped with the current time.  The package
is rewritten here: ``[Content_Types].xml`` and ``_rels/.rels`` first, then
every other entry in name order, each stamped 1980-01-01 00:00:00 (the zip
format's epoch), deflated at a fixed level, with fixed attributes.  Entries
may be replaced on the way (``docProps/app.xml``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def normalize(data: bytes, replace: Mapping[str, bytes] | None = None) -> bytes:
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        order = [n for n in _FIRST if n in names] + sorted(n for n in names if n not in _FIRST)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                payload = replace.get(name)
                dst.writestr(info, src.read(name) if payload is None else payload, compresslevel=6)
    return out.getvalue()
