"""EPUB rules on each content document (and the navigation document): the
HTML format rules, the document's language and title, epub:type/role pairs,
images the model does not hold, duplicate main landmarks, and links to
files the book does not have."""

from __future__ import annotations

from ..readers.epub.container import Element, resolve
from ..readers.epub.xhtml import ContentDoc, local
from . import epub_vocab as vocab
from .epub_context import EpubContext, aria_roles, elements, epub_types, short
from .html_rules import check_xhtml_tree
from .model_rules_lang import tag_problem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def document_rules(ctx: EpubContext, doc: ContentDoc) -> None:
    root = doc.root
    assert root is not None
    check_xhtml_tree(root, ctx.sink, part=doc.name)
    _html_lang(ctx, doc, root)
    title = next((el for el in elements(root) if local(el) == "title"), None)
    if title is None or not "".join(title.itertext()).strip():
        ctx.at(
            "document-title",
            f"{doc.name} has no <title>" if title is None else f"{doc.name} has an empty <title>",
            doc,
            title if title is not None else root,
        )
    hidden = _hidden(root)
    landmarks = {
        el
        for nav in elements(root)
        if local(nav) == "nav" and "landmarks" in epub_types(nav)
        for el in nav.iter()
    }
    mains: list[Element] = []
    for el in elements(root):
        if el in hidden:
            continue
        name = local(el)
        if name == "main" or "main" in aria_roles(el):
            mains.append(el)
        if el not in landmarks and (found := epub_types(el)):
            _type_role(ctx, doc, el, found)
        if name in ("a", "area") and doc is not ctx.book.nav:
            _link_target(ctx, doc, el)
        _image_name(ctx, doc, el, name)
    if len(mains) > 1:
        ctx.at("html-main-landmark", f"{doc.name} has {len(mains)} main landmarks", doc, mains[1])


def _html_lang(ctx: EpubContext, doc: ContentDoc, root: Element) -> None:
    lang = (root.get("lang") or "").strip()
    xml_lang = (root.get(XML_LANG) or "").strip()
    if not lang and not xml_lang:
        ctx.at("document-lang", f"{doc.name}: <html> has no lang or xml:lang attribute", doc, root)
        return
    for name, value in (("lang", lang), ("xml:lang", xml_lang)):
        why = tag_problem(value) if value else None
        if why is not None:
            ctx.at(
                "document-lang",
                f"{doc.name}: <html {name}={short(value)!r}> is not a valid language tag: {why}",
                doc,
                root,
            )
            return
    if lang and xml_lang and lang.split("-")[0].lower() != xml_lang.split("-")[0].lower():
        ctx.at("document-lang", f"{doc.name}: <html> has lang={lang!r} but xml:lang={xml_lang!r}", doc, root)


def _hidden(root: Element) -> set[Element]:
    """Elements no reader shows (as axe leaves them out): hidden, aria-hidden,
    inline display:none / visibility:hidden, the head, and what is inside them."""
    out: set[Element] = set()
    for el in elements(root):
        parent = el.getparent()
        style = (el.get("style") or "").replace(" ", "").lower()
        if (
            (parent is not None and parent in out)
            or el.get("hidden") is not None
            or (el.get("aria-hidden") or "").strip().lower() == "true"
            or "display:none" in style
            or "visibility:hidden" in style
            or local(el) == "head"
        ):
            out.add(el)
    return out


def _type_role(ctx: EpubContext, doc: ContentDoc, el: Element, types: list[str]) -> None:
    """The first epub:type with a role decides, as in Ace's check."""
    for t in types:
        role = vocab.EPUB_TYPE_ROLES.get(t)
        if role is None:
            continue
        if role in vocab.DEPRECATED_ROLES:
            return
        explicit = aria_roles(el)
        effective = explicit[0] if explicit else vocab.IMPLICIT_ROLES.get(local(el))
        if effective != role:
            has = f"role={' '.join(explicit)!r}" if explicit else "no role"
            ctx.at(
                "epub-type-role", f'<{local(el)} epub:type="{t}"> has {has}; expected role="{role}"', doc, el
            )
        return


def _image_name(ctx: EpubContext, doc: ContentDoc, el: Element, name: str) -> None:
    """Images the model does not hold: ``role="img"`` on another element (an
    ``svg``, a ``span`` of glyphs), ``input type=image`` and ``area``, each
    without a text alternative.  (``img`` elements are judged in the model.)"""
    if name == "img":
        return
    if "img" in aria_roles(el)[:1]:
        has_name = _aria_name(doc, el) or (name == "svg" and _svg_title(el))
        if not has_name:
            ctx.at("image-alt", f'<{name} role="img"> has no text alternative (aria-label or title)', doc, el)
        return
    image_input = name == "input" and (el.get("type") or "").strip().lower() == "image"
    image_area = name == "area" and el.get("href") is not None
    if (image_input or image_area) and not ((el.get("alt") or "").strip() or _aria_name(doc, el)):
        what = "<input type=image>" if image_input else "<area>"
        ctx.at("image-alt", f"the {what} has no text alternative (alt)", doc, el)


def _aria_name(doc: ContentDoc, el: Element) -> str:
    for key in ("aria-label", "title"):
        value = (el.get(key) or "").strip()
        if value:
            return value
    ids = (el.get("aria-labelledby") or "").split()
    if ids and doc.root is not None:
        parts = [" ".join("".join(e.itertext()).split()) for e in elements(doc.root) if e.get("id") in ids]
        return " ".join(p for p in parts if p)
    return ""


def _svg_title(el: Element) -> str:
    title = next((c for c in el if local(c) == "title"), None)
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


def _link_target(ctx: EpubContext, doc: ContentDoc, el: Element) -> None:
    href = (el.get("href") or "").strip()
    ref = href.partition("#")[0]
    if not ref or ":" in ref.split("/")[0]:
        return  # a fragment (the model rules judge it) or a URL with a scheme
    target = resolve(doc.name, ref)
    if target is None or ctx.book.container.has(target):
        return
    ctx.at("note-ref-link", f"the link to {short(href)!r} points to a file the book does not have", doc, el)
