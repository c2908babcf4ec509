"""Shared test fixtures: golden files.

``pytest --update-golden`` rewrites goldens for review; a missing golden fails;
CI (CI=true) refuses the flag.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

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
