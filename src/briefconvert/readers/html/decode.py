"""Bytes to text the way a browser does it: byte-order mark, then a declared
charset (``<meta charset>``, ``http-equiv`` content type, XML declaration),
then UTF-8 when the bytes are valid UTF-8, else windows-1252.  Never raises
on bad bytes: they become U+FFFD and a diagnostic."""

from __future__ import annotations

import codecs
import re

from ...diagnostics import Report

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PRESCAN = 4096  # browsers look at the first 1024 bytes; some pages put long comments first
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z][\w:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+)""")
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']""", re.I)

# WHATWG: these labels mean windows-1252; a declared UTF-16 in the bytes means UTF-8.
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "windows-1252": "cp1252",
    "x-cp1252": "cp1252", "iso-8859-9": "cp1254", "utf-16": "utf-8", "utf-16le": "utf-8",
    "utf-16be": "utf-8", "x-user-defined": "cp1252", "unicode-1-1-utf-8": "utf-8", "utf8": "utf-8",
}  # fmt: skip


def _declared(head: bytes) -> str | None:
    m = _XML_DECL.match(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    for meta in _META.finditer(head):
        attrs = {k.lower(): v.strip(b"\"'").strip() for k, v in _ATTR.findall(meta.group(0)[5:])}
        charset: bytes = attrs.get(b"charset", b"")
        if charset:
            return charset.decode("ascii", "replace")
        if attrs.get(b"http-equiv", b"").lower() == b"content-type":
            found = _CHARSET_IN_CONTENT.search(attrs.get(b"content", b""))
            if found:
                return found.group(1).decode("ascii", "replace")
    return None


def _codec(label: str) -> str | None:
    name = label.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        found: str = codecs.lookup(name).name
        return found
    except (LookupError, ValueError):  # ValueError: a NUL inside the label
        return None


# Characters that XML (and so lxml's tree) cannot hold: C0 controls other than
# TAB/LF/CR, DEL... and lone surrogates.  Form feed is HTML white space.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def decode_html(data: bytes, report: Report) -> tuple[str, str]:
    """The document's text (with characters XML cannot hold removed) and the
    name of the encoding used."""
    text, name = _decode_any(data, report)
    text = text.replace("\x0c", " ")
    cleaned = _XML_UNSAFE.sub("", text)
    if len(cleaned) != len(text):
        report.info("control-characters", f"{len(text) - len(cleaned)} control character(s) removed")
    return cleaned, name


def _decode_any(data: bytes, report: Report) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], name, report), name
    label = _declared(data[:_PRESCAN])
    if label is not None:
        codec = _codec(label)
        if codec is not None:
            if codec.startswith(("utf-16", "utf-32")):  # no BOM: the declaration cannot be true
                codec = "utf-8"
            return _decode(data, codec, report), codec
        report.warning("encoding-unknown", f"unknown charset {label!r} declared; ignored")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data:
        report.info(
            "encoding-fallback", "no charset declared and the bytes are not UTF-8: read as windows-1252"
        )
    return _decode(data, "cp1252", report), "cp1252"


def _decode(data: bytes, codec: str, report: Report) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        report.warning(
            "encoding-errors", f"{text.count(chr(0xFFFD))} byte sequence(s) invalid in {codec} were replaced"
        )
        return text
