"""Images in the HTML body.

``alt=""`` is written for decorative images (``Image.alt == ""``).

When the alt text only repeats the figure caption, the caption already says
it in visible text, so the image gets ``alt=""`` (WAI tutorial: a redundant
image) and no screen reader reads the same sentence twice; the caption stays
the figure's description.  Reported as ``image-alt-redundant`` (info).

When the text alternative is unknown (``alt is None``) we never invent one
and never pretend the image is decorative (``alt=""`` would be a lie that
hides the image).  The HTML standard says what to do with an image whose
text alternative is not available: leave ``alt`` out, and

* inside a figure with a caption, the image is named by the caption
  (``aria-labelledby`` pointing at the ``figcaption``; this is the
  standard's figure exception, and axe and the Nu checker accept it);
* else, if the image has a title, the title names it (also allowed);
* else the image is written without ``alt`` and without any name: the page
  is then non-conforming, which is the truth, and validators show it until
  someone provides the text.

Every one of these cases is reported as ``image-alt`` (warning).

An image whose file is missing (``resource is None``, a key that is not in
``Document.resources``, or a media type that we do not write) is written as
its alt text in ``<span class="image-unavailable">``, or left out when it has
no alt text; no remote URL is ever written.  ``width``/``height`` come from
the resource when it knows them.
"""

from __future__ import annotations

from lxml import etree

from ..model import Image
from .html_context import IMAGE_TYPES, HtmlContext, append_text, xml_safe


def render_image(img: Image, parent: etree._Element, ctx: HtmlContext) -> None:
    where = f"image {img.resource or '(no file)'}"
    res = ctx.resources.get(img.resource) if img.resource is not None else None
    if img.resource is not None and res is None:
        ctx.report.warning("resource-missing", "the image is not among the document's resources", where)
    elif res is not None and res.media_type not in IMAGE_TYPES:
        ctx.report.warning("resource-unsupported", f"{res.media_type} is not written as an image", where)
        res = None
    if res is None:
        if img.alt:
            span = ctx.sub(parent, "span", {"class": "image-unavailable"})
            append_text(span, img.alt)
        elif img.alt is None:
            ctx.report.warning(
                "image-alt", "an image with neither file nor text alternative was left out", where
            )
        return
    e = ctx.sub(parent, "img", {"src": ctx.image_src(res)})
    ctx.used_resources.setdefault(res.key, res)
    slot = ctx.figures[-1] if ctx.figures and ctx.figures[-1].text else None
    if img.alt is None:
        if slot is not None:
            slot.id = slot.id or ctx.ids.allocate("figure-caption")
            e.set("aria-labelledby", slot.id)
            how = "it is named by its figure caption"
        elif img.title:
            how = "it is named by its title"
        else:
            how = "written without alt (non-conforming until someone provides one)"
        ctx.report.warning("image-alt", f"the image has no text alternative: {how}", where)
    elif img.alt and slot is not None and _same_text(img.alt, slot.text):
        ctx.report.info("image-alt-redundant", 'alt text repeats the caption: written as alt=""', where)
        e.set("alt", "")
    else:
        e.set("alt", xml_safe(img.alt))
    if img.title and e.get("alt") != "":
        e.set("title", xml_safe(img.title))
    if res.width and res.width > 0 and res.height and res.height > 0:
        e.set("width", str(res.width))
        e.set("height", str(res.height))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()).rstrip(".") == " ".join(b.casefold().split()).rstrip(".")
