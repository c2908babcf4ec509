"""The OPC package of a .docx file, read defensively.

* Zip bombs: every entry is decompressed through a cap (its own limit and a
  running total for the whole file), whatever size its header claims.
* XML: one explicit safe lxml parser per package (no entities resolved, no
  DTD, no network, no huge trees); comments and processing instructions are
  dropped.
* Relationships: targets are resolved inside the package only; external
  targets (``TargetMode="External"``) are returned as strings for links and
  never fetched.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from ...errors import InputError, LimitExceeded
from ...options import DocxReaderOptions
from ...record import Record
from .ns import PKG_REL_NS, REL_OFFICE_DOCUMENT, STRICT_W_NS, W_NS, Element, W

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REL = f"{{{PKG_REL_NS}}}Relationship"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Rel(Record):
    """One relationship: ``type`` is the last segment of the type URI."""

    id: str
    type: str
    target: str  # a part name (no leading "/") or, when external, the raw target
    external: bool


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


@dataclass(slots=True)
class Package:
    """The parts of one .docx, decompressed and parsed on demand (each once)."""

    zf: zipfile.ZipFile
    options: DocxReaderOptions
    entries: dict[str, zipfile.ZipInfo]  # lower-case part name -> entry
    parser: etree.XMLParser = field(default_factory=_new_parser)
    total: int = 0  # bytes decompressed so far
    _xml: dict[str, Element | None] = field(default_factory=dict)
    _rels: dict[str, dict[str, Rel]] = field(default_factory=dict)
    _numbers: dict[str, dict[Element, int]] = field(default_factory=dict)

    # ----------------------------------------------------------------- bytes

    def has(self, name: str) -> bool:
        return name.lower() in self.entries

    def blob(self, name: str, limit: int) -> bytes | None:
        """The decompressed bytes of part ``name``; None when it does not
        exist or is larger than ``limit``.  Raises LimitExceeded when the
        file as a whole decompresses to more than ``max_total_bytes`` and
        InputError when the entry is corrupt."""
        info = self.entries.get(name.lower())
        if info is None or info.file_size > limit:
            return None
        try:
            with self.zf.open(info) as f:
                data = f.read(limit + 1)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            OSError,
            ValueError,
        ) as exc:
            raise InputError(f"the DOCX entry {info.filename!r} cannot be read ({exc})") from None
        except EOFError:
            raise InputError(f"the DOCX entry {info.filename!r} is truncated") from None
        if len(data) > limit:
            return None
        self.total += len(data)
        if self.total > self.options.max_total_bytes:
            raise LimitExceeded(
                f"the DOCX decompresses to more than {self.options.max_total_bytes:,} bytes "
                "(DocxReaderOptions.max_total_bytes)"
            )
        return data

    # ------------------------------------------------------------------- XML

    def xml(self, name: str, *, required: bool = False) -> Element | None:
        """The root element of XML part ``name`` (parsed once)."""
        key = name.lower()
        if key in self._xml:
            return self._xml[key]
        data = self.blob(name, self.options.max_part_bytes)
        root: Element | None = None
        if data is None:
            if required and self.has(name):
                raise LimitExceeded(
                    f"the DOCX part {name!r} is larger than {self.options.max_part_bytes:,} bytes "
                    "(DocxReaderOptions.max_part_bytes)"
                )
        else:
            try:
                root = etree.fromstring(data, self.parser)
            except etree.XMLSyntaxError as exc:
                if required:
                    raise InputError(f"the DOCX part {name!r} is not well-formed XML ({exc})") from None
                root = None
            if root is not None:
                count = int(root.xpath("count(//*)"))  # counted in C: reading each costs far more
                if count > self.options.max_elements:
                    raise LimitExceeded(
                        f"the DOCX part {name!r} has {count:,} XML elements, over the limit of "
                        f"{self.options.max_elements:,} (DocxReaderOptions.max_elements)"
                    )
        if root is None and required:
            raise InputError(f"the DOCX package has no {name!r} part")
        self._xml[key] = root
        return root

    def para_numbers(self, part: str, root: Element) -> dict[Element, int]:
        """Every ``w:p`` of ``part`` (whose root is ``root``) with its 1-based
        position in document order: the location DOCX findings report."""
        numbers = self._numbers.get(part)
        if numbers is None:
            numbers = self._numbers[part] = {p: i for i, p in enumerate(root.iter(W + "p"), 1)}
        return numbers

    # --------------------------------------------------------- relationships

    def rels(self, part: str) -> dict[str, Rel]:
        """The relationships of ``part`` ("" for the package), by id."""
        if part in self._rels:
            return self._rels[part]
        folder, _, base = part.rpartition("/")
        rels_name = f"{folder + '/' if folder else ''}_rels/{base}.rels"
        root = self.xml(rels_name)
        out: dict[str, Rel] = {}
        if root is not None:
            for el in root.iter(_REL):
                rid, rtype, target = el.get("Id"), el.get("Type"), el.get("Target")
                if not rid or not rtype or target is None:
                    continue
                external = (el.get("TargetMode") or "").lower() == "external"
                resolved = target if external else resolve(folder, target)
                if resolved is None:
                    continue
                out[rid] = Rel(rid, rtype.rstrip("/").rpartition("/")[2], resolved, external)
        self._rels[part] = out
        return out

    def related(self, part: str, rel_type: str) -> str | None:
        """The internal part that ``part`` relates to with ``rel_type`` (first one)."""
        for rel in self.rels(part).values():
            if rel.type == rel_type and not rel.external:
                return rel.target
        return None


def resolve(folder: str, target: str) -> str | None:
    """A relationship target as a part name inside the package, or None when
    it leaves the package."""
    target = unquote(target.strip()).replace("\\", "/")
    if not target or "\x00" in target:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    path = posixpath.normpath(path)
    if path.startswith("../") or path in ("..", ".", "") or path.startswith("/"):
        return None
    return path


_EOCD = b"PK\x05\x06"
_CENTRAL_ENTRY_MAX = 46 + 3 * 0xFFFF  # a central directory record with the longest name, extra, comment


def _check_directory(data: bytes, options: DocxReaderOptions) -> None:
    """Refuse a zip whose central directory announces more entries than
    allowed before ``zipfile`` builds an object for each of them."""
    at = data.rfind(_EOCD, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or at + 22 > len(data):
        return  # zipfile reports the archive as unreadable
    entries = int.from_bytes(data[at + 10 : at + 12], "little")
    size = int.from_bytes(data[at + 12 : at + 16], "little")
    too_many = entries != 0xFFFF and entries > options.max_entries
    too_big = size != 0xFFFFFFFF and size > options.max_entries * _CENTRAL_ENTRY_MAX
    if too_many or too_big:
        raise LimitExceeded(
            f"the DOCX holds more than {options.max_entries:,} entries (DocxReaderOptions.max_entries)"
        )


def open_package(data: bytes, options: DocxReaderOptions) -> tuple[Package, str]:
    """The package of ``data`` and the name of its main document part.
    Raises InputError / LimitExceeded when ``data`` is not a readable DOCX."""
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            f"the DOCX input is {len(data):,} bytes, over the limit of {options.max_bytes:,} bytes "
            "(DocxReaderOptions.max_bytes)"
        )
    if data.startswith(_OLE_MAGIC):
        raise InputError("this is an encrypted DOCX or a legacy Word .doc file, not a DOCX package")
    _check_directory(data, options)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError) as exc:
        raise InputError(f"not a DOCX file: not a readable zip archive ({exc})") from None
    if len(infos) > options.max_entries:
        raise LimitExceeded(
            f"the DOCX holds {len(infos):,} entries, over the limit of {options.max_entries:,} "
            "(DocxReaderOptions.max_entries)"
        )
    entries = {
        info.filename.lstrip("/").lower(): info
        for info in infos
        if info.filename and not info.filename.endswith("/")  # ZipInfo.is_dir() fails on ""
    }
    pkg = Package(zf, options, entries)
    main = pkg.related("", REL_OFFICE_DOCUMENT) or "word/document.xml"
    if not pkg.has(main):
        raise InputError("not a DOCX file: the package has no main document part")
    root = pkg.xml(main, required=True)
    assert root is not None
    if root.tag == f"{{{STRICT_W_NS}}}document":
        raise InputError("strict Open XML documents are not supported: save as a standard .docx")
    if root.tag != f"{{{W_NS}}}document":
        raise InputError("not a DOCX file: the main part is not a WordprocessingML document")
    return pkg, main
