"""Configuration of ``briefconvert check``: [tool.briefconvert.check] in
pyproject.toml, and how the command line overrides it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefconvert.a11y.config import (
    ConfigError,
    FileConfig,
    find_pyproject,
    load_file_config,
    split_rule_list,
    unknown_patterns,
)
from briefconvert.commands.check import main
from briefconvert.diagnostics import Severity
from check_fakes import install


@pytest.fixture(autouse=True)
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch)
    monkeypatch.delenv("NO_COLOR", raising=False)


def pyproject(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_load_all_keys(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.briefconvert.check]\nselect = ["heading-*", "image-alt"]\n'
        'ignore = ["heading-h1"]\nfail-on = "error"\nformat = "json"\n',
    )
    assert load_file_config(path) == FileConfig(
        source=path,
        select=("heading-*", "image-alt"),
        ignore=("heading-h1",),
        fail_on=Severity.ERROR,
        format="json",
    )


def test_absent_table_is_empty(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.ruff]\nline-length = 100\n")
    assert load_file_config(path) == FileConfig(source=path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "selct = []\nfail_on = 'error'",
            "unknown keys 'fail_on', 'selct' (known: select, ignore, fail-on, format)",
        ),
        (
            "select = ['image-alt', 'imge-alt']",
            "select: unknown rule id 'imge-alt' (did you mean 'image-alt'?)",
        ),
        ("ignore = ['zzz-*']", "ignore: unknown rule id 'zzz-*'"),
        ("select = 'image-alt'", 'select must be a list of rule ids, like select = ["image-alt"]'),
        ("fail-on = 'fatal'", "fail-on: 'fatal' is not a severity (choose error, warning or info)"),
        ("fail-on = 2", "fail-on must be a string (error, warning or info)"),
        ("format = 'xml'", "format must be one of human, json, sarif, not 'xml'"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = pyproject(tmp_path, f"[tool.briefconvert.check]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_file_config(path)
    assert str(info.value).startswith(f"{path}: [tool.briefconvert.check]")
    assert message in str(info.value)


def test_invalid_toml(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.briefconvert.check\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_file_config(path)
    path = pyproject(tmp_path, "[tool.briefconvert]\ncheck = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.briefconvert.check\] must be a table"):
        load_file_config(path)


def test_nearest_pyproject_with_the_table(tmp_path: Path) -> None:
    root = pyproject(tmp_path / "repo", '[tool.briefconvert.check]\nignore = ["heading-h1"]\n')
    pyproject(tmp_path / "repo" / "sub", '[project]\nname = "sub"\n')  # no table: passed over
    deep = tmp_path / "repo" / "sub" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == root
    inner = pyproject(tmp_path / "repo" / "sub" / "a", "[tool.briefconvert.check]\n")
    assert find_pyproject(deep) == inner
    assert find_pyproject(tmp_path) is None


def test_rule_patterns() -> None:
    assert split_rule_list(" image-alt, ,heading-* ,") == ("image-alt", "heading-*")
    assert unknown_patterns(["all", "epub-*", "image-alt", "image", "nope-*", "x"]) == [
        "image",
        "nope-*",
        "x",
    ]


# ------------------------------------------------------------ with the CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def page(folder: Path) -> Path:
    path = folder / "p.html"
    path.write_text("TITLE:T\nFAULT:heading-order\nFAULT:heading-empty\nFAULT:link-text-generic\n")
    return path


def rules_in(out: str) -> list[str]:
    return [f["rule"] for f in json.loads(out)["files"][0]["findings"]]


def test_config_applies_and_cli_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject(
        tmp_path,
        '[tool.briefconvert.check]\nignore = ["heading-empty"]\nfail-on = "error"\nformat = "json"\n',
    )
    (tmp_path / "docs").mkdir()
    page(tmp_path / "docs")
    monkeypatch.chdir(tmp_path / "docs")

    code, out, _ = run(capsys, "p.html")  # json from the config; only warnings left, fail-on error
    assert rules_in(out) == ["heading-order", "link-text-generic"]
    assert code == 0

    code, out, _ = run(capsys, "p.html", "--fail-on", "warning")
    assert json.loads(out)["summary"]["fail_on"] == "warning"
    assert code == 1

    code, out, _ = run(capsys, "p.html", "--ignore", "link-text-generic")  # replaces the config's list
    assert rules_in(out) == ["heading-order", "heading-empty"]
    assert code == 1

    code, out, _ = run(capsys, "p.html", "--format", "human", "--select", "heading-empty")
    assert out == "no findings in 1 file.\n"  # the config's ignore still holds: ignore wins over select
    assert code == 0

    code, out, _ = run(capsys, "p.html", "--format", "human", "--select", "heading-empty", "--ignore", "")
    assert "p.html:3:1: error heading-empty planted heading-empty" in out
    assert "heading-order" not in out
    assert code == 1

    code, out, _ = run(capsys, "p.html", "--no-config", "--format", "json")
    assert rules_in(out) == ["heading-order", "heading-empty", "link-text-generic"]
    assert code == 1


def test_explicit_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = pyproject(tmp_path / "cfg", '[tool.briefconvert.check]\nselect = ["link-*"]\nformat = "json"\n')
    monkeypatch.chdir(tmp_path)
    page(tmp_path)
    code, out, _ = run(capsys, "p.html", "--config", str(cfg))
    assert rules_in(out) == ["link-text-generic"]
    assert code == 1


def test_config_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = pyproject(tmp_path, '[tool.briefconvert.check]\nignore = ["heading-oder"]\ncolour = true\n')
    monkeypatch.chdir(tmp_path)
    page(tmp_path)
    code, out, err = run(capsys, "p.html")
    assert code == 2
    assert out == ""
    assert err == (
        f"briefconvert check: error: {cfg}: [tool.briefconvert.check]: unknown key 'colour' "
        "(known: select, ignore, fail-on, format)\n"
    )
    code, _, err = run(capsys, "p.html", "--no-config", "--ignore", "heading-oder,link-*")
    assert code == 2
    assert "--ignore: unknown rule id 'heading-oder' (did you mean 'heading-order'?)" in err
    # --no-config skips the broken file
    code, _, _ = run(capsys, "p.html", "--no-config", "--ignore", "heading-*,link-*")
    assert code == 0


def test_readme_example_is_valid(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[tool\.briefconvert\.check\]\n.*?)```", readme, re.S)
    assert block is not None, "README.md shows no [tool.briefconvert.check] example"
    config = load_file_config(pyproject(tmp_path, block.group(1)))
    assert config.select == ("all",)
    assert config.fail_on is Severity.WARNING
