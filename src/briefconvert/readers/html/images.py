"""Images: ``data:`` URIs and files inside the input's own folder are loaded
into the document's resources; nothing else is ever fetched or read (remote
URLs, absolute paths, ``../`` escapes, ``file:``).  The image then keeps only
its text alternative, and a diagnostic says why."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...model import Image
from ...resources import load_image, resolve_local
from ...textnorm import collapse_ws
from .context import Context
from .dom import Element, attr, collapse, roles

_DATA_URI = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*)(;base64)?,(.*)$", re.I | re.S)
_ACCEPTED = frozenset({"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"})
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-full-src")
_PLACEHOLDER = re.compile(r"placeholder|blank\.|spacer|pixel\.|transparent\.|lazy", re.I)


def _srcset(value: str) -> list[str]:
    """URLs of a srcset, largest first."""
    entries: list[tuple[float, str]] = []
    for part in re.split(r",\s+", value.strip()):
        bits = part.strip().split()
        if not bits or bits[0].startswith("data:"):
            continue
        size = 0.0
        if len(bits) > 1:
            try:
                size = float(bits[1][:-1]) if bits[1][-1:] in ("w", "x") else 0.0
            except ValueError:
                size = 0.0
        entries.append((size, bits[0]))
    entries.sort(key=lambda e: -e[0])
    return [u for _, u in entries]


def _placeholder(src: str) -> bool:
    return not src or (src.startswith("data:") and len(src) < 400) or bool(_PLACEHOLDER.search(src[:200]))


def candidates(el: Element) -> list[str]:
    """Image references in the order to try them: ``src`` unless it is a
    lazy-loading placeholder, then ``data-src``-style attributes and srcsets."""
    src = attr(el, "src")
    lazy = [attr(el, a) for a in _LAZY_ATTRS if attr(el, a)]
    sets = [u for a in ("srcset", "data-srcset") if attr(el, a) for u in _srcset(attr(el, a))]
    ordered = [*lazy, *sets, src] if _placeholder(src) and (lazy or sets) else [src, *lazy, *sets]
    out: list[str] = []
    for ref in ordered:
        if ref and ref not in out:
            out.append(ref)
    return out


def alt_of(el: Element) -> str | None:
    """None: no alt attribute (unknown); "": decorative (``alt=""``,
    ``role=presentation|none``, or ``aria-hidden`` without alt text).  An
    ``aria-hidden`` image that has alt text keeps it: pages hide such images
    because a twin (MathML, a caption) carries the text, and that twin is
    often what cannot be kept."""
    if roles(el) & {"presentation", "none"}:
        return ""
    alt = el.get("alt")
    if attr(el, "aria-hidden").lower() == "true":
        return collapse_ws(alt) if alt else ""
    return None if alt is None else collapse_ws(alt)


def read_image(ctx: Context, el: Element) -> Image | None:
    alt = alt_of(el)
    title = collapse_ws(el.get("title") or "") or None
    if ctx.keep:  # keep_faults: an ARIA name or a title is a text alternative; alt=" " is no alt
        if alt is None:
            alt = collapse_ws(attr(el, "aria-label")) or labelled_by(el) or title
        elif alt == "" and (el.get("alt") or "") and not _declared_decorative(el):
            alt = " "
    refs = candidates(el)
    if not refs:
        if alt or (ctx.keep and alt is None):
            return Image(None, alt, title, src=ctx.src(el))
        return None
    local = [r for r in refs if r.startswith("data:") or _is_relative(r)]
    ref = local[0] if local else refs[0]
    key = _load(ctx, ref, el)
    if key is None and len(local) > 1:
        for other in local[1:]:
            key = _load(ctx, other, el)
            if key is not None:
                break
    return Image(key, alt, title, src=ctx.src(el))


def _declared_decorative(el: Element) -> bool:
    return bool(roles(el) & {"presentation", "none"}) or attr(el, "aria-hidden").lower() == "true"


def labelled_by(el: Element) -> str | None:
    """The text of the elements ``aria-labelledby`` names."""
    ids = attr(el, "aria-labelledby").split()
    if not ids:
        return None
    root = el.getroottree().getroot()
    found = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id") in ids}
    return collapse(" ".join(collapse("".join(found[i].itertext())) for i in ids if i in found)) or None


def _is_relative(ref: str) -> bool:
    try:
        parts = urlsplit(ref)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and not ref.startswith(("/", "\\"))


def _load(ctx: Context, ref: str, el: Element) -> str | None:
    if ref in ctx.loaded:
        return ctx.loaded[ref]
    key = _data_uri(ctx, ref, el) if ref[:5].lower() == "data:" else _file(ctx, ref, el)
    ctx.loaded[ref] = key
    return key


def _short(ref: str) -> str:
    return ref if len(ref) <= 100 else ref[:97] + "..."


def _data_uri(ctx: Context, ref: str, el: Element) -> str | None:
    where = ctx.where(el)
    m = _DATA_URI.match(ref)
    media = (m.group(1) or "").lower() if m else ""
    if m is None or m.group(3) is None or media not in _ACCEPTED:
        kind = media or "unknown"
        ctx.report.warning(
            "resource-unsupported", f"data: URI of type {kind!r} is not a base64 PNG/JPEG/GIF/WebP", where
        )
        return None
    try:
        data = base64.b64decode(unquote(m.group(4)).strip(), validate=False)
    except (binascii.Error, ValueError):
        ctx.report.warning("resource-corrupt", "data: URI is not valid base64", where)
        return None
    return _store(ctx, data, "data: URI", where)


def _outside(base: Path, ref: str) -> bool:
    try:
        path = unquote(urlsplit(ref).path)
    except ValueError:
        return True
    if path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return True
    root = base.resolve()
    target = (root / path).resolve()
    return target != root and root not in target.parents


def _file(ctx: Context, ref: str, el: Element) -> str | None:
    where = ctx.where(el)
    try:
        parts = urlsplit(ref)
    except ValueError:
        ctx.report.warning("resource-missing", f"{_short(ref)}: malformed image reference", where)
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") or ref.startswith("//"):
        ctx.report.info(
            "resource-remote", f"{_short(ref)}: remote image not fetched; its alt text is kept", where
        )
        return None
    if scheme == "file" or len(scheme) == 1 or ref.startswith(("/", "\\")):
        ctx.report.warning("resource-outside", f"{_short(ref)}: outside the input's folder; not read", where)
        return None
    if scheme:
        ctx.report.warning("resource-unsupported", f"{_short(ref)}: {scheme}: images are not read", where)
        return None
    if ctx.fetch is not None:  # a container (EPUB) supplies the files its documents name
        data = ctx.fetch(ref)
        if data is None:
            ctx.report.warning("resource-missing", f"{_short(ref)}: no such file in the container", where)
            return None
        return _store(ctx, data, ref, where)
    if ctx.base is None:
        ctx.report.warning(
            "resource-missing",
            f"{_short(ref)}: no folder to read images from (input from standard input)",
            where,
        )
        return None
    path = resolve_local(ctx.base, ref)
    if path is None:
        if _outside(ctx.base, ref):
            ctx.report.warning(
                "resource-outside", f"{_short(ref)}: outside the input's folder; not read", where
            )
        else:
            ctx.report.warning("resource-missing", f"{_short(ref)}: no such file", where)
        return None
    try:
        size = path.stat().st_size
        if size > ctx.options.max_bytes:
            ctx.report.warning(
                "resource-too-large", f"{_short(ref)}: {size:,} bytes is over the input size limit", where
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        ctx.report.warning(
            "resource-missing", f"{_short(ref)}: cannot be read ({exc.__class__.__name__})", where
        )
        return None
    return _store(ctx, data, ref, where)


def _store(ctx: Context, data: bytes, origin: str, where: str | None) -> str | None:
    resource = load_image(
        data, origin=origin, report=ctx.report, max_pixels=ctx.options.max_image_pixels, where=where
    )
    if resource is None:
        return None
    ctx.resources.setdefault(resource.key, resource)
    return resource.key
