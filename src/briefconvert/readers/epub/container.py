"""The EPUB container (a ZIP file), read defensively.

* Zip bombs: every entry is decompressed through a cap (its own limit and a
  running total for the whole file), whatever size its header claims; the
  number of entries is limited too.
* Names: entry names are only ever keys of a dictionary, never file system
  paths; references inside the book are resolved against these keys
  (:func:`resolve`), and a reference that climbs above the root resolves to
  nothing.
* XML: one explicit safe lxml parser (no entities resolved, no DTD, no
  network, no huge trees).
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from ...diagnostics import Report
from ...errors import InputError, LimitExceeded
from ...options import EpubReaderOptions

Element = etree._Element

MIMETYPE = b"application/epub+zip"
CONTAINER = "META-INF/container.xml"
_CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"


# What zipfile and the decompressors raise on a damaged or unsupported entry.
_ENTRY_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)


def xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """A new safe XML parser (parsers keep state: one per use).  Comments and
    processing instructions are kept, so that a serialised tree keeps the
    document's lines."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=recover,
        collect_ids=False,
    )


def resolve(base: str, ref: str) -> str | None:
    """The entry name that ``ref`` (a URL reference, fragment removed) names
    when it appears in entry ``base``; None for remote or absolute references
    and for references that leave the container."""
    try:
        parts = urlsplit(ref)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return base
    if path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


@dataclass(slots=True)
class Container:
    """The entries of one EPUB, decompressed on demand under limits."""

    zf: zipfile.ZipFile
    options: EpubReaderOptions
    entries: dict[str, zipfile.ZipInfo]  # entry name -> entry (directories left out)
    first_name: str | None  # the first entry in the archive (should be "mimetype")
    total: int = 0  # bytes decompressed so far
    _cache: dict[str, bytes | None] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.entries

    def read(self, name: str) -> bytes | None:
        """The decompressed bytes of entry ``name``; None when there is no
        such entry, it is larger than ``max_entry_bytes``, encrypted or
        corrupt.  Raises LimitExceeded when the whole file decompresses to
        more than ``max_total_bytes``."""
        if name in self._cache:
            return self._cache[name]
        data = self._read(name)
        self._cache[name] = data
        return data

    def _read(self, name: str) -> bytes | None:
        info = self.entries.get(name)
        limit = self.options.max_entry_bytes
        if info is None or info.file_size > limit:
            return None
        try:
            with self.zf.open(info) as f:
                data = f.read(limit + 1)
        except _ENTRY_ERRORS:
            return None  # corrupt, truncated, encrypted or an unknown compression method
        if len(data) > limit:
            return None
        self.total += len(data)
        if self.total > self.options.max_total_bytes:
            raise LimitExceeded(
                f"the EPUB decompresses to more than {self.options.max_total_bytes:,} bytes "
                "(EpubReaderOptions.max_total_bytes)"
            )
        return data

    def xml(self, name: str) -> Element | None:
        """Entry ``name`` parsed as XML (strict), or None when it is missing,
        unreadable or not well-formed."""
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, xml_parser())
        except (etree.XMLSyntaxError, ValueError):
            return None


def open_container(data: bytes, options: EpubReaderOptions, report: Report) -> Container:
    """Open the ZIP file.  Raises InputError when ``data`` is not a ZIP file
    and LimitExceeded when it is too large or has too many entries."""
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            f"input is {len(data):,} bytes, over the limit of {options.max_bytes:,} "
            "(EpubReaderOptions.max_bytes)"
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # zipfile raises many kinds on a damaged central directory
        raise InputError("not an EPUB: not a readable ZIP archive") from None
    if len(infos) > options.max_entries:
        raise LimitExceeded(
            f"the EPUB has {len(infos):,} entries, over the limit of {options.max_entries:,} "
            "(EpubReaderOptions.max_entries)"
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not info.filename or info.filename.endswith("/") or info.filename in entries:
            continue  # a duplicate name: the first entry wins
        entries[info.filename] = info
    container = Container(zf, options, entries, infos[0].filename if infos else None)
    _check_mimetype(container, report)
    return container


def _check_mimetype(container: Container, report: Report) -> None:
    data = container.read("mimetype")
    if data is None:
        report.warning("epub-mimetype", "the EPUB has no 'mimetype' entry")
    elif data.strip() != MIMETYPE:
        shown = data[:40].decode("ascii", "replace")
        report.warning("epub-mimetype", f"the 'mimetype' entry is {shown!r}, not 'application/epub+zip'")
    elif container.first_name != "mimetype":
        report.info("epub-mimetype", "the 'mimetype' entry is not the first in the archive")


def package_name(container: Container, report: Report) -> str:
    """The entry name of the package document (OPF), from META-INF/container.xml;
    when that is missing or broken, the only .opf entry.  Raises InputError
    when there is none."""
    root = container.xml(CONTAINER)
    if root is not None:
        for el in root.iter(f"{{{_CONTAINER_NS}}}rootfile"):
            media = (el.get("media-type") or "").strip()
            path = resolve("", el.get("full-path") or "")
            if path and media in ("", "application/oebps-package+xml") and container.has(path):
                return path
        report.warning("epub-container", f"{CONTAINER} names no package document that exists")
    else:
        why = "missing" if not container.has(CONTAINER) else "not well-formed XML"
        report.warning("epub-container", f"{CONTAINER} is {why}")
    candidates = sorted(n for n in container.entries if n.lower().endswith(".opf"))
    if len(candidates) == 1:
        return candidates[0]
    raise InputError("not an EPUB: no package document (.opf) found")
