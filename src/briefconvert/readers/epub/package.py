"""The package document (OPF): metadata, manifest and spine, as declared.

Metadata entries are kept as written (name, value, ``refines``, line), so
that the accessibility rules can judge them; :func:`book_meta` maps them to
the model's :class:`~briefconvert.model.Meta` without inferring anything.
Names follow the way Ace by DAISY reads them: Dublin Core elements as
``dc:<name>``; EPUB 3 ``<meta property>`` under the property as written
(``schema:accessMode``); ``<meta name content>`` (EPUB 2) under its name,
except accessibility properties in an EPUB 3 package, which must use
``property``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ...diagnostics import Report
from ...errors import InputError
from ...model import Meta
from ...record import Record
from ...textnorm import collapse_ws
from .container import Container, Element, resolve

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_METADATA = 5_000  # metadata entries read
MAX_ITEMS = 20_000  # manifest items read

A11Y_PROPERTIES = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
)
_EPUB3_ONLY_PROPERTY = frozenset(
    {*A11Y_PROPERTIES, "schema:accessibilityAPI", "schema:accessibilityControl", "a11y:certifiedBy",
     "a11y:certifierCredential", "a11y:certifierReport", "dcterms:conformsTo"}
)  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MetaEntry(Record):
    """One metadata element: ``dc:title``, ``schema:accessMode``, ``title-type``..."""

    name: str
    value: str  # white space collapsed
    id: str | None = None
    refines: str | None = None  # the id it refines, without "#"
    lang: str | None = None  # xml:lang on the element
    line: int | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Item(Record):
    """A manifest item.  ``name`` is its entry name in the container (None
    when its href leaves the container or is remote)."""

    id: str
    href: str
    name: str | None
    media_type: str
    properties: frozenset[str] = frozenset()
    line: int | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SpineRef(Record):
    idref: str
    item: Item | None  # None: no manifest item has that id
    linear: bool = True
    line: int | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Package(Record):
    name: str  # entry name of the OPF
    version: str
    lang: str | None  # xml:lang on <package>
    unique_identifier: str | None  # the id of the dc:identifier that identifies the book
    metadata: tuple[MetaEntry, ...]
    manifest: Mapping[str, Item]  # by id
    spine: tuple[SpineRef, ...]
    line: int | None = None  # of <package>
    metadata_line: int | None = None

    def entries(self, name: str, *, refined: bool = False) -> list[MetaEntry]:
        """The entries called ``name`` (by default only those that refine nothing)."""
        return [m for m in self.metadata if m.name == name and (refined or m.refines is None)]

    def values(self, name: str) -> list[str]:
        return [m.value for m in self.entries(name) if m.value]

    def refinements(self, target_id: str | None, name: str) -> list[str]:
        if not target_id:
            return []
        return [m.value for m in self.metadata if m.refines == target_id and m.name == name]

    @property
    def epub3(self) -> bool:
        return not self.version.startswith("2")

    @property
    def layout_pre_paginated(self) -> bool:
        return "pre-paginated" in self.values("rendition:layout")

    @property
    def nav(self) -> Item | None:
        """The EPUB 3 navigation document."""
        return next((i for i in self.manifest.values() if "nav" in i.properties and i.name), None)

    def item_named(self, name: str) -> Item | None:
        return next((i for i in self.manifest.values() if i.name == name), None)


def _local(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _ns(el: Element) -> str:
    tag = el.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _text(el: Element) -> str:
    return collapse_ws("".join(el.itertext()))


def _attr(el: Element, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        return None
    return collapse_ws(value) or None


def read_package(container: Container, name: str, report: Report) -> Package:
    """Parse the OPF.  Raises InputError when it is missing or not well-formed."""
    root = container.xml(name)
    if root is None:
        raise InputError(f"not a readable EPUB: the package document {name!r} is missing or not well-formed")
    if _local(root) != "package":
        raise InputError(f"not a readable EPUB: {name!r} is not a package document")
    metadata_el = manifest_el = spine_el = None
    for child in root:
        match _local(child):
            case "metadata":
                metadata_el = metadata_el if metadata_el is not None else child
            case "manifest":
                manifest_el = manifest_el if manifest_el is not None else child
            case "spine":
                spine_el = spine_el if spine_el is not None else child
    version = _attr(root, "version") or ""
    entries = _metadata(metadata_el, epub3=not version.startswith("2")) if metadata_el is not None else []
    manifest = _manifest(manifest_el, name) if manifest_el is not None else {}
    spine = _spine(spine_el, manifest) if spine_el is not None else []
    if metadata_el is None:
        report.warning("epub-package", "the package document has no <metadata>")
    if not spine:
        report.warning("epub-package", "the package document's spine lists no content document")
    return Package(
        name=name,
        version=version,
        lang=_attr(root, XML_LANG),
        unique_identifier=_attr(root, "unique-identifier"),
        metadata=tuple(entries),
        manifest=MappingProxyType(manifest),
        spine=tuple(spine),
        line=root.sourceline,
        metadata_line=metadata_el.sourceline if metadata_el is not None else None,
    )


def _metadata(metadata_el: Element, *, epub3: bool) -> list[MetaEntry]:
    out: list[MetaEntry] = []
    # Some EPUB 2 packages wrap the Dublin Core in <dc-metadata>/<x-metadata>.
    stack = list(reversed(list(metadata_el)))
    while stack and len(out) < MAX_METADATA:
        el = stack.pop()
        local, ns = _local(el), _ns(el)
        if local in ("dc-metadata", "x-metadata") and ns in (OPF_NS, ""):
            stack.extend(reversed(list(el)))
            continue
        if ns == DC_NS:
            out.append(_entry(el, f"dc:{local}", _text(el)))
        elif local == "meta" and ns in (OPF_NS, ""):
            prop, name = _attr(el, "property"), _attr(el, "name")
            if prop:
                out.append(_entry(el, prop, _text(el)))
            elif name and not (epub3 and name in _EPUB3_ONLY_PROPERTY):
                out.append(_entry(el, name, _attr(el, "content") or ""))
    return out


def _entry(el: Element, name: str, value: str) -> MetaEntry:
    refines = (_attr(el, "refines") or "").removeprefix("#").strip() or None
    return MetaEntry(name, value, _attr(el, "id"), refines, _attr(el, XML_LANG), el.sourceline)


def _manifest(manifest_el: Element, opf_name: str) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for el in manifest_el:
        if _local(el) != "item" or len(out) >= MAX_ITEMS:
            continue
        item_id = _attr(el, "id")
        href = (el.get("href") or "").strip()
        if not item_id or item_id in out or not href:
            continue
        out[item_id] = Item(
            id=item_id,
            href=href,
            name=resolve(opf_name, href.partition("#")[0]),
            media_type=(_attr(el, "media-type") or "").lower(),
            properties=frozenset((el.get("properties") or "").split()),
            line=el.sourceline,
        )
    return out


def _spine(spine_el: Element, manifest: Mapping[str, Item]) -> list[SpineRef]:
    out: list[SpineRef] = []
    for el in spine_el:
        if _local(el) != "itemref" or len(out) >= MAX_ITEMS:
            continue
        idref = _attr(el, "idref") or ""
        linear = (_attr(el, "linear") or "yes").lower() != "no"
        out.append(SpineRef(idref, manifest.get(idref), linear, el.sourceline))
    return out


# ------------------------------------------------------------------ the model


def book_meta(pkg: Package) -> Meta:
    """The model's metadata: only what the package declares.  The language is
    ``dc:language``, else the ``xml:lang`` of ``<package>``; the title is the
    ``dc:title`` refined as ``main`` (else the first), the subtitle one refined
    as ``subtitle``."""
    titles = pkg.entries("dc:title")
    main = next((t for t in titles if "main" in pkg.refinements(t.id, "title-type")), None)
    sub = next((t for t in titles if "subtitle" in pkg.refinements(t.id, "title-type")), None)
    if main is None:
        main = next((t for t in titles if t is not sub and t.value), None)
    authors: list[str] = []
    for c in pkg.entries("dc:creator"):
        roles = pkg.refinements(c.id, "role")
        if c.value and c.value not in authors and (not roles or "aut" in roles):
            authors.append(c.value)
    date = next(iter(pkg.values("dc:date")), None)
    source = next(iter(pkg.values("dc:source")), None)
    page_source = next(iter(pkg.values("pageBreakSource") or pkg.values("a11y:pageBreakSource")), None)
    return Meta(
        title=main.value if main is not None and main.value else None,
        subtitle=sub.value if sub is not None and sub.value else None,
        lang=next(iter(pkg.values("dc:language")), None) or pkg.lang,
        authors=tuple(authors),
        date=date,
        publisher=next(iter(pkg.values("dc:publisher")), None),
        description=next(iter(pkg.values("dc:description")), None),
        identifier=_identifier(pkg),
        source_url=source if source and source.lower().startswith(("http://", "https://")) else None,
        keywords=tuple(dict.fromkeys(pkg.values("dc:subject"))),
        rights=next(iter(pkg.values("dc:rights")), None),
        page_source=page_source,
    )


def _identifier(pkg: Package) -> str | None:
    ids = [i for i in pkg.entries("dc:identifier") if i.value]
    if not ids:
        return None
    return next((i for i in ids if i.id and i.id == pkg.unique_identifier), ids[0]).value
