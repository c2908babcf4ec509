"""OOXML vocabulary for the DOCX reader: namespaces, Clark-notation tags and
the little value parsers every module needs (on/off toggles, integers)."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
ADEC_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"

W = f"{{{W_NS}}}"
WP = f"{{{WP_NS}}}"
A = f"{{{A_NS}}}"
PIC = f"{{{PIC_NS}}}"
WPS = f"{{{WPS_NS}}}"
MC = f"{{{MC_NS}}}"
V = f"{{{V_NS}}}"
O = f"{{{O_NS}}}"  # noqa: E741 - the VML "o:" prefix
R_ID = f"{{{R_NS}}}id"
R_EMBED = f"{{{R_NS}}}embed"
R_LINK = f"{{{R_NS}}}link"
W_VAL = W + "val"

# Relationship types (the part after the last "/" is enough and also matches
# the strict-conformance variants).
REL_OFFICE_DOCUMENT = "officeDocument"
REL_STYLES = "styles"
REL_NUMBERING = "numbering"
REL_FOOTNOTES = "footnotes"
REL_ENDNOTES = "endnotes"
REL_CORE = "core-properties"
REL_IMAGE = "image"
REL_HYPERLINK = "hyperlink"

# mc:Choice branches whose content this reader understands; any other Choice
# is skipped in favour of mc:Fallback.
KNOWN_CHOICE_PREFIXES = frozenset({"wps", "wpg", "wp14", "w14", "w15", "w16se", "a14", "wpc", "wpi", "v"})

Element = etree._Element


def on(el: Element | None) -> bool | None:
    """The value of an OOXML on/off property (``<w:b/>``, ``<w:b w:val="0"/>``):
    None when the element is absent."""
    if el is None:
        return None
    val = el.get(W_VAL)
    return val is None or val.lower() not in ("0", "false", "off", "none")


def int_attr(el: Element | None, name: str = W_VAL) -> int | None:
    """An integer attribute, None when absent or malformed."""
    if el is None:
        return None
    raw = el.get(name)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def local(tag: object) -> str:
    """The local name of an element tag ("" for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def child(el: Element | None, tag: str) -> Element | None:
    """The first child of ``el`` with ``tag``.  A plain loop: several times
    faster than ``el.find(tag)``, which goes through lxml's path machinery."""
    if el is None:
        return None
    for c in el:
        if c.tag == tag:
            return c
    return None
