"""Diagnostics: typed, stable-coded findings collected in one Report per run."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .record import Record


class Severity(enum.IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (choose error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Diagnostic(Record):
    code: str  # stable kebab-case id, e.g. "image-alt", "resource-remote"
    severity: Severity
    message: str
    where: str | None = None  # "line 12", "page 3", an element description...

    def format(self, path: str) -> str:
        loc = f"{path}: " if not self.where else f"{path}: {self.where}: "
        return f"{loc}{self.severity}: {self.code}: {self.message}"


@dataclass(slots=True)
class Report:
    """Collects the diagnostics of one conversion.  Passed explicitly, never global."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, severity: Severity, message: str, where: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, where))

    def info(self, code: str, message: str, where: str | None = None) -> None:
        self.add(code, Severity.INFO, message, where)

    def warning(self, code: str, message: str, where: str | None = None) -> None:
        self.add(code, Severity.WARNING, message, where)

    def error(self, code: str, message: str, where: str | None = None) -> None:
        self.add(code, Severity.ERROR, message, where)

    def at_least(self, threshold: Severity) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity >= threshold]
