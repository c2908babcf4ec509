"""briefconvert: policy briefs (HTML, PDF) to accessible HTML, EPUB, DOCX, Markdown and text.

The heavy modules are imported lazily so that ``import briefconvert`` and the
CLI start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .a11y.check import check_paths as check
    from .pipeline import convert, read

__all__ = ["__version__", "check", "convert", "read"]


def __getattr__(name: str) -> Any:
    if name in ("convert", "read"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "check":  # check(paths, CheckConfig(...)) -> list[FileResult]
        from .a11y.check import check_paths

        return check_paths
    raise AttributeError(f"module 'briefconvert' has no attribute {name!r}")
