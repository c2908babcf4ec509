"""Dates to ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY): ISO timestamps and the
written forms used in English, German, French, Spanish, Italian, Polish and
Dutch ("17 October 2024", "October 17, 2024", "17. Oktober 2024",
"17 de octubre de 2024", "17 października 2024", "17.10.2024")."""

from __future__ import annotations

import re
import unicodedata

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero gennaio styczen stycznia januari jänner janv ene genn sty",
        "february feb februar fevrier febrero febbraio luty lutego februari febr fevr lut",
        "march mar marz mars marzo marca maart mrz",
        "april apr avril abril aprile kwiecien kwietnia avr abr kwi",
        "may mai mayo maggio maj maja mei mag",
        "june jun juni juin junio giugno czerwiec czerwca giu cze",
        "july jul juli juillet julio luglio lipiec lipca juil lug lip",
        "august aug aout agosto sierpien sierpnia augustus ago sie",
        "september sep sept septembre septiembre settembre wrzesien wrzesnia set wrz",
        "october oct oktober octobre octubre ottobre pazdziernik pazdziernika okt ott paz",
        "november nov novembre noviembre listopad listopada lis",
        "december dec dezember decembre diciembre dicembre grudzien grudnia dez dic gru",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SLASH_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DMY_NUM = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")
_WORD = re.compile(r"[a-z]+|\d+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    days = (31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31)  # fmt: skip
    if not 1 <= day <= days[month - 1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def normalise_date(text: str | None) -> str | None:
    """The ISO form of a date, or None when it cannot be read."""
    if not text:
        return None
    s = " ".join(text.split())
    if not s or len(s) > 80:
        return None
    m = _ISO.match(s)
    if m:
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    m = _COMPACT.match(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _SLASH_YMD.match(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY_NUM.match(s)
    if m:
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if m.group(2) == "/" and second > 12 >= first:  # 10/17/2024: month first
            return _iso(year, first, second)
        return _iso(year, second, first)  # European order: day first
    return _written(s)


def _written(s: str) -> str | None:
    words = _WORD.findall(_fold(s))
    year: int | None = None
    month: int | None = None
    day: int | None = None
    for w in words:
        if w.isdigit():
            n = int(w)
            if len(w) == 4 and year is None:
                year = n
            elif len(w) <= 2 and day is None and 1 <= n <= 31:
                day = n
            elif len(w) not in (1, 2, 4):
                return None
        elif w in _MONTHS and month is None:
            month = _MONTHS[w]
        elif w in ("de", "del", "st", "nd", "rd", "th", "er", "le", "the", "of", "am", "on", "r", "roku"):
            continue
        elif len(w) > 2 and w not in _MONTHS and month is None and day is None and year is None:
            continue  # a leading weekday: "Thursday, 17 October 2024"
    if year is None or month is None:
        return None
    return _iso(year, month, day)
