"""Inline suppressions in HTML and XHTML (also the XHTML chapters of an EPUB).

``<!-- briefconvert: ignore=rule-a,rule-b -->`` suppresses those rules for
findings on the lines the comment spans and on the line after it;
``<!-- briefconvert: ignore-file=rule-a -->`` anywhere suppresses them for the
whole file (in an EPUB: for the chapter holding the comment).  ``all`` stands
for every rule, ``prefix*`` for the rules starting with ``prefix``.  A reason
may follow two dashes: ``<!-- briefconvert: ignore=image-alt -- described in
the text -->``.

An unknown rule id, or a ``briefconvert:`` comment that is neither form, is not
a finding: it is a note (printed on stderr, listed in the JSON report), so that
a typo is seen without failing the run.  Findings without a line can only be
suppressed with ``ignore-file`` (or ``--ignore``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..record import Record
from .config import pattern_matches, unknown_patterns
from .findings import Finding

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_DIRECTIVE = re.compile(r"\s*briefconvert\s*:(.*)", re.S | re.I)
_FORM = re.compile(r"\s*(ignore-file|ignore)\s*=\s*(.*)", re.S | re.I)
_REASON = re.compile(r"\s--")
_ID = re.compile(r"[a-z0-9*-]+")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Suppressions(Record):
    """The suppression comments of one HTML/XHTML text."""

    file_rules: tuple[str, ...] = ()  # patterns for the whole file
    line_rules: dict[int, tuple[str, ...]] = field(default_factory=dict)  # line -> patterns
    notes: tuple[str, ...] = ()  # "line 3: unknown rule id 'imge-alt' in a suppression comment"

    def __bool__(self) -> bool:
        return bool(self.file_rules or self.line_rules or self.notes)

    def suppresses(self, finding: Finding) -> bool:
        if any(pattern_matches(finding.rule, p) for p in self.file_rules):
            return True
        if finding.line is None:
            return False
        return any(pattern_matches(finding.rule, p) for p in self.line_rules.get(finding.line, ()))


NONE = Suppressions()


def decode(data: bytes) -> str:
    """Text good enough to find ASCII comments and count lines in: UTF-16 by
    its BOM, otherwise Latin-1 (every ASCII-compatible encoding keeps ``<!--``
    and newlines where they are)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def parse(text: str) -> Suppressions:
    """Find the ``briefconvert:`` comments in ``text``."""
    if "briefconvert" not in text.lower():
        return NONE
    file_rules: list[str] = []
    line_rules: dict[int, list[str]] = {}
    notes: list[str] = []
    line, pos = 1, 0
    for m in _COMMENT.finditer(text):
        directive = _DIRECTIVE.match(m.group(1))
        if directive is None:
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        last = line + m.group(0).count("\n")
        form = _FORM.match(directive.group(1))
        if form is None:
            notes.append(
                f"line {line}: unrecognised briefconvert comment (use ignore=RULES or ignore-file=RULES)"
            )
            continue
        value = _REASON.split(form.group(2), maxsplit=1)[0]
        items = [i.strip() for i in value.split(",")]
        patterns = [i for i in items if i and _ID.fullmatch(i)]
        bad = [i for i in items if not _ID.fullmatch(i)]
        unknown = unknown_patterns(patterns)
        for name in bad + unknown:
            notes.append(f"line {line}: unknown rule id {name!r} in a suppression comment (ignored)")
        good = [p for p in patterns if p not in unknown]
        if form.group(1).lower() == "ignore-file":
            file_rules.extend(good)
        else:
            for n in range(line, last + 2):
                line_rules.setdefault(n, []).extend(good)
    return Suppressions(
        tuple(dict.fromkeys(file_rules)),
        {n: tuple(dict.fromkeys(p)) for n, p in line_rules.items() if p},
        tuple(notes),
    )
