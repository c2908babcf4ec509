"""Atomic file output: a temp file in the target folder, then rename, so a
failed or killed run never leaves a partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from .output import Output


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def attachment_path(folder: Path, relative: str) -> Path:
    """Where an attachment goes; refuses any name that would leave ``folder``."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"unsafe attachment path {relative!r}")
    return folder.joinpath(*rel.parts)


def write_output(path: Path, output: Output) -> list[Path]:
    """Write the attachments, then the main file (so the main file never points
    at missing images).  Returns every path written."""
    written = []
    for att in output.attachments:
        target = attachment_path(path.parent, att.path)
        write_atomic(target, att.data)
        written.append(target)
    write_atomic(path, output.data)
    written.append(path)
    return written
