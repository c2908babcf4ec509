"""Hostile inputs, generated in the test (nothing large is committed).

Every case is a :class:`Case`: a class (for the counts), a function that
writes the input into the sandbox's input folder and returns the path to
give briefconvert, and what is expected of it.  The sandbox (:class:`Env`)
holds canary files with a random token in a folder *outside* the input's
folder, and the port of a local listener that records any connection: the
inputs refer to both in every way we know, and the tests check that neither
is ever reached.

The cases themselves live in ``inputs_pdf.py``, ``inputs_html.py`` and
``inputs_files.py``; :data:`CASES` collects them.
"""

from __future__ import annotations

import io
import secrets
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# A canary image has this unusual size: an output image of that size means
# the canary was read (even if it was re-encoded and lost its token).
CANARY_SIZE = (13, 7)
SAFE_TEXT = "Ordinary text that must survive."

Outcome = Literal["ok", "error", "any"]


@dataclass(frozen=True)
class Env:
    root: Path  # the sandbox
    secret: Path  # outside the input's folder: the canaries
    folder: Path  # the input's folder
    token: str
    port: int  # a local listener that records every connection

    @property
    def canary(self) -> Path:
        return self.secret / "canary.txt"

    @property
    def canary_png(self) -> Path:
        return self.secret / "canary.png"

    @property
    def url(self) -> str:
        """A remote base URL (the local listener)."""
        return f"http://127.0.0.1:{self.port}"

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path


@dataclass(frozen=True)
class Case:
    name: str
    cls: str
    build: Callable[[Env], Path]
    outcome: Outcome = "any"
    error: str | None = None  # regex the one-line error must match (exit 2)
    keeps: str | None = None  # text the plain-text output must hold (exit 0)
    isolate: bool = False  # only in a sandboxed, memory-limited subprocess (bombs, a FIFO)
    check: bool = True  # also run through ``briefconvert check``
    args: tuple[str, ...] = field(default=())  # extra conversion options

    @property
    def id(self) -> str:
        return f"{self.cls}/{self.name}"


def make_env(root: Path, port: int) -> Env:
    """The sandbox: ``root/secret`` (canaries) and ``root/work/in`` (input
    folder); outputs go to ``root/work/out``."""
    token = "CANARY-" + secrets.token_hex(12)
    secret = root / "secret"
    folder = root / "work" / "in"
    secret.mkdir(parents=True)
    folder.mkdir(parents=True)
    (secret / "canary.txt").write_text(f"{token}\n", encoding="utf-8")
    (secret / "canary.png").write_bytes(canary_png(token))
    (secret / "canary.css").write_text(f"body {{ color: red }} /* {token} */\n", encoding="utf-8")
    (secret / "canary.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><title>{token}</title></svg>\n', encoding="utf-8"
    )
    (secret / "canary.html").write_text(f"<p>{token}</p>\n", encoding="utf-8")
    (secret / "canary.xml").write_text(f"<x>{token}</x>\n", encoding="utf-8")
    return Env(root, secret, folder, token, port)


# ---------------------------------------------------------------- images


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes | None = None, *, text: bytes = b"", depth: int = 8) -> bytes:
    """A PNG (grey, no filter) built by hand, so its header may claim any
    size; ``idat`` defaults to the real pixels of a small image."""
    if idat is None:
        idat = zlib.compress(b"".join(b"\x00" + bytes([(x * 37 + y) % 256 for x in range(width)])
                                      for y in range(height)))  # fmt: skip
    ihdr = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    extra = png_chunk(b"tEXt", b"Comment\x00" + text) if text else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + extra
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def canary_png(token: str) -> bytes:
    return png(*CANARY_SIZE, text=token.encode())


def small_png() -> bytes:
    """An ordinary image (Pillow-made) that may be read."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


# ------------------------------------------------------------------ HTML


def html_page(body: str, *, head: str = "", prolog: str = "<!DOCTYPE html>\n", lang: str = "en") -> str:
    """A page with a title, a heading and one safe paragraph around ``body``."""
    return (
        f'{prolog}<html lang="{lang}"><head><meta charset="utf-8"><title>Hostile page</title>{head}</head>'
        f"<body><main><h1>Hostile page</h1><p>{SAFE_TEXT}</p>\n{body}\n</main></body></html>\n"
    )


def all_cases() -> list[Case]:
    from . import inputs_files, inputs_html, inputs_pdf

    cases = [*inputs_pdf.CASES, *inputs_html.CASES, *inputs_files.CASES]
    names = [c.id for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases
