"""Internal links in Markdown.

Markdown (CommonMark + GFM, and no raw HTML in our output) cannot carry an
element's id: the only anchors a reader gets are the ones the renderer makes
from each heading's text.  GitHub's rule (the ``github-slugger`` package, also
used by many other renderers): lower case, every character that is not a
letter, mark, number, connector punctuation, space or hyphen removed, spaces
turned into hyphens, and a repeated slug numbered ``-1``, ``-2``, ... in
document order.

So a link to ``#id`` is written to the anchor of the heading that carries
that id, or, for an id on anything else (a figure, a paragraph, a table), to
the anchor of the heading of the section it is in: the reader lands at the
start of the right section instead of on a dead link.
"""

from __future__ import annotations

import unicodedata

from ..model import Document, Heading
from ..walk import plain_text, walk


def gfm_slug(text: str) -> str:
    """The slug GitHub gives a heading whose plain text is ``text`` (before
    numbering repeats)."""
    kept = (c for c in text.lower() if c in " -" or _kept_category(unicodedata.category(c)))
    return "".join(kept).replace(" ", "-")


def _kept_category(category: str) -> bool:
    return category[0] in "LMN" or category == "Pc"


class Slugger:
    """Numbers repeated slugs as GitHub does: ``a``, ``a-1``, ``a-2``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = gfm_slug(text)
        slug = base
        while slug in self.seen:
            self.seen[base] += 1
            slug = f"{base}-{self.seen[base]}"
        self.seen.setdefault(slug, 0)
        return slug


def anchors(doc: Document) -> tuple[dict[str, str], set[str]]:
    """(id -> anchor for every id in the document's text, the ids that are
    not on a heading).  An id on a heading gets the heading's anchor; on a
    container that holds headings (a section), its first heading's; on
    anything else, the anchor of the heading before it.  Headings are counted
    in the order the writer puts them: the title, then the body (notes,
    written at the end, are left out)."""
    slugger = Slugger()
    title = doc.meta.title
    title_slug = slugger.slug(title) if title and title.strip() else None
    slugs: dict[int, str] = {}  # id() of a Heading node -> its anchor
    for node in walk(doc, notes=False):
        if isinstance(node, Heading):
            slugs[id(node)] = slugger.slug(plain_text(node.content))
    found: dict[str, str] = {}
    sectioned: set[str] = set()
    section: str | None = title_slug
    for node in walk(doc, notes=False):
        node_id = getattr(getattr(node, "attr", None), "id", None)
        if isinstance(node, Heading):
            section = slugs[id(node)]
            if node_id and node_id not in found:
                found[node_id] = section
            continue
        if not node_id or node_id in found:
            continue
        inner = next((n for n in walk(node, notes=False) if isinstance(n, Heading)), None)
        target = slugs[id(inner)] if inner is not None else section
        if target is not None:
            found[node_id] = target
            sectioned.add(node_id)
    return found, sectioned
