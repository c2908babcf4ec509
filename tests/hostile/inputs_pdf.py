"""Hostile PDFs: damaged, circular, bombs, encrypted, huge page trees,
actions and attachments, garbage text."""

# ruff: noqa: E501  (hostile markup is clearest on one line)

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

from . import pdfgen as g
from .inputs import Case, Env, Outcome

CASES: list[Case] = []
GiB = 1 << 30


def case(
    cls: str,
    outcome: Outcome = "any",
    *,
    error: str | None = None,
    keeps: str | None = None,
    isolate: bool = False,
    args: tuple[str, ...] = (),
) -> Callable[[Callable[[Env], bytes]], Callable[[Env], bytes]]:
    """Register a case whose function returns the PDF bytes (written as
    ``<name>.pdf`` in the input folder)."""

    def deco(fn: Callable[[Env], bytes]) -> Callable[[Env], bytes]:
        name = fn.__name__.replace("_", "-")

        def build(env: Env) -> Path:
            return env.write(f"{name}.pdf", fn(env))

        CASES.append(Case(name, cls, build, outcome, error, keeps, isolate, args=args))
        return fn

    return deco


BODY = "This paragraph is ordinary text"
SIMPLE = g.simple()

# ------------------------------------------------------------ damaged


@case("pdf-damaged", "error", error="PDF")
def truncated_to_header(env: Env) -> bytes:
    return b"%PDF-1.7\n"


