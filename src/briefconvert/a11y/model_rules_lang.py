"""Language tags and scripts for the language rules (document-lang, lang-part).

``tag_problem`` checks the shape of a BCP 47 tag (RFC 5646 ``langtag`` and
``privateuse`` productions, grandfathered tags aside) and that a two-letter
primary language subtag is an ISO 639-1 code: no registry is read, so a
well-formed three-letter code is taken on trust.

``foreign_runs`` finds text written in a script that the language in force
does not use (Cyrillic in an English paragraph): it only knows languages
whose script is settled, and only reports runs of two or more words (or, for
scripts written without spaces, four characters), so that single foreign
words, Greek letters in formulas and names are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..record import Record


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# RFC 5646 section 2.1, case-insensitive; extlang and grandfathered tags are rare
# enough in documents that they are accepted by the same pattern (extlang).
_LANGTAG = re.compile(
    r"""^(?:
        (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
        (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*
        (?:-x(?:-[a-z0-9]{1,8})+)?
      |x(?:-[a-z0-9]{1,8})+
    )$""",
    re.I | re.X,
)

# ISO 639-1 (including the withdrawn codes still in the IANA registry as deprecated).
_ISO639_1 = _words(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
    hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc
    oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su
    sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"""
)


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a valid BCP 47 language tag, or None when it is."""
    value = tag.strip()
    if not value:
        return "it is empty"
    if "_" in value:
        return "subtags are separated by '-', not '_'"
    m = _LANGTAG.match(value)
    if m is None:
        return "it does not have the form of a language tag (like 'en' or 'fr-CA')"
    language = (m.group("language") or "").split("-")[0].lower()
    if len(language) == 2 and language not in _ISO639_1:
        return f"'{language}' is not an ISO 639 language code"
    if 4 <= len(language) <= 8:
        return f"'{language}' is not a language code (two or three letters)"
    return None


def primary(tag: str) -> str:
    return tag.strip().split("-")[0].lower()


def script_subtag(tag: str) -> str | None:
    m = _LANGTAG.match(tag.strip())
    return m.group("script").title() if m is not None and m.group("script") else None


# ------------------------------------------------------------------ scripts

_LATIN_LANGS = _words(
    """af an ast az bs ca co cs cy da de en eo es et eu fi fil fo fr fur fy ga gd gl gsw ha hr
    hu ia id ie ig is it jv kl ku la lb li lt lv mg mi ms mt nb nds nl nn no oc om pl pt qu rm ro rw
    sc se sk sl sm sn so sq sv sw tl tn to tr ts uz vi wa wo xh yo zu"""
)
_CYRILLIC_LANGS = _words("ab ba be bg ce cv kk ky mk mn os ru tg tt uk")
# Languages and the scripts they are written in (four-letter ISO 15924-like names).
_SCRIPTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(_LATIN_LANGS, frozenset({"Latn"})),
    **dict.fromkeys(_CYRILLIC_LANGS, frozenset({"Cyrl"})),
    "sr": frozenset({"Cyrl", "Latn"}),
    "el": frozenset({"Grek"}),
    **dict.fromkeys(("ar", "fa", "ps", "ur", "ug", "sd"), frozenset({"Arab"})),
    **dict.fromkeys(("he", "iw", "yi", "ji"), frozenset({"Hebr"})),
    "zh": frozenset({"Hani"}),
    "ja": frozenset({"Hani", "Kana"}),
    "ko": frozenset({"Hang", "Hani"}),
    "th": frozenset({"Thai"}),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), frozenset({"Deva"})),
    **dict.fromkeys(("bn", "as"), frozenset({"Beng"})),
    "hy": frozenset({"Armn"}),
    "ka": frozenset({"Geor"}),
    "ta": frozenset({"Taml"}),
    "te": frozenset({"Telu"}),
    "kn": frozenset({"Knda"}),
    "ml": frozenset({"Mlym"}),
    "gu": frozenset({"Gujr"}),
    "pa": frozenset({"Guru"}),
    "si": frozenset({"Sinh"}),
    "km": frozenset({"Khmr"}),
    "lo": frozenset({"Laoo"}),
    "my": frozenset({"Mymr"}),
    **dict.fromkeys(("am", "ti"), frozenset({"Ethi"})),
}
# First word of a character's Unicode name -> script.
_NAME_SCRIPT = {
    "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARABIC": "Arab", "HEBREW": "Hebr", "CJK": "Hani",
    "HIRAGANA": "Kana", "KATAKANA": "Kana", "HANGUL": "Hang", "THAI": "Thai", "DEVANAGARI": "Deva",
    "BENGALI": "Beng", "ARMENIAN": "Armn", "GEORGIAN": "Geor", "TAMIL": "Taml", "TELUGU": "Telu",
    "KANNADA": "Knda", "MALAYALAM": "Mlym", "GUJARATI": "Gujr", "GURMUKHI": "Guru", "SINHALA": "Sinh",
    "KHMER": "Khmr", "LAO": "Laoo", "MYANMAR": "Mymr", "ETHIOPIC": "Ethi",
}  # fmt: skip
_NAMES = {
    "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew", "Hani": "Chinese characters",
    "Kana": "Japanese kana", "Hang": "Hangul", "Thai": "Thai", "Deva": "Devanagari", "Beng": "Bengali",
    "Armn": "Armenian", "Geor": "Georgian", "Taml": "Tamil", "Telu": "Telugu", "Knda": "Kannada",
    "Mlym": "Malayalam", "Gujr": "Gujarati", "Guru": "Gurmukhi", "Sinh": "Sinhala", "Khmr": "Khmer",
    "Laoo": "Lao", "Mymr": "Burmese", "Ethi": "Ethiopic",
}  # fmt: skip
_NO_SPACES = frozenset({"Hani", "Kana", "Thai", "Khmr", "Laoo", "Mymr"})
_MIN_WORDS = 2  # words of a spaced script in one run
_MIN_WORD_LETTERS = 2
_MIN_CHARS_UNSPACED = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def expected_scripts(tag: str | None) -> frozenset[str] | None:
    """The scripts text in language ``tag`` is written in; None when unknown."""
    if not tag or tag_problem(tag) is not None:
        return None
    script = script_subtag(tag)
    if script is not None:
        return frozenset({"Hani" if script in ("Hans", "Hant") else script})
    return _SCRIPTS.get(primary(tag))


def char_script(ch: str) -> str | None:
    """The script of a letter outside Latin/common, or None."""
    if ord(ch) < 0x370:
        return None
    name = unicodedata.name(ch, "")
    return _NAME_SCRIPT.get(name.split(" ", 1)[0]) if name else None


def word_script(word: str) -> str | None:
    counts: dict[str | None, int] = {}
    for ch in word:
        s = char_script(ch)
        counts[s] = counts.get(s, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ForeignRun(Record):
    script: str  # four-letter code
    text: str

    @property
    def script_name(self) -> str:
        return _NAMES.get(self.script, self.script)


def foreign_runs(text: str, allowed: frozenset[str]) -> Iterator[ForeignRun]:
    """Runs of ``text`` in a script outside ``allowed`` (Latin is always allowed)."""
    if text.isascii():
        return
    run: list[tuple[str, int, int]] = []  # (script, start, end) of each word

    def flush() -> Iterator[ForeignRun]:
        if not run:
            return
        script = run[0][0]
        words = [text[s:e] for _, s, e in run]
        if script in _NO_SPACES:
            long_enough = sum(len(w) for w in words) >= _MIN_CHARS_UNSPACED
        else:
            long_enough = sum(1 for w in words if len(w) >= _MIN_WORD_LETTERS) >= _MIN_WORDS
        if long_enough:
            yield ForeignRun(script, text[run[0][1] : run[-1][2]])
        run.clear()

    for m in _WORD.finditer(text):
        script = word_script(m.group())
        if script is None or script in allowed:
            yield from flush()
            continue
        if run and run[-1][0] != script and not {run[-1][0], script} <= {"Hani", "Kana"}:
            yield from flush()
        run.append((script, m.start(), m.end()))
    yield from flush()
