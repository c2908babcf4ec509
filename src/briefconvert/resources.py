"""Resources: content-hash keys, media-type sniffing, safe image loading and
safe resolution of references inside the input's own folder."""

from __future__ import annotations

import hashlib
import importlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .diagnostics import Report
from .model import Resource

if TYPE_CHECKING:
    from PIL import Image as PILImage

_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
# media type -> (Pillow plugin module, its image class, a file name for saving)
_PLUGINS = {
    "image/png": ("PngImagePlugin", "PngImageFile", "image.png"),
    "image/jpeg": ("JpegImagePlugin", "JpegImageFile", "image.jpg"),
    "image/gif": ("GifImagePlugin", "GifImageFile", "image.gif"),
    "image/webp": ("WebPImagePlugin", "WebPImageFile", "image.webp"),
}


def sniff_media_type(data: bytes) -> str | None:
    """The media type of an image we accept, from its magic bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def resource_key(data: bytes, media_type: str) -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"sha256-{digest}.{_EXT.get(media_type, 'bin')}"


def load_image(
    data: bytes,
    *,
    origin: str,
    report: Report,
    max_pixels: int = 40_000_000,
    where: str | None = None,
    reencode: bool = True,
) -> Resource | None:
    """Check that ``data`` is a PNG/JPEG/GIF/WEBP image of sane size, decode
    it and re-encode it in the same format (so that what we write is our
    own encoder's output: no trailing data, no metadata, no malformed chunks
    for a reader to trip over); return a Resource, or None plus a diagnostic.

    Only the format the magic bytes name is tried (no other Pillow plugin
    ever sees the data); the size is checked before decoding, and Pillow's
    decompression-bomb warning is an error here.  ``reencode=False`` is for
    callers that have just encoded the image themselves (the PDF reader)."""
    media_type = sniff_media_type(data)
    if media_type is None:
        report.warning("resource-unsupported", f"{origin}: not a PNG, JPEG, GIF or WebP image", where)
        return None
    from PIL import Image as PILImage  # lazy: Pillow costs start-up time

    try:
        with open_image(data, media_type) as img:
            width, height = img.size
            if width * height > max_pixels:
                report.warning(
                    "resource-too-large",
                    f"{origin}: {width}x{height} pixels is over the limit of {max_pixels} "
                    "(--max-image-pixels)",
                    where,
                )
                return None
            if reencode:
                data = _reencode(img, media_type)
            else:
                img.verify()
    except PILImage.DecompressionBombError:
        report.warning("resource-too-large", f"{origin}: over Pillow's decompression-bomb limit", where)
        return None
    except Exception as exc:  # Pillow raises many types for corrupt data
        report.warning("resource-corrupt", f"{origin}: cannot be decoded ({exc.__class__.__name__})", where)
        return None
    return Resource(resource_key(data, media_type), media_type, data, width, height, origin=origin)


def open_image(data: bytes, media_type: str) -> PILImage.Image:
    """``data`` opened (not yet decoded) by the Pillow plugin of
    ``media_type`` alone: no other plugin ever sees the data.

    (``PIL.Image.open`` on an in-memory file first imports five plugins, a
    tenth of a small conversion's start-up.)  Pillow's decompression-bomb
    limit applies as in ``Image.open``, its warning level already being an
    error (:class:`PIL.Image.DecompressionBombError`).  Raises ``KeyError``
    for a media type that is not an image we accept."""
    from PIL import Image as PILImage

    module, cls, _ = _PLUGINS[media_type]
    img: PILImage.Image = getattr(importlib.import_module(f"PIL.{module}"), cls)(io.BytesIO(data))
    width, height = img.size
    if PILImage.MAX_IMAGE_PIXELS is not None and width * height > PILImage.MAX_IMAGE_PIXELS:
        img.close()
        raise PILImage.DecompressionBombError(f"{width}x{height} pixels")
    return img


class _NamedBuffer(io.BytesIO):
    """An in-memory file with a name: ``Image.save`` takes the format from
    the name's extension and then imports that plugin only (given a format
    argument, it imports five)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


def encode_image(img: PILImage.Image, media_type: str, **params: Any) -> bytes:
    """``img`` encoded as ``media_type`` (with Pillow's ``params``)."""
    out = _NamedBuffer(_PLUGINS[media_type][2])
    img.save(out, **params)
    return out.getvalue()


def _reencode(img: PILImage.Image, media_type: str) -> bytes:
    """``img`` decoded and encoded again as ``media_type``, without metadata
    (deterministic: the same image gives the same bytes)."""
    if media_type == "image/gif":
        return encode_image(img, media_type, save_all=getattr(img, "n_frames", 1) > 1)
    if media_type == "image/jpeg":
        frame = img if img.mode in ("L", "RGB", "CMYK") else img.convert("RGB")
        return encode_image(frame, media_type, quality=90)
    if media_type == "image/webp":
        return encode_image(img, media_type, quality=90)
    frame = img if img.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16") else img.convert("RGBA")
    return encode_image(frame, media_type)


def resolve_local(base: Path | None, ref: str) -> Path | None:
    """The file that a relative reference names inside ``base`` (symlinks
    resolved), or None when it would leave the folder, is absolute, or names
    a scheme other than a relative path."""
    if base is None:
        return None
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return None
    root = base.resolve()
    target = (root / path).resolve()
    if target != root and root not in target.parents:
        return None
    return target if target.is_file() else None
