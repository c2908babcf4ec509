"""Elements to blocks.  Div/section soup is flattened: containers contribute
their children, and text sitting directly in a container becomes a
Paragraph.  Recursion is bounded by ``parse.MAX_DEPTH``."""

from __future__ import annotations

import re
from dataclasses import replace

from ...model import (
    Aside,
    Attr,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Div,
    Endnotes,
    Figure,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    NumberStyle,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ...textnorm import clean_text
from .context import Context
from .dom import BLOCK_TAGS, HEADINGS, Element, attr, collapse, is_inside, tag, tokens
from .hints import is_summary_heading, summary_hint
from .inlines import InlineReader, lang_change, text
from .parse import MAX_DEPTH
from .tables import is_layout_table, layout_cells, read_table
from .whitespace import finish, split_paragraphs, visible

_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_PRE = frozenset({"pre", "listing", "xmp", "plaintext"})
_ATOMIC = frozenset({"math", "svg", "code", "kbd", "samp", "img", "br"})
_STYLES: dict[str, NumberStyle] = {"1": "1", "a": "a", "A": "A", "i": "i", "I": "I"}
_DASH = re.compile(r"^[\s—–―-]+")
_LANG_CLASS = re.compile(r"^(?:language|lang|highlight-source|brush)[-:]?([\w+#.-]+)$", re.I)
# Data tables inside data tables deeper than this are read as plain blocks:
# real documents nest two or three, and every writer lays out each level.
MAX_TABLE_NESTING = 4
_TITLE_WORDS = frozenset({"title", "heading", "header", "label", "caption", "headline", "hed"})


class BlockReader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.inl = InlineReader(ctx, self.children)
        self.skip: set[Element] = set()
        self.tables = 0  # data tables being read around the current element
        self.reported_tables = False

    # ------------------------------------------------------------ flow

    def children(self, el: Element, depth: int, lang: str | None) -> list[Block]:
        """The blocks made from ``el``'s content."""
        ctx = self.ctx
        out: list[Block] = []
        run: list[Inline] = []
        if el.text:
            run.append(text(el.text))
        for child in el:
            if isinstance(child.tag, str) and child not in self.skip:
                if child in ctx.notes.refs and tag(child) in BLOCK_TAGS:
                    notes = self.inl.element(child, depth + 1, lang)
                    if not run and out and isinstance(out[-1], Paragraph):
                        out[-1] = replace(out[-1], content=(*out[-1].content, *notes))
                    else:
                        run.extend(notes)
                elif self._is_block(child):
                    self._flush(run, out, el)
                    out.extend(self.block(child, depth + 1, lang))
                else:
                    run.extend(self.inl.element(child, depth + 1, lang))
            if child.tail:
                run.append(text(child.tail))
        self._flush(run, out, el)
        return out

    def _is_block(self, el: Element) -> bool:
        t = tag(el)
        if t in BLOCK_TAGS:
            return True
        if t in _ATOMIC or not len(el) or el in self.ctx.notes.refs:
            return False
        return any(tag(d) in BLOCK_TAGS for d in el.iterdescendants())

    def _flush(self, run: list[Inline], out: list[Block], el: Element) -> None:
        if not run:
            return
        keep = self.ctx.keep
        content = finish(run, keep)
        run.clear()
        for part in split_paragraphs(content, keep):
            if visible(part, keep):
                out.append(Paragraph(part, src=self.ctx.src(el)))

    # ------------------------------------------------------------ blocks

    def block(self, el: Element, depth: int, lang: str | None) -> list[Block]:
        ctx = self.ctx
        if el in self.skip:
            return []
        if depth > MAX_DEPTH:
            ctx.too_deep = True
            flat = collapse("".join(el.itertext()))
            return [Paragraph((text(flat),), src=ctx.src(el))] if flat else []
        if el in ctx.notes.containers:
            return self.notes_section(el, depth, lang)
        if el in ctx.notes.bodies:
            return []  # its content travels with its reference
        inner, new_lang = lang_change(el, lang, ctx.keep)
        a = Attr(id=ctx.id_owner.get(el), lang=new_lang)
        t = tag(el)
        src = ctx.src(el)
        if t in HEADINGS:
            content = self.inl.finished(el, depth, inner)
            if ctx.keep and not visible(content, True):  # kept for check, as found
                return [Heading(int(t[1]), content, a, src=src)]
            if not visible(content):
                ctx.report.info("heading-empty", f"empty <{t}> dropped", ctx.where(el))
                return self._anchor(a)
            return [Heading(int(t[1]), content, a, src=src)]
        if t == "p" and not self._is_block_container(el):
            content = self.inl.finished(el, depth, inner)
            if not visible(content, ctx.keep):
                return self._anchor(a)
            return [Paragraph(content, a, src=src)]
        if t in _LISTS:
            return self.list_(el, t, depth, inner, a)
        if t == "dl":
            if not any(tag(d) == "dt" for d in el.iter()):  # dd alone: indentation, not definitions
                return self._wrap([b for c in el for b in self.children(c, depth + 1, inner) if tag(c)], a)
            return self.dl(el, depth, inner, a)
        if t == "blockquote":
            return self.blockquote(el, depth, inner, a)
        if t == "figure":
            return self.figure(el, depth, inner, a, None)
        if t == "table":
            nested_too_deep = self.tables >= MAX_TABLE_NESTING
            if nested_too_deep and not self.reported_tables:
                self.reported_tables = True
                ctx.report.warning(
                    "html-nesting",
                    f"tables nested more than {MAX_TABLE_NESTING} deep were read as plain blocks",
                    ctx.where(el),
                )
            if nested_too_deep or is_layout_table(el):
                return self._wrap(
                    [b for c in layout_cells(el) for b in self.children(c, depth + 1, inner)], a
                )
            self.tables += 1
            try:
                return read_table(ctx, el, depth, inner, self.children, self.inl.finished, new_lang)
            finally:
                self.tables -= 1
        if t in _PRE:
            return self.code(el, a)
        if t == "hr":
            return [ThematicBreak()]
        if t == "aside" or el in ctx.summary_boxes:
            return self.aside(el, depth, inner, a)
        if t == "details":
            return self.details(el, depth, inner, a)
        caption = self._figure_caption(el) if t in ("div", "section", "span", "p") else None
        if caption is not None:
            return self.figure(el, depth, inner, a, caption)
        return self._wrap(self.children(el, depth, inner), a)

    def _is_block_container(self, el: Element) -> bool:
        return any(tag(d) in BLOCK_TAGS for d in el.iterdescendants())

    @staticmethod
    def _anchor(a: Attr) -> list[Block]:
        return [Div((), Attr(id=a.id))] if a.id else []

    @staticmethod
    def _wrap(blocks: list[Block], a: Attr) -> list[Block]:
        if a.id or a.lang:
            return [Div(tuple(blocks), a)] if blocks or a.id else []
        return blocks

    # ------------------------------------------------------------ lists

    def list_(self, el: Element, t: str, depth: int, lang: str | None, a: Attr) -> list[Block]:
        items: list[ListItem] = []
        self._items(el, depth, lang, items)
        if not items:
            return self._anchor(a)
        src = self.ctx.src(el)
        if t == "ol":
            try:
                start = int(attr(el, "start") or 1)
            except ValueError:
                start = 1
            start = max(-1_000_000, min(start, 1_000_000))
            style = _STYLES.get(attr(el, "type"), "1")
            return [OrderedList(tuple(items), start, style, a, src=src)]
        return [BulletList(tuple(items), a, src=src)]

    def _items(self, el: Element, depth: int, lang: str | None, items: list[ListItem]) -> None:
        ctx = self.ctx
        for child in el:
            stray = collapse(child.tail or "") if isinstance(child.tag, str) else ""
            if not isinstance(child.tag, str) or child in self.skip:
                pass
            elif tag(child) == "li":
                inner, new_lang = lang_change(child, lang, ctx.keep)
                blocks = self.children(child, depth + 1, inner)
                owner = ctx.id_owner.get(child)
                if blocks or owner:
                    items.append(ListItem(tuple(blocks), Attr(id=owner, lang=new_lang)))
            elif tag(child) not in _LISTS and any(tag(c) == "li" for c in child) and depth < MAX_DEPTH:
                self._items(child, depth + 1, lang, items)  # a wrapper <div> around <li>s
            else:
                blocks = self.block(child, depth + 1, lang) if self._is_block(child) else self._inline_para(
                    child, depth, lang
                )  # fmt: skip
                self._attach(items, blocks)
            if stray:
                self._attach(items, [Paragraph((Text(clean_text(stray)),), src=ctx.src(el))])
        lead = collapse(el.text or "")
        if lead:
            items.insert(0, ListItem((Paragraph((Text(clean_text(lead)),)),)))

    def _inline_para(self, el: Element, depth: int, lang: str | None) -> list[Block]:
        keep = self.ctx.keep
        content = finish(self.inl.element(el, depth + 1, lang), keep)
        return [Paragraph(content, src=self.ctx.src(el))] if visible(content, keep) else []

    @staticmethod
    def _attach(items: list[ListItem], blocks: list[Block]) -> None:
        """Content between list items belongs to the item before it (a nested
        list written as a sibling of its item), or becomes an item."""
        if not blocks:
            return
        if items:
            items[-1] = replace(items[-1], blocks=(*items[-1].blocks, *blocks))
        else:
            items.append(ListItem(tuple(blocks)))

    def dl(self, el: Element, depth: int, lang: str | None, a: Attr) -> list[Block]:
        items: list[DefinitionItem] = []
        term: list[Inline] = []
        defs: list[tuple[Block, ...]] = []
        pending = False

        def close() -> None:
            nonlocal term, defs, pending
            if pending:
                items.append(DefinitionItem(tuple(term), tuple(defs)))
            term, defs, pending = [], [], False

        stack: list[tuple[Element, int]] = [(c, depth + 1) for c in reversed(el) if isinstance(c.tag, str)]
        while stack:
            child, d = stack.pop()
            t = tag(child)
            if t == "dt":
                if defs:
                    close()
                content = list(self.inl.finished(child, d, lang))
                term = [*term, LineBreak(), *content] if term else content
                pending = True
            elif t == "dd":
                defs.append(tuple(self.children(child, d, lang)))
                pending = True
            elif t == "div" and d < MAX_DEPTH and any(tag(c) in ("dt", "dd") for c in child):
                stack.extend((c, d + 1) for c in reversed(child) if isinstance(c.tag, str))
            else:
                blocks = tuple(self.block(child, d, lang))
                if blocks:
                    defs.append(blocks)
                    pending = True
        close()
        if not items:
            return self._anchor(a)
        return [DefinitionList(tuple(items), a, src=self.ctx.src(el))]

    # ------------------------------------------------------------ quotes, figures, code

    def blockquote(self, el: Element, depth: int, lang: str | None, a: Attr) -> list[Block]:
        source = _attribution(el)
        attribution: tuple[Inline, ...] = ()
        if source is not None:
            self.skip.add(source)
            attribution = strip_dash(self.inl.finished(source, depth, lang))
        blocks = self.children(el, depth, lang)
        if not blocks and not attribution:
            return self._anchor(a)
        return [BlockQuote(tuple(blocks), attribution, a, src=self.ctx.src(el))]

    def figure(self, el: Element, depth: int, lang: str | None, a: Attr, cap: Element | None) -> list[Block]:
        if cap is None:
            cap = next((c for c in el if tag(c) == "figcaption"), None)
        caption: tuple[Inline, ...] = ()
        if cap is not None:
            self.skip.add(cap)
            caption = self.inl.finished(cap, depth, lang)
        blocks = self.children(el, depth, lang)
        if len(blocks) == 1 and isinstance(blocks[0], BlockQuote) and not blocks[0].attribution and caption:
            return [replace(blocks[0], attribution=strip_dash(caption))]
        if not blocks and not visible(caption):
            return self._anchor(a)
        return [Figure(tuple(blocks), caption, a, src=self.ctx.src(el))]

    def _figure_caption(self, el: Element) -> Element | None:
        """The caption of a figure written as a <div> (``wp-caption``, a
        MediaWiki thumbnail): one image plus one element whose class names a
        caption, and little else."""
        images = [i for i in el.iter("img")]
        if len(images) != 1 or any(
            tag(x) in ("table", "figure") or tag(x) in HEADINGS for x in el.iterdescendants()
        ):
            return None
        for d in el.iterdescendants():
            if any(w.endswith("caption") for w in tokens(d)) and not is_inside(images[0], d):
                rest = len(collapse("".join(el.itertext()))) - len(collapse("".join(d.itertext())))
                return d if rest <= 20 else None
        return None

    def code(self, el: Element, a: Attr) -> list[Block]:
        for br in el.iter("br"):
            br.tail = "\n" + (br.tail or "")
        raw = "".join(el.itertext())
        if raw.startswith("\r\n"):
            raw = raw[2:]
        elif raw.startswith("\n"):
            raw = raw[1:]
        body = clean_text(raw).rstrip()
        if not body.strip():
            return self._anchor(a)
        block = CodeBlock(body, _code_language(el), src=self.ctx.src(el))
        return [Div((block,), a)] if a.id or a.lang else [block]

    # ------------------------------------------------------------ boxes

    def aside(self, el: Element, depth: int, lang: str | None, a: Attr) -> list[Block]:
        ctx = self.ctx
        summary = el in ctx.summary_boxes or summary_hint(el) or _titled_summary(el)
        if not summary:
            blocks = self.children(el, depth, lang)
            return [Aside(tuple(blocks), "box", a, src=ctx.src(el))] if blocks else self._anchor(a)
        lead: list[Block] = []
        first = next((c for c in el if isinstance(c.tag, str) and c not in self.skip), None)
        h1_title = first is not None and tag(first) == "h1" and not ctx.keep  # keep_faults: stays a heading
        if first is not None and (h1_title or (tag(first) not in HEADINGS and _box_title(first))):
            self.skip.add(first)
            title = self.inl.finished(first, depth + 1, lang)
            if visible(title):
                content = title if len(title) == 1 and isinstance(title[0], Strong) else (Strong(title),)
                lead.append(Paragraph(content, src=ctx.src(first)))
        blocks = [*lead, *self.children(el, depth, lang)]
        return [Aside(tuple(blocks), "summary", a, src=ctx.src(el))] if blocks else self._anchor(a)

    def details(self, el: Element, depth: int, lang: str | None, a: Attr) -> list[Block]:
        lead: list[Block] = []
        summary = next((c for c in el if tag(c) == "summary"), None)
        if summary is not None:
            self.skip.add(summary)
            title = self.inl.finished(summary, depth + 1, lang)
            if visible(title):
                lead.append(Paragraph((Strong(title),), src=self.ctx.src(summary)))
        return self._wrap([*lead, *self.children(el, depth, lang)], a)

    # ------------------------------------------------------------ notes

    def notes_section(self, el: Element, depth: int, lang: str | None) -> list[Block]:
        """A notes section leaves its headings (and any other text in it), the
        Endnotes marker (once per document) and the notes nothing refers to."""
        ctx = self.ctx
        out: list[Block] = []
        orphans: list[ListItem] = []
        placed = False

        def place() -> None:
            nonlocal placed
            if not placed and not ctx.notes.endnotes_placed:
                ctx.notes.endnotes_placed = True
                out.append(Endnotes())
            placed = True

        stack: list[tuple[Element, int]] = [(c, depth + 1) for c in reversed(el) if isinstance(c.tag, str)]
        while stack:
            child, d = stack.pop()
            if child in self.skip:
                continue
            parent = child.getparent()
            listed = tag(child) == "li" and parent is not None and tag(parent) in _LISTS
            if child in ctx.notes.bodies or listed:
                place()
                if child not in ctx.notes.live:
                    orphans.append(ListItem(tuple(self.children(child, d, lang))))
            elif any(b in ctx.notes.bodies for b in child.iterdescendants()) and d < MAX_DEPTH:
                stack.extend((c, d + 1) for c in reversed(child) if isinstance(c.tag, str))
            elif tag(child) != "hr":
                out.extend(self.block(child, d, lang))
        place()
        if orphans:
            ctx.report.info(
                "note-unreferenced",
                f"{len(orphans)} note(s) without a reference kept as a list after the notes",
                ctx.where(el),
            )
            out.append(OrderedList(tuple(orphans), src=ctx.src(el)))
        return out


def _attribution(el: Element) -> Element | None:
    """A blockquote's trailing ``<footer>``/``<cite>`` (or a last paragraph
    that starts with a dash): who is quoted, not part of the quote."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if len(kids) < 2 and collapse(el.text or "") == "":
        return None
    last = kids[-1] if kids else None
    if last is None or collapse(last.tail or ""):
        return None
    t = tag(last)
    if t in ("footer", "cite"):
        return last
    words = set(tokens(last))
    if t in ("p", "div") and (
        words & {"attribution", "source", "cite", "citation", "author", "byline", "quote-author"}
        or (
            _DASH.match(collapse("".join(last.itertext()))) and len(collapse("".join(last.itertext()))) <= 200
        )
    ):
        txt = collapse("".join(last.itertext()))
        return last if txt and (words or txt[0] in "—–―-") else None
    return None


def strip_dash(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Attribution without its leading dash ("— Name" -> "Name")."""
    if content and isinstance(content[0], Text):
        rest = _DASH.sub("", content[0].text)
        return finish([Text(rest), *content[1:]]) if rest else finish(list(content[1:]))
    return content


def _code_language(el: Element) -> str | None:
    code = next((c for c in el if tag(c) == "code"), None)
    for node in (code, el):
        if node is None:
            continue
        classes = (node.get("class") or "").split()
        for c in classes:
            m = _LANG_CLASS.match(c)
            if m:
                return m.group(1).lower()
        if "sourceCode" in classes:
            other = [c for c in classes if c != "sourceCode"]
            if other:
                return other[0].lower()
    return None


def _box_title(el: Element) -> bool:
    """A short title line at the top of a box that is not a heading element
    (``<div class="summary-title">Key points</div>``, ``<p><strong>..``)."""
    txt = collapse("".join(el.itertext()))
    if not txt or len(txt) > 120 or any(tag(d) in BLOCK_TAGS - {"p", "div", "header"} for d in el.iter()):
        return False
    if set(tokens(el)) & _TITLE_WORDS or any(w.endswith("title") for w in tokens(el)):
        return True
    if tag(el) in ("strong", "b", "header"):
        return True
    if is_summary_heading(txt):
        return True
    kids = [c for c in el if isinstance(c.tag, str)]
    return (
        len(kids) == 1
        and tag(kids[0]) in ("strong", "b")
        and collapse(el.text or "") == ""
        and collapse(kids[0].tail or "") == ""
    )


def _titled_summary(el: Element) -> bool:
    """An aside whose title (heading, box title or aria-labelledby target) is a
    summary phrase such as "Key findings" or "Auf einen Blick"."""
    first = next((c for c in el if isinstance(c.tag, str)), None)
    if first is not None and (tag(first) in HEADINGS or _box_title(first)):
        return is_summary_heading(collapse("".join(first.itertext())))
    return False