@case("pdf-damaged")
def truncated_half(env: Env) -> bytes:
    return SIMPLE[: len(SIMPLE) // 2]


@case("pdf-damaged")
def truncated_before_xref(env: Env) -> bytes:
    return SIMPLE[: SIMPLE.index(b"xref")]


@case("pdf-damaged", "ok", keeps=BODY)
def bad_startxref(env: Env) -> bytes:
    return g.build(g.simple_objects(), startxref=999_999)


@case("pdf-damaged", "ok", keeps=BODY)
def garbage_xref_offsets(env: Env) -> bytes:
    head, _, tail = SIMPLE.partition(b"xref\n")
    lines = tail.split(b"\n")
    rng = random.Random(7)
    for i in range(2, 7):
        lines[i] = b"%010d 00000 n " % rng.randrange(len(SIMPLE))
    return head + b"xref\n" + b"\n".join(lines)


@case("pdf-damaged")
def random_bytes_flipped(env: Env) -> bytes:
    data = bytearray(SIMPLE)
    rng = random.Random(11)
    for _ in range(60):
        data[rng.randrange(20, len(data))] = rng.randrange(256)
    return bytes(data)


@case("pdf-damaged")
def garbage_in_content_stream(env: Env) -> bytes:
    junk = random.Random(3).randbytes(4000).replace(b"endstream", b"")
    return g.simple(g.text_ops(g.BODY_TEXT) + b"\n" + junk + b"\nBT (unbalanced Tj ET ] >> <<")


@case("pdf-damaged")
def no_root(env: Env) -> bytes:
    return g.build(g.simple_objects(), root=99)


@case("pdf-damaged", "ok", keeps=BODY)
def stream_length_lies(env: Env) -> bytes:
    content = g.text_ops(g.BODY_TEXT)
    return g.simple(o4=b"<< /Length 99999999 >>\nstream\n" + content + b"\nendstream")


@case("pdf-damaged")
def deeply_nested_arrays(env: Env) -> bytes:
    depth = 100_000
    return g.simple(
        o6=b"[" * depth + b"1" + b"]" * depth, o3=g.simple_objects()[g.PAGE][:-2] + b"/X 6 0 R >>"
    )


# ------------------------------------------------------------ circular


@case("pdf-circular", "ok", keeps=BODY)
def self_referencing_resources(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.PAGE] = objs[g.PAGE].replace(b"/Resources << /Font << /F1 5 0 R >> >>", b"/Resources 6 0 R")
    objs[6] = b"7 0 R"
    objs[7] = b"6 0 R"
    return g.build(objs)


@case("pdf-circular")
def kids_contain_their_parent(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.PAGES] = b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>"
    objs[6] = b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>"
    return g.build(objs)


@case("pdf-circular")
def parent_loop(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.PAGE] = objs[g.PAGE].replace(b"/Parent 2 0 R", b"/Parent 3 0 R")
    objs[g.PAGES] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 6 0 R >>"
    objs[6] = b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>"
    return g.build(objs)


@case("pdf-circular", "ok", keeps=BODY)
def prev_xref_loop(env: Env) -> bytes:
    return g.incremental_prev_loop(SIMPLE)


@case("pdf-circular", "ok", keeps=BODY)
def outline_loop(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.CATALOG] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>"
    objs[6] = b"<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>"
    objs[7] = b"<< /Title (One) /Parent 6 0 R /Next 8 0 R /First 8 0 R /Dest [3 0 R /Fit] >>"
    objs[8] = b"<< /Title (Two) /Parent 6 0 R /Next 7 0 R /Prev 7 0 R /First 7 0 R /Dest [3 0 R /Fit] >>"
    return g.build(objs)


@case("pdf-circular")
def length_reference_loop(env: Env) -> bytes:
    content = g.text_ops(g.BODY_TEXT)
    objs = g.simple_objects()
    objs[g.CONTENT] = b"<< /Length 6 0 R >>\nstream\n" + content + b"\nendstream"
    objs[6] = b"6 0 R"
    return g.build(objs)


@case("pdf-circular", "ok", keeps=BODY)
def objects_that_need_themselves(env: Env) -> bytes:
    """Reading object 9 needs object 9 (its /Length): found by fuzzing."""
    objs = g.simple_objects()
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/Annots [9 0 R 10 0 R] /Rotate 11 0 R >>"
    objs[9] = b"<< /Type /Annot /Subtype /Link /Length 9 0 R /Rect [0 0 9 9] >>\nstream\nxx\nendstream"
    objs[10] = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A 10 0 R /Dest 12 0 R >>"
    objs[11] = b"<< /Length 11 0 R >>\nstream\n90\nendstream"
    objs[12] = b"<< /Length 12 0 R >>\nstream\nx\nendstream"
    return g.build(objs)


# Found by fuzz/fuzz_pdf.py (a mutated fixture, 2.8 KB): pypdf's repair of a
# damaged annotation re-reads the object being read and reports it as a
# LimitReachedError, which escaped the reader as an internal error.
_SELF_REFERENCE = (
    "eNrdVntUE9kZX2zhLFlQF0EOSO1QAQOUTCYPksirCQQIICIPRRCXkAzJQJjByYTXUhBZXJGzHh4+KtB1QaiFZdfV7SJgu4qkCiWA"
    "gspTXFFghQKKi9QK2klCFZv+saf9o+d0TuY+fjff9935Hr97HcP8/N0gGofiOPagp48CAXQAS0iieHoCYGQmXf8A7mw2kw0kApQV"
    "gA6xAf0K+hqDILohxmEZYAwOZIAxOUwDjMXh/isGMbgGdiEWi2GAcXkG+hh09qq9pMIA6CsmxApMBoBhYhmsBEgtQLh+EiJOgBVK"
    "QOuDUFWKEoil68YRAOhHtgTABry948iX/FFgVKr1F+Mtv2nV67WCwYiUVMDRKdd6CAiPI01jKpQgLb6RZxrI+2PkX8AIVQKhm2pB"
    "CAAFYiWsXwmEFWkwgUjEAChEJZgUQclP2Y2gfFSJvAbeGGD95wbcBJhC+uOssP8LKzsSFMh+FfzjDLmvMhQCozJCDnDIFAX9EQUB"
    "42SvEBOwH4xiBEzKwlpJJYHD4hRKRuXxXcNHK+jrfz23WyNxTXF2sj/ZH5Veuyvp540lzwbzjEaMNw06UXPvQROlXaNJwvcdAmXd"
    "lTylZsbo27tbi9U77dqq3sllXwF+ty6fePByYHb5lXl2zvqtt0yaNPeNgqsczj26djjmM83j9+xeXr17v++L/DijF++kebR5uyw7"
    "SE3dsJ1tT8x8mj+6N6U+/Snf6cquOV+nYdNS4WPfmC/maV+rn9qsfVFse2l2INLPXFFw4FRpPS/f5dDprOLWphfK6JKuHKcKBA75"
    "6eI34c27Of31rq7Jv6q/G3BHvca2FvpKjXodDysQZjLjPYYEG8tzzf2GL5h2RW9vSbO9P1A4ZDFyIEYpsfcV7ei+obw+anInMD3i"
    "k8rsqCBNVdhQFed9Oxexf5nc0/Sv5j9YrXM7H3rWIms+tU7+lwv2EyaM+X1fVidPnl/kD6L7N+f7nErylVn1THmXlgZ5GV2M/7Bh"
    "R1Fn4KRAZcu4XdJsXE5tCGypQEafNNjuf9TrkiJK4i9XbIRnG0s2W3aX5Dk2PmK0Xv3z1fhta6aba1ttPmeBHdzAP1XVPBYj8QXb"
    "GVGp7aLKhjVnj3/ZC8eYLglijS82my15XKzc2wdYxrDpFVMD444xl3tmRfF5GRNUB1POUNwAZag8WFRn2SopaFv7d4HXIRN1lk+w"
    "6HNKSnpDQV37u14C2fcuzQtdj2nWaawjmfaLsef/OL8A4rzCkbybt+8sgX2mD35RNqkZp2WFyk3mgq439vm5tzdueSm04+wt9Y2z"
    "NeuMr/KXXJkztZ5dcq0sK3Gn/qHdov0nAdYIUWNpnJj2rqZ8unSoKlqZP3Oz9/dPw+poB4f2HJRfqt1S2HLi4KZMpt2++pPgmIS5"
    "5ty5A/0547QDe6hnWXuuTUZpjtnULtztnuzNbvnoTvTM5LeizkN9YzdO2gYcWWRWlkxPH02fm72OPrOL3Zex1MIPTc5lqq2R50EU"
    "aOBy3m//Zl2/YOZt/J0Ptj/HSlsgK5m+Uiqcf0tN2haHdSyk473tsBQRC7AMLdnRATaPDXBZDJKqwmElpsIlsJ4OdTWrG0AAUy/o"
    "zwBYKyMmwNaNdMyoZTmUIC0oAXf9Oh8ly5Ekw7hVdcw1rGMmh2dQx4Y1XNaKDtPX+80tH+G5WwuPSbZ6O/GzXGNqXuZ901xqU7Q3"
    "P3h45t7JyOom82Lg4FrLjTc08tF5tKATY45Eqj6JKsriWpmocswmihhN0FPx7JOFmz/juVCjPfFJh7DTH9xaONp2CPwq62rbVGfc"
    "zpR4zccX+vu7qMORJovVolcRdPrCdcrT/vh7HQXqPJwS+N6zZIpHj72zxQw3wN96/KGAc3Nsil2DOq8dm86f4SIFH1QOt5urqyjC"
    "4g3PvIwdTn3f+8sAazDg2q7swuxqH/mZjBq3tsmcK5cXqxUlZTduXdAk/JDK31Dm9sqiA6EZnxgW0CvSmjum3DoGPXq/lvXlhnW7"
    "LHFr9kkXBzPOXLOZ6BkRU+vkG4RWyYWNDXHS023OoSGXkuqXbB66mRxL++5ExeHaw+4BjQWj8cDHowmdyzn1nTYPmyw3dTyK+0xt"
    "fKYo9X57+afpZVnPl/yPbpYVw+Axzy0nPnzeWDrusa0L/83e22c0Y+Ntlz0467Yb5hfvTQipYGokmAkDukivYv0QBE3WppKEAGKZ"
    "DDqNPIQ5TJ62Y/LYuhkbIjsy3QQYLiXjrktC7Zz/z5M3Klykb6hygkhVbgNBHEmDcSUNzhCnpCpgGobLQByWIUoyb5zfPpx15+7/"
    "tgS4b5cAT38RWLXF1RcvvoqQYzhADRKjQCiWJk52JreKY1KVhHQNNQFH4EQJhpJfTwCJSAahwmGl8ypdGTicSKEDEOP1de3/8Qq3"
    "gjEgzhuMwMWIAsZ1ToxAsmDSB2T4MDIXIb3/RWgiBkDQSohIOhHjhM5dDAaPSXF0FO7wp/wDJQz4ZA=="
)


@case("pdf-circular")
def fuzzed_self_reference(env: Env) -> bytes:
    import base64
    import zlib

    return zlib.decompress(base64.b64decode(_SELF_REFERENCE))


@case("pdf-circular", "ok", keeps=BODY)
def structure_tree_loop(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.CATALOG] = b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 6 0 R /MarkInfo << /Marked true >> >>"
    objs[6] = b"<< /Type /StructTreeRoot /K [7 0 R 7 0 R] /ParentTree 8 0 R >>"
    objs[7] = b"<< /S /Sect /P 7 0 R /K [7 0 R 6 0 R << /S /P /K 7 0 R >>] >>"
    objs[8] = b"<< /Nums [0 8 0 R] /Kids [8 0 R] >>"
    return g.build(objs)


@case("pdf-circular", "ok", keeps=BODY)
def form_xobject_draws_itself(env: Env) -> bytes:
    objs = g.simple_objects(g.text_ops(g.BODY_TEXT) + b"\n/X0 Do")
    objs[g.PAGE] = objs[g.PAGE].replace(
        b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /X0 6 0 R >>"
    )
    form = b"BT /F1 9 Tf 72 100 Td (inside the form) Tj ET /X0 Do /X0 Do"
    objs[6] = g.stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X0 6 0 R >> >>",
        form,
    )
    return g.build(objs)


