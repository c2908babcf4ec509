"""Shared test fixtures: golden files.

``pytest --update-golden`` rewrites goldens for review; a missing golden fails;
CI (CI=true) refuses the flag.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent.parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def require_shared(path: Path) -> None:
    """Skip a module whose data lives in ../shared when it is absent locally;
    in CI (where ../shared is always laid beside the clone) fail instead."""
    if path.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing in CI", pytrace=False)
    pytest.skip(f"{path} not found (the shared folder sits beside the checkout)", allow_module_level=True)


VALIDATE = SHARED / "tools" / "validate" / "validate.py"


def validators_unavailable(reason: str) -> None:
    """Skip locally, fail in CI, when an external validator cannot run."""
    if os.environ.get("CI"):
        pytest.fail(f"validators unavailable in CI: {reason}")
    pytest.skip(f"validators unavailable: {reason}")


def run_validators(
    files: Mapping[str, Path], *, skip: str | None = None, required: Collection[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Run ../shared/tools/validate/validate.py once over ``files`` (name ->
    path) and return each file's result by name.  A tool error on a tool in
    ``required`` (default: any tool) makes the validators unavailable."""
    if not VALIDATE.is_file():
        validators_unavailable(f"{VALIDATE} does not exist")
    python = shutil.which("python3") or sys.executable
    args = [python, str(VALIDATE), "--json", *(["--skip", skip] if skip else []), *map(str, files.values())]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=1800, check=False)
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError:
        validators_unavailable(f"validate.py exited {proc.returncode}: {(proc.stderr or proc.stdout)[-800:]}")
    by_file = {str(Path(r["file"]).resolve()): r for r in results}
    found = {name: by_file[str(path.resolve())] for name, path in files.items()}
    errors = sorted(
        {
            f"{e['tool']}: {e['error'][:300]}"
            for r in found.values()
            for e in r["tool_errors"]
            if required is None or e["tool"] in required
        }
    )
    if errors:
        validators_unavailable("; ".join(errors))
    return found


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-golden") and os.environ.get("CI"):
        raise pytest.UsageError("--update-golden is refused in CI")


Golden = Callable[[str, str | bytes], None]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """``golden("writer/sample.html", actual)`` compares ``actual`` with
    tests/golden/writer/sample.html (or rewrites it with --update-golden)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        path = GOLDEN_DIR / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"missing golden {path.relative_to(GOLDEN_DIR.parent)}; run pytest --update-golden")
        expected = path.read_bytes()
        if isinstance(actual, str):
            assert actual == expected.decode("utf-8"), f"differs from golden {name}"
        else:
            assert data == expected, f"differs from golden {name}"

    return check
