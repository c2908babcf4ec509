"""Build the DOCX writer's template (src/briefconvert/writers/docx_template/)
from python-docx's default template.

The default template carries 438 KB of styles (every table style Word has),
a thumbnail and a second copy of the styles; parsing, re-serialising and
compressing them cost more than converting a 100 KB page.  This keeps the
parts a converted document uses: the styles the writer names (and the
styles they are based on, linked to or followed by), the document defaults,
the latent-style table, settings, fonts, web settings and the theme.  Run it
again after a python-docx upgrade:

    .venv/bin/python tools/make_docx_template.py
"""

from __future__ import annotations

import zipfile
from importlib.util import find_spec
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "briefconvert" / "writers" / "docx_template"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# styles the writer names (docx_blocks, docx_inlines, docx_tables); Title too, for editors
USED = {"Normal", "Title", "Subtitle", "Caption", "Quote", "ListParagraph", "TableGrid"}
USED |= {f"Heading{n}" for n in range(1, 10)}

PARTS = {
    "word/settings.xml": "settings.xml",
    "word/fontTable.xml": "fontTable.xml",
    "word/webSettings.xml": "webSettings.xml",
    "word/theme/theme1.xml": "theme1.xml",
    "word/document.xml": "document.xml",  # for its w:sectPr (page size and margins)
}


def _styles(data: bytes) -> bytes:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    styles = {s.get(W + "styleId"): s for s in root.iterfind(W + "style")}
    keep = {sid for sid, s in styles.items() if s.get(W + "default") == "1"}
    todo = list(USED)
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in styles:
            keep.add(sid)
            continue
        keep.add(sid)
        for ref in ("basedOn", "link", "next"):
            el = styles[sid].find(W + ref)
            if el is not None:
                todo.append(el.get(W + "val"))
    for sid, style in styles.items():
        if sid not in keep:
            root.remove(style)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def main() -> None:
    spec = find_spec("docx")
    assert spec is not None and spec.submodule_search_locations, "python-docx is not installed"
    template = Path(next(iter(spec.submodule_search_locations))) / "templates" / "default.docx"
    OUT.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(template) as z:
        (OUT / "styles.xml").write_bytes(_styles(z.read("word/styles.xml")))
        for name, target in PARTS.items():
            (OUT / target).write_bytes(z.read(name))
    for f in sorted(OUT.iterdir()):
        print(f"{f.relative_to(ROOT)}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
