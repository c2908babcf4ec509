"""Resources: content-hash keys, media-type sniffing, safe image loading and
safe resolution of references inside the input's own folder."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .diagnostics import Report
from .model import Resource

if TYPE_CHECKING:
    from PIL import Image as PILImage

_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
_PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


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

    fmt = _PIL_FORMATS[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=[fmt]) as img:
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
                    data = _reencode(img, fmt)
                else:
                    img.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        report.warning("resource-too-large", f"{origin}: over Pillow's decompression-bomb limit", where)
        return None
    except Exception as exc:  # Pillow raises many types for corrupt data
        report.warning("resource-corrupt", f"{origin}: cannot be decoded ({exc.__class__.__name__})", where)
        return None
    return Resource(resource_key(data, media_type), media_type, data, width, height, origin=origin)


def _reencode(img: PILImage.Image, fmt: str) -> bytes:
    """``img`` decoded and encoded again in ``fmt``, without metadata
    (deterministic: the same image gives the same bytes)."""
    out = io.BytesIO()
    if fmt == "GIF":
        img.save(out, format="GIF", save_all=getattr(img, "n_frames", 1) > 1)
    elif fmt == "JPEG":
        frame = img if img.mode in ("L", "RGB", "CMYK") else img.convert("RGB")
        frame.save(out, format="JPEG", quality=90)
    elif fmt == "WEBP":
        img.save(out, format="WEBP", quality=90)
    else:
        frame = img if img.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16") else img.convert("RGBA")
        frame.save(out, format="PNG")
    return out.getvalue()


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
