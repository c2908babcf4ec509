"""Images of the EPUB: which resources can go in the container, and their names.

A resource goes in only when its bytes are what its media type says and
decode (the readers check this on entry, but a model can also come from a
JSON file or a hand-made document, and EPUBCheck rejects a corrupt image
with PKG-021).  One that does not is left out with a ``resource-corrupt``
warning; the renderer then shows the image's text alternative instead.
The file name is the content-hash key (``sha256-<12 hex>.<ext>``), never a
name from the input.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..diagnostics import Report
from ..model import Document, Resource
from ..resources import open_image, resource_key, sniff_media_type
from .html_context import IMAGE_TYPES

_KEY = re.compile(r"sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)\Z")


def image_name(res: Resource) -> str:
    """The file name of an image inside ``images/``: its content-hash key
    (recomputed when the model's key does not have that shape)."""
    return res.key if _KEY.match(res.key) else resource_key(res.data, res.media_type)


def decodes(res: Resource) -> bool:
    """Whether ``res`` is an image of its declared type that Pillow can read."""
    if res.media_type not in IMAGE_TYPES or sniff_media_type(res.data) != res.media_type:
        return False
    try:
        with open_image(res.data, res.media_type) as img:
            img.verify()
    except Exception:  # Pillow raises many types for corrupt data
        return False
    return True


def usable_images(doc: Document, report: Report) -> Document:
    """``doc`` without the image resources that cannot go in the container."""
    bad = sorted(k for k, r in doc.resources.items() if r.media_type in IMAGE_TYPES and not decodes(r))
    if not bad:
        return doc
    for key in bad:
        report.warning(
            "resource-corrupt", "the image cannot be decoded: left out, its text alternative is shown", key
        )
    return replace(doc, resources={k: r for k, r in doc.resources.items() if k not in bad})
