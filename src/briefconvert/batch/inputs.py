"""Which files a batch converts and where each output goes.

INPUT arguments are files, directories (walked recursively, keeping files by
extension, skipping hidden names and the output folder), globs (``**``
allowed) or ``@list.txt`` (one INPUT per line, relative to the list's folder;
blank lines and ``#`` comments ignored).

The input tree is mirrored under the output folder: a file found under a
directory or a glob keeps its path relative to that directory (or to the
glob's fixed leading folders); a file named directly keeps its path relative
to the current folder (the folder of the list file for ``@list`` entries), or
just its name when it lies outside it.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..record import Record
from .errors import BatchUsageError

DEFAULT_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".pdf"})
_MAGIC = frozenset("*?[")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Source(Record):
    path: Path  # absolute
    display: str  # as the user named it (or as found under a named folder)
    rel: PurePosixPath  # where it goes under the output folder (with its own suffix)


def parse_extensions(text: str) -> frozenset[str]:
    exts = {e.strip().lower() for e in text.split(",") if e.strip()}
    if not exts:
        raise BatchUsageError("--ext names no extension")
    return frozenset(e if e.startswith(".") else f".{e}" for e in exts)


def _is_glob(text: str) -> bool:
    return any(c in _MAGIC for c in text)


def _glob_base(pattern: str) -> Path:
    """The leading folders of ``pattern`` that hold no wildcard."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if _is_glob(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _relative(path: Path, root: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        return PurePosixPath(path.name)


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


@dataclass(slots=True)
class _Expander:
    extensions: frozenset[str]
    excluded: tuple[Path, ...]  # absolute, resolved: the output folder, the report
    cwd: Path

    def _skip(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved == ex or ex in resolved.parents for ex in self.excluded)

    def _walk(self, folder: Path) -> Iterable[Path]:
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not self._skip(Path(top, d)))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in self.extensions:
                    path = Path(top, name)
                    if not self._skip(path):
                        yield path

    def expand(self, arg: str, base: Path, *, in_list: bool = False) -> Iterable[Source]:
        if arg.startswith("@") and not in_list:
            yield from self._expand_list(Path(base, arg[1:]))
            return
        path = Path(base, arg)
        if path.is_dir():
            root = path.absolute()
            for found in self._walk(root):
                yield Source(found, _display(found, self.cwd), _relative(found, root))
        elif path.is_file():
            found = path.absolute()
            yield Source(found, _display(found, self.cwd), _relative(found, base.absolute()))
        elif _is_glob(arg):
            root = Path(base, _glob_base(arg)).absolute()
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                raise BatchUsageError(f"{arg}: matches no file")
            for match in map(Path, matches):
                if match.is_dir():
                    files: Iterable[Path] = self._walk(match.absolute())
                elif match.suffix.lower() in self.extensions and not match.name.startswith("."):
                    files = [match.absolute()]
                else:
                    files = []
                for found in files:
                    if not self._skip(found):
                        yield Source(found, _display(found, self.cwd), _relative(found, root))
        else:
            raise BatchUsageError(f"{arg}: no such file or directory")

    def _expand_list(self, listing: Path) -> Iterable[Source]:
        try:
            text = listing.read_text(encoding="utf-8")
        except OSError as exc:
            raise BatchUsageError(f"@{listing}: cannot read the list ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise BatchUsageError(f"@{listing}: the list is not UTF-8 text") from None
        folder = listing.parent
        for line in text.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                yield from self.expand(entry, folder, in_list=True)


def expand_inputs(
    args: Sequence[str],
    *,
    extensions: frozenset[str] = DEFAULT_EXTENSIONS,
    exclude: Sequence[Path] = (),
    cwd: Path | None = None,
) -> list[Source]:
    """Every input file once, in the order named (folders and globs sorted)."""
    cwd = (cwd or Path.cwd()).absolute()
    expander = _Expander(extensions, tuple(p.resolve() for p in exclude), cwd)
    seen: set[Path] = set()
    sources: list[Source] = []
    for arg in args:
        for source in expander.expand(arg, cwd):
            key = source.path.resolve()
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources


def output_paths(
    sources: Sequence[Source], extensions: Sequence[str], out_dir: Path
) -> list[tuple[Path, ...]]:
    """The output path of each (source, format extension), checked: two inputs
    may not write one file, and no output may overwrite an input."""
    out_dir = out_dir.absolute()
    owners: dict[Path, Source] = {}
    inputs = {s.path.resolve() for s in sources}
    clashes: list[str] = []
    result: list[tuple[Path, ...]] = []
    for source in sources:
        stem_path = out_dir.joinpath(*source.rel.parts)
        paths = tuple(stem_path.with_suffix(ext) for ext in extensions)
        for path in paths:
            other = owners.setdefault(path, source)
            if other is not source:
                clashes.append(f"{other.display} and {source.display} would both write {path}")
            if path.resolve() in inputs:
                clashes.append(f"the output {path} would overwrite an input")
        result.append(paths)
    if clashes:
        more = f" (and {len(clashes) - 5} more)" if len(clashes) > 5 else ""
        raise BatchUsageError("; ".join(clashes[:5]) + more)
    return result


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
