"""Record gives the model's and the options' frozen dataclasses the equality,
hash and repr that ``dataclasses`` would have generated."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest

import briefconvert
from briefconvert import model, options
from briefconvert.model import Attr, Emph, Image, Link, Paragraph, SourceRef, Text
from briefconvert.record import Record

CLASSES = [
    cls
    for module in (model, options)
    for _, cls in inspect.getmembers(module, inspect.isclass)
    if cls.__module__ == module.__name__ and dataclasses.is_dataclass(cls)
]


def _package_frozen_dataclasses() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(briefconvert.__path__, "briefconvert."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            frozen = dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
            if cls.__module__ == module.__name__ and frozen:
                found.append(cls)
    return found


def test_every_model_and_options_class_is_a_frozen_slotted_record() -> None:
    assert len(CLASSES) >= 45
    for cls in CLASSES:
        assert issubclass(cls, Record), cls
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        assert "__slots__" in cls.__dict__, cls


def test_every_frozen_dataclass_of_the_package_is_a_record() -> None:
    """Record's methods, not generated ones, on every frozen dataclass."""
    classes = _package_frozen_dataclasses()
    assert len(classes) >= 110
    for cls in classes:
        assert issubclass(cls, Record), cls
        assert cls.__eq__ is Record.__eq__ and cls.__hash__ is Record.__hash__, cls
        assert cls.__repr__ is Record.__repr__, cls


def _generated(cls: type) -> type:
    """The same class as ``dataclasses`` generates it (eq, hash, repr on)."""
    specs = []
    for f in dataclasses.fields(cls):
        spec: dict[str, object] = {"compare": f.compare, "repr": f.repr, "kw_only": f.kw_only}
        if f.default is not dataclasses.MISSING:
            spec["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            spec["default_factory"] = f.default_factory
        specs.append((f.name, object, dataclasses.field(**spec)))  # type: ignore[call-overload]
    return dataclasses.make_dataclass(cls.__qualname__, specs, frozen=True)


def test_equality_ignores_provenance_and_follows_every_compared_field() -> None:
    a = Paragraph((Text("x"),), src=SourceRef(line=1))
    assert a == Paragraph((Text("x"),), src=SourceRef(line=99))
    assert a != Paragraph((Text("y"),))
    assert a != Paragraph((Text("x"),), Attr(id="p1"))
    assert Emph((Text("x"),)) != Paragraph((Text("x"),))  # another class, same fields
    assert (a == "x") is False and a.__eq__("x") is NotImplemented
    assert Link((Text("t"),), "https://example.org") != Link((Text("t"),), "https://example.org", "title")


def test_hash_is_the_hash_of_the_compared_fields() -> None:
    a = Text("x")
    assert hash(a) == hash(Text("x")) == hash(("x",))
    img = Image("k", "alt", src=SourceRef(line=3))
    assert hash(img) == hash(Image("k", "alt")) == hash(("k", "alt", None))
    assert len({Text("x"), Text("x"), Text("y")}) == 2


@pytest.mark.parametrize(
    "value",
    [
        Text("x"),
        Image("k", None, "t", src=SourceRef(line=3)),
        Paragraph((Text("a"), Emph((Text("b"),))), Attr(id="i", classes=("c",))),
        options.ConvertOptions(),
        options.HtmlReaderOptions(max_elements=5),
    ],
)
def test_repr_and_hash_match_what_dataclasses_generate(value: object) -> None:
    cls = type(value)
    values = {f.name: getattr(value, f.name) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    twin = _generated(cls)(**values)
    assert repr(value) == repr(twin)
    try:
        expected: int | None = hash(twin)
    except TypeError:  # an unhashable field (a mapping): unhashable either way
        expected = None
    if expected is None:
        with pytest.raises(TypeError):
            hash(value)
    else:
        assert hash(value) == expected
    assert dataclasses.replace(value) == value  # type: ignore[type-var]


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Text("x").text = "y"  # type: ignore[misc]
