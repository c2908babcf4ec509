"""Hypothesis strategies for random model documents, for property tests of
every writer (and the JSON round trip).

``documents()`` draws a consistent Document: text is clean (as readers make
it: :func:`briefconvert.textnorm.clean_text`), every ``Image.resource`` is a
key of ``Document.resources`` or None, resource keys are content hashes.
Text mixes letters, spaces, non-ASCII and the characters that Markdown,
HTML and plain text treat specially, so escaping bugs show up.

The trees are built over a :class:`Vocabulary` (text, URLs, attributes,
languages, image references): ``DEFAULT`` here; test_safety_properties.py
passes a hostile one (markup, ``javascript:`` spellings, remote images).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from briefconvert.model import (
    Aside,
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Cell,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    Resource,
    Row,
    SourceRef,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from briefconvert.resources import resource_key
from briefconvert.textnorm import clean_text
from briefconvert.walk import walk

__all__ = ["DEFAULT", "POOL_KEYS", "SPECIAL", "Vocabulary"]
__all__ += ["blocks", "documents", "inlines", "meta", "resources", "texts"]

# characters with a meaning in Markdown, HTML or our text layout
SPECIAL = "*_`[]()<>#!&|\\~-+=.:;\"'^{}0123456789 \n\t"

_alphabet = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(min_codepoint=0x61, max_codepoint=0x7A),
    st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
)


def texts(*, min_size: int = 0, max_size: int = 24) -> st.SearchStrategy[str]:
    """Clean model text (NFC, no control characters but tab and newline)."""
    return st.text(_alphabet, min_size=min_size, max_size=max_size).map(clean_text)


def words(*, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=min_size, max_size=max_size
    )


_urls = st.one_of(
    st.builds(lambda w: f"https://example.org/{w}", words()),
    st.builds(lambda w: f"#{w}", words()),
    st.builds(lambda w: f"https://example.org/a b/({w})?q=1&r=<2>", words()),
    st.just("javascript:alert(1)"),
    st.just("mailto:someone@example.org"),
    texts(max_size=12),
)
_attrs = st.one_of(
    st.just(Attr()),
    st.builds(
        Attr,
        id=st.none() | words(),
        classes=st.lists(words(), max_size=2).map(tuple),
        lang=st.none() | st.sampled_from(["de", "fr", "en-GB", "ar"]),
    ),
)
_src = st.none() | st.builds(
    SourceRef,
    line=st.none() | st.integers(1, 10_000),
    page=st.none() | st.integers(1, 500),
    bbox=st.none() | st.tuples(*[st.floats(0, 1000, allow_nan=False, allow_infinity=False)] * 4),
    how=st.none() | st.sampled_from(["tag", "outline", "style"]),
)


@dataclass(frozen=True)
class Vocabulary:
    """What the leaves of random trees are made of."""

    text: Callable[[int, int], st.SearchStrategy[str]]  # (min_size, max_size) -> model text
    url: st.SearchStrategy[str]
    attr: st.SearchStrategy[Attr]
    lang: st.SearchStrategy[str | None]
    date: st.SearchStrategy[str | None]
    word: st.SearchStrategy[str]  # identifiers, keywords
    source_url: st.SearchStrategy[str]
    image_refs: tuple[str | None, ...] = (None,)  # besides the keys given to inlines()/blocks()
    page_breaks: bool = False  # PageBreak leaves too


DEFAULT = Vocabulary(
    text=lambda lo, hi: texts(min_size=lo, max_size=hi),
    url=_urls,
    attr=_attrs,
    lang=st.none() | st.sampled_from(["en", "de-AT", "fr"]),
    date=st.none() | st.sampled_from(["2024", "2025-03", "2025-03-14"]),
    word=words(),
    source_url=st.just("https://example.org/brief"),
)


def resources() -> st.SearchStrategy[dict[str, Resource]]:
    """Zero to two small "PNG" resources that no image uses (a PNG signature
    and random bytes: enough for sniffing and hashing)."""
    png = st.binary(min_size=0, max_size=40).map(lambda b: b"\x89PNG\r\n\x1a\n" + b)

    def make(datas: list[bytes], dims: tuple[int | None, int | None]) -> dict[str, Resource]:
        out = {}
        for data in datas:
            key = resource_key(data, "image/png")
            out[key] = Resource(key, "image/png", data, dims[0], dims[1], origin="x.png")
        return out

    dims = st.tuples(st.none() | st.integers(1, 4000), st.none() | st.integers(1, 4000))
    return st.builds(make, st.lists(png, max_size=2, unique=True), dims)


def _simple_para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _note_body(v: Vocabulary) -> st.SearchStrategy[Block]:
    """Note content: text, sometimes with a note of its own, or a short list."""
    return st.one_of(
        st.builds(_simple_para, v.text(1, 24)),
        st.builds(
            lambda t, inner: Paragraph((Text(t), Note((_simple_para(inner),)))),
            v.text(1, 24),
            v.text(1, 24),
        ),
        st.builds(
            lambda ts: BulletList(tuple(ListItem((_simple_para(t),)) for t in ts)),
            st.lists(v.text(1, 24), min_size=1, max_size=2),
        ),
    )


def inlines(
    keys: list[str], blocks_: st.SearchStrategy[Block] | None = None, v: Vocabulary = DEFAULT
) -> st.SearchStrategy[Inline]:
    """Random inline trees; images use ``keys`` (or the vocabulary's other
    references); notes hold ``blocks_`` when given (else a paragraph of text)."""
    leaves: st.SearchStrategy[Inline] = st.one_of(
        st.builds(Text, v.text(1, 24)),
        st.builds(Code, v.text(0, 10)),
        st.just(LineBreak()),
        st.builds(
            Image,
            st.sampled_from([*keys, *v.image_refs]),
            st.none() | v.text(0, 10),
            st.none() | v.text(0, 6),
            src=_src,
        ),
    )
    if v.page_breaks:
        leaves = leaves | st.builds(PageBreak, v.text(0, 6))
    note_body = blocks_ if blocks_ is not None else _note_body(v)

    def extend(children: st.SearchStrategy[Inline]) -> st.SearchStrategy[Inline]:
        content = st.lists(children, max_size=3).map(tuple)
        return st.one_of(
            st.builds(Emph, content),
            st.builds(Strong, content),
            st.builds(Sub, content),
            st.builds(Sup, content),
            st.builds(Span, content, v.attr),
            st.builds(Link, content, v.url, st.none() | v.text(0, 8)),
            st.builds(Note, st.lists(note_body, max_size=2).map(tuple), src=_src),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _cells(content: st.SearchStrategy[tuple[Block, ...]]) -> st.SearchStrategy[Cell]:
    return st.builds(
        Cell,
        content,
        header=st.booleans(),
        colspan=st.integers(1, 3),
        rowspan=st.integers(1, 3),
        scope=st.none() | st.sampled_from(["col", "row", "colgroup", "rowgroup"]),
    )


def blocks(keys: list[str], v: Vocabulary = DEFAULT) -> st.SearchStrategy[Block]:
    """Random block trees using image ``keys``."""
    para_content = st.lists(inlines(keys, v=v), max_size=5).map(tuple)
    leaves: st.SearchStrategy[Block] = st.one_of(
        st.builds(Paragraph, para_content, v.attr, src=_src),
        st.builds(Heading, st.integers(1, 6), para_content, v.attr, src=_src),
        st.builds(CodeBlock, v.text(0, 40), st.none() | st.sampled_from(["python", "c++", "a`b"]), src=_src),
        st.just(ThematicBreak()),
        st.just(Endnotes()),
    )

    def extend(children: st.SearchStrategy[Block]) -> st.SearchStrategy[Block]:
        seq = st.lists(children, max_size=3).map(tuple)
        items = st.lists(st.builds(ListItem, seq, v.attr), max_size=3).map(tuple)
        rows = st.lists(st.builds(Row, st.lists(_cells(seq), max_size=3).map(tuple)), max_size=3).map(tuple)
        return st.one_of(
            st.builds(BulletList, items, v.attr, src=_src),
            st.builds(
                OrderedList,
                items,
                st.integers(-3, 30),
                st.sampled_from(["1", "a", "A", "i", "I"]),
                v.attr,
                src=_src,
            ),
            st.builds(
                DefinitionList,
                st.lists(
                    st.builds(DefinitionItem, para_content, st.lists(seq, max_size=2).map(tuple)), max_size=3
                ).map(tuple),
                v.attr,
                src=_src,
            ),
            st.builds(BlockQuote, seq, para_content, v.attr, src=_src),
            st.builds(Figure, seq, para_content, v.attr, src=_src),
            st.builds(
                Table, rows, st.lists(rows, max_size=2).map(tuple), rows, para_content, v.attr, src=_src
            ),
            st.builds(Aside, seq, st.sampled_from(["summary", "box", "sidebar"]), v.attr, src=_src),
            st.builds(Div, seq, v.attr),
        )

    return st.recursive(leaves, extend, max_leaves=10)


def meta(v: Vocabulary = DEFAULT) -> st.SearchStrategy[Meta]:
    return st.builds(
        Meta,
        title=st.none() | v.text(0, 24),
        subtitle=st.none() | v.text(0, 24),
        lang=v.lang,
        authors=st.lists(v.text(1, 10), max_size=3).map(tuple),
        date=v.date,
        publisher=st.none() | v.text(0, 10),
        description=st.none() | v.text(0, 24),
        identifier=st.none() | v.word,
        source_url=st.none() | v.source_url,
        keywords=st.lists(v.word, max_size=3).map(tuple),
        rights=st.none() | v.text(0, 10),
        page_source=(st.none() | v.text(0, 10)) if v.page_breaks else st.none(),
    )


_meta = meta()


# Two fixed images that random documents refer to; documents carry the ones
# they use (and sometimes an unused random one).  Keeping the strategies fixed
# (not rebuilt per document) makes drawing fast.
_POOL_DATA = (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, b"\x89PNG\r\n\x1a\n" + b"\x01" * 5)
POOL_KEYS = tuple(resource_key(data, "image/png") for data in _POOL_DATA)
_BLOCKS = blocks(list(POOL_KEYS))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A random, consistent Document."""
    body = draw(st.lists(_BLOCKS, max_size=6).map(tuple))
    used = {node.resource for node in walk(Document(blocks=body)) if isinstance(node, Image)}
    res = draw(resources())
    dims = draw(st.tuples(st.none() | st.integers(1, 4000), st.none() | st.integers(1, 4000)))
    for key, data in zip(POOL_KEYS, _POOL_DATA, strict=True):
        if key in used:
            res[key] = Resource(key, "image/png", data, *dims, origin="pool.png")
    return Document(draw(_meta), body, res)