@case("pdf-circular", "ok", keeps=BODY)
def name_tree_loop(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.CATALOG] = b"<< /Type /Catalog /Pages 2 0 R /Names << /Dests 6 0 R >> >>"
    objs[6] = b"<< /Kids [7 0 R] >>"
    objs[7] = b"<< /Kids [6 0 R 7 0 R] /Names [(a) [3 0 R /Fit]] >>"
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/Annots [8 0 R] >>"
    objs[8] = b"<< /Type /Annot /Subtype /Link /Rect [72 730 300 750] /Dest (a) >>"
    return g.build(objs)


# -------------------------------------------------------------- bombs


def _double_flate_zeros(size: int) -> bytes:
    return g.flate(g.flate_zeros(size))


@case("bomb", isolate=True)
def flate_bomb_content_stream(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.CONTENT] = g.stream(b"/Filter [/FlateDecode /FlateDecode]", _double_flate_zeros(4 * GiB))
    objs[g.PAGES] = b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>"
    objs[6] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    )
    objs[7] = g.stream(b"", g.text_ops(g.BODY_TEXT))
    return g.build(objs)


def _image_page(image: bytes) -> bytes:
    objs = g.simple_objects(g.text_ops(g.BODY_TEXT) + b"\nq 200 0 0 200 72 300 cm /Im0 Do Q")
    objs[g.PAGE] = objs[g.PAGE].replace(
        b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /Im0 6 0 R >>"
    )
    objs[6] = image
    return g.build(objs)


