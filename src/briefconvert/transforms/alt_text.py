"""Apply an alt-text sidecar: set ``Image.alt`` from the sidecar, matching
images by the SHA-256 of their bytes (see briefconvert.alttext).

The sidecar wins: an entry with text (described or decorative) replaces the
alt that the document carries, because correcting poor alt text is as much
the point of the editors' work as filling in missing alt text; each
replacement is reported (``alt-text-replaced``).  An entry still marked
missing changes nothing, so images nobody described keep ``alt=None`` and the
``image-alt`` rule (and each writer) reports them.  Entries with text that match no image of
the document are reported (``alt-text-unmatched``): that text was not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from ..alttext import AltTextSidecar, digest
from ..diagnostics import Report
from ..model import Block, Document, Image


@dataclass(slots=True)
class _Frame:
    """A node being rebuilt: its tuple-valued slots, visited one by one."""

    node: Any
    slots: list[tuple[str | int, Any]]
    out: list[Any] = field(default_factory=list)
    changed: bool = False
    pos: int = 0

    @classmethod
    def of(cls, node: Any) -> _Frame:
        if isinstance(node, tuple):
            return cls(node, list(enumerate(node)))
        values = ((f.name, getattr(node, f.name)) for f in fields(node))
        return cls(node, [(name, v) for name, v in values if isinstance(v, tuple)])

    def build(self) -> Any:
        if not self.changed:
            return self.node
        if isinstance(self.node, tuple):
            return tuple(self.out)
        updates = {str(name): new for (name, _), new in zip(self.slots, self.out, strict=True)}
        return replace(self.node, **updates)


def map_images(blocks: tuple[Block, ...], fix: Callable[[Image], Image]) -> tuple[Block, ...]:
    """``blocks`` with every Image (notes, tables, captions included) replaced
    by ``fix(image)``; unchanged subtrees are the same objects.  Iterative."""
    stack = [_Frame.of(blocks)]
    while True:
        frame = stack[-1]
        if frame.pos < len(frame.slots):
            value = frame.slots[frame.pos][1]
            frame.pos += 1
            if isinstance(value, Image):
                new = fix(value)
                frame.out.append(new)
                frame.changed |= new is not value
            elif isinstance(value, tuple) or (is_dataclass(value) and not isinstance(value, type)):
                stack.append(_Frame.of(value))
            else:
                frame.out.append(value)
            continue
        built = frame.build()
        stack.pop()
        if not stack:
            result: tuple[Block, ...] = built
            return result
        stack[-1].out.append(built)
        stack[-1].changed |= built is not frame.node


def apply_alt_text(doc: Document, sidecar: AltTextSidecar, report: Report) -> Document:
    """``doc`` with the sidecar's text alternatives set on its images."""
    name = sidecar.path or "the alt-text sidecar"
    entries = sidecar.by_digest()
    present: set[str] = set()
    wanted: dict[str, str] = {}  # resource key -> alt
    for key, resource in doc.resources.items():
        sha = digest(resource.data)
        present.add(sha)
        entry = entries.get(sha)
        if entry is not None and entry.alt is not None:
            wanted[key] = entry.alt
    for entry in sidecar.entries:
        if entry.alt is not None and entry.sha256 not in present:
            what = entry.caption or (entry.locations[0] if entry.locations else entry.origin) or "an image"
            where = f"{name} line {entry.line}" if entry.line else name
            report.info(
                "alt-text-unmatched",
                f"no image of this document has sha256 {entry.sha256[:12]}… ({what[:60]}); "
                "its text was not used",
                where,
            )
    changed = 0
    replaced: list[tuple[Image, str]] = []

    def fix(image: Image) -> Image:
        nonlocal changed
        alt = wanted.get(image.resource) if image.resource is not None else None
        if alt is None or alt == image.alt:
            return image
        changed += 1
        if image.alt:
            replaced.append((image, alt))
        return replace(image, alt=alt)

    blocks = map_images(doc.blocks, fix)
    for image, alt in replaced:
        old = image.alt or ""
        new = "decorative" if not alt else repr(alt[:60])
        at = f"line {image.src.line}" if image.src and image.src.line else None
        report.info(
            "alt-text-replaced", f"image {image.resource}: alt text {old[:60]!r} replaced by {new}", at
        )
    if changed:
        report.info("alt-text-applied", f"alt text from {name} set on {changed} image use(s)")
    return doc if blocks is doc.blocks else replace(doc, blocks=blocks)
