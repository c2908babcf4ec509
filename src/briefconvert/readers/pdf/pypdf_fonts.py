"""Fonts for the content interpreter: pypdf's font tables (encodings,
ToUnicode maps, glyph widths) and the style a font name or descriptor
declares (bold, italic, monospace)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NumberObject
from pypdf.generic._font import Font  # pypdf's font tables (encodings, ToUnicode, widths)

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_BOLD = re.compile(
    r"bold|black|heavy|semibold|demibold|demi\b|extrabold|ultrabold|[-,]bd\b|[-,]sb\b|medi$|cmbx|cmb\d|sfbx|"
    r"bxit|bxsl",
    re.I,
)
_ITALIC = re.compile(
    r"italic|oblique|[-,]it\b|[-,]ital|cmti|cmsl|sfti|sfsl|regita|slanted|bxit|bxsl|[-,]bi\b", re.I
)
_MONO = re.compile(r"mono|courier|cmtt|sftt|consol|inconsolata|menlo|code", re.I)


def _number(value: object, default: float) -> float:
    if isinstance(value, (int, float, NumberObject, FloatObject)):
        f = float(value)
        return f if math.isfinite(f) else default
    return default


@dataclass(slots=True)
class FontInfo:
    """What the interpreter needs of a font: decoding, widths, style."""

    font: Font
    name: str
    bold: bool
    italic: bool
    monospace: bool
    two_byte: bool
    ascent: float  # fractions of the font size
    descent: float
    width_scale: float  # glyph widths to 1/1000 text space (Type 3 fonts)

    @classmethod
    def of(cls, font_dict: DictionaryObject) -> FontInfo:
        font = Font.from_font_resource(font_dict)
        name = _SUBSET.sub("", font.name or "")
        desc = font.font_descriptor
        flags = int(desc.flags) if isinstance(desc.flags, int) else 0
        bold = bool(_BOLD.search(name)) or bool(flags & (1 << 18))
        italic = bool(_ITALIC.search(name)) or bool(flags & 64) or abs(float(desc.italic_angle or 0)) > 1
        mono = bool(_MONO.search(name)) or bool(flags & 1)
        ascent = float(desc.ascent or 800) / 1000
        descent = float(desc.descent or -200) / 1000
        if not 0.3 < ascent < 1.5:
            ascent = 0.8
        if not -0.6 < descent <= 0:
            descent = -0.2
        scale = 1.0
        if font_dict.get("/Subtype") == "/Type3":
            fm = font_dict.get("/FontMatrix")
            if isinstance(fm, ArrayObject) and len(fm) >= 4:
                scale = abs(_number(fm[0], 0.001)) * 1000 or 1.0
        two_byte = isinstance(font.encoding, str) and font.encoding.startswith("utf-16")
        return cls(font, name or "unknown", bold, italic, mono, two_byte, ascent, descent, scale)

    def decode(self, raw: bytes) -> tuple[str, float, int]:
        """(text, width in 1/1000 units, number of single-byte spaces) of a string operand."""
        font = self.font
        enc = font.encoding
        if isinstance(enc, str):
            try:
                chars = raw.decode(enc, "surrogatepass")
            except (UnicodeDecodeError, LookupError):
                chars = raw.decode(enc if enc != "charmap" else "latin-1", "replace") if enc else ""
        else:
            chars = "".join(enc.get(b, chr(b)) for b in raw)
        widths = font.character_widths
        default = widths.get("default", 500)
        width = 0.0
        spaces = 0
        cmap = font.character_map
        out: list[str] = []
        for ch in chars:
            width += widths.get(ch, default)
            mapped = cmap.get(ch, ch) if cmap else ch
            out.append(mapped)
            if ch == " " and not self.two_byte:
                spaces += 1
        return "".join(out), width * self.width_scale, spaces