@case("bomb", isolate=True)
def flate_bomb_image(env: Env) -> bytes:
    return _image_page(
        g.stream(
            b"/Type /XObject /Subtype /Image /Width 40000 /Height 40000 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]",
            _double_flate_zeros(4 * GiB),
        )
    )


@case("bomb", "ok", keeps=BODY)
def image_with_huge_dimensions(env: Env) -> bytes:
    return _image_page(
        g.stream(
            b"/Type /XObject /Subtype /Image /Width 1000000 /Height 1000000 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /FlateDecode",
            g.flate(bytes(3000)),
        )
    )


@case("bomb", isolate=True)
def tounicode_bomb(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.FONT] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    objs[6] = g.stream(b"/Filter [/FlateDecode /FlateDecode]", _double_flate_zeros(4 * GiB))
    return g.build(objs)


@case("bomb", isolate=True)
def xmp_metadata_bomb(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.CATALOG] = b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>"
    objs[6] = g.stream(
        b"/Type /Metadata /Subtype /XML /Filter [/FlateDecode /FlateDecode]", _double_flate_zeros(4 * GiB)
    )
    return g.build(objs)


@case("bomb", isolate=True)
def operator_flood(env: Env) -> bytes:
    ops = b"BT /F1 12 Tf 72 740 Td (" + g.BODY_TEXT[1] + b") Tj ET\n" + b"0 0 m 1 1 l S\n" * 3_000_000
    objs = g.simple_objects()
    objs[g.CONTENT] = g.stream(b"/Filter /FlateDecode", g.flate(ops))
    return g.build(objs)


