"""Scanners for briefconvert's outputs: each returns a list of problems
(empty when the output is well-formed and safe).

Safe means: no script, no event handler, no ``javascript:``/``vbscript:``/
``data:`` link, no iframe/object/embed/form (or other active element), no
remote resource reference (``src``/``srcset``/``href`` of ``link``/``img``
pointing at http(s) or ``//``), no CSS but our own stylesheet, and inside
containers only names that we generate.  The scanners are independent of
the writers' own checks (they parse the outputs afresh, with lxml's safe
parsers), so a writer bug cannot hide itself.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Iterator
from importlib import resources as importlib_resources

from lxml import etree

ACTIVE = frozenset({
    "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "form",
    "input", "button", "select", "textarea", "base", "audio", "video", "source", "track", "canvas",
    "template", "portal", "svg", "math", "link", "isindex", "keygen", "xml", "xss", "set", "animate",
    "foreignobject", "use", "image", "picture",
})  # fmt: skip
URL_ATTRS = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite", "longdesc",
    "ping", "manifest", "usemap", "codebase", "archive", "imagesrcset", "dynsrc", "lowsrc", "profile",
    "xlink:href", "srcdoc", "classid",
})  # fmt: skip
_STRIP = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_BAD_SCHEME = re.compile(
    r"^(?:javascript|vbscript|data|file|livescript|mocha|jar|view-source|blob|filesystem):", re.I
)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)
_WEB_HREF = re.compile(r"^(?:https?://[^\s/]+|mailto:\S+)", re.I)
_OWN_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*\Z")
_OWN_ASSET = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)\Z")
_OWN_EPUB_IMAGE = re.compile(r"^\.\./images/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp)\Z")
_FRAGMENT = re.compile(r"^#[^\s]*\Z")
_EPUB_NAMES = re.compile(
    r"^(?:mimetype|META-INF/container\.xml|EPUB/package\.opf|EPUB/css/style\.css|EPUB/text/nav\.xhtml"
    r"|EPUB/text/chapter-\d{3,6}\.xhtml|EPUB/images/sha256-[0-9a-f]{12}\.(?:png|jpg|gif|webp))\Z"
)
_DOCX_NAMES = re.compile(
    r"^(?:\[Content_Types\]\.xml|_rels/\.rels|docProps/(?:app|core|custom)\.xml"
    r"|word/(?:_rels/[a-zA-Z]+\.xml\.rels|[a-zA-Z]+\.xml|theme/theme\d\.xml|media/image\d+\.(?:png|jpe?g|gif|webp)))\Z"
)


def _own_stylesheets() -> set[str]:
    pkg = importlib_resources.files("briefconvert.writers")
    return {pkg.joinpath(n).read_text(encoding="utf-8").strip() for n in ("html.css", "epub.css")}


def _norm_url(value: str) -> str:
    return _STRIP.sub("", value)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def scan_tree(root: etree._Element, *, epub: bool) -> list[str]:
    """Problems in a parsed HTML/XHTML document written by us."""
    problems: list[str] = []
    own_css = _own_stylesheets()
    for el in root.iter():
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Comment) and el.text and ("[if" in el.text or "<" in el.text):
                problems.append(f"markup in a comment: {el.text[:60]!r}")
            if isinstance(el, etree._ProcessingInstruction):
                problems.append(f"processing instruction {el!r}")
            continue
        tag = _local(el.tag)
        if tag in ACTIVE and not (tag == "link" and epub):
            problems.append(f"<{tag}> element")
        if tag == "link" and (el.get("rel") != "stylesheet" or el.get("href") != "../css/style.css"):
            problems.append(f"<link> to {el.get('href')!r}")
        if tag == "meta" and (el.get("http-equiv") or "").lower() in (
            "refresh",
            "set-cookie",
            "content-security-policy",
        ):
            problems.append(f"<meta http-equiv={el.get('http-equiv')!r}>")
        if tag == "style" and (el.text or "").strip() not in own_css:
            problems.append("a <style> element that is not our stylesheet")
        for name, value in el.attrib.items():
            attr = _local(name)
            if name.startswith("{http://www.w3.org/1999/xlink}"):
                attr = "xlink:" + attr
            if attr.startswith("on"):
                problems.append(f"event handler {attr}= on <{tag}>")
            if attr == "style":
                problems.append(f"style attribute on <{tag}>")
            if attr in URL_ATTRS:
                problems.extend(_url_problem(tag, attr, _norm_url(value), epub))
    return problems


def _url_problem(tag: str, attr: str, url: str, epub: bool) -> list[str]:
    if _BAD_SCHEME.match(url) and not (attr == "src" and tag == "img" and _OWN_DATA_IMAGE.match(url)):
        return [f"{attr}={url[:60]!r} on <{tag}>"]
    if attr == "href" and tag == "a":
        if _REMOTE.match(url):
            return [] if _WEB_HREF.match(url) else [f"a href={url[:60]!r}"]
        if epub:
            ok = re.match(r"^(?:(?:chapter-\d{3,6}|nav)\.xhtml)?(?:#[^\s]*)?\Z", url) and url
        else:
            ok = _FRAGMENT.match(url)
        return [] if ok else [f"a href={url[:60]!r} is not ours"]
    if attr == "href" and tag == "link":
        return [] if epub and url == "../css/style.css" else [f"link href={url[:60]!r}"]
    if attr == "src" and tag == "img":
        if _OWN_DATA_IMAGE.match(url):
            return []
        ok = _OWN_EPUB_IMAGE.match(url) if epub else _OWN_ASSET.match(url)
        return [] if ok else [f"img src={url[:60]!r} is not one of our images"]
    return [f"{attr}={url[:60]!r} on <{tag}>"]


def scan_html(data: bytes) -> list[str]:
    problems = _text_problems(data, "html")
    if not data.startswith(b"<!DOCTYPE html>"):
        problems.append("no doctype")
    parser = etree.HTMLParser(no_network=True, huge_tree=False, recover=False, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [*problems, f"HTML does not parse: {exc}"]
    if root is None:
        return [*problems, "empty HTML"]
    lowered = data.lower()
    for needle in (b"<script", b"<iframe", b"<object", b"<embed", b"<form", b"<base", b"<svg", b"<math"):
        if needle in lowered:
            problems.append(f"raw {needle.decode()!r} in the HTML source")
    return problems + scan_tree(root, epub=False)


def _xml(data: bytes, name: str) -> tuple[etree._Element | None, list[str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser), []
    except etree.XMLSyntaxError as exc:
        return None, [f"{name}: not well-formed XML: {exc}"]


def scan_epub(data: bytes) -> list[str]:
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [f"EPUB is not a zip: {exc}"]
    names = zf.namelist()
    if not names or names[0] != "mimetype" or zf.read("mimetype") != b"application/epub+zip":
        problems.append("mimetype is not the first entry")
    for name in names:
        if not _EPUB_NAMES.match(name):
            problems.append(f"EPUB entry {name!r} is not a name we generate")
            continue
        body = zf.read(name)
        if name.endswith((".xhtml", ".opf", ".xml")):
            root, bad = _xml(body, name)
            problems += bad
            if root is None:
                continue
            if b"<!ENTITY" in body or b"SYSTEM" in body:
                problems.append(f"{name}: DTD declarations")
            if name.endswith(".xhtml"):
                problems += [f"{name}: {p}" for p in scan_tree(root, epub=True)]
            if name.endswith(".opf"):
                for item in root.iter("{http://www.idpf.org/2007/opf}item"):
                    if _REMOTE.match(_norm_url(item.get("href") or "")):
                        problems.append(f"package.opf: remote item {item.get('href')!r}")
                    if "remote-resources" in (item.get("properties") or ""):
                        problems.append("package.opf: remote-resources")
        elif name.endswith(".css") and body.decode("utf-8").strip() not in _own_stylesheets():
            problems.append("EPUB stylesheet is not ours")
    return problems


_R = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SAFE_REL_TYPES = re.compile(
    r"/(?:styles|settings|webSettings|fontTable|theme|numbering|footnotes|endnotes|image|hyperlink"
    r"|officeDocument|core-properties|extended-properties|custom-properties|comments)\Z"
)


def scan_docx(data: bytes) -> list[str]:
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [f"DOCX is not a zip: {exc}"]
    for name in zf.namelist():
        if not _DOCX_NAMES.match(name):
            problems.append(f"DOCX entry {name!r} is not a name we generate")
            continue
        if not name.endswith((".xml", ".rels")):
            continue
        body = zf.read(name)
        root, bad = _xml(body, name)
        problems += bad
        if root is None:
            continue
        if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
            problems.append(f"{name}: DTD declarations")
        if name.endswith(".rels"):
            for rel in root.iter(f"{_R}Relationship"):
                kind, target = rel.get("Type") or "", _norm_url(rel.get("Target") or "")
                if not _SAFE_REL_TYPES.search(kind):
                    problems.append(f"{name}: relationship type {kind!r}")
                external = rel.get("TargetMode") == "External"
                if external and not (kind.endswith("/hyperlink") and _WEB_HREF.match(target)):
                    problems.append(f"{name}: external target {target[:60]!r} ({kind.rpartition('/')[2]})")
                if not external and (
                    _REMOTE.match(target) or (".." in target.split("/")[:-1] and "media" not in target)
                ):
                    problems.append(f"{name}: target {target[:60]!r}")
        for el in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"):
            if re.search(r"INCLUDE|DDE|HYPERLINK\s+\"?(?!https?:|mailto:)", el.text or "", re.I):
                problems.append(f"{name}: field code {el.text!r}")
        for el in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldSimple"):
            problems.append(
                f"{name}: fldSimple {el.get('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr')!r}"
            )
        if name == "word/settings.xml" and b"attachedTemplate" in body:
            problems.append("attached template")
    return problems


def scan_txt(data: bytes) -> list[str]:
    return _text_problems(data, "txt")


def _text_problems(data: bytes, what: str) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{what} is not UTF-8: {exc}"]
    bad = re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]", text)
    return [f"{what}: control character {bad.group()!r}"] if bad else []


SCANNERS = {"html": scan_html, "epub": scan_epub, "docx": scan_docx, "txt": scan_txt}


def scan_output(fmt: str, data: bytes) -> list[str]:
    return SCANNERS[fmt](data)


# ------------------------------------------------------------ canaries


def blobs(data: bytes) -> Iterator[bytes]:
    """``data``, every member of it when it is a zip, and every base64
    payload of a ``data:`` URI in it."""
    yield data
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for name in zf.namelist():
                    member = zf.read(name)
                    yield from blobs(member)
        except zipfile.BadZipFile:
            pass
    for m in re.finditer(rb"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)", data):
        try:
            yield base64.b64decode(m.group(1))
        except ValueError:
            continue


def image_sizes(data: bytes) -> Iterator[tuple[int, int]]:
    from PIL import Image

    for blob in blobs(data):
        if blob[:8] == b"\x89PNG\r\n\x1a\n" or blob[:3] == b"\xff\xd8\xff" or blob[:4] in (b"GIF8", b"RIFF"):
            try:
                with Image.open(io.BytesIO(blob), formats=["PNG", "JPEG", "GIF", "WEBP"]) as img:
                    yield img.size
            except Exception:  # not ours to judge here: the scanners do
                continue
