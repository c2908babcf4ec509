"""Embedded raster images: decoded through the backend (Pillow), checked
against the pixel limit before decoding, re-encoded as PNG (JPEG for
photographs that were stored as JPEG) and stored once by content hash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...diagnostics import Report
from ...model import Image, Resource
from ...resources import encode_image, load_image
from .backend import ImagePlacement

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MIN_PIXELS = 16  # smaller images (spacers, rules) are decoration
MIN_POINTS = 6.0  # placed smaller than this on the page: decoration


def is_decoration(img: ImagePlacement) -> bool:
    w = img.bbox[2] - img.bbox[0]
    h = img.bbox[3] - img.bbox[1]
    return (
        img.pixel_width * img.pixel_height < MIN_PIXELS * MIN_PIXELS
        or min(img.pixel_width, img.pixel_height) < 3
        or w < MIN_POINTS
        or h < MIN_POINTS
    )


@dataclass(slots=True)
class ImageLoader:
    decode: Callable[[int], PILImage | None]
    report: Report
    max_pixels: int
    enabled: bool = True
    resources: dict[str, Resource] = field(default_factory=dict)
    _done: dict[int, str | None] = field(default_factory=dict)

    def image(self, placement: ImagePlacement, page: int, alt: str | None) -> Image:
        key = self._load(placement, page) if self.enabled else None
        return Image(key, alt)

    def _load(self, placement: ImagePlacement, page: int) -> str | None:
        if placement.ref in self._done:
            return self._done[placement.ref]
        where = f"page {page + 1}"
        key: str | None = None
        pixels = placement.pixel_width * placement.pixel_height
        if pixels > self.max_pixels:
            self.report.warning(
                "resource-too-large",
                f"an image of {placement.pixel_width}x{placement.pixel_height} pixels is over the limit "
                f"of {self.max_pixels} (--max-image-pixels); only its text alternative is kept",
                where,
            )
        else:
            data = self._encode(placement, where)
            if data is not None:
                res = load_image(
                    data,
                    origin=f"{where} image",
                    report=self.report,
                    max_pixels=self.max_pixels,
                    where=where,
                    reencode=False,  # _encode has just re-encoded it
                )
                if res is not None:
                    self.resources[res.key] = res
                    key = res.key
        self._done[placement.ref] = key
        return key

    def _encode(self, placement: ImagePlacement, where: str) -> bytes | None:
        try:
            img = self.decode(placement.ref)
        except Exception as exc:  # decoders raise many kinds on damaged data
            if exc.__class__.__name__ == "LimitExceeded":
                raise
            self.report.warning(
                "resource-corrupt", f"an embedded image cannot be decoded ({exc.__class__.__name__})", where
            )
            return None
        if img is None:
            return None
        try:
            width, height = img.size
            if width * height > self.max_pixels:
                self.report.warning(
                    "resource-too-large",
                    f"an image of {width}x{height} pixels is over the limit of {self.max_pixels} "
                    "(--max-image-pixels)",
                    where,
                )
                return None
            return _reencode(img)
        except Exception as exc:
            self.report.warning(
                "resource-corrupt",
                f"an embedded image cannot be re-encoded ({exc.__class__.__name__})",
                where,
            )
            return None


def _reencode(img: PILImage) -> bytes:
    photo = (img.format or "").upper() in ("JPEG", "JPEG2000", "MPO")
    if photo and img.mode not in ("RGBA", "LA", "P", "PA"):
        rgb = img if img.mode in ("RGB", "L") else img.convert("RGB")
        return encode_image(rgb, "image/jpeg", quality=90, optimize=True)
    if img.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.mode else "RGB")
    return encode_image(img, "image/png", optimize=False)