# ---------------------------------------------------------- encrypted


def _encrypted(user: str, owner: str, algorithm: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(SIMPLE))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@case("encrypted", "error", error="--password")
def rc4_with_user_password(env: Env) -> bytes:
    return _encrypted("secret", "owner", "RC4-128")


@case("encrypted", "error", error="--password")
def aes256_with_user_password(env: Env) -> bytes:
    return _encrypted("secret", "owner", "AES-256")


@case("encrypted", "ok", keeps=BODY, args=("--password", "secret"))
def rc4_with_the_right_password(env: Env) -> bytes:
    return _encrypted("secret", "owner", "RC4-128")


@case("encrypted", "error", error="wrong password", args=("--password", "not-it"))
def aes256_with_a_wrong_password(env: Env) -> bytes:
    return _encrypted("secret", "owner", "AES-256")


@case("encrypted", "ok", keeps=BODY)
def owner_password_only(env: Env) -> bytes:
    return _encrypted("", "owner", "AES-128")


@case("encrypted", "error")
def unknown_security_handler(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[6] = b"<< /Filter /Standard /V 99 /R 99 /O <00> /U <00> /P -1 /Length 4096 >>"
    return g.build(objs, trailer=b"/Encrypt 6 0 R /ID [<00><00>]")


# ------------------------------------------------------------ page trees


@case("page-tree", "error", error="--max-pages")
def more_pages_than_the_limit(env: Env) -> bytes:
    objs = g.simple_objects()
    kids = list(range(10, 10 + 2100))
    objs[g.PAGES] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    for k in kids:
        objs[k] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        )
    del objs[g.PAGE]
    return g.build(objs)


@case("page-tree")
def count_claims_a_billion(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.PAGES] = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>"
    return g.build(objs)


@case("page-tree")
def deep_page_tree(env: Env) -> bytes:
    objs = g.simple_objects()
    depth = 3000
    first = 10
    objs[g.PAGES] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % first
    for i in range(depth):
        num = first + i
        parent = g.PAGES if i == 0 else num - 1
        kid = num + 1 if i < depth - 1 else g.PAGE
        objs[num] = b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>" % (parent, kid)
    objs[g.PAGE] = objs[g.PAGE].replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % (first + depth - 1))
    return g.build(objs)


@case("page-tree")
def wide_page_tree(env: Env) -> bytes:
    objs = g.simple_objects()
    n = 150_000
    objs[g.PAGES] = b"<< /Type /Pages /Kids [" + b"3 0 R " * n + b"] /Count %d >>" % n
    return g.build(objs)


