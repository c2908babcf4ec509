"""The ``briefconvert-check`` pre-commit hook, exercised with ``pre-commit
try-repo`` as a user would: pre-commit clones the hook repository, installs
briefconvert into a virtualenv of its own (dependencies from the package
registry) and runs the hook on the files given.

try-repo only sees what is committed (plus changes to tracked files), so the
test commits a copy of the current working tree (pyproject.toml, README.md,
.pre-commit-hooks.yaml, src/) to a temporary repository and tries that: the
test checks the code as it is, committed or not.  try-repo builds its hook
environment in a temporary store each time (PRE_COMMIT_HOME is not used for
it), so each run installs briefconvert afresh; pip's cache keeps that quick.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"

BAD = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Bad</title></head>
<body><main>
<h1>Bad</h1>
<p><img src="chart.png"></p>
</main></body>
</html>
"""

GOOD = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Good</title></head>
<body><main>
<h1>Good</h1>
<p>A paragraph with a <a href="https://example.org/report">link to the full report</a>.</p>
</main></body>
</html>
"""


def _env(tmp: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_CONFIG_GLOBAL=str(tmp / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="briefconvert tests",
        GIT_AUTHOR_EMAIL="tests@briefconvert.invalid",
        GIT_COMMITTER_NAME="briefconvert tests",
        GIT_COMMITTER_EMAIL="tests@briefconvert.invalid",
        GIT_AUTHOR_DATE="2025-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2025-01-01T00:00:00Z",
    )
    (tmp / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n")
    return env


def _git(env: dict[str, str], cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=120)


def _hook_repo(dest: Path, env: dict[str, str]) -> Path:
    """A git repository holding the current working tree of briefconvert."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    _git(env, dest, "init", "-q")
    _git(env, dest, "add", "-A")
    _git(env, dest, "commit", "-q", "-m", "snapshot for the pre-commit test")
    return dest


def test_manifest() -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "briefconvert-check"
    assert hook["entry"] == "briefconvert check"
    assert hook["language"] == "python"
    assert hook["types"] == ["file"]
    import re

    files = re.compile(hook["files"])
    for name in ("a.html", "b.HTM", "c/d.xhtml", "e.epub", "f.docx", "g.PDF"):
        assert files.search(name), name
    for name in ("a.html.bak", "b.doc", "c.txt", "html", "d.pdfx"):
        assert not files.search(name), name


Workspace = tuple[Path, Path, dict[str, str]]  # hook repository, project, environment


@pytest.fixture(scope="module")
def workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    if shutil.which("git") is None:
        pytest.fail("git is needed for the pre-commit test")
    tmp = tmp_path_factory.mktemp("precommit")
    cache = Path(str(request.config.cache.mkdir("briefconvert-pre-commit")))
    env = _env(tmp, cache / "home")
    # a stable path and fixed commit dates: the same tree gives the same repo and rev, so that
    # `pre-commit run` below reuses its hook environment from one test session to the next
    hook_repo = cache / "hook-repo"
    shutil.rmtree(hook_repo, ignore_errors=True)
    _hook_repo(hook_repo, env)
    project = tmp / "project"
    project.mkdir()
    (project / "bad.html").write_text(BAD, encoding="utf-8")
    (project / "good.html").write_text(GOOD, encoding="utf-8")
    (project / "notes.txt").write_text("not checked\n", encoding="utf-8")
    _git(env, project, "init", "-q")
    _git(env, project, "add", "-A")
    return hook_repo, project, env


def _pre_commit(workspace: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    _, project, env = workspace
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def test_try_repo_fails_on_a_bad_file(workspace: Workspace) -> None:
    hook_repo = str(workspace[0])
    proc = _pre_commit(
        workspace,
        "try-repo",
        hook_repo,
        "briefconvert-check",
        "--files",
        "bad.html",
        "good.html",
        "notes.txt",
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "briefconvert check (accessibility)" in out
    assert "Failed" in out
    assert "bad.html:6: error image-alt" in out
    assert "bad.html: error document-lang" in out
    report = out.split("Failed", 1)[1]
    assert "good.html" not in report  # checked, no finding
    assert "(2 files checked)" in report
    assert "notes.txt" not in report  # the hook's files pattern leaves it out


def test_config_passes_on_a_good_file(workspace: Workspace) -> None:
    """The README's .pre-commit-config.yaml (repo, rev, hook id), run by `pre-commit run`."""
    hook_repo, project, env = workspace
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = project / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: briefconvert-check\n",
        encoding="utf-8",
    )
    _pre_commit(workspace, "gc")  # drop environments of earlier snapshots from the cache
    proc = _pre_commit(workspace, "run", "--files", "good.html")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "briefconvert check (accessibility)" in out
    assert "Passed" in out
    proc = _pre_commit(workspace, "run", "--files", "bad.html")
    assert proc.returncode == 1
    assert "bad.html:6: error image-alt" in proc.stdout
