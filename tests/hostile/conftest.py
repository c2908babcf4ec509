"""Fixtures of the hostile-input suite: the listener (a stand-in remote
host), the sandbox with its canaries, the working folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Listener
from .inputs import Env, make_env


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: runs briefconvert in sandboxed subprocesses (seconds per test; part of make test)"
    )


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def sandbox(tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    """A fresh sandbox; the current folder is its ``work`` folder (so that a
    stray write to the current folder is seen), the listener starts clean
    and must stay untouched."""
    env = make_env(tmp_path, listener.port)
    monkeypatch.chdir(env.root / "work")
    monkeypatch.delenv("BRIEFCONVERT_DEBUG", raising=False)
    before = len(listener.hits)
    yield env
    assert listener.hits[before:] == [], "a connection reached the stand-in remote host"
