"""Pictures and other drawing objects -> Image nodes.

* DrawingML (``w:drawing``): ``wp:inline`` and floating ``wp:anchor`` alike.
  The text alternative is ``wp:docPr/@descr`` (``pic:cNvPr/@descr`` when the
  former is absent).  Word's decorative flag (``adec:decorative val="1"``)
  makes the alt ``""``; an empty or missing description without the flag is
  ``None`` (unknown).  Charts, diagrams and shapes are non-text content too:
  an Image without a resource carrying their description.
* Text boxes (``wps:txbx``, VML ``v:textbox``) are text, not images: their
  content is read as blocks and placed after the paragraph (an Aside).
* VML (``w:pict``, ``w:object``): ``v:imagedata`` pictures with ``v:shape/@alt``.
* Image data comes only from parts inside the package; external images
  (``r:link``, ``TargetMode="External"``) are never fetched: such an Image
  keeps its text alternative only.
"""

from __future__ import annotations

from ...model import Aside, Image, SourceRef
from ...resources import load_image
from ...textnorm import collapse_ws
from .context import MAX_DEPTH, ReadContext
from .ns import ADEC_NS, PIC, R_EMBED, R_ID, REL_IMAGE, WP, WPS, A, Element, O, V, W

_DECORATIVE = f"{{{ADEC_NS}}}decorative"
_PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_VML_SHAPES = frozenset(V + t for t in ("shape", "rect", "roundrect", "oval", "image", "group"))


def is_decorative(doc_pr: Element | None) -> bool:
    """Word's "Mark as decorative" flag on a ``wp:docPr``."""
    if doc_pr is None:
        return False
    for el in doc_pr.iter(_DECORATIVE):
        return (el.get("val") or "").strip().lower() in ("1", "true", "on")
    return False


def drawing_alt(obj: Element) -> tuple[str | None, str | None, bool]:
    """(alt, title, decorative) of a ``wp:inline`` or ``wp:anchor``."""
    doc_pr = obj.find(WP + "docPr")
    decorative = is_decorative(doc_pr)
    descr = doc_pr.get("descr") if doc_pr is not None else None
    if descr is None:
        cnv = obj.find(f".//{PIC}cNvPr")
        descr = cnv.get("descr") if cnv is not None else None
    title = doc_pr.get("title") if doc_pr is not None else None
    title = collapse_ws(title) if title else None
    if decorative:
        return "", title or None, True
    alt = collapse_ws(descr) if descr else ""
    return (alt or None), title or None, False


def _resource(ctx: ReadContext, rid: str | None) -> str | None:
    """The resource key of the image part that ``rid`` names (loaded once)."""
    if not rid or not ctx.options.images:
        return None
    rel = ctx.story.rels.get(rid)
    if rel is None or rel.external or rel.type != REL_IMAGE:
        return None
    if rel.target in ctx.images:
        return ctx.images[rel.target]
    key = None
    data = ctx.pkg.blob(rel.target, ctx.options.max_image_bytes)
    if data is None:
        if ctx.pkg.has(rel.target):
            ctx.report.warning(
                "resource-too-large", f"image {rel.target} is over {ctx.options.max_image_bytes:,} bytes"
            )
    else:
        res = load_image(data, origin=rel.target, report=ctx.report, max_pixels=ctx.options.max_image_pixels)
        if res is not None:
            ctx.resources.setdefault(res.key, res)
            key = res.key
    ctx.images[rel.target] = key
    return key


def _textbox(ctx: ReadContext, content: Element) -> None:
    """Text-box content, read as blocks for after the paragraph."""
    if ctx.depth >= MAX_DEPTH:
        return
    blocks = ctx.read_blocks(ctx, content)
    if blocks:
        ctx.floats.append(Aside(blocks, kind="box"))


def drawing(ctx: ReadContext, el: Element, out: list[Image], src: SourceRef) -> None:
    """The images of a ``w:drawing`` (text boxes go to ``ctx.floats``)."""
    for obj in el:
        if obj.tag not in (WP + "inline", WP + "anchor"):
            continue
        data = obj.find(f"{A}graphic/{A}graphicData")
        if data is None:
            continue
        txbx = data.find(f"{WPS}wsp/{WPS}txbx/{W}txbxContent")
        if txbx is not None:
            _textbox(ctx, txbx)
            continue
        alt, title, _ = drawing_alt(obj)
        key = None
        if data.get("uri") == _PICTURE_URI:
            blip = data.find(f".//{A}blip")
            if blip is not None:
                key = _resource(ctx, blip.get(R_EMBED))
        out.append(Image(key, alt, title, src=src))


def vml(ctx: ReadContext, el: Element, out: list[Image], src: SourceRef) -> None:
    """The pictures and text boxes of a ``w:pict`` or ``w:object``."""
    for shape in el.iter(*_VML_SHAPES):
        box = shape.find(f"{V}textbox/{W}txbxContent")
        if box is not None:
            _textbox(ctx, box)
            continue
        data = shape.find(V + "imagedata")
        if data is None:
            continue
        alt = shape.get("alt")
        alt = collapse_ws(alt) if alt else None
        title = data.get(O + "title")
        key = _resource(ctx, data.get(R_ID) or data.get(R_EMBED))  # never r:href / o:href (external)
        out.append(Image(key, alt or None, collapse_ws(title) if title else None, src=src))
