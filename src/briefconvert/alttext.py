"""Alt-text sidecar files: a TOML list of a document's images for editors to describe.

``briefconvert alt-text INPUT`` writes one (:func:`collect` + :func:`write_sidecar`);
conversions and ``briefconvert check`` take ``--alt-text FILE`` (:func:`load_sidecar`,
then :func:`briefconvert.transforms.alt_text.apply_alt_text`).  The format is
documented in docs/alt-text.md.

Images are matched by the **full SHA-256 of the image bytes** held in the model
(``Resource.data``), written as 64 hex digits.  The model's resource keys
(``sha256-<12 hex>.png``) are derived from the same digest but shortened and
carry an extension, so the sidecar does not use them: the full digest stays
valid when a document is re-exported, its images renamed or moved, and it
cannot collide.  Images that PDF readers decode are re-encoded first, so a PDF
image's digest is that of the re-encoded bytes (stable for a given input).

An entry's ``alt`` follows the model: ``None`` = missing (still to write),
``""`` = decorative, text = described.  In the file this is the ``status``
key ("missing", "decorative", "described") beside ``alt = "..."``; an empty
``alt`` never declares an image decorative by itself.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .model import (
    BLOCK_TYPES,
    Cell,
    Code,
    CodeBlock,
    DefinitionItem,
    Document,
    Figure,
    Image,
    LineBreak,
    ListItem,
    Note,
    Row,
    SourceRef,
    Text,
)
from .record import Record
from .textnorm import collapse_ws
from .walk import children, plain_text

FORMAT = "briefconvert-alt-text"
VERSION = 1
MAX_SIDECAR_BYTES = 16 * 1024 * 1024
SNIPPET = 80  # characters of text kept on each side of an image

Status = Literal["missing", "decorative", "described"]
STATUSES: tuple[Status, ...] = ("missing", "decorative", "described")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AltTextEntry(Record):
    """One distinct image (by content) of a document."""

    sha256: str  # 64 lowercase hex digits of the image bytes
    alt: str | None  # None: missing; "": decorative; text: the description
    locations: tuple[str, ...] = ()  # "page 2", "line 74", "EPUB/ch001.xhtml line 12"
    caption: str | None = None  # the caption of the figure holding the image
    context: str | None = None  # text around the first use: "... [this image] ...", others as [image]
    origin: str | None = None  # where the reader found the bytes (a file name), if known
    # written as comments above the entry, never read back
    notes: tuple[str, ...] = field(default=(), compare=False)
    line: int | None = field(default=None, compare=False)  # line of [[image]] in a loaded file

    @property
    def status(self) -> Status:
        return "missing" if self.alt is None else "decorative" if self.alt == "" else "described"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AltTextSidecar(Record):
    """The images of one document and their text alternatives."""

    source: str | None  # the name of the document it was made from (informational)
    entries: tuple[AltTextEntry, ...] = ()
    path: str | None = field(default=None, compare=False)  # the file it was loaded from

    def by_digest(self) -> dict[str, AltTextEntry]:
        return {e.sha256: e for e in self.entries}


def digest(data: bytes) -> str:
    """The content hash a sidecar uses for an image: full SHA-256, hex."""
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ collect


@dataclass(slots=True)
class _Use:
    """One place where an image is used, seen while scanning the document."""

    image: Image
    src: SourceRef | None
    caption: str | None
    offset: int  # position in the running text


_BREAKS = (*BLOCK_TYPES, ListItem, DefinitionItem, Row, Cell)


def _scan(doc: Document) -> tuple[str, list[_Use]]:
    """The document's running text (each image as "\\0") and every image use, in
    reading order.  Iterative.  Figure captions and note content are "quiet":
    their images are listed, their text is not part of the running text (a
    caption has its own key; a note is not read where it is referenced)."""
    pieces: list[str] = []
    size = 0
    uses: list[_Use] = []
    # (node, nearest provenance, figure caption, quiet)
    stack: list[tuple[object, SourceRef | None, str | None, bool]] = [
        (b, None, None, False) for b in reversed(doc.blocks)
    ]
    while stack:
        node, src, caption, quiet = stack.pop()
        text: str | None = None
        match node:
            case str():
                text = node
            case Text(text=t) | Code(text=t):
                text = t
            case CodeBlock(text=t):
                text = f" {t} "
            case LineBreak():
                text = " "
            case Image():
                uses.append(_Use(node, node.src or src, caption, size))
                quiet, text = False, "\0"
            case Figure(blocks=blocks, caption=cap):
                inner, label = node.src or src, plain_text(cap) or caption
                stack.append((" ", src, caption, quiet))
                stack.extend((c, inner, label, True) for c in reversed(cap))
                stack.extend((b, inner, label, quiet) for b in reversed(blocks))
                text = " "
            case Note(blocks=blocks):
                stack.extend((b, node.src or src, caption, True) for b in reversed(blocks))
            case _:
                own = getattr(node, "src", None)
                inner = own if isinstance(own, SourceRef) else src
                block = isinstance(node, _BREAKS)  # inlines (Emph, Link...) join their neighbours
                if block:
                    stack.append((" ", src, caption, quiet))
                stack.extend((c, inner, caption, quiet) for c in reversed(children(node)))
                text = " " if block else None
        if text and not quiet:
            pieces.append(text)
            size += len(text)
    return "".join(pieces), uses


def _snippet(text: str, offset: int) -> str | None:
    before = " ".join(text[max(0, offset - 4 * SNIPPET) : offset].split())
    after = " ".join(text[offset + 1 : offset + 1 + 4 * SNIPPET].split())
    if len(before) > SNIPPET:
        cut = before[-SNIPPET:]
        before = "…" + (cut.split(" ", 1)[1] if " " in cut[:-1] else cut)
    if len(after) > SNIPPET:
        cut = after[:SNIPPET]
        after = (cut.rsplit(" ", 1)[0] if " " in cut[1:] else cut) + "…"
    if not before and not after:
        return None
    return f"{before} [this image] {after}".replace("\0", "[image]").strip()


def _location(src: SourceRef | None) -> str | None:
    if src is None:
        return None
    bits = [src.part] if src.part else []
    if src.page is not None:
        bits.append(f"page {src.page}")
    if src.line is not None:
        bits.append(f"line {src.line}")
    return " ".join(bits) or None


def collect(doc: Document, *, source: str) -> AltTextSidecar:
    """Every image of ``doc`` once per distinct content, in order of first use.

    The current alt text is the first non-empty one among the uses; else
    decorative if any use is; else missing.  Images whose bytes could not be
    loaded (``resource`` None) cannot be matched by content and are left out.
    """
    digests = {key: digest(res.data) for key, res in doc.resources.items()}
    text, uses = _scan(doc)
    grouped: dict[str, list[_Use]] = {}
    for use in uses:
        key = use.image.resource
        if key is not None and key in digests:
            grouped.setdefault(digests[key], []).append(use)
    entries = []
    for sha, group in grouped.items():
        alts = [u.image.alt for u in group]
        described = [a for a in alts if a]
        alt = described[0] if described else "" if "" in alts else None
        locations = tuple(dict.fromkeys(loc for u in group if (loc := _location(u.src))))
        caption = next((u.caption for u in group if u.caption), None)
        resource = doc.resources[group[0].image.resource or ""]
        origin = resource.origin if resource.origin and not resource.origin.startswith("data:") else None
        entries.append(
            AltTextEntry(
                sha, alt, locations, caption, _snippet(text, group[0].offset), origin and origin[:200]
            )
        )
    return AltTextSidecar(source, tuple(entries))


def count_unloaded(doc: Document) -> int:
    """Images without bytes (not loaded): a sidecar cannot name them."""
    _, uses = _scan(doc)
    return sum(1 for u in uses if u.image.resource is None or u.image.resource not in doc.resources)


# -------------------------------------------------------------------- merge


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MergeResult(Record):
    sidecar: AltTextSidecar
    kept: int  # images whose text came from the old sidecar
    added: int  # images that the old sidecar did not list
    orphans: int  # old entries with text whose image is gone (kept at the end)
    conflicts: tuple[AltTextEntry, ...]  # the document's alt differs from the kept text


def merge(fresh: AltTextSidecar, old: AltTextSidecar) -> MergeResult:
    """``fresh`` (collected from the revised document) with the text of ``old``.

    An entry of ``old`` with text (described or decorative) wins over what
    the document now says; a difference is noted in the entry's comments.
    Entries of ``old`` with text whose image is no longer in the document are
    kept at the end (so no editor's work is lost); those without text are dropped.
    """
    previous = old.by_digest()
    entries: list[AltTextEntry] = []
    conflicts: list[AltTextEntry] = []
    kept = added = 0
    for entry in fresh.entries:
        before = previous.get(entry.sha256)
        if before is None:
            added += 1
            entries.append(entry)
        elif before.alt is None:
            entries.append(entry)
        else:
            kept += 1
            merged = replace(entry, alt=before.alt)
            if entry.alt is not None and entry.alt != before.alt:
                now = "decorative" if entry.alt == "" else repr(entry.alt)
                merged = replace(merged, notes=(f"the document now says: {now}; this file's text is kept",))
                conflicts.append(merged)
            entries.append(merged)
    seen = {e.sha256 for e in fresh.entries}
    gone = [
        replace(e, locations=(), notes=("no longer in the document: kept so that its text is not lost",))
        for e in old.entries
        if e.sha256 not in seen and e.alt is not None
    ]
    sidecar = AltTextSidecar(fresh.source, (*entries, *gone))
    return MergeResult(sidecar, kept, added, len(gone), tuple(conflicts))


# -------------------------------------------------------------------- write

_HEADER = """\
# Alt text for the images of {source}: a briefconvert alt-text sidecar.
#
# Each [[image]] below is one image of the document; an image used more than
# once is listed once.  To fill it in:
#   - an image that conveys something: write what it shows and why it is there,
#     in the document's language, in alt = "..." and set status = "described".
#     For a chart, give its message and the key figures.  Do not repeat the caption.
#   - a purely decorative image (ornament, background, a logo next to its name):
#     set status = "decorative" and leave alt = "".
#   - status = "missing" means nobody has described the image yet.
# Leave sha256 as it is: it identifies the image by its content.  caption,
# context, locations and origin only help you find the image; they are ignored
# when the file is applied, and refreshed by "briefconvert alt-text --update".
# Text in this file replaces alt text already in the document.
#
# Use it:    briefconvert {input} --to epub --alt-text {name}
#            briefconvert check OUTPUT --alt-text {name}
# Revised document: briefconvert alt-text {input} -o {name} --update
#            (keeps the text written here, adds new images)
#
# {summary}
"""


def _summary(sidecar: AltTextSidecar) -> str:
    n = len(sidecar.entries)
    missing = sum(1 for e in sidecar.entries if e.alt is None)
    return f'{n} image(s); {missing} still need alt text (status = "missing").'


def _toml_entry(entry: AltTextEntry) -> dict[str, Any]:
    table: dict[str, Any] = {"status": entry.status, "alt": entry.alt or ""}
    if entry.caption:
        table["caption"] = entry.caption
    if entry.context:
        table["context"] = entry.context
    if entry.locations:
        table["locations"] = list(entry.locations)
    if entry.origin:
        table["origin"] = entry.origin
    table["sha256"] = entry.sha256
    return table


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def write_sidecar(sidecar: AltTextSidecar, *, name: str | None = None) -> bytes:
    """The sidecar as TOML (UTF-8), with a header telling editors what to do.
    ``name`` is the sidecar's own file name, used in the header's examples.
    Deterministic: the same sidecar gives the same bytes."""
    import tomli_w  # lazy: only this command writes TOML

    source = sidecar.source or "the document"
    input_name = sidecar.source or "INPUT"
    header = _HEADER.format(
        source=source,
        input=_shell_word(input_name),
        name=_shell_word(name or f"{Path(input_name).stem}.alt.toml"),
        summary=_summary(sidecar),
    )
    top: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if sidecar.source:
        top["source"] = sidecar.source
    parts = [header, "\n", tomli_w.dumps(top)]
    total = len(sidecar.entries)
    for i, entry in enumerate(sidecar.entries, 1):
        label = {"missing": "NEEDS ALT TEXT", "decorative": "decorative", "described": "described"}
        where = f" ({entry.locations[0]})" if entry.locations else ""
        parts.append(f"\n# ---- image {i} of {total}{where}: {label[entry.status]}\n")
        parts.extend(_comment(n) + "\n" for n in entry.notes)
        parts.append(tomli_w.dumps({"image": [_toml_entry(entry)]}))
    return "".join(parts).encode("utf-8")


def _shell_word(text: str) -> str:
    return text if re.fullmatch(r"[\w./+-]+", text) else "'" + text.replace("'", "'\\''") + "'"


# --------------------------------------------------------------------- load

_TOP_KEYS = ("format", "version", "source", "image")
_ENTRY_KEYS = ("status", "alt", "caption", "context", "locations", "origin", "sha256")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER_LINE = re.compile(r"""^\s*\[\[\s*(?:image|"image"|'image')\s*\]\]""")
_KEY_LINE = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array", dict: "a table"}


def _kind(value: object) -> str:
    return next((n for t, n in _TYPE_NAMES.items() if type(value) is t), type(value).__name__)


@dataclass(slots=True)
class _Lines:
    """Best-effort line numbers of the [[image]] headers and their keys, for messages."""

    headers: list[int]
    keys: list[dict[str, int]]
    top: dict[str, int]

    @classmethod
    def of(cls, text: str) -> _Lines:
        headers: list[int] = []
        keys: list[dict[str, int]] = []
        top: dict[str, int] = {}
        current = top
        for n, line in enumerate(text.splitlines(), 1):
            if _HEADER_LINE.match(line):
                headers.append(n)
                keys.append({})
                current = keys[-1]
            elif line.lstrip().startswith("["):
                current = {}  # another table: its keys are not ours
            elif m := _KEY_LINE.match(line):
                current.setdefault(m.group(1), n)
        return cls(headers, keys, top)

    def entry(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.headers):
            return None
        if key is not None and key in self.keys[index]:
            return self.keys[index][key]
        return self.headers[index]


class _Loader:
    def __init__(self, path: Path, text: str) -> None:
        self.name = str(path)
        self.lines = _Lines.of(text)

    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}")

    def top(self, data: Mapping[str, Any]) -> tuple[str | None, list[Any]]:
        for key, value in data.items():
            line = self.lines.top.get(key)
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown key {key!r} (expected {', '.join(_TOP_KEYS)})", line)
            if key == "format" and value != FORMAT:
                raise self.fail(f"format must be {FORMAT!r}, not {value!r}", line)
            if key == "version" and (type(value) is not int or value != VERSION):
                raise self.fail(f"unsupported version {value!r} (this briefconvert reads {VERSION})", line)
            if key == "source" and not isinstance(value, str):
                raise self.fail(f"'source' must be a string, not {_kind(value)}", line)
        images = data.get("image", [])
        if not isinstance(images, list) or not all(isinstance(t, dict) for t in images):
            raise self.fail("'image' must be a list of [[image]] tables", self.lines.top.get("image"))
        source = data.get("source")
        return (source if isinstance(source, str) else None), images

    def entry(self, i: int, table: Mapping[str, Any]) -> AltTextEntry:
        label = f"image {i + 1}"

        def text(key: str) -> str | None:
            value = table.get(key)
            if value is None:
                return None
            if not isinstance(value, str):
                raise self.fail(
                    f"{label}: {key!r} must be a string, not {_kind(value)}", self.lines.entry(i, key)
                )
            return collapse_ws(value)

        for key in table:
            if key not in _ENTRY_KEYS:
                expected = ", ".join(_ENTRY_KEYS)
                raise self.fail(
                    f"{label}: unknown key {key!r} (expected {expected})", self.lines.entry(i, key)
                )
        sha = text("sha256")
        if sha is None:
            raise self.fail(f"{label}: 'sha256' is missing (the image's content hash)", self.lines.entry(i))
        sha = sha.lower()
        if not _DIGEST.match(sha):
            raise self.fail(
                f"{label}: 'sha256' must be the 64 hex digits of the image's SHA-256, not {sha[:80]!r}",
                self.lines.entry(i, "sha256"),
            )
        alt = text("alt") or ""
        status = text("status")
        if status is not None and status not in STATUSES:
            raise self.fail(
                f"{label}: status must be one of {', '.join(STATUSES)}, not {status[:40]!r}",
                self.lines.entry(i, "status"),
            )
        if status == "decorative" and alt:
            raise self.fail(
                f'{label}: status is "decorative" but alt has text: empty alt or set status = "described"',
                self.lines.entry(i, "alt"),
            )
        if status == "described" and not alt:
            raise self.fail(
                f'{label}: status is "described" but alt is empty: write the description or set '
                'status = "missing" (or "decorative")',
                self.lines.entry(i, "alt"),
            )
        locations = table.get("locations", [])
        if not isinstance(locations, list) or not all(isinstance(x, str) for x in locations):
            raise self.fail(
                f"{label}: 'locations' must be an array of strings", self.lines.entry(i, "locations")
            )
        value: str | None = "" if status == "decorative" else alt or None  # text wins over "missing"
        return AltTextEntry(
            sha,
            value,
            tuple(collapse_ws(x) for x in locations),
            text("caption") or None,
            text("context") or None,
            text("origin") or None,
            line=self.lines.entry(i),
        )


def parse_sidecar(text: str, *, path: Path) -> AltTextSidecar:
    """Parse sidecar TOML; raises InputError naming the file, line and key."""
    loader = _Loader(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POS.search(message)
        if m:
            where = f"{path}:{m.group(1)}:{m.group(2)}"
            raise InputError(f"{where}: not valid TOML: {message[: m.start()]}") from None
        raise InputError(f"{path}: not valid TOML: {message}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a sidecar") from None
    source, tables = loader.top(data)
    entries: list[AltTextEntry] = []
    first_line: dict[str, int | None] = {}
    for i, table in enumerate(tables):
        entry = loader.entry(i, table)
        if entry.sha256 in first_line:
            other = first_line[entry.sha256]
            again = f" (first at line {other})" if other else ""
            raise loader.fail(f"image {i + 1}: the same sha256 is listed twice{again}", entry.line)
        first_line[entry.sha256] = entry.line
        entries.append(entry)
    return AltTextSidecar(source, tuple(entries), path=str(path))


def load_sidecar(path: Path) -> AltTextSidecar:
    """Read and validate a sidecar file; every problem is an InputError with
    a one-line message (``FILE:LINE: ...``), never a traceback."""
    try:
        if not path.is_file():
            raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            raise InputError(f"{path}: larger than {MAX_SIDECAR_BYTES // (1024 * 1024)} MiB: not a sidecar")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text") from None
    return parse_sidecar(text, path=path)
