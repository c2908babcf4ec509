"""The package parts around the body: styles the template lacks, the
document's default language, list numbering definitions, the footnotes part,
settings, and the core and extended properties.

docx_opc holds the package (parts, relationships, content types); the XML
inside the parts is built or edited here with lxml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

from ..model import Meta
from .docx_xml import (
    LIST_HANGING,
    LIST_INDENT,
    SAFE_PARSER,
    STORY_NSMAP,
    W_NS,
    W,
    lang_attrs,
    sub,
    xml_safe,
)

# A fixed moment for documents without a known date: never the current time.
EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
APPLICATION = "briefconvert"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CORE_MAX = 255  # python-docx refuses longer core property strings

# Styles the default template lacks.  Built-in names ("footnote text") so
# that Word maps them onto its own built-in styles.
_STYLES = f"""<w:styles xmlns:w="{W_NS}">
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>
 <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>
 <w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
 <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
 <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>
 <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="1"/><w:qFormat/>
 <w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>
 <w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="SourceCode"><w:name w:val="Source Code"/>
 <w:basedOn w:val="Normal"/><w:uiPriority w:val="1"/><w:qFormat/>
 <w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F5F5F5"/>
 <w:spacing w:after="200" w:line="240" w:lineRule="auto"/></w:pPr>
 <w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>
 <w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
</w:styles>"""


def add_styles(styles: etree._Element) -> None:
    """Add the writer's styles to ``styles.xml`` (those not already there)."""
    have = {s.get(W + "styleId") for s in styles.iterfind(W + "style")}
    for style in etree.fromstring(_STYLES, SAFE_PARSER).iterfind(W + "style"):
        if style.get(W + "styleId") not in have:
            styles.append(style)


def set_default_language(styles: etree._Element, lang: str | None) -> None:
    """The document's default language in ``w:docDefaults/w:rPrDefault``.

    Unknown language: the template's claim (en-US) is removed rather than
    left standing as a false statement; Word then uses its editing language.
    """
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if rpr is None:
        return
    old = rpr.find(W + "lang")
    if old is not None:
        rpr.remove(old)
    if lang:
        etree.SubElement(rpr, W + "lang", lang_attrs(lang))  # w:lang is the last child we keep


# ------------------------------------------------------------------ paper

# Page sizes in twentieths of a point (width, height).
PAPER = {"letter": (12240, 15840), "a4": (11906, 16838)}
# Regions whose standard paper is US Letter.
_LETTER_REGIONS = frozenset({
    "US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR", "SV", "NI", "HN", "BZ",
})  # fmt: skip


def paper_for(lang: str | None, choice: str) -> str:
    """``choice`` ("a4" or "letter"), or for "auto" the paper of ``lang``'s
    region: Letter for the regions that use it and for English without a
    region (Word's and most readers' default), A4 otherwise; Letter when the
    language is unknown."""
    if choice != "auto":
        return choice
    if not lang:
        return "letter"
    parts = lang.split("-")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region is None:
        return "letter" if parts[0].lower() == "en" else "a4"
    return "letter" if region in _LETTER_REGIONS else "a4"


def set_paper(sect_pr: etree._Element, paper: str) -> None:
    """The section's page size (``w:pgSz``), margins left as they are."""
    width, height = PAPER[paper]
    size = sect_pr.find(W + "pgSz")
    if size is None:
        size = etree.Element(W + "pgSz")
        sect_pr.insert(0, size)
    size.set(W + "w", str(width))
    size.set(W + "h", str(height))


# ---------------------------------------------------------------- numbering

_FORMATS = {
    "bullet": "bullet",
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
}
_BULLETS = ("\u2022", "\u25e6", "\u25aa")  # • ◦ ▪
MAX_LEVEL = 8  # w:ilvl 0..8


@dataclass(slots=True)
class Numbering:
    """The lists of one document: one ``w:abstractNum`` per list kind used
    (bullet, decimal, lowerLetter, ...), one ``w:num`` per list *instance*
    so that every list restarts, with a ``w:startOverride`` for its start."""

    first_abstract: int
    first_num: int
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> abstractNumId
    instances: list[tuple[int, int, int | None]] = field(default_factory=list)  # abstract, ilvl, start

    @classmethod
    def for_part(cls, numbering: etree._Element) -> Numbering:
        """Ids after those the template's numbering part already uses."""
        abstract = [int(a.get(W + "abstractNumId", "0")) for a in numbering.iterfind(W + "abstractNum")]
        nums = [int(n.get(W + "numId", "0")) for n in numbering.iterfind(W + "num")]
        return cls(max(abstract, default=-1) + 1, max(nums, default=0) + 1)

    def new_list(self, kind: str, ilvl: int, start: int | None) -> int:
        """The numId of a new list instance of ``kind`` at level ``ilvl``."""
        abstract = self.kinds.setdefault(kind, self.first_abstract + len(self.kinds))
        self.instances.append((abstract, ilvl, start))
        return self.first_num + len(self.instances) - 1

    def write(self, numbering: etree._Element) -> None:
        """Add the definitions to ``numbering.xml``: abstractNums before the
        first ``w:num`` (the schema's order), nums at the end."""
        first_num = numbering.find(W + "num")
        for kind, abstract_id in self.kinds.items():
            el = _abstract_num(kind, abstract_id)
            if first_num is not None:
                first_num.addprevious(el)
            else:
                numbering.append(el)
        cleanup = numbering.find(W + "numIdMacAtCleanup")
        for offset, (abstract_id, ilvl, start) in enumerate(self.instances):
            num = etree.Element(W + "num", {W + "numId": str(self.first_num + offset)})
            sub(num, "abstractNumId", val=str(abstract_id))
            if start is not None:
                override = sub(num, "lvlOverride", ilvl=str(ilvl))
                sub(override, "startOverride", val=str(start))
            if cleanup is not None:
                cleanup.addprevious(num)
            else:
                numbering.append(num)