@case("page-tree", "error", error="page")
def page_tree_without_pages(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[g.PAGES] = b"<< /Type /Pages /Kids [4 0 R 5 0 R (x) 99 0 R] /Count 4 >>"
    return g.build(objs)


# -------------------------------------------------- actions, attachments


@case("pdf-actions", "ok", keeps=BODY)
def javascript_everywhere(env: Env) -> bytes:
    objs = g.simple_objects()
    js = b"(app.alert\\('x'\\); this.exportDataObject\\({cName: 'a', nLaunch: 2}\\);)"
    objs[g.CATALOG] = (
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /AA << /WC 6 0 R >> "
        b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >> >>"
    )
    objs[6] = b"<< /Type /Action /S /JavaScript /JS " + js + b" /Next 6 0 R >>"
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/AA << /O 6 0 R >> /Annots [7 0 R] >>"
    objs[7] = b"<< /Type /Annot /Subtype /Link /Rect [72 730 300 750] /A 6 0 R /AA << /E 6 0 R >> >>"
    return g.build(objs)


@case("pdf-actions", "ok", keeps=BODY)
def launch_and_file_actions(env: Env) -> bytes:
    path = str(env.canary).encode()
    objs = g.simple_objects()
    objs[g.CATALOG] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    objs[6] = b"<< /S /Launch /F (%s) /Win << /F (cmd.exe) /P (/c calc) >> /NewWindow true >>" % path
    annots = [
        b"<< /S /Launch /F << /Type /Filespec /F (%s) /UF (%s) >> >>" % (path, path),
        b"<< /S /GoToR /F (%s) /D [0 /Fit] >>" % path,
        b"<< /S /URI /URI (file://%s) >>" % path,
        b"<< /S /URI /URI (../../secret/canary.txt) >>",
        b"<< /S /ImportData /F (%s) >>" % path,
        b"<< /S /SubmitForm /F << /FS /URL /F (%s/submit) >> >>" % env.url.encode(),
        b"<< /S /URI /URI (%s/pixel.png) >>" % env.url.encode(),
    ]
    refs = []
    for i, action in enumerate(annots):
        num = 10 + i
        y = 700 - 20 * i
        objs[num] = b"<< /Type /Annot /Subtype /Link /Rect [72 %d 400 %d] /A %s >>" % (y, y + 14, action)
        refs.append(b"%d 0 R" % num)
    lines = [*g.BODY_TEXT, *(b"link number %d" % i for i in range(len(annots)))]
    objs[g.CONTENT] = g.stream(b"", g.text_ops(lines, top=740))
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/Annots [" + b" ".join(refs) + b"] >>"
    return g.build(objs)


@case("pdf-actions", "ok", keeps=BODY)
def embedded_and_external_files(env: Env) -> bytes:
    path = str(env.canary).encode()
    objs = g.simple_objects()
    objs[g.CATALOG] = (
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.txt) 6 0 R (b.txt) 8 0 R] >> >> /AF [6 0 R 8 0 R] >>"
    )
    objs[6] = b"<< /Type /Filespec /F (a.txt) /UF (a.txt) /EF << /F 7 0 R >> >>"
    objs[7] = g.stream(b"/Type /EmbeddedFile", b"ATTACHMENT-PAYLOAD-" + env.token.encode()[::-1])
    objs[8] = b"<< /Type /Filespec /FS /URL /F (file://%s) /UF (%s) >>" % (path, path)
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/Annots [9 0 R] >>"
    objs[9] = b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 90 620] /FS 8 0 R /Contents (see) >>"
    return g.build(objs)


@case("pdf-actions", "ok", keeps=BODY)
def javascript_link_uris(env: Env) -> bytes:
    uris = [
        b"javascript:alert(1)", b"JaVaScRiPt:alert(1)", b" javascript:alert(1)", b"java\tscript:alert(1)",
        b"java\\nscript:alert(1)", b"\\001javascript:alert(1)", b"vbscript:msgbox(1)",
        b"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", b"file:///etc/passwd",
    ]  # fmt: skip
    objs = g.simple_objects()
    refs = []
    for i, uri in enumerate(uris):
        num = 10 + i
        y = 680 - 18 * i
        objs[num] = b"<< /Type /Annot /Subtype /Link /Rect [72 %d 400 %d] /A << /S /URI /URI (%s) >> >>" % (
            y,
            y + 14,
            uri,
        )
        refs.append(b"%d 0 R" % num)
    lines = [*g.BODY_TEXT, *(b"click here %d" % i for i in range(len(uris)))]
    objs[g.CONTENT] = g.stream(b"", g.text_ops(lines, top=740))
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/Annots [" + b" ".join(refs) + b"] >>"
    return g.build(objs)


