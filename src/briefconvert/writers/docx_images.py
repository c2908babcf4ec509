"""Inline pictures (``wp:inline``) with their text alternative.

* Size: the Resource's pixel size at 96 dpi, scaled down (aspect ratio kept)
  to fit the text width and height.
* Alt text: ``wp:docPr/@descr`` and the same on ``pic:cNvPr/@descr``; the
  ``name`` attributes are generic ("Picture 3"), never a file name.
* ``alt == ""`` (decorative): empty ``descr`` plus Word's decorative flag
  (``a:extLst`` / ``adec:decorative val="1"``).  ``alt is None`` (unknown):
  no ``descr`` at all, and the caller reports ``image-alt``.
"""

from __future__ import annotations

from lxml import etree

from ..model import Image, Resource
from ..resources import encode_image, open_image, sniff_media_type
from .docx_ctx import DocxContext
from .docx_xml import A_NS, ADEC_NS, PIC_NS, R_EMBED, WP_NS, W, xml_safe

EMU_PER_PX = 9525  # 914400 EMU per inch / 96 px per inch
_PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_WORD_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
WP = f"{{{WP_NS}}}"
A = f"{{{A_NS}}}"
PIC = f"{{{PIC_NS}}}"
ADEC = f"{{{ADEC_NS}}}"


def _to_png(data: bytes) -> bytes:
    """Re-encode an image Word cannot show (WebP) as PNG."""
    with open_image(data, "image/webp") as img:
        img.load()
        return encode_image(img.convert("RGBA" if "A" in img.getbands() else "RGB"), "image/png")


def _size(data: bytes) -> tuple[int, int]:
    """Pixel size of an image whose Resource does not record it."""
    media_type = sniff_media_type(data)
    if media_type is None:
        raise ValueError("not an image we accept")
    with open_image(data, media_type) as img:  # readers record the size of the images they load
        width, height = img.size
    return int(width), int(height)


def _embed(ctx: DocxContext, res: Resource) -> tuple[str, int, int] | None:
    """(rId, width px, height px) of the image part for ``res``, related
    from the current part; None when the data cannot be embedded."""
    key = (id(ctx.part), res.key)
    cached = ctx.images.get(key)
    if cached is not None:
        return cached
    assert ctx.part is not None
    try:
        if res.media_type in _WORD_TYPES:
            data, media_type = res.data, res.media_type
        else:
            data, media_type = _to_png(res.data), "image/png"
        width, height = (res.width, res.height) if res.width and res.height else _size(data)
        rid = ctx.package.add_image(ctx.part, data, media_type)
    except Exception as exc:  # Pillow raises many types for data it cannot read
        ctx.report.warning(
            "resource-unsupported",
            f"image {res.key} cannot be embedded in DOCX ({exc.__class__.__name__}); its alt text is kept",
        )
        return None
    if width <= 0 or height <= 0:
        return None
    ctx.images[key] = (rid, width, height)
    return ctx.images[key]


def fit(width_px: int, height_px: int, max_cx: int, max_cy: int) -> tuple[int, int]:
    """EMU size of a picture at 96 dpi, scaled down to fit, aspect kept."""
    cx, cy = width_px * EMU_PER_PX, height_px * EMU_PER_PX
    scale = min(1.0, max_cx / cx, max_cy / cy)
    return max(1, round(cx * scale)), max(1, round(cy * scale))


def drawing_run(ctx: DocxContext, parent: etree._Element, image: Image, res: Resource) -> bool:
    """Append a run holding ``image`` as an inline picture; False when the
    image data cannot be embedded (the caller falls back to its alt text)."""
    embedded = _embed(ctx, res)
    if embedded is None:
        return False
    rid, width, height = embedded
    cx, cy = fit(width, height, ctx.text_width, ctx.text_height)
    n = ctx.next_docpr_id()
    name = f"Picture {n}"
    alt = None if image.alt is None else xml_safe(image.alt)

    run = etree.SubElement(parent, W + "r")
    drawing = etree.SubElement(run, W + "drawing")
    inline = etree.SubElement(
        drawing, WP + "inline", {"distT": "0", "distB": "0", "distL": "0", "distR": "0"}, nsmap={"wp": WP_NS}
    )
    etree.SubElement(inline, WP + "extent", {"cx": str(cx), "cy": str(cy)})
    etree.SubElement(inline, WP + "effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"})
    docpr = etree.SubElement(inline, WP + "docPr", {"id": str(n), "name": name})
    if alt is not None:
        docpr.set("descr", alt)
    if image.title and alt:
        docpr.set("title", xml_safe(image.title))
    if alt == "":
        ext_lst = etree.SubElement(docpr, A + "extLst", nsmap={"a": A_NS})
        ext = etree.SubElement(ext_lst, A + "ext", {"uri": _DECORATIVE_EXT})
        etree.SubElement(ext, ADEC + "decorative", {"val": "1"}, nsmap={"adec": ADEC_NS})
    frame = etree.SubElement(inline, WP + "cNvGraphicFramePr")
    etree.SubElement(frame, A + "graphicFrameLocks", {"noChangeAspect": "1"}, nsmap={"a": A_NS})
    graphic = etree.SubElement(inline, A + "graphic", nsmap={"a": A_NS})
    data = etree.SubElement(graphic, A + "graphicData", {"uri": _PICTURE_URI})
    pic = etree.SubElement(data, PIC + "pic", nsmap={"pic": PIC_NS})
    nv = etree.SubElement(pic, PIC + "nvPicPr")
    cnvpr = etree.SubElement(nv, PIC + "cNvPr", {"id": "0", "name": name})
    if alt is not None:
        cnvpr.set("descr", alt)
    etree.SubElement(nv, PIC + "cNvPicPr")
    fill = etree.SubElement(pic, PIC + "blipFill")
    etree.SubElement(fill, A + "blip", {R_EMBED: rid})
    etree.SubElement(etree.SubElement(fill, A + "stretch"), A + "fillRect")
    sppr = etree.SubElement(pic, PIC + "spPr")
    xfrm = etree.SubElement(sppr, A + "xfrm")
    etree.SubElement(xfrm, A + "off", {"x": "0", "y": "0"})
    etree.SubElement(xfrm, A + "ext", {"cx": str(cx), "cy": str(cy)})
    geom = etree.SubElement(sppr, A + "prstGeom", {"prst": "rect"})
    etree.SubElement(geom, A + "avLst")
    return True
