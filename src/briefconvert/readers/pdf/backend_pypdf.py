"""The pypdf implementation of :class:`.backend.Backend`.

pypdf is configured, for the duration of the ``with`` block, with tight
decompression limits and without the external ``jbig2dec`` program.  pypdf
has no structure-tree API, so the tree is walked here (iteratively, each
object once, so a cyclic or very deep tree cannot hang or exhaust the stack).
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

from ...errors import BriefconvertError, InputError, LimitExceeded
from .backend import (
    BBox,
    DocumentInfo,
    LinkAnnotation,
    OutlineEntry,
    PageData,
    StructElement,
)
from .pypdf_content import ImageTable, Interpreter, Matrix, apply
from .pypdf_fonts import FontInfo
from .pypdf_objects import is_loop
from .pypdf_objects import resolve as _resolve
from .pypdf_objects import text as _text
from .pypdf_struct import walk_structure

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_ANNOTS_PER_PAGE = 5_000
# Tokens (operators, operands, array items) pypdf parses in one content
# stream: a page's operator budget (PdfReaderOptions.max_objects_per_page)
# is reached long before this on real pages, and a hostile stream of
# millions of operators is refused in seconds instead of parsed for minutes.
MAX_CONTENT_TOKENS = 600_000
# The raw bytes of a stream cannot exceed the input (whose size is limited
# by --max-input-size), so a declared /Length is no risk by itself; a lying
# /Length is common damage that pypdf repairs by finding "endstream".
_DECLARED_LENGTH = 1 << 62

_DECOMPRESSION = re.compile(r"decompress|stream length|output length|image buffer|decoding work|xmp", re.I)


def limit_error(exc: LimitReachedError, what: str = "the PDF") -> BriefconvertError:
    """A one-line LimitExceeded for a pypdf limit, naming the option that
    raises it (or saying that the limit is fixed); an InputError for the
    reference cycles pypdf reports the same way."""
    reason = " ".join(str(exc).split())[:160].rstrip(".")
    if is_loop(exc):
        return InputError(f"{what} is malformed beyond repair: an object refers to itself")
    if _DECOMPRESSION.search(reason):
        how = "--max-stream-size"
    elif "page tree" in reason.lower():
        how = "a fixed limit of the PDF reader; --max-pages limits the page count"
    else:
        how = "a fixed limit of the PDF reader"
    return LimitExceeded(f"{what} exceeds a safety limit: {reason} ({how})")


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.sink) < 100:
            self.sink.append(" ".join(record.getMessage().split())[:200])


@contextmanager
def _pypdf_messages(sink: list[str]) -> Iterator[None]:
    """pypdf's warnings about damage it repaired go to ``sink`` for the
    duration of the read instead of to stderr."""
    logger = logging.getLogger("pypdf")
    handler = _Collect(sink)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


@contextmanager
def open_pypdf(
    data: bytes, *, password: str | None, max_stream_bytes: int, messages: list[str] | None = None
) -> Iterator[PypdfBackend]:
    """Open ``data`` with pypdf under tight limits; decrypt it.  Raises
    InputError (unreadable, encrypted without the right password) or
    LimitExceeded."""
    limits: dict[str, Any] = {
        "maximum_declared_stream_length": _DECLARED_LENGTH,
        "array_based_stream_maximum_output_length": max_stream_bytes,
        "zlib_maximum_output_length": max_stream_bytes,
        "lzw_maximum_output_length": max_stream_bytes,
        "run_length_maximum_output_length": max_stream_bytes,
        "jbig2_maximum_output_length": max_stream_bytes,
        "brotli_maximum_output_length": max_stream_bytes,
        "image_maximum_buffer_size": max_stream_bytes,
        "stream_decoding_work_maximum_length": 4 * max_stream_bytes,
        "xmp_maximum_input_length": min(max_stream_bytes, 4 * 1024 * 1024),
        "stream_parsing_work_maximum_count": MAX_CONTENT_TOKENS,
        "jbig2dec_binary": None,  # never run an external decoder on untrusted input
    }
    with pypdf.apply_configuration(**limits), _pypdf_messages(messages if messages is not None else []):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            _decrypt(reader, password)
            count = len(reader.pages)
        except (InputError, LimitExceeded):
            raise
        except LimitReachedError as exc:
            raise limit_error(exc) from None
        except RecursionError:
            raise InputError("the PDF is malformed beyond repair (nesting too deep)") from None
        except Exception as exc:  # pypdf raises many kinds on damaged files
            raise InputError(f"not a readable PDF: {_reason(exc)}") from None
        yield PypdfBackend(reader, count)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return text or exc.__class__.__name__


def _decrypt(reader: pypdf.PdfReader, password: str | None) -> None:
    if not reader.is_encrypted:
        return
    try:
        if password and reader.decrypt(password):
            return
        if reader.decrypt(""):
            return
    except DependencyError:
        raise InputError(
            "the PDF uses AES encryption, which needs the 'cryptography' package (pip install cryptography)"
        ) from None
    except FileNotDecryptedError:
        pass
    if password is None:
        raise InputError("the PDF is encrypted; give --password")
    raise InputError("wrong password for the encrypted PDF")


def _page_matrix(page: Any) -> tuple[Matrix, float, float]:
    box = page.cropbox
    llx, lly, urx, ury = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    if urx < llx:
        llx, urx = urx, llx
    if ury < lly:
        lly, ury = ury, lly
    try:
        rotation = int(page.rotation) % 360
    except Exception:
        rotation = 0
    w, h = urx - llx, ury - lly
    if rotation == 90:
        return (0.0, 1.0, 1.0, 0.0, -lly, -llx), h, w
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, urx, -lly), w, h
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, ury, urx), h, w
    return (1.0, 0.0, 0.0, -1.0, -llx, ury), w, h


class PypdfBackend:
    def __init__(self, reader: pypdf.PdfReader, count: int) -> None:
        self.reader = reader
        self.count = count
        self._page_index: dict[tuple[int, int], int] | None = None
        self._fonts: dict[Any, FontInfo | None] = {}
        self._images = ImageTable()
        self._labels: list[str] | None = None
        self._named: dict[str, Any] | None = None

    # ------------------------------------------------------------ document

    def info(self) -> DocumentInfo:
        reader = self.reader
        info: dict[str, str] = {}
        try:
            meta = reader.metadata
            if meta is not None:
                for key in list(meta.keys())[:64]:
                    value = _text(meta.get(key))
                    if value is not None and isinstance(key, str):
                        info[key.lstrip("/")] = value
        except LimitReachedError as exc:
            raise limit_error(exc) from None
        except Exception:
            pass
        root = self._root()
        lang: str | None = None
        marked = False
        has_structure = False
        if root is not None:
            try:
                lang = _text(root.get("/Lang"))
                mark = _resolve(root.get("/MarkInfo"))
                marked = isinstance(mark, DictionaryObject) and _resolve(mark.get("/Marked")) == True  # noqa: E712 (BooleanObject(False) is truthy)
                has_structure = isinstance(_resolve(root.get("/StructTreeRoot")), DictionaryObject)
            except LimitReachedError:
                raise
            except Exception:  # a damaged catalog entry: read as untagged, without a language
                pass
        return DocumentInfo(
            info=info,
            xmp=self._xmp(),
            lang=lang,
            marked=marked,
            has_structure=has_structure,
            page_count=self.count,
        )

    def _root(self) -> DictionaryObject | None:
        try:
            root = self.reader.root_object
        except Exception:
            return None
        return root if isinstance(root, DictionaryObject) else None

    def _xmp(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        try:
            xmp = self.reader.xmp_metadata
        except Exception:
            return out
        if xmp is None:
            return out

        def get(name: str) -> Any:
            try:
                return getattr(xmp, name)
            except Exception:
                return None

        for key, attr in (
            ("title", "dc_title"),
            ("description", "dc_description"),
            ("rights", "dc_rights"),
        ):
            value = get(attr)
            if isinstance(value, dict) and value:
                default = value.get("x-default")
                values = [default] if isinstance(default, str) else []
                values += [v for k, v in value.items() if k != "x-default" and isinstance(v, str)]
                out[key] = tuple(values)
        for key, attr in (
            ("creator", "dc_creator"),
            ("language", "dc_language"),
            ("subject", "dc_subject"),
            ("publisher", "dc_publisher"),
        ):
            value = get(attr)
            if isinstance(value, list):
                out[key] = tuple(str(v) for v in value if isinstance(v, str))
        dates = get("dc_date")
        if isinstance(dates, list):
            out["date"] = tuple(d.isoformat() if hasattr(d, "isoformat") else str(d) for d in dates)
        for key, attr in (("keywords", "pdf_keywords"), ("identifier", "dc_identifier")):
            value = get(attr)
            if isinstance(value, str):
                out[key] = (value,)
        return out

    def _pages_by_ref(self) -> dict[tuple[int, int], int]:
        if self._page_index is None:
            index: dict[tuple[int, int], int] = {}
            try:
                for i, page in enumerate(self.reader.pages):
                    ref = page.indirect_reference
                    if ref is not None:
                        index[(ref.idnum, ref.generation)] = i
            except LimitReachedError:
                raise
            except Exception:
                pass
            self._page_index = index
        return self._page_index

    def _page_of(self, value: Any) -> int | None:
        if isinstance(value, IndirectObject):
            return self._pages_by_ref().get((value.idnum, value.generation))
        return None

    def labels(self) -> list[str]:
        if self._labels is None:
            try:
                labels = list(self.reader.page_labels)
            except Exception:
                labels = []
            if len(labels) != self.count:
                labels = [str(i + 1) for i in range(self.count)]
            self._labels = labels
        return self._labels

    # ---------------------------------------------------------------- pages

    def page(self, index: int, *, max_operations: int = 200_000) -> PageData:
        label = self.labels()[index]
        try:
            page = self.reader.pages[index]
            matrix, width, height = _page_matrix(page)
        except LimitReachedError as exc:
            raise limit_error(exc) from None
        except Exception:
            return PageData(index, 0.0, 0.0, label, (), truncated=True)
        interp = Interpreter(self.reader, matrix, self._fonts, self._images, max_operations)
        try:
            resources = _resolve(page.get("/Resources"))
            contents = page.get("/Contents")
            content = (
                interp.run(contents, resources if isinstance(resources, DictionaryObject) else None)
                if contents is not None
                else interp.out
            )
        except LimitReachedError as exc:
            raise limit_error(exc, f"page {index + 1}") from None
        except Exception:  # damaged beyond what the interpreter tolerates: keep what was read
            interp.flush()
            content = interp.out
            content.truncated = True
        return PageData(
            index=index,
            width=width,
            height=height,
            label=label,
            spans=tuple(content.spans),
            images=tuple(content.images),
            links=self._links(page, matrix),
            rules=tuple(content.rules),
            truncated=content.truncated,
        )

    def _links(self, page: Any, matrix: Matrix) -> tuple[LinkAnnotation, ...]:
        try:
            annots = _resolve(page.get("/Annots"))
        except Exception:
            return ()
        if not isinstance(annots, ArrayObject):
            return ()
        out: list[LinkAnnotation] = []
        for raw in list(annots)[:MAX_ANNOTS_PER_PAGE]:
            try:
                annot = _resolve(raw)
                if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") != "/Link":
                    continue
                rect = _resolve(annot.get("/Rect"))
                if not isinstance(rect, ArrayObject) or len(rect) < 4:
                    continue
                x0, y0, x1, y1 = (float(_resolve(v)) for v in rect[:4])
                if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
                    continue
                ax, ay = apply(matrix, x0, y0)
                bx, by = apply(matrix, x1, y1)
                bbox: BBox = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                uri, dest = self._link_target(annot)
                ref = raw.idnum if isinstance(raw, IndirectObject) else None
                out.append(LinkAnnotation(bbox=bbox, uri=uri, ref=ref, dest_page=dest))
            except LimitReachedError:
                raise
            except Exception:
                continue
        return tuple(out)

    def _link_target(self, annot: DictionaryObject) -> tuple[str | None, int | None]:
        action = _resolve(annot.get("/A"))
        dest: Any = annot.get("/Dest")
        if isinstance(action, DictionaryObject):
            kind = action.get("/S")
            if kind == "/URI":
                uri = _resolve(action.get("/URI"))
                if isinstance(uri, bytes):
                    return uri.decode("latin-1"), None
                return (str(uri) if isinstance(uri, str) else None), None
            if kind == "/GoTo":
                dest = action.get("/D")
        return None, self._dest_page(dest)

    def _dest_page(self, dest: Any) -> int | None:
        dest = _resolve(dest)
        if isinstance(dest, (str, bytes)):
            name = dest.decode("latin-1") if isinstance(dest, bytes) else str(dest)
            if self._named is None:
                try:
                    self._named = dict(self.reader.named_destinations)
                except Exception:
                    self._named = {}
            target = self._named.get(name)
            if target is None:
                return None
            try:
                number = self.reader.get_destination_page_number(target)
            except Exception:
                return None
            return number if number is not None and number >= 0 else None
        if isinstance(dest, DictionaryObject):
            dest = _resolve(dest.get("/D"))
        if isinstance(dest, ArrayObject) and dest:
            first = dest[0]
            if isinstance(first, IndirectObject):
                return self._page_of(first)
            if isinstance(first, NumberObject):
                return int(first) if 0 <= int(first) < self.count else None
        return None

    # ------------------------------------------------------------- outline

    def outline(self) -> tuple[OutlineEntry, ...]:
        try:
            outline = self.reader.outline
        except LimitReachedError as exc:
            raise limit_error(exc) from None
        except Exception:
            return ()
        out: list[OutlineEntry] = []
        stack: list[tuple[list[Any], int, int]] = [(list(outline), 0, 1)]
        while stack:
            items, pos, level = stack.pop()
            if pos >= len(items):
                continue
            stack.append((items, pos + 1, level))
            item = items[pos]
            if isinstance(item, list):
                stack.append((item, 0, level + 1))
                continue
            try:
                title = item.title
                page = self.reader.get_destination_page_number(item)
                top = _num_or_none(getattr(item, "top", None))
            except Exception:
                continue
            if not isinstance(title, str):
                continue
            page = page if isinstance(page, int) and 0 <= page < self.count else None
            if top is not None and page is not None:
                try:
                    top = float(self.reader.pages[page].cropbox.top) - top
                except Exception:
                    top = None
            out.append(OutlineEntry(title=title, level=level, page=page, top=top))
        return tuple(out)

    # ------------------------------------------------------------ structure

    def structure(self) -> StructElement | None:
        root = self._root()
        if root is None:
            return None
        try:
            tree = _resolve(root.get("/StructTreeRoot"))
            if not isinstance(tree, DictionaryObject):
                return None
            role_map = _resolve(tree.get("/RoleMap"))
            return walk_structure(
                tree, role_map if isinstance(role_map, DictionaryObject) else None, self._page_of
            )
        except LimitReachedError as exc:
            raise limit_error(exc) from None
        except Exception:  # a damaged tree is no tree: the layout is read instead
            return None

    # --------------------------------------------------------------- images

    def image(self, ref: int) -> PILImage | None:
        stream = self._images.streams[ref]
        try:
            return stream.decode_as_image()  # type: ignore[no-any-return]
        except LimitReachedError as exc:
            raise limit_error(exc, "an image") from None


def _num_or_none(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
