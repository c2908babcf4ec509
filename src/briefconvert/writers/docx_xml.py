"""OOXML vocabulary for the DOCX writer: namespaces, safe text, language
attributes and the property builders (``w:pPr``, ``w:rPr``) that keep the
schema's child order.

Everything here builds plain lxml elements with ``etree.SubElement`` on the
tree that python-docx loaded; no python-docx high-level objects are touched
per paragraph (they cost seconds per megabyte).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..record import Record

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
ADEC_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
XML_NS = "http://www.w3.org/XML/1998/namespace"

W = f"{{{W_NS}}}"
R_ID = f"{{{R_NS}}}id"
R_EMBED = f"{{{R_NS}}}embed"
XML_SPACE = f"{{{XML_NS}}}space"

# Namespace map for the parts this writer creates itself (footnotes).
STORY_NSMAP = {"w": W_NS, "r": R_NS, "wp": WP_NS, "a": A_NS, "pic": PIC_NS}

# Explicit, safe parser for the few constant XML snippets parsed here.
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=True
)

# XML 1.0 forbids C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
# (listed as such: the negated class of what XML allows is the same set but takes 10x longer to compile)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_EAST_ASIAN = frozenset({"zh", "ja", "ko"})
_RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "ha", "he", "iw", "khw", "ks", "ps", "sd", "ur", "yi"})

# Layout constants (twentieths of a point), taken from the template's section.
LIST_INDENT = 720  # per list level
LIST_HANGING = 360
BLOCK_INDENT = 720  # definitions


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (lxml would raise)."""
    return _XML_BAD.sub("", text)


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """A ``w:`` child element; keyword arguments become ``w:`` attributes."""
    el: etree._Element = etree.SubElement(parent, W + tag, {W + k: v for k, v in attrs.items()})
    return el


def valid_lang(lang: str | None) -> str | None:
    """``lang`` when it has the shape of a BCP 47 tag, else None."""
    if lang is None:
        return None
    lang = lang.strip()
    return lang if _LANG.match(lang) else None


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in _RTL


def lang_attrs(lang: str) -> dict[str, str]:
    """``w:lang`` attributes for text in ``lang``: ``w:val`` always (it is what
    tools read as "the language"), plus ``w:eastAsia`` for Chinese, Japanese
    and Korean and ``w:bidi`` for right-to-left scripts, which Word takes
    from those slots for such text."""
    attrs = {W + "val": lang}
    primary = lang.split("-")[0].lower()
    if primary in _EAST_ASIAN:
        attrs[W + "eastAsia"] = lang
    if primary in _RTL:
        attrs[W + "bidi"] = lang
    return attrs


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RunFmt(Record):
    """Character formatting of a run (only what the model can express)."""

    style: str | None = None  # character style id: Hyperlink, VerbatimChar, FootnoteReference
    bold: bool = False
    italic: bool = False
    vert: str | None = None  # "superscript" | "subscript"
    mono: bool = False  # direct monospace font (code inside a hyperlink)
    lang: str | None = None  # set only where it differs from the document's

    def apply(self, run: etree._Element) -> None:
        """Add the ``w:rPr`` for this format to ``run`` (nothing when plain)."""
        if not (self.style or self.bold or self.italic or self.vert or self.mono or self.lang):
            return
        rpr = etree.SubElement(run, W + "rPr")
        if self.style:
            sub(rpr, "rStyle", val=self.style)
        if self.mono:
            sub(rpr, "rFonts", ascii="Courier New", hAnsi="Courier New", cs="Courier New")
        if self.bold:
            etree.SubElement(rpr, W + "b")
        if self.italic:
            etree.SubElement(rpr, W + "i")
        if self.vert:
            sub(rpr, "vertAlign", val=self.vert)
        if self.lang and is_rtl(self.lang):
            etree.SubElement(rpr, W + "rtl")
        if self.lang:
            etree.SubElement(rpr, W + "lang", lang_attrs(self.lang))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ParaProps(Record):
    """Paragraph properties, written in the schema's order."""

    style: str | None = None
    keep_next: bool = False
    num: tuple[int, int] | None = None  # (numId, ilvl)
    box: bool = False  # bordered, shaded box (Aside)
    rule: bool = False  # bottom border only (ThematicBreak)
    bidi: bool = False
    indent: int = 0  # left indent, twips; 0 = the style's
    hanging: int = 0
    jc: str | None = None

    def apply(self, p: etree._Element) -> None:
        if self == _PLAIN:
            return
        ppr = etree.SubElement(p, W + "pPr")
        if self.style:
            sub(ppr, "pStyle", val=self.style)
        if self.keep_next:
            etree.SubElement(ppr, W + "keepNext")
        if self.num:
            numpr = etree.SubElement(ppr, W + "numPr")
            sub(numpr, "ilvl", val=str(self.num[1]))
            sub(numpr, "numId", val=str(self.num[0]))
        if self.box or self.rule:
            bdr = etree.SubElement(ppr, W + "pBdr")
            sides = ("top", "left", "bottom", "right") if self.box else ("bottom",)
            for side in sides:
                sub(bdr, side, val="single", sz="6", space="4" if self.box else "1", color="808080")
        if self.box:
            sub(ppr, "shd", val="clear", color="auto", fill="F2F2F2")
        if self.bidi:
            etree.SubElement(ppr, W + "bidi")
        if self.indent or self.hanging:
            attrs = {"left": str(self.indent)}
            if self.hanging:
                attrs["hanging"] = str(self.hanging)
            sub(ppr, "ind", **attrs)
        if self.jc:
            sub(ppr, "jc", val=self.jc)


_PLAIN = ParaProps()


def add_text(parent: etree._Element, text: str, fmt: RunFmt) -> None:
    """A run holding ``text`` (newlines and tabs in inline text are spaces)."""
    text = xml_safe(text.replace("\n", " ").replace("\t", " "))
    if not text:
        return
    run = etree.SubElement(parent, W + "r")
    fmt.apply(run)
    t = etree.SubElement(run, W + "t")
    if text[0] == " " or text[-1] == " " or "  " in text:
        t.set(XML_SPACE, "preserve")
    t.text = text