def _abstract_num(kind: str, abstract_id: int) -> etree._Element:
    el = etree.Element(W + "abstractNum", {W + "abstractNumId": str(abstract_id)})
    sub(el, "multiLevelType", val="hybridMultilevel")
    fmt = _FORMATS[kind]
    for ilvl in range(MAX_LEVEL + 1):
        lvl = sub(el, "lvl", ilvl=str(ilvl))
        sub(lvl, "start", val="1")
        sub(lvl, "numFmt", val=fmt)
        text = _BULLETS[ilvl % len(_BULLETS)] if kind == "bullet" else f"%{ilvl + 1}."
        sub(lvl, "lvlText", val=text)
        sub(lvl, "lvlJc", val="left")
        ppr = sub(lvl, "pPr")
        sub(ppr, "ind", left=str(LIST_INDENT * (ilvl + 1)), hanging=str(LIST_HANGING))
    return el


# ---------------------------------------------------------------- footnotes


def new_footnotes() -> etree._Element:
    """A footnotes part root with the separator (-1) and continuation
    separator (0) footnotes that Word requires."""
    root = etree.Element(W + "footnotes", nsmap=STORY_NSMAP)
    for fid, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note = sub(root, "footnote", type=kind, id=fid)
        p = sub(note, "p")
        ppr = sub(p, "pPr")
        sub(ppr, "spacing", after="0", line="240", lineRule="auto")
        run = sub(p, "r")
        sub(run, kind)
    return root


def tidy_settings(settings: etree._Element, *, footnotes: bool) -> None:
    """Settings of the template corrected for a converted document: no
    ``w:proofState`` (it claims the text was spell-checked), Word 2013+
    compatibility mode (15) instead of Word 2010's, and ``w:footnotePr``
    when there are footnotes."""
    proof = settings.find(W + "proofState")
    if proof is not None:
        settings.remove(proof)
    for setting in settings.iterfind(f"{W}compat/{W}compatSetting"):
        if setting.get(W + "name") == "compatibilityMode":
            setting.set(W + "val", "15")
    if footnotes:
        _add_footnote_settings(settings)


def _add_footnote_settings(settings: etree._Element) -> None:
    """``w:footnotePr`` naming the separator footnotes (as Word writes it),
    placed before ``w:compat`` as the schema orders it."""
    if settings.find(W + "footnotePr") is not None:
        return
    pr = etree.Element(W + "footnotePr")
    sub(pr, "footnote", id="-1")
    sub(pr, "footnote", id="0")
    anchor = None
    for name in ("endnotePr", "compat", "docVars", "rsids"):
        anchor = settings.find(W + name)
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(pr)
    else:
        settings.append(pr)


# --------------------------------------------------------------- properties


def meta_datetime(date: str | None) -> dt.datetime:
    """Meta.date (YYYY, YYYY-MM or YYYY-MM-DD, maybe followed by a time) as
    a UTC datetime at midnight; the fixed epoch when unknown or invalid."""
    m = _DATE.match(date or "")
    if not m:
        return EPOCH
    try:
        return dt.datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1), tzinfo=dt.UTC)
    except ValueError:
        return EPOCH


def _short(text: str) -> str:
    text = xml_safe(text)
    return text if len(text) <= _CORE_MAX else text[: _CORE_MAX - 1] + "\u2026"


def core_properties(meta: Meta, lang: str | None) -> bytes:
    """``docProps/core.xml`` from ``meta`` alone: title, author(s),
    language, subject and description, keywords, identifier; created =
    modified = Meta.date when known, else the 1980 epoch (never the current
    time, so that the same model gives the same bytes)."""
    ns = {
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "dcmitype": "http://purl.org/dc/dcmitype/",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    root = etree.Element(f"{{{ns['cp']}}}coreProperties", nsmap=ns)

    def add(prefix: str, name: str, value: str) -> etree._Element:
        el = etree.SubElement(root, f"{{{ns[prefix]}}}{name}")
        el.text = value
        return el

    if meta.title:
        add("dc", "title", _short(meta.title))
    if meta.description:
        add("dc", "subject", _short(meta.description))
    if meta.authors:
        add("dc", "creator", _short("; ".join(meta.authors)))
    if meta.keywords:
        add("cp", "keywords", _short(", ".join(meta.keywords)))
    if meta.description:
        add("dc", "description", _short(meta.description))
    if meta.identifier:
        add("dc", "identifier", _short(meta.identifier))
    if lang:
        add("dc", "language", lang)
    add("cp", "lastModifiedBy", APPLICATION)
    add("cp", "revision", "1")
    when = meta_datetime(meta.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        add("dcterms", name, when).set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def app_properties() -> bytes:
    """``docProps/app.xml`` naming this application (the template's claims
    "Microsoft Macintosh Word" and page counts for an empty document)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    for name, value in (("Application", APPLICATION), ("DocSecurity", "0"), ("ScaleCrop", "false")):
        etree.SubElement(root, f"{{{ns}}}{name}").text = value
    for name in ("LinksUpToDate", "SharedDoc", "HyperlinksChanged"):
        etree.SubElement(root, f"{{{ns}}}{name}").text = "false"
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out