@case("pdf-actions", "ok", keeps=BODY)
def markup_in_tags_and_metadata(env: Env) -> bytes:
    """A tagged PDF whose /Alt, /ActualText, /Lang and /Info strings carry markup."""
    content = (
        b"/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (" + g.BODY_TEXT[1] + b") Tj ET EMC\n"
        b"/Figure <</MCID 1>> BDC 0 0 1 rg 72 500 100 100 re f EMC\n"
        b"/P <</MCID 2>> BDC BT /F1 12 Tf 72 450 Td (<script>alert\\(1\\)</script> <img src=x onerror=alert\\(1\\)>) Tj ET EMC"
    )
    objs = g.simple_objects(content)
    objs[g.CATALOG] = (
        b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 6 0 R /MarkInfo << /Marked true >> "
        b'/Lang (en" onmouseover="alert\\(1\\)) >>'
    )
    objs[g.PAGE] = objs[g.PAGE][:-2] + b"/StructParents 0 >>"
    objs[6] = b"<< /Type /StructTreeRoot /K [7 0 R 8 0 R 9 0 R] /ParentTree 10 0 R >>"
    objs[7] = b'<< /S /P /P 6 0 R /Pg 3 0 R /K 0 /Lang (de"><script>alert\\(2\\)</script>) >>'
    objs[8] = (
        b'<< /S /Figure /P 6 0 R /Pg 3 0 R /K 1 /Alt (<script>alert\\(3\\)</script>" onerror="alert\\(4\\)) '
        b"/ActualText (javascript:alert\\(5\\)) >>"
    )
    objs[9] = b"<< /S /P /P 6 0 R /Pg 3 0 R /K 2 >>"
    objs[10] = b"<< /Nums [0 [7 0 R 8 0 R 9 0 R]] >>"
    objs[11] = (
        b"<< /Title (<script>alert\\(6\\)</script>) /Author (<img src=%s/x.png>) /Subject (javascript:alert\\(7\\)) >>"
        % env.url.encode()
    )
    return g.build(objs, trailer=b"/Info 11 0 R")


@case("pdf-actions", "ok", keeps=BODY)
def jbig2_image_needs_an_external_decoder(env: Env) -> bytes:
    return _image_page(
        g.stream(
            b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 1 /Filter /JBIG2Decode",
            b"\x97JB2\r\n\x1a\n" + random.Random(5).randbytes(200),
        )
    )


# -------------------------------------------------------- garbage text


@case("text-garbage", "ok", keeps="control")
def control_characters_in_text(env: Env) -> bytes:
    lines = [
        g.BODY_TEXT[1],
        b"control \\000 \\001 \\002 \\010 \\013 \\014 \\033 \\177 characters",
        b"high bytes \\200 \\201 \\215 \\217 \\220 \\235 \\377 end",
    ]
    return g.simple(g.text_ops(lines))


@case("text-garbage", "ok", keeps=BODY)
def lone_surrogates_in_metadata(env: Env) -> bytes:
    objs = g.simple_objects()
    objs[6] = (
        b"<< /Title " + g.utf16("Title \ud800 with \udfff lone \ufffe\uffff surrogates \x00\x1b")
        + b" /Author " + g.utf16("\u202eevil\u202c \x07 author")
        + b" /Subject " + g.utf16("a\u0301 combining \U0001f600 ok")
        + b" /Keywords (\\000\\001\\002) >>"
    )  # fmt: skip
    return g.build(objs, trailer=b"/Info 6 0 R")


@case("text-garbage", "ok", keeps=BODY)
def tounicode_maps_to_garbage(env: Env) -> bytes:
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Garbage def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"7 beginbfchar\n<41> <D800>\n<42> <0000>\n<43> <FFFE>\n<44> <001B>\n<45> <DFFF>\n"
        b"<46> <D83DDE00>\n<47> <00410301>\nendbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objs = g.simple_objects(
        g.text_ops([g.BODY_TEXT[1]]) + b"\nBT /F2 12 Tf 72 600 Td (ABCDEFG ABCDEFG) Tj ET"
    )
    objs[g.PAGE] = objs[g.PAGE].replace(b"/F1 5 0 R", b"/F1 5 0 R /F2 6 0 R")
    objs[6] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>"
    objs[7] = g.stream(b"", cmap)
    return g.build(objs)
