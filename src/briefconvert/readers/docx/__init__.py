"""The DOCX reader: a WordprocessingML package -> Document.

The OOXML parts are read directly with lxml (python-docx's object layer
costs seconds per megabyte and hides what accessibility checks need):
``word/document.xml`` (body), ``styles.xml`` (style names, outline levels,
basedOn chains, default language), ``numbering.xml`` (bullets and number
formats), ``footnotes.xml`` / ``endnotes.xml``, ``docProps/core.xml``
(metadata) and the parts' relationships (hyperlink targets, images).

Faults are kept as found, so that ``briefconvert check`` can report them:
an image without a description has ``alt=None``, a table without a marked
header row has no header cells, a bold paragraph stays a paragraph, and the
metadata is what the file declares (no title inferred from a heading).

Decisions (see each module's docstring for details):

* Headings: outline levels 1-6 (Heading 1-6 and styles based on them,
  direct ``w:outlineLvl``); deeper outline levels read as 6.  The Title
  style reads as a level-1 heading: briefconvert's DOCX writer puts the
  document title in Heading 1 and the sections from Heading 2, so its own
  files read back with the headings it wrote, and a Word document with a
  Title paragraph has that as its top-level heading.  Subtitle is a
  paragraph.
* Locations: DOCX has no useful line numbers (Word writes a part on one
  line), so ``SourceRef.line`` is the 1-based position of the paragraph
  (``w:p``, in document order, table cells included) in its part, and
  ``SourceRef.part`` names the part ("word/document.xml",
  "word/footnotes.xml").  The DOCX format rules report the same positions.
* Safety: see ``package`` (zip-bomb limits, safe XML parser, no external
  relationship followed).  Nesting past ``MAX_DEPTH`` is read as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...diagnostics import Report
from ...model import Document
from ...options import DocxReaderOptions
from .blocks import read_blocks
from .context import ReadContext, Story
from .meta import read_meta
from .ns import REL_CORE, REL_ENDNOTES, REL_FOOTNOTES, REL_NUMBERING, REL_STYLES, Element, W
from .numbering import Numbering
from .package import Package, open_package
from .styles import Styles

__all__ = ["DocxReaderOptions", "read_docx", "read_package"]

_FIELD_ANCHOR = re.compile(r'\\l\s+"?([^"\s]+)', re.IGNORECASE)


def read_docx(
    data: bytes, *, base: Path | None = None, options: DocxReaderOptions | None = None, report: Report
) -> Document:
    """Read a .docx file.  ``base`` is unused (a DOCX carries its images).
    Raises InputError when ``data`` is not a readable DOCX package and
    LimitExceeded when a safety limit is reached."""
    pkg, main = open_package(data, options or DocxReaderOptions())
    return read_package(pkg, main, report)


def read_package(pkg: Package, main: str, report: Report) -> Document:
    """The document of an opened package (see ``package.open_package``)."""
    root = pkg.xml(main, required=True)
    assert root is not None
    styles_part = pkg.related(main, REL_STYLES)
    styles = Styles(pkg.xml(styles_part) if styles_part else None)
    numbering_part = pkg.related(main, REL_NUMBERING)
    numbering = Numbering(pkg.xml(numbering_part) if numbering_part else None, styles)
    core_part = pkg.related("", REL_CORE)
    meta = read_meta(pkg.xml(core_part) if core_part else None, styles.default_lang())
    ctx = ReadContext(
        pkg=pkg,
        main=main,
        options=pkg.options,
        report=report,
        styles=styles,
        numbering=numbering,
        base_lang=styles.default_lang() or meta.lang,
        anchors=_link_anchors(pkg, main, root),
        story=Story(main, pkg.rels(main), pkg.para_numbers(main, root)),
        read_blocks=read_blocks,
    )
    body = root.find(W + "body")
    blocks = read_blocks(ctx, body) if body is not None else ()
    return Document(meta, blocks, ctx.resources)


def _link_anchors(pkg: Package, main: str, root: Element) -> frozenset[str]:
    """The bookmark names that internal links point to (those bookmarks
    become ids in the model; Word's many others are dropped)."""
    roots = [root]
    for kind in (REL_FOOTNOTES, REL_ENDNOTES):
        part = pkg.related(main, kind)
        note_root = pkg.xml(part) if part else None
        if note_root is not None:
            roots.append(note_root)
    names: set[str] = set()
    for r in roots:
        for el in r.iter(W + "hyperlink", W + "instrText", W + "fldSimple"):
            if el.tag == W + "hyperlink":
                if anchor := el.get(W + "anchor"):
                    names.add(anchor)
            else:
                instr = el.text if el.tag == W + "instrText" else el.get(W + "instr")
                names.update(_FIELD_ANCHOR.findall(instr or ""))
    return frozenset(names)
