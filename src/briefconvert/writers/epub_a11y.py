"""EPUB accessibility metadata, derived from the content, never asserted blindly.

schema.org accessibility properties (EPUB Accessibility 1.1, section 2): what
the publication really offers, and an ``accessibilitySummary`` in plain words
that names what is missing ("2 images lack a text alternative").

* ``accessMode``: ``textual``, plus ``visual`` when an informative image is
  shown (decorative images carry no information).
* ``accessModeSufficient``: ``textual`` only when every informative image has
  a text alternative; ``textual,visual`` whenever there are informative
  images.
* ``accessibilityFeature``: ``alternativeText`` only when there are
  informative images and every one of them has a text alternative;
  ``pageNavigation``/``printPageNumbers`` only with a page list; the
  structural features that the writer always provides (table of contents,
  reading order, restylable text), and ``structuralNavigation`` when the
  document has section headings.
* ``accessibilityHazard``: ``none``, unless an animated image is shown
  (flashing cannot be ruled out).

An image is counted when it is rendered as an image: its resource exists and
is of a type the writer writes.  An image whose file is missing is rendered
as its text and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Cell, Document, Heading, Image, Note, Table
from ..record import Record
from ..resources import open_image
from ..walk import query, walk
from .html_context import IMAGE_TYPES


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class A11yFacts(Record):
    images: int  # images rendered as images
    informative: int  # of which not decorative
    without_alt: int  # informative images whose text alternative is unknown
    decorative: int
    unavailable: int  # images whose file could not be used: only their alt text is shown
    tables_without_headers: int
    headings: int  # section headings (not counting those inside notes)
    page_list: bool
    animated: bool  # an animated image: a flashing hazard we cannot rule out


def _animated(data: bytes) -> bool:
    if not data.startswith((b"GIF87a", b"GIF89a")) and b"acTL" not in data[:4096]:
        return False  # neither a GIF nor an APNG
    try:
        with open_image(data, "image/gif" if data.startswith(b"GIF") else "image/png") as img:
            return bool(getattr(img, "is_animated", False))
    except Exception:  # Pillow raises many types for corrupt data
        return True  # cannot tell: do not claim there is no hazard


def facts(doc: Document, *, page_list: bool = False) -> A11yFacts:
    images: list[Image] = []
    tables: list[Table] = []
    headings = 0
    notes: list[Note] = []
    for node in walk(doc):  # one pass: the model of a long report has tens of thousands of nodes
        match node:
            case Image():
                images.append(node)
            case Table():
                tables.append(node)
            case Heading():
                headings += 1
            case Note():
                notes.append(node)
    resources = doc.resources
    shown = [
        i
        for i in images
        if i.resource is not None
        and i.resource in resources
        and resources[i.resource].media_type in IMAGE_TYPES
    ]
    informative = [i for i in shown if i.alt != ""]
    return A11yFacts(
        images=len(shown),
        informative=len(informative),
        without_alt=sum(1 for i in informative if i.alt is None),
        decorative=len(shown) - len(informative),
        unavailable=len(images) - len(shown),
        tables_without_headers=sum(1 for t in tables if not any(c.header for c in query(t, Cell))),
        headings=headings - sum(len(query(n, Heading)) for n in notes),
        page_list=page_list,
        animated=any(_animated(resources[i.resource].data) for i in shown if i.resource is not None),
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def metadata(f: A11yFacts) -> list[tuple[str, str]]:
    """(property, value) pairs for ``<meta property=…>`` in the package."""
    modes = ["textual"] + (["visual"] if f.informative else [])
    sufficient = []
    if f.without_alt == 0:
        sufficient.append("textual")
    if f.informative:
        sufficient.append("textual,visual")
    features = ["tableOfContents", "readingOrder", "displayTransformability"]
    if f.headings:
        features.append("structuralNavigation")
    if f.informative and f.without_alt == 0:
        features.append("alternativeText")
    if f.page_list:
        features += ["pageNavigation", "printPageNumbers"]
    if f.animated:
        hazards = ["unknownFlashingHazard", "noMotionSimulationHazard", "noSoundHazard"]
    else:
        hazards = ["none"]
    out = [("schema:accessMode", m) for m in modes]
    out += [("schema:accessModeSufficient", s) for s in sufficient]
    out += [("schema:accessibilityFeature", x) for x in sorted(features)]
    out += [("schema:accessibilityHazard", h) for h in hazards]
    out.append(("schema:accessibilitySummary", summary(f)))
    return out


def summary(f: A11yFacts) -> str:
    """Plain words: what the book offers, then each known deficiency."""
    structure = "a table of contents and a heading structure" if f.headings else "a table of contents"
    parts = [
        f"This publication has {structure} for navigation, "
        "and its text can be resized and restyled without loss of content."
    ]
    if f.without_alt:
        lack = "lacks a text alternative" if f.without_alt == 1 else "lack text alternatives"
        sentence = f"{_count(f.without_alt, 'image')} {lack}"
        if f.informative > f.without_alt:
            have = f.informative - f.without_alt
            sentence += (
                f" ({have} of the {f.informative} informative images {'has' if have == 1 else 'have'} one)"
            )
        parts.append(sentence + ".")
    elif f.informative:
        every = (
            "The only informative image has"
            if f.informative == 1
            else f"All {f.informative} informative images have"
        )
        parts.append(f"{every} a text alternative.")
    if f.decorative:
        verb = "has" if f.decorative == 1 else "have"
        parts.append(f"{_count(f.decorative, 'decorative image')} {verb} no text alternative on purpose.")
    if f.unavailable:
        n = f.unavailable
        their = "its" if n == 1 else "their"
        missing = f"{_count(n, 'image')} could not be included"
        parts.append(f"{missing}; only {their} description is given, where known.")
    if f.tables_without_headers:
        n = f.tables_without_headers
        parts.append(f"{_count(n, 'table')} {'has' if n == 1 else 'have'} no header cells.")
    parts.append("Page numbers of a print edition are " + ("included." if f.page_list else "not included."))
    if f.animated:
        parts.append("It contains animated images, which may flash.")
    return " ".join(parts)
