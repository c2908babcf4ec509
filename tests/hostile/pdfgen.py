"""A tiny raw PDF writer for hostile inputs: objects are written as given
(so cycles, bad references, bombs and broken cross-reference sections are
easy to express), with a correct xref table unless asked otherwise."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

CATALOG = 1
PAGES = 2
PAGE = 3
CONTENT = 4
FONT = 5


def stream(entries: bytes, data: bytes) -> bytes:
    """A stream object body: ``<< /Length n entries >> stream ... endstream``."""
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def flate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def flate_zeros(size: int, chunk: int = 1 << 20) -> bytes:
    """Flate (zlib) data that expands to ``size`` zero bytes, in about
    ``size / 1000`` bytes and no time: each chunk is compressed once after a
    full flush (which makes every later chunk's code identical), repeated,
    and closed by an empty final block and the Adler-32 of ``size`` zeros."""
    if size % chunk:
        raise ValueError("size must be a multiple of chunk")
    comp = zlib.compressobj(9)
    first = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    adler = ((size % 65521) << 16) | 1  # a stays 1, b counts the bytes
    return first + again * (size // chunk - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def text_ops(lines: Iterable[bytes], size: int = 12, top: int = 740) -> bytes:
    """Content-stream operators showing each line (already escaped for a
    PDF literal string) one under the other."""
    ops = [b"BT /F1 %d Tf 72 %d Td %d TL" % (size, top, size + 4)]
    for line in lines:
        ops.append(b"(%s) Tj T*" % line)
    ops.append(b"ET")
    return b"\n".join(ops)


BODY_TEXT = [
    b"A brief about hostile files",
    b"This paragraph is ordinary text that a converter should keep.",
    b"A second line of body text, long enough to look like prose.",
]


def simple_objects(content: bytes | None = None, *, page_extra: bytes = b"") -> dict[int, bytes]:
    """Catalog, page tree with one page, a content stream and Helvetica."""
    content = text_ops(BODY_TEXT) if content is None else content
    return {
        CATALOG: b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGES: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE: (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>"
        ),
        CONTENT: stream(b"", content),
        FONT: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }


def build(
    objects: Mapping[int, bytes],
    *,
    root: int = CATALOG,
    trailer: bytes = b"",
    xref: bool = True,
    startxref: int | None = None,
) -> bytes:
    """The file: header, objects in number order, xref table, trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    size = max(objects) + 1
    xref_at = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for num in range(1, size):
            if num in offsets:
                out += b"%010d 00000 n \n" % offsets[num]
            else:
                out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s >>\n" % (size, root, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % (xref_at if startxref is None else startxref)
    return bytes(out)


def simple(content: bytes | None = None, **extra: bytes) -> bytes:
    """A one-page text PDF; ``extra`` maps object numbers to replacement or
    additional object bodies."""
    objects = simple_objects(content)
    objects.update({int(k.lstrip("o")): v for k, v in extra.items()})
    return build(objects)


def with_objects(objects: Mapping[int, bytes], **kwargs: bytes) -> bytes:
    return build(objects, trailer=kwargs.get("trailer", b""))


def incremental_prev_loop(base: bytes) -> bytes:
    """``base`` plus an incremental update whose trailer's /Prev points at
    the update's own xref section (a /Prev loop)."""
    out = bytearray(base)
    obj_at = len(out)
    out += b"6 0 obj\n<< /Producer (loop) >>\nendobj\n"
    xref_at = len(out)
    out += b"xref\n6 1\n%010d 00000 n \n" % obj_at
    out += b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev %d >>\n" % xref_at
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def utf16(text: str) -> bytes:
    """A PDF hex string in UTF-16BE with BOM (surrogates allowed: lone ones
    are written as their code unit)."""
    units = bytearray(b"\xfe\xff")
    for ch in text:
        cp = ord(ch)
        if cp > 0xFFFF:
            cp -= 0x10000
            units += (0xD800 + (cp >> 10)).to_bytes(2, "big") + (0xDC00 + (cp & 0x3FF)).to_bytes(2, "big")
        else:
            units += cp.to_bytes(2, "big")
    return b"<" + units.hex().encode() + b">"
