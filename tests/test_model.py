"""The model: values, provenance outside equality, traversal helpers."""

from __future__ import annotations

import dataclasses

import pytest

from briefconvert import model
from briefconvert import walk as walk_module
from briefconvert.model import (
    Cell,
    DefinitionItem,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    ListItem,
    Meta,
    Note,
    Paragraph,
    Resource,
    Row,
    SourceRef,
    Table,
    Text,
)
from briefconvert.resources import resolve_local, resource_key, sniff_media_type
from briefconvert.walk import children, plain_text, query, walk
from model_samples import PNG, PNG_KEY, rich_document


def test_nodes_are_frozen_and_slotted() -> None:
    p = Paragraph((Text("x"),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.content = ()  # type: ignore[misc]
    assert not hasattr(p, "__dict__")


def test_provenance_is_not_part_of_equality() -> None:
    a = Heading(2, (Text("Intro"),), src=SourceRef(line=3))
    b = Heading(2, (Text("Intro"),), src=SourceRef(page=7, how="outline"))
    assert a == b
    assert Image("k", "alt", src=SourceRef(line=1)) == Image("k", "alt")
    assert Resource("k", "image/png", b"x", origin="a.png") == Resource(
        "k", "image/png", b"x", origin="b.png"
    )


def test_alt_none_and_empty_differ() -> None:
    assert Image("k", None) != Image("k", "")


def test_document_resources_are_read_only_and_sorted() -> None:
    r1, r2 = Resource("b", "image/png", b"1"), Resource("a", "image/png", b"2")
    doc = Document(Meta(), (), {"b": r1, "a": r2})
    assert list(doc.resources) == ["a", "b"]
    with pytest.raises(TypeError):
        doc.resources["c"] = r1  # type: ignore[index]
    assert doc == Document(Meta(), (), {"a": r2, "b": r1})


def test_walk_is_document_order_and_covers_everything() -> None:
    doc = rich_document()
    kinds = {type(n).__name__ for n in walk(doc)}
    # every node type of the model appears in the rich sample, so walk reaches all of them
    from briefconvert.model import BLOCK_TYPES, INLINE_TYPES

    assert {t.__name__ for t in (*BLOCK_TYPES, *INLINE_TYPES)} <= kinds
    headings = [plain_text(h.content) for h in query(doc, Heading)]
    assert headings == ["Key findings", "Introduction", "Three steps", "Notes", "Bibliographic data"]


def test_walk_is_iterative() -> None:
    node: Paragraph | Emph = Paragraph((Text("deep"),))
    inline: Text | Emph = Text("deep")
    for _ in range(20000):
        inline = Emph((inline,))
    node = Paragraph((inline,))
    assert sum(1 for _ in walk(node)) == 20002
    assert plain_text(node) == "deep"


def test_plain_text_skips_notes_unless_asked() -> None:
    p = Paragraph((Text("Prices fell"), Note((Paragraph((Text("Source: ACER."),)),)), Text(".")))
    assert plain_text(p) == "Prices fell."
    assert plain_text(p, notes=True) == "Prices fell Source: ACER. ."
    assert plain_text([Paragraph((Text("a"),)), Paragraph((Text("b"),))]) == "a b"


def test_walk_can_leave_out_notes() -> None:
    note = Note((Paragraph((Text("Source: ACER."),)),))
    p = Paragraph((Text("Prices fell"), note, Text(".")))
    assert [type(n).__name__ for n in walk(p, notes=False)] == ["Paragraph", "Text", "Text"]
    assert note in list(walk(p)) and Text("Source: ACER.") in list(walk(p))


def test_children_rejects_foreign_objects() -> None:
    with pytest.raises(TypeError):
        children("not a node")


def test_children_knows_every_node_class_and_follows_every_child_field() -> None:
    """walk.children looks classes up in a table: every node class of the
    model is in it, and for each class every field that holds nodes (a tuple
    of nodes, or tuples of them) is what it returns (in document order,
    which for a table puts the caption first)."""
    node_classes = {*model.BLOCK_TYPES, *model.INLINE_TYPES, Document, ListItem, DefinitionItem, Row, Cell}
    assert set(walk_module._CHILDREN) == node_classes
    doc = rich_document()
    seen = {type(n) for n in walk(doc)}
    assert seen >= {Paragraph, Heading, Text, Table, Row, Cell, Figure, Note, Image}
    for node in walk(doc):
        expected: list[object] = []
        for f in dataclasses.fields(node):  # type: ignore[arg-type]
            expected.extend(_nodes_in(getattr(node, f.name)))
        assert sorted(map(id, children(node))) == sorted(map(id, expected)), type(node).__name__


def _nodes_in(value: object) -> list[object]:
    if isinstance(value, tuple):
        return [n for v in value for n in _nodes_in(v)]
    return [value] if type(value) in walk_module._CHILDREN and not isinstance(value, Document) else []


def test_resource_keys_and_sniffing() -> None:
    assert sniff_media_type(PNG) == "image/png"
    assert sniff_media_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert resource_key(PNG, "image/png") == PNG_KEY
    assert (
        PNG_KEY.startswith("sha256-") and PNG_KEY.endswith(".png") and len(PNG_KEY) == len("sha256-") + 12 + 4
    )


def test_resolve_local_stays_inside(tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path)) / "site"
    (base / "img").mkdir(parents=True)
    (base / "img" / "a.png").write_bytes(PNG)
    (base.parent / "secret.png").write_bytes(PNG)
    (base / "link.png").symlink_to(base.parent / "secret.png")
    assert resolve_local(base, "img/a.png") == (base / "img" / "a.png").resolve()
    assert resolve_local(base, "img/a%2Epng") == (base / "img" / "a.png").resolve()
    for ref in ("../secret.png", "/etc/passwd", "file:///etc/passwd", "https://x.org/a.png", "//x.org/a.png",
                "link.png", "img/missing.png", "img", "C:\\x.png"):  # fmt: skip
        assert resolve_local(base, ref) is None, ref
    assert resolve_local(None, "img/a.png") is None
