"""Findings: what a rule reports about one file, and the sink rules report to."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Severity
from ..record import Record
from .rules import RULES_BY_ID


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Finding(Record):
    rule: str  # a rule id from rules.RULES
    severity: Severity
    message: str  # one line, specific to this occurrence
    path: str  # the checked file, as the user named it
    line: int | None = None  # 1-based, in the file (or in ``part`` when set)
    col: int | None = None  # 1-based
    part: str | None = None  # a file inside a container: "EPUB/chapter-1.xhtml", "word/document.xml"
    where: str | None = None  # a human location when there is no line: "page 3", "paragraph 12"

    def location(self) -> str:
        """``path[:part]:line:col`` as far as known."""
        loc = self.path if self.part is None else f"{self.path}:{self.part}"
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc


@dataclass(slots=True)
class Sink:
    """Collects the findings of one file.  Rules call :meth:`add` with a rule id;
    the severity comes from the rule table (the caller filters and re-grades)."""

    path: str
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: str,
        message: str,
        *,
        line: int | None = None,
        col: int | None = None,
        part: str | None = None,
        where: str | None = None,
    ) -> None:
        severity = RULES_BY_ID[rule].severity  # KeyError: a rule missing from the table is a bug
        self.findings.append(Finding(rule, severity, message, self.path, line, col, part, where))
