"""Which link targets survive: http(s) and mailto URLs, and fragments that
point at something kept in the document.  Relative links are resolved when
the page declares its own absolute URL; everything else keeps its text and
loses the link, with a diagnostic."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urljoin, urlsplit

from .context import Context
from .dom import Element

_STRIP = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside and around URLs
_UNSAFE = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem"})


def clean_href(href: str) -> str:
    return _STRIP.sub("", href.strip())


def resolve_href(ctx: Context, href: str, el: Element) -> str | None:
    """The URL a link keeps in the model, or None when only its text stays."""
    raw = clean_href(href)
    if not raw:
        return None
    if ctx.keep:
        return _as_written(ctx, raw)
    if raw.startswith("#"):
        frag = unquote(raw[1:])
        if not frag or frag.lower() in ("top", "main", "content"):
            return None
        target = ctx.id_alias.get(frag)
        if target is None:
            ctx.report.info(
                "link-dropped",
                f"link to #{frag}: no such target in the document; kept as text",
                ctx.where(el),
            )
            return None
        return "#" + quote(target, safe="-._~!$&'()*+,;=:@/?")
    if raw.startswith("//"):
        raw = "https:" + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        ctx.report.info("link-dropped", "malformed link target; kept as text", ctx.where(el))
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return raw if parts.netloc else None
    if scheme == "mailto":
        return raw
    if scheme in _UNSAFE:
        ctx.report.warning("link-unsafe", f"{scheme}: link removed; kept as text", ctx.where(el))
        return None
    if scheme and len(scheme) > 1:
        ctx.report.info(
            "link-dropped", f"{scheme}: link not kept (only http, https and mailto)", ctx.where(el)
        )
        return None
    if ctx.base_url:
        joined = urljoin(ctx.base_url, raw)
        if joined.lower().startswith(("http://", "https://")):
            return joined
    ctx.report.info(
        "link-dropped", f"relative link {raw[:80]!r} has no base URL; kept as text", ctx.where(el)
    )
    return None


def _as_written(ctx: Context, raw: str) -> str:
    """keep_faults: every link stays a link (check judges its text, not its
    target).  A fragment keeps its model id when its target is in the model,
    stays as written when no element of the page has that id, and becomes a
    bare ``#`` (the top of the page) when the target exists but is no content
    (a form field, a hidden element), so that only missing targets show."""
    if not raw.startswith("#"):
        return raw
    frag = unquote(raw[1:])
    target = ctx.id_alias.get(frag)
    if target is not None:
        return "#" + quote(target, safe="-._~!$&'()*+,;=:@/?")
    if not frag or frag.lower() == "top" or frag in ctx.file_ids:
        return "#"
    return raw
