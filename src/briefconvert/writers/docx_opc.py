"""The DOCX package (Open Packaging Conventions) without python-docx's part
machinery: the template's parts (docx_template/, made by
tools/make_docx_template.py from python-docx's default template), the parts
the writer builds, their relationships and content types, written as a
reproducible zip.

python-docx's package layer costs more than the conversion of a 100 KB page
(its import registers hundreds of element classes; its template carries
438 KB of styles to parse, re-serialise and compress), and the writer only
needs a handful of parts.  Zip entries: ``[Content_Types].xml`` and
``_rels/.rels`` first, then every other entry in name order, each stamped
1980-01-01 00:00:00, deflated at a fixed level, with fixed attributes.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .docx_xml import SAFE_PARSER

_HERE = Path(__file__).parent  # the package data (docx_template/) sits beside this module

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG_RT = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"

RT_OFFICE_DOCUMENT = _OFFICE_RT + "officeDocument"
RT_STYLES = _OFFICE_RT + "styles"
RT_SETTINGS = _OFFICE_RT + "settings"
RT_WEB_SETTINGS = _OFFICE_RT + "webSettings"
RT_FONT_TABLE = _OFFICE_RT + "fontTable"
RT_THEME = _OFFICE_RT + "theme"
RT_NUMBERING = _OFFICE_RT + "numbering"
RT_FOOTNOTES = _OFFICE_RT + "footnotes"
RT_HYPERLINK = _OFFICE_RT + "hyperlink"
RT_IMAGE = _OFFICE_RT + "image"
RT_CORE = _PKG_RT + "core-properties"
RT_APP = _OFFICE_RT + "extended-properties"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_DOCUMENT = _WML + "document.main+xml"
CT_STYLES = _WML + "styles+xml"
CT_SETTINGS = _WML + "settings+xml"
CT_WEB_SETTINGS = _WML + "webSettings+xml"
CT_FONT_TABLE = _WML + "fontTable+xml"
CT_NUMBERING = _WML + "numbering+xml"
CT_FOOTNOTES = _WML + "footnotes+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}
_IMAGE_EXT = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif"}


def template(name: str) -> etree._Element:
    """A fresh, parsed copy of one of the template's parts."""
    data = (_HERE / "docx_template" / name).read_bytes()
    return etree.fromstring(data, SAFE_PARSER)


@dataclass(slots=True)
class Part:
    """One XML part of the package and the relationships going out of it."""

    name: str  # "word/document.xml"
    content_type: str
    root: etree._Element
    rels: list[tuple[str, str, str, bool]] = field(default_factory=list)  # rId, type, target, external
    _targets: dict[tuple[str, str], str] = field(default_factory=dict)

    def relate(self, reltype: str, target: str, *, external: bool = False) -> str:
        """The rId of a relationship to ``target`` (relative to this part's
        folder, or a URL when external), added once."""
        rid = self._targets.get((reltype, target))
        if rid is None:
            rid = f"rId{len(self.rels) + 1}"
            self.rels.append((rid, reltype, target, external))
            self._targets[(reltype, target)] = rid
        return rid


@dataclass(slots=True)
class Package:
    parts: list[Part] = field(default_factory=list)
    package_rels: list[tuple[str, str]] = field(default_factory=list)  # type, target
    media: dict[str, bytes] = field(default_factory=dict)  # "word/media/image1.png" -> data
    _media_by_hash: dict[str, str] = field(default_factory=dict)

    def add_part(self, name: str, content_type: str, root: etree._Element) -> Part:
        part = Part(name, content_type, root)
        self.parts.append(part)
        return part

    def add_image(self, part: Part, data: bytes, media_type: str) -> str:
        """The rId (from ``part``) of an image part holding ``data``, stored
        once however often it is used."""
        digest = hashlib.sha256(data).hexdigest()
        name = self._media_by_hash.get(digest)
        if name is None:
            name = f"word/media/image{len(self.media) + 1}.{_IMAGE_EXT[media_type]}"
            self.media[name] = data
            self._media_by_hash[digest] = name
        return part.relate(RT_IMAGE, name.removeprefix("word/"))

    def to_bytes(self, extra: dict[str, bytes]) -> bytes:
        """The package as a zip; ``extra`` adds finished parts (docProps)."""
        import io

        entries: dict[str, bytes] = dict(extra)
        for part in self.parts:
            entries[part.name] = _xml(part.root)
            if part.rels:
                folder, _, base = part.name.rpartition("/")
                entries[f"{folder}/_rels/{base}.rels"] = _rels(part.rels)
        entries.update(self.media)
        entries["_rels/.rels"] = _rels(
            [(f"rId{i}", t, target, False) for i, (t, target) in enumerate(self.package_rels, 1)]
        )
        overrides = {p.name: p.content_type for p in self.parts}
        overrides.update({"docProps/core.xml": CT_CORE, "docProps/app.xml": CT_APP})
        entries["[Content_Types].xml"] = _content_types(overrides, entries)
        first = ["[Content_Types].xml", "_rels/.rels"]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name in first + sorted(n for n in entries if n not in first):
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                z.writestr(info, entries[name], compresslevel=6)
        return out.getvalue()


def _xml(root: etree._Element) -> bytes:
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def _rels(rels: list[tuple[str, str, str, bool]]) -> bytes:
    root = etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
    for rid, reltype, target, external in rels:
        el = etree.SubElement(root, f"{{{_REL_NS}}}Relationship", Id=rid, Type=reltype, Target=target)
        if external:
            el.set("TargetMode", "External")
    return _xml(root)


def _content_types(overrides: dict[str, str], entries: dict[str, bytes]) -> bytes:
    root = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
    used = {name.rpartition(".")[2] for name in entries} | {"rels", "xml"}
    for ext, ctype in _DEFAULTS.items():
        if ext in used:
            etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension=ext, ContentType=ctype)
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName="/" + name, ContentType=overrides[name])
    return _xml(root)
