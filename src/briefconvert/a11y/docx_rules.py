"""DOCX format rules: what Word's Accessibility Checker looks at in the file
itself, beyond the document model.

* ``docx-heading-styles`` — no paragraph has a heading style (or outline
  level) although the document has several paragraphs of text: at least
  5, or at least 2 when a fake heading shows that it has sections (Word:
  "Documents use heading styles"; a short letter needs no headings).
* ``docx-fake-heading`` — a short body paragraph (at most 12 words, not
  ending in . ! ? ; , : or …) whose text is all bold, or at least 1.15
  times the size of the body text (the size most of the body's characters
  have), not in a heading, title or caption style, not a list item, and
  followed by body text (a paragraph, a list or a table).  Not reported:
  a bold term followed by its indented definition, and the label of a
  bordered call-out box (it names the box, like an HTML landmark's label,
  rather than opening a section of the outline).
* ``docx-decorative`` — an image marked decorative that also has a
  description.
* ``docx-floating-image`` — pictures, shapes and text boxes not in line
  with text (DrawingML ``wp:anchor``, absolutely positioned VML shapes; Word:
  "Object not inline").
* ``docx-layout-spacing`` — two or more consecutive empty paragraphs, and
  runs of 3+ spaces or 2+ tabs inside text (Word: "Repeated blank
  characters").  Code (code styles, monospace runs) and tables of contents
  are exempt; empty paragraphs in table cells are not counted (a cell needs
  one).

Locations: ``part`` is the XML part ("word/document.xml") and ``line`` the
1-based position of the paragraph (``w:p``) in it, as the DOCX reader's
``SourceRef`` gives them for the model rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..model import Document
from ..options import DocxReaderOptions
from ..readers.docx import read_package
from ..readers.docx.images import is_decorative
from ..readers.docx.inlines import choose
from ..readers.docx.ns import MC, REL_STYLES, WP, A, Element, O, V, W, child
from ..readers.docx.package import Package, open_package
from ..readers.docx.styles import Styles, heading_level, para_props, run_props
from ..record import Record
from .findings import Sink

FAKE_HEADING_MAX_WORDS = 12
LARGER = 1.15  # "noticeably larger": at least this times the body text size
MIN_TEXT_PARAGRAPHS = 5  # docx-heading-styles: paragraphs of text before headings are expected
MIN_TEXT_WITH_FAKE = 2  # ... or this many when a fake heading shows that the text has sections
SNIPPET = 50

_SENTENCE_END = re.compile(r"[.!?;,…:]['\"”’»)\]]*\Z")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"[ \u00a0]{3,}")
_TABS = re.compile(r"\t[ \u00a0]*\t")
_RUN_WRAPPERS = frozenset(
    {W + t for t in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")}
)
_PPR, _RPR, _R, _T, _BR, _BR_TYPE = W + "pPr", W + "rPr", W + "r", W + "t", W + "br", W + "type"
_SDT, _SDT_CONTENT = W + "sdt", W + "sdtContent"
_TABS_TAGS = frozenset({W + "tab", W + "ptab"})
_BLOCK_WRAPPERS = frozenset({W + "customXml", W + "ins", W + "moveTo"})
_OBJECTS = frozenset(
    {
        W + "drawing",
        W + "pict",
        W + "object",
        W + "footnoteReference",
        W + "endnoteReference",
        W + "sym",
        MC + "AlternateContent",
    }
)
_VML_SHAPES = tuple(
    V + t for t in ("shape", "rect", "roundrect", "oval", "line", "polyline", "group", "image")
)
_NOT_BODY_KINDS = frozenset({"title", "subtitle", "caption", "toc", "header", "note", "code"})
_WRAPS = {
    "wrapSquare": "square",
    "wrapTight": "tight",
    "wrapThrough": "through",
    "wrapTopAndBottom": "top and bottom",
}


def inspect(data: bytes, path: Path, sink: Sink) -> Document:
    """Run the DOCX format rules on ``data`` and return its document model
    (untransformed).  Raises InputError when ``data`` is not a readable DOCX."""
    pkg, main = open_package(data, DocxReaderOptions())
    doc = read_package(pkg, main, Report())
    check(pkg, main, sink)
    return doc


def check(pkg: Package, main: str, sink: Sink) -> None:
    root = pkg.xml(main, required=True)
    assert root is not None
    styles_part = pkg.related(main, REL_STYLES)
    styles = Styles(pkg.xml(styles_part) if styles_part else None)
    numbers = pkg.para_numbers(main, root)
    rules = _Rules(styles, numbers, main, sink)
    body = root.find(W + "body")
    if body is not None:
        rules.body(body)
    rules.drawings(root)
    rules.vml(root)


# ------------------------------------------------------------ paragraph facts


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Table(Record):
    el: Element


@dataclass(slots=True)
class _Para:
    el: Element
    text: str  # w:t text, tabs as "\t"; monospace runs as "\x00"
    heading: bool
    kind: str | None
    numbered: bool
    indent: int
    visible: bool  # holds a drawing, object, note reference or symbol
    exempt: bool  # a section break, page break or border: not a spacing paragraph
    box: bool  # bordered on all four sides (a call-out box)
    bold: bool  # all its text is bold
    sizes: list[tuple[int, int]] = field(default_factory=list)  # (half-points, characters) per run

    @property
    def blank(self) -> bool:
        return not self.visible and not self.exempt and not self.numbered and not self.text.strip()

    @property
    def words(self) -> list[str]:
        return self.text.replace("\x00", " ").split()


def _runs(parent: Iterable[Element]) -> Iterator[Element]:
    """The runs of a paragraph, through hyperlinks, fields, content controls
    and insertions (not deletions)."""
    for el in parent:
        tag = el.tag
        if tag == _R:
            yield el
        elif tag in _RUN_WRAPPERS:
            yield from _runs(el)
        elif tag == _SDT:
            content = child(el, _SDT_CONTENT)
            if content is not None:
                yield from _runs(content)
        elif tag == MC + "AlternateContent":
            yield from _runs(choose(el))


@dataclass(slots=True)
class _Rules:
    styles: Styles
    numbers: dict[Element, int]
    part: str
    sink: Sink

    def add(self, rule: str, message: str, p: Element | None) -> None:
        """Report at paragraph ``p`` (None: the document as a whole)."""
        if p is None:
            self.sink.add(rule, message)
        else:
            self.sink.add(rule, message, part=self.part, line=self.numbers.get(p))

    # -------------------------------------------------------------- facts

    def para(self, p: Element) -> _Para:
        first = p[0] if len(p) else None
        props = para_props(first if first is not None and first.tag == _PPR else None)
        style = self.styles.para(props.style)
        outline = props.outline
        level = heading_level(outline, None) if outline is not None else style.heading_level
        num = props.num if props.num is not None else style.num
        exempt = props.section or props.border
        parts: list[str] = []
        visible = False
        bold = True
        sizes: list[tuple[int, int]] = []
        for r in _runs(p):
            head = r[0] if len(r) else None
            run = run_props(head if head is not None and head.tag == _RPR else None)
            run = run.over(self.styles.char(run.style)).over(style.run)
            if run.hidden:
                continue
            chars = 0
            for el in r:
                tag = el.tag
                if tag == _T:
                    text = el.text or ""
                    chars += len(text.strip())
                    parts.append("\x00" if run.mono and text else text)
                elif tag in _TABS_TAGS:
                    parts.append("\x00" if run.mono else "\t")
                elif tag in _OBJECTS:
                    visible = True
                elif tag == _BR and el.get(_BR_TYPE) in ("page", "column"):
                    exempt = True
            if chars:
                bold = bold and bool(run.bold)
                sizes.append((run.size or 20, chars))
        text = "".join(parts)
        code = style.kind == "code"
        return _Para(
            p,
            "\x00" if code and text.strip() else text,
            level is not None,
            style.kind,
            num is not None and num.num_id != 0,
            props.indent or 0,
            visible,
            exempt,
            props.box,
            bold and bool(sizes),
            sizes,
        )

    # --------------------------------------------------------------- body

    def body(self, body: Element) -> None:
        infos = {p: self.para(p) for p in body.iter(W + "p")}  # every paragraph, table cells included
        seq: list[_Para | _Table] = [
            infos[el] if el.tag == W + "p" else _Table(el) for el in _body_paragraphs(body)
        ]
        paras = [p for p in seq if isinstance(p, _Para)]
        fakes = self.fake_headings(seq)
        headings = any(p.heading for p in infos.values())
        text_paras = sum(1 for p in paras if p.text.strip() and not p.heading)
        if not headings and (
            text_paras >= MIN_TEXT_PARAGRAPHS or (fakes and text_paras >= MIN_TEXT_WITH_FAKE)
        ):
            self.add(
                "docx-heading-styles",
                f"no paragraph uses a heading style in a document with {text_paras} paragraphs of text",
                None,
            )
        self.blank_runs(seq)
        for info in infos.values():
            self.repeated_blanks(info)

    def fake_headings(self, seq: list[_Para | _Table]) -> list[_Para]:
        paras = [p for p in seq if isinstance(p, _Para)]
        size_chars: Counter[int] = Counter()
        for para in paras:
            if not para.heading and para.kind not in _NOT_BODY_KINDS:
                for size, chars in para.sizes:
                    size_chars[size] += chars
        body_size = size_chars.most_common(1)[0][0] if size_chars else self.styles.body_size()
        found = []
        for i, p in enumerate(seq):
            if isinstance(p, _Table):
                continue
            why = self._looks_like_heading(p, body_size)
            if why is None or not self._followed_by_body(seq, i, body_size) or _box_label(seq, i):
                continue
            found.append(p)
            snippet = _snippet(p.text)
            self.add("docx-fake-heading", f"{snippet!r} is {why} but not in a heading style", p.el)
        return found

    @staticmethod
    def _looks_like_heading(p: _Para, body_size: int) -> str | None:
        """Why ``p`` looks like a heading ("bold", "set in 16 pt"), or None."""
        if p.heading or p.numbered or p.visible or p.kind in _NOT_BODY_KINDS or "\x00" in p.text:
            return None
        text = p.text.strip()
        words = p.words
        if not words or len(words) > FAKE_HEADING_MAX_WORDS or not _LETTER.search(text):
            return None
        if _SENTENCE_END.search(text):
            return None
        smallest = min(size for size, _ in p.sizes)
        if smallest >= body_size * LARGER:
            return f"set in {smallest / 2:g} pt (body text {body_size / 2:g} pt)"
        if p.bold:
            return "bold"
        return None

    def _followed_by_body(self, seq: list[_Para | _Table], i: int, body_size: int) -> bool:
        """Whether body text (a paragraph of text, a list item, a table)
        follows item ``i``, past empty paragraphs."""
        current = seq[i]
        assert isinstance(current, _Para)
        for nxt in seq[i + 1 :]:
            if isinstance(nxt, _Table) or nxt.numbered:
                return True
            if not nxt.text.strip() and not nxt.visible:
                continue  # empty paragraph
            if nxt.heading or nxt.kind in _NOT_BODY_KINDS or not nxt.text.strip():
                return False
            if nxt.indent > current.indent:  # a term and its indented definition
                return False
            return self._looks_like_heading(nxt, body_size) is None
        return False

    def blank_runs(self, seq: list[_Para | _Table]) -> None:
        run: list[_Para] = []
        for p in [*seq, None]:
            if isinstance(p, _Para) and p.blank:
                run.append(p)
                continue
            if len(run) >= 2:
                self.add(
                    "docx-layout-spacing",
                    f"{len(run)} consecutive empty paragraphs used for spacing",
                    run[0].el,
                )
            run = []

    def repeated_blanks(self, info: _Para) -> None:
        text = info.text
        if info.kind in ("toc", "code") or not text.strip():
            return
        spaces = _SPACES.search(text)
        if spaces is not None:
            what = f"{len(spaces.group())} consecutive spaces"
        elif (tabs := _TABS.search(text)) is not None:
            what = f"{tabs.group().count(chr(9))} consecutive tabs"
        else:
            return
        if _in_fallback(info.el):  # the same text box is also in the mc:Choice branch
            return
        self.add("docx-layout-spacing", f"{what} in {_snippet(text)!r} used for alignment", info.el)

    # ----------------------------------------------------------- drawings

    def drawings(self, root: Element) -> None:
        for obj in root.iter(WP + "inline", WP + "anchor"):
            if _in_fallback(obj):
                continue
            doc_pr = obj.find(WP + "docPr")
            name = (doc_pr.get("name") if doc_pr is not None else None) or "an object"
            p = _paragraph_of(obj)
            if doc_pr is not None and is_decorative(doc_pr) and (doc_pr.get("descr") or "").strip():
                self.add(
                    "docx-decorative",
                    f"{_kind(obj)} {name!r} is marked decorative but has a description "
                    f"({_snippet(doc_pr.get('descr') or '')!r})",
                    p,
                )
            if obj.tag == WP + "anchor":
                self.add(
                    "docx-floating-image",
                    f"{_kind(obj)} {name!r} floats ({_wrapping(obj)}) instead of being in line with text",
                    p,
                )

    def vml(self, root: Element) -> None:
        for shape in root.iter(*_VML_SHAPES):
            parent = shape.getparent()
            if parent is not None and parent.tag == V + "group":
                continue  # the group is reported
            if _in_fallback(shape) or (shape.get(O + "hr") or "").lower() in ("t", "true"):
                continue
            style = (shape.get("style") or "").replace(" ", "").lower()
            if "position:absolute" not in style:
                continue
            kind = "picture" if shape.find(V + "imagedata") is not None else "shape"
            if shape.find(V + "textbox") is not None:
                kind = "text box"
            name = shape.get("id") or shape.get(O + "spid") or "an object"
            self.add(
                "docx-floating-image",
                f"{kind} {name!r} floats (absolutely positioned) instead of being in line with text",
                _paragraph_of(shape),
            )


def _body_paragraphs(body: Element) -> Iterator[Element]:
    """Body-level paragraphs and tables in order (through content controls)."""
    for el in body:
        tag = el.tag
        if tag in (W + "p", W + "tbl"):
            yield el
        elif tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                yield from _body_paragraphs(content)
        elif tag in _BLOCK_WRAPPERS:
            yield from _body_paragraphs(el)


def _box_label(seq: list[_Para | _Table], i: int) -> bool:
    """Whether item ``i`` is the label of a call-out box: the first paragraph
    of a bordered box whose content follows in the same box.  A box's label
    names the box (as a landmark's label does in HTML); it is not a section
    heading of the document's outline."""
    p = seq[i]
    if not isinstance(p, _Para) or not p.box:
        return False
    before = seq[i - 1] if i > 0 else None
    after = seq[i + 1] if i + 1 < len(seq) else None
    first = not (isinstance(before, _Para) and before.box)
    return first and isinstance(after, _Para) and after.box


def _paragraph_of(el: Element) -> Element | None:
    node = el.getparent()
    while node is not None and node.tag != W + "p":
        node = node.getparent()
    return node


def _in_fallback(el: Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag == MC + "Fallback":
            return True
        node = node.getparent()
    return False


def _kind(obj: Element) -> str:
    data = obj.find(f"{A}graphic/{A}graphicData")
    uri = data.get("uri", "") if data is not None else ""
    if uri.endswith("/picture"):
        return "picture"
    if uri.endswith("/chart"):
        return "chart"
    if "wordprocessingShape" in uri:
        return (
            "text box" if data is not None and data.find(".//" + W + "txbxContent") is not None else "shape"
        )
    if "wordprocessingGroup" in uri:
        return "group"
    return "object"


def _wrapping(anchor: Element) -> str:
    for el in anchor:
        tag = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
        if tag in _WRAPS:
            return f"wrapping: {_WRAPS[tag]}"
        if tag == "wrapNone":
            return "behind text" if on_attr(anchor.get("behindDoc")) else "in front of text"
    return "anchored"


def on_attr(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on")


def _snippet(text: str) -> str:
    text = " ".join(text.replace("\x00", " ").split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
