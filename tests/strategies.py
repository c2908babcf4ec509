"""Hypothesis strategies for random model documents, for property tests of
every writer (and the JSON round trip).

``documents()`` draws a consistent Document: text is clean (as readers make
it: :func:`briefconvert.textnorm.clean_text`), every ``Image.resource`` is a
key of ``Document.resources`` or None, resource keys are content hashes.
Text mixes letters, spaces, non-ASCII and the characters that Markdown,
HTML and plain text treat specially, so escaping bugs show up.
"""

from __future__ import annotations

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

__all__ = ["POOL_KEYS", "SPECIAL", "blocks", "documents", "inlines", "resources", "texts"]

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


# note content: text, sometimes with a note of its own, or a short list
_NOTE_BODY: st.SearchStrategy[Block] = st.one_of(
    st.builds(_simple_para, texts(min_size=1)),
    st.builds(
        lambda t, inner: Paragraph((Text(t), Note((_simple_para(inner),)))),
        texts(min_size=1),
        texts(min_size=1),
    ),
    st.builds(
        lambda ts: BulletList(tuple(ListItem((_simple_para(t),)) for t in ts)),
        st.lists(texts(min_size=1), min_size=1, max_size=2),
    ),
)


def inlines(keys: list[str], blocks_: st.SearchStrategy[Block] | None = None) -> st.SearchStrategy[Inline]:
    """Random inline trees; images use ``keys`` (or None); notes hold
    ``blocks_`` when given (else a paragraph of text)."""
    leaves: st.SearchStrategy[Inline] = st.one_of(
        st.builds(Text, texts(min_size=1)),
        st.builds(Code, texts(max_size=10)),
        st.just(LineBreak()),
        st.builds(
            Image,
            st.sampled_from([*keys, None]),
            st.none() | texts(max_size=10),
            st.none() | texts(max_size=6),
            src=_src,
        ),
    )
    note_body = blocks_ if blocks_ is not None else _NOTE_BODY

    def extend(children: st.SearchStrategy[Inline]) -> st.SearchStrategy[Inline]:
        content = st.lists(children, max_size=3).map(tuple)
        return st.one_of(
            st.builds(Emph, content),
            st.builds(Strong, content),
            st.builds(Sub, content),
            st.builds(Sup, content),
            st.builds(Span, content, _attrs),
            st.builds(Link, content, _urls, st.none() | texts(max_size=8)),
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


def blocks(keys: list[str]) -> st.SearchStrategy[Block]:
    """Random block trees using image ``keys``."""
    para_content = st.lists(inlines(keys), max_size=5).map(tuple)
    leaves: st.SearchStrategy[Block] = st.one_of(
        st.builds(Paragraph, para_content, _attrs, src=_src),
        st.builds(Heading, st.integers(1, 6), para_content, _attrs, src=_src),
        st.builds(
            CodeBlock, texts(max_size=40), st.none() | st.sampled_from(["python", "c++", "a`b"]), src=_src
        ),
        st.just(ThematicBreak()),
        st.just(Endnotes()),
    )

    def extend(children: st.SearchStrategy[Block]) -> st.SearchStrategy[Block]:
        seq = st.lists(children, max_size=3).map(tuple)
        items = st.lists(st.builds(ListItem, seq, _attrs), max_size=3).map(tuple)
        rows = st.lists(st.builds(Row, st.lists(_cells(seq), max_size=3).map(tuple)), max_size=3).map(tuple)
        return st.one_of(
            st.builds(BulletList, items, _attrs, src=_src),
            st.builds(
                OrderedList,
                items,
                st.integers(-3, 30),
                st.sampled_from(["1", "a", "A", "i", "I"]),
                _attrs,
                src=_src,
            ),
            st.builds(
                DefinitionList,
                st.lists(
                    st.builds(DefinitionItem, para_content, st.lists(seq, max_size=2).map(tuple)), max_size=3
                ).map(tuple),
                _attrs,
                src=_src,
            ),
            st.builds(BlockQuote, seq, para_content, _attrs, src=_src),
            st.builds(Figure, seq, para_content, _attrs, src=_src),
            st.builds(
                Table, rows, st.lists(rows, max_size=2).map(tuple), rows, para_content, _attrs, src=_src
            ),
            st.builds(Aside, seq, st.sampled_from(["summary", "box", "sidebar"]), _attrs, src=_src),
            st.builds(Div, seq, _attrs),
        )

    return st.recursive(leaves, extend, max_leaves=10)


_meta = st.builds(
    Meta,
    title=st.none() | texts(),
    subtitle=st.none() | texts(),
    lang=st.none() | st.sampled_from(["en", "de-AT", "fr"]),
    authors=st.lists(texts(min_size=1, max_size=10), max_size=3).map(tuple),
    date=st.none() | st.sampled_from(["2024", "2025-03", "2025-03-14"]),
    publisher=st.none() | texts(max_size=10),
    description=st.none() | texts(),
    identifier=st.none() | words(),
    source_url=st.none() | st.just("https://example.org/brief"),
    keywords=st.lists(words(), max_size=3).map(tuple),
    rights=st.none() | texts(max_size=10),
)


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
