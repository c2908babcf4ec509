"""A small content-stream interpreter over pypdf's parser.

pypdf's ``extract_text`` reports text in runs that can straddle marked-content
boundaries and gives no widths, so the backend interprets the page itself:
graphics and text state, fonts (pypdf's own font tables decode the strings),
marked content (``BDC``/``BMC``/``EMC`` with their MCIDs and ``/Artifact``),
images drawn with ``Do``, form XObjects (bounded in depth and count, cycles
refused) and straight rules (rectangles and lines, for boxes and tables).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from .backend import BBox, ImagePlacement, TextSpan
from .pypdf_fonts import FontInfo

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

MAX_FORM_DEPTH = 12
MAX_FORMS_PER_PAGE = 2_000
MAX_RULES_PER_PAGE = 4_000
_STANDARD = "standard font"  # key of the substitute for missing fonts in the font cache


def mult(m: Matrix, n: Matrix) -> Matrix:
    """The product m × n (PDF row-vector convention: apply m, then n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _num(value: Any, default: float = 0.0) -> float:
    if isinstance(value, (int, float, NumberObject, FloatObject)):
        f = float(value)
        return f if math.isfinite(f) else default
    return default


def _matrix(operands: list[Any]) -> Matrix | None:
    if len(operands) < 6:
        return None
    vals = [_num(v, math.nan) for v in operands[:6]]
    if any(math.isnan(v) for v in vals):
        return None
    return (vals[0], vals[1], vals[2], vals[3], vals[4], vals[5])


@dataclass(slots=True)
class _State:
    ctm: Matrix = IDENTITY
    font: FontInfo | None = None
    size: float = 12.0
    tc: float = 0.0  # character spacing
    tw: float = 0.0  # word spacing
    th: float = 1.0  # horizontal scaling
    tl: float = 0.0  # leading
    ts: float = 0.0  # rise

    def copy(self) -> _State:
        return _State(self.ctm, self.font, self.size, self.tc, self.tw, self.th, self.tl, self.ts)


@dataclass(slots=True)
class _Open:
    """A span being built (consecutive text runs that continue each other)."""

    parts: list[str]
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float
    size: float
    font: FontInfo
    mcid: int | None
    artifact: bool
    upright: bool


@dataclass(slots=True)
class PageContent:
    spans: list[TextSpan] = field(default_factory=list)
    images: list[ImagePlacement] = field(default_factory=list)
    rules: list[BBox] = field(default_factory=list)
    truncated: bool = False


class ImageTable:
    """Image XObjects met while reading pages, by object number (stored once)."""

    def __init__(self) -> None:
        self.streams: list[Any] = []
        self._by_key: dict[tuple[int, int] | int, int] = {}

    def add(self, stream: Any, key: tuple[int, int] | int) -> int:
        ref = self._by_key.get(key)
        if ref is None:
            ref = len(self.streams)
            self.streams.append(stream)
            self._by_key[key] = ref
        return ref


class Interpreter:
    """Interprets one page.  ``page_matrix`` maps PDF user space to the
    top-down page frame of :mod:`.backend`."""

    def __init__(
        self,
        reader: Any,
        page_matrix: Matrix,
        fonts: dict[Any, FontInfo | None],
        images: ImageTable,
        max_operations: int,
    ) -> None:
        self.reader = reader
        self.page_matrix = page_matrix
        self.fonts = fonts
        self.images = images
        self.budget = max_operations
        self.out = PageContent()
        self.forms = 0
        self._open: _Open | None = None
        self._marked: list[tuple[int | None, bool]] = []

    # ---------------------------------------------------------------- driver

    def run(self, contents: Any, resources: DictionaryObject | None) -> PageContent:
        self._run(contents, resources, _State(), depth=0, active=set())
        self._flush()
        return self.out

    def _run(
        self,
        contents: Any,
        resources: DictionaryObject | None,
        state: _State,
        *,
        depth: int,
        active: set[int],
    ) -> None:
        try:
            stream = ContentStream(contents, self.reader, "bytes")
            operations = stream.operations
        except LimitReachedError as exc:
            if "token" not in str(exc).lower():  # decompression limits refuse the document
                raise
            self.out.truncated = True  # too many operators: cut, like the operator budget
            return
        except Exception:  # pypdf raises many kinds on damaged streams
            self.out.truncated = True
            return
        font_res = _dict(resources, "/Font")
        xobjects = _dict(resources, "/XObject")
        props = _dict(resources, "/Properties")
        stack: list[_State] = []
        tm: Matrix = IDENTITY
        tlm: Matrix = IDENTITY
        path: list[tuple[float, float, float, float]] = []  # candidate rules in user space
        point: tuple[float, float] | None = None
        for operands, op in operations:
            self.budget -= 1
            if self.budget < 0:
                self.out.truncated = True
                return
            if op == b"Tj" or op == b"'" or op == b'"':
                if op != b"Tj":
                    tlm = mult((1, 0, 0, 1, 0, -state.tl), tlm)
                    tm = tlm
                    if op == b'"' and len(operands) >= 3:
                        state.tw = _num(operands[0])
                        state.tc = _num(operands[1])
                        operands = operands[2:]
                if operands and isinstance(operands[-1], bytes):
                    tm = self._show(state, tm, [operands[-1]])
            elif op == b"TJ":
                if operands and isinstance(operands[0], ArrayObject):
                    tm = self._show(state, tm, list(operands[0]))
            elif op == b"Td" or op == b"TD":
                tx, ty = (_num(operands[0]), _num(operands[1])) if len(operands) >= 2 else (0.0, 0.0)
                if op == b"TD":
                    state.tl = -ty
                tlm = mult((1, 0, 0, 1, tx, ty), tlm)
                tm = tlm
            elif op == b"Tm":
                m = _matrix(operands)
                if m is not None:
                    tlm = tm = m
            elif op == b"T*":
                tlm = mult((1, 0, 0, 1, 0, -state.tl), tlm)
                tm = tlm
            elif op == b"Tf":
                if len(operands) >= 2:
                    state.font = self._font(font_res, operands[0])
                    state.size = _num(operands[1], 12.0)
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"TL":
                state.tl = _num(operands[0]) if operands else 0.0
            elif op == b"Tc":
                state.tc = _num(operands[0]) if operands else 0.0
            elif op == b"Tw":
                state.tw = _num(operands[0]) if operands else 0.0
            elif op == b"Tz":
                state.th = (_num(operands[0], 100.0) if operands else 100.0) / 100
            elif op == b"Ts":
                state.ts = _num(operands[0]) if operands else 0.0
            elif op == b"q":
                if len(stack) < 256:
                    stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm":
                m = _matrix(operands)
                if m is not None:
                    state.ctm = mult(m, state.ctm)
            elif op == b"BDC" or op == b"BMC":
                self._begin_marked(operands, props, op == b"BDC")
            elif op == b"EMC":
                if self._marked:
                    self._marked.pop()
            elif op == b"Do":
                if operands and xobjects is not None:
                    self._do(xobjects, operands[0], state, depth=depth, active=active)
            elif op == b"re":
                if len(operands) >= 4:
                    x, y, w, h = (_num(v) for v in operands[:4])
                    path.append((x, y, x + w, y + h))
            elif op == b"m":
                if len(operands) >= 2:
                    point = (_num(operands[0]), _num(operands[1]))
            elif op == b"l":
                if len(operands) >= 2 and point is not None:
                    nxt = (_num(operands[0]), _num(operands[1]))
                    if point[0] == nxt[0] or point[1] == nxt[1]:
                        path.append((point[0], point[1], nxt[0], nxt[1]))
                    point = nxt
            elif op in _PAINT:
                if path and op != b"n":
                    self._rules(path, state.ctm)
                path = []
                point = None
            elif op in (b"c", b"v", b"y", b"h"):
                point = None

    # ------------------------------------------------------------ operators

    def _font(self, font_res: DictionaryObject | None, name: Any) -> FontInfo | None:
        if not isinstance(name, str):
            return None
        ref = font_res.raw_get(name) if font_res is not None and name in font_res else None
        if ref is None:  # a missing font: viewers substitute a standard one, and so do we
            return self._standard()
        key: Any = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
        if key in self.fonts:
            return self.fonts[key]
        info: FontInfo | None
        try:
            obj = ref.get_object()
            info = FontInfo.of(obj) if isinstance(obj, DictionaryObject) else None
        except LimitReachedError:  # a bomb in the font's tables: read it without its ToUnicode map
            info = self._without_tounicode(ref)
        except Exception:  # a damaged font: its text is skipped
            info = None
        self.fonts[key] = info
        return info

    def _standard(self) -> FontInfo | None:
        if _STANDARD not in self.fonts:
            try:
                self.fonts[_STANDARD] = FontInfo.of(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Font"),
                            NameObject("/Subtype"): NameObject("/Type1"),
                            NameObject("/BaseFont"): NameObject("/Helvetica"),
                            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                        }
                    )
                )
            except Exception:  # pypdf without its standard font tables
                self.fonts[_STANDARD] = None
        return self.fonts[_STANDARD]

    @staticmethod
    def _without_tounicode(ref: Any) -> FontInfo | None:
        try:
            obj = ref.get_object()
            if not isinstance(obj, DictionaryObject):
                return None
            return FontInfo.of(DictionaryObject({k: v for k, v in obj.items() if k != "/ToUnicode"}))
        except Exception:  # LimitReachedError again, or damage: its text is skipped
            return None

    def _begin_marked(self, operands: list[Any], props: DictionaryObject | None, with_props: bool) -> None:
        tag = operands[0] if operands else None
        mcid: int | None = None
        if with_props and len(operands) >= 2:
            p = operands[1]
            if isinstance(p, NameObject) and props is not None and p in props:
                p = props[p]
            if isinstance(p, IndirectObject):
                p = p.get_object()
            if isinstance(p, DictionaryObject):
                value = p.get("/MCID")
                if isinstance(value, int):
                    mcid = int(value)
        artifact = tag == "/Artifact"
        if len(self._marked) < 256:
            self._marked.append((mcid, artifact))
        else:  # keep the stack balanced without growing it
            self._marked.append(self._marked[-1])

    def _current_mark(self) -> tuple[int | None, bool]:
        mcid: int | None = None
        artifact = False
        for m, a in self._marked:
            if m is not None:
                mcid = m
            artifact = artifact or a
        return mcid, artifact

    def _show(self, state: _State, tm: Matrix, items: list[Any]) -> Matrix:
        """Show strings (Tj/TJ).  A large negative offset inside a TJ array
        (a tab stop, a table column, dot leaders) starts a new span."""
        font = state.font
        if font is None:
            return tm
        fs = state.size
        th = state.th
        start_tm = tm
        advance = 0.0
        seg_start = 0.0
        parts: list[str] = []
        space_gap = max(font.font.space_width or 250, 100) * 0.45
        pending = bytearray()  # strings between word gaps are decoded in one go

        def flush() -> float:
            if not pending:
                return 0.0
            text, width, spaces = font.decode(bytes(pending))
            pending.clear()
            parts.append(text)
            return ((width / 1000) * fs + state.tc * len(text) + state.tw * spaces) * th

        def segment() -> None:
            text = "".join(parts)
            parts.clear()
            if text.strip():
                self._emit(text, state, mult((1, 0, 0, 1, seg_start, 0), start_tm), advance - seg_start)

        for item in items:
            if isinstance(item, bytes):
                pending += item
            elif isinstance(item, (int, float)):
                adj = float(item)
                if not math.isfinite(adj):
                    continue
                if -adj >= 900:
                    advance += flush()
                    segment()
                    advance -= adj / 1000 * fs * th
                    seg_start = advance
                    continue
                advance -= adj / 1000 * fs * th
                if -adj >= space_gap:
                    advance += flush()
                    if parts and not parts[-1].endswith(" "):
                        parts.append(" ")
        advance += flush()
        segment()
        return mult((1, 0, 0, 1, advance, 0), start_tm)

    def _emit(self, text: str, state: _State, tm: Matrix, advance: float) -> None:
        font = state.font
        assert font is not None
        fs = state.size
        m = mult(mult(tm, state.ctm), self.page_matrix)
        lo = state.ts + font.descent * fs
        hi = state.ts + font.ascent * fs
        xs: list[float] = []
        ys: list[float] = []
        for px, py in ((0.0, lo), (advance, lo), (0.0, hi), (advance, hi)):
            x, y = apply(m, px, py)
            xs.append(x)
            ys.append(y)
        _base_x, base_y = apply(m, 0.0, state.ts)
        scale = math.hypot(m[2], m[3])
        size = abs(fs) * scale
        upright = abs(m[1]) < 1e-3 * max(abs(m[0]), 1e-9) and abs(m[2]) < 1e-3 * max(abs(m[3]), 1e-9)
        upright = upright and m[0] > 0 and m[3] < 0  # top-down frame: y grows downwards
        mcid, artifact = self._current_mark()
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        cur = self._open
        if (
            cur is not None
            and cur.font is font
            and cur.mcid == mcid
            and cur.artifact == artifact
            and upright
            and cur.upright
            and abs(cur.size - size) < 0.01 * size
            and abs(cur.baseline - base_y) < 0.05 * size
            and -0.2 * size < x0 - cur.x1 < 0.6 * size
        ):
            gap = x0 - cur.x1
            if gap > 0.15 * size and not cur.parts[-1].endswith(" ") and not text.startswith(" "):
                cur.parts.append(" ")
            cur.parts.append(text)
            cur.x1 = max(cur.x1, x1)
            cur.top = min(cur.top, top)
            cur.bottom = max(cur.bottom, bottom)
            return
        self._flush()
        self._open = _Open([text], x0, top, x1, bottom, base_y, size, font, mcid, artifact, upright)

    def flush(self) -> None:
        """Close the span being built (after an interrupted page)."""
        self._flush()

    def _flush(self) -> None:
        cur = self._open
        if cur is None:
            return
        self._open = None
        text = "".join(cur.parts)
        if not text.strip() or not all(
            math.isfinite(v) for v in (cur.x0, cur.top, cur.x1, cur.bottom, cur.size)
        ):
            return
        f = cur.font
        self.out.spans.append(
            TextSpan(
                text=text,
                bbox=(cur.x0, cur.top, cur.x1, cur.bottom),
                baseline=cur.baseline,
                size=round(cur.size, 2),
                font=f.name,
                bold=f.bold,
                italic=f.italic,
                monospace=f.monospace,
                mcid=cur.mcid,
                artifact=cur.artifact,
                upright=cur.upright,
            )
        )

    def _do(
        self, xobjects: DictionaryObject, name: Any, state: _State, *, depth: int, active: set[int]
    ) -> None:
        if not isinstance(name, str) or name not in xobjects:
            return
        ref = xobjects.raw_get(name)
        try:
            obj = ref.get_object()
        except Exception:
            return
        if not isinstance(obj, DictionaryObject):
            return
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            self._flush()
            key: tuple[int, int] | int = (
                (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(obj)
            )
            handle = self.images.add(obj, key)
            m = mult(state.ctm, self.page_matrix)
            pts = [apply(m, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            mcid, artifact = self._current_mark()
            self.out.images.append(
                ImagePlacement(
                    ref=handle,
                    bbox=(
                        min(p[0] for p in pts),
                        min(p[1] for p in pts),
                        max(p[0] for p in pts),
                        max(p[1] for p in pts),
                    ),
                    pixel_width=int(_num(obj.get("/Width"), 0)),
                    pixel_height=int(_num(obj.get("/Height"), 0)),
                    mcid=mcid,
                    artifact=artifact,
                )
            )
        elif subtype == "/Form":
            ident = id(obj)
            if depth >= MAX_FORM_DEPTH or ident in active or self.forms >= MAX_FORMS_PER_PAGE:
                self.out.truncated = self.out.truncated or self.forms >= MAX_FORMS_PER_PAGE
                return
            self.forms += 1
            inner = state.copy()
            fm = obj.get("/Matrix")
            if isinstance(fm, ArrayObject):
                m2 = _matrix(list(fm))
                if m2 is not None:
                    inner.ctm = mult(m2, inner.ctm)
            res = obj.get("/Resources")
            res_dict = res.get_object() if res is not None else None
            if not isinstance(res_dict, DictionaryObject):
                res_dict = None
            active.add(ident)
            try:
                self._run(obj, res_dict, inner, depth=depth + 1, active=active)
            finally:
                active.discard(ident)

    def _rules(self, path: list[tuple[float, float, float, float]], ctm: Matrix) -> None:
        m = mult(ctm, self.page_matrix)
        for x0, y0, x1, y1 in path:
            if len(self.out.rules) >= MAX_RULES_PER_PAGE:
                return
            ax, ay = apply(m, x0, y0)
            bx, by = apply(m, x1, y1)
            self.out.rules.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


_PAINT = frozenset({b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"})


def _dict(resources: DictionaryObject | None, key: str) -> DictionaryObject | None:
    if resources is None:
        return None
    try:
        value = resources.get(key)
        value = value.get_object() if value is not None else None
    except Exception:
        return None
    return value if isinstance(value, DictionaryObject) else None
