"""Resources: content-hash keys, media-type sniffing, safe image loading and
safe resolution of references inside the input's own folder."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import Report
from .model import Resource

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
    data: bytes, *, origin: str, report: Report, max_pixels: int = 40_000_000, where: str | None = None
) -> Resource | None:
    """Check that ``data`` is a PNG/JPEG/GIF/WEBP image of sane size; return a
    Resource, or None plus a diagnostic."""
    media_type = sniff_media_type(data)
    if media_type is None:
        report.warning("resource-unsupported", f"{origin}: not a PNG, JPEG, GIF or WebP image", where)
        return None
    from PIL import Image as PILImage  # lazy: Pillow costs start-up time

    try:
        with PILImage.open(io.BytesIO(data), formats=[_PIL_FORMATS[media_type]]) as img:
            width, height = img.size
            if width * height > max_pixels:
                report.warning(
                    "resource-too-large",
                    f"{origin}: {width}x{height} pixels is over the limit of {max_pixels}",
                    where,
                )
                return None
            img.verify()
    except Exception as exc:  # Pillow raises many types for corrupt data
        report.warning("resource-corrupt", f"{origin}: cannot be decoded ({exc.__class__.__name__})", where)
        return None
    return Resource(resource_key(data, media_type), media_type, data, width, height, origin=origin)


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
