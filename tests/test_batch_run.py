"""Batch conversion end to end, at a small scale (40 inputs, a quarter of
them broken): the acceptance points of the batch issue, each proved here;
benchmarks/batch_acceptance.py runs the same scenario on 1,000 inputs.

Broken inputs are real (truncated PDFs, binary junk named .html, empty
files) plus four faults injected by briefconvert.batch.faults in the worker
processes only (a crash, an interruptible and an uninterruptible hang, a
memory blow-up), through the hidden ``--worker-setup`` option.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from briefconvert.batch import run
from briefconvert.batch.faults import marker
from briefconvert.commands.batch import main as batch_main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from batch_acceptance import input_lines, processes, workers_of  # the acceptance script's /proc helpers

FIXTURES = Path(__file__).parent.parent / "fixtures"
FORMATS = "html,epub,txt"
TIMEOUT = "5"  # generous: a good document must never hit it on a loaded machine
FAULTS = "briefconvert.batch.faults:install"
REPORTS = {"briefconvert-report.jsonl", "report.html"}

# worker pools talk to their forkserver over Unix sockets, Dask over local TCP
pytestmark = pytest.mark.enable_socket

# broken input -> (status, error class) expected in the report
BROKEN = {
    "broken/trunc-half.pdf": ("failed", "InputError"),
    "broken/trunc-head.pdf": ("failed", "InputError"),
    "broken/junk.html": ("failed", "InputError"),  # binary junk (a corrupt PDF) named .html
    "broken/noise.pdf": ("failed", "UnsupportedInput"),
    "broken/empty.html": ("failed", "InputError"),
    "broken/blank.pdf": ("failed", "InputError"),
    "broken/slow.html": ("timeout", "Timeout"),
    "broken/hang.html": ("timeout", "Timeout"),
    "broken/crash.html": ("failed", "WorkerCrash"),
    "broken/memory.html": ("failed", "MemoryError"),
}


def make_corpus(root: Path, n_good: int, seed: int = 6) -> set[str]:
    """``n_good`` good inputs (fixture HTML and PDFs, varied) under root/good,
    the BROKEN ones under root/broken; returns the good keys."""
    rng = random.Random(seed)
    bases = [*sorted((FIXTURES / "html").glob("*.html")), FIXTURES / "brief" / "brief.html"]
    pdfs = sorted((FIXTURES / "pdf").rglob("*.pdf"))
    good: set[str] = set()
    for i in range(n_good):
        folder = root / "good" / f"g{i % 3}"
        if not folder.exists():
            shutil.copytree(FIXTURES / "html" / "images", folder / "images")
            for png in (FIXTURES / "brief").glob("*.png"):
                shutil.copy(png, folder / png.name)
        if i % 4 == 3:
            src = pdfs[(i // 4) % len(pdfs)]
            data = src.read_bytes() + f"\n%batch variant {i}\n".encode()
        else:
            src = bases[-1] if i == 0 else bases[rng.randrange(len(bases))]  # the brief has images
            data = src.read_bytes()
            if b"</body>" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                data = data.replace(b"</body>", f"<p>Batch variant {i}.</p></body>".encode(), 1)
        name = f"doc{i:03d}-{src.stem}{src.suffix}"
        (folder / name).write_bytes(data)
        good.add(f"good/g{i % 3}/{name}")
    broken = root / "broken"
    broken.mkdir(parents=True)
    pdf = (FIXTURES / "pdf" / "tagged" / "brief.pdf").read_bytes()
    (broken / "trunc-half.pdf").write_bytes(pdf[: len(pdf) // 2])
    (broken / "trunc-head.pdf").write_bytes(pdf[:2000])
    (broken / "junk.html").write_bytes(b"%PDF-1.7\n" + rng.randbytes(4000))
    (broken / "noise.pdf").write_bytes(b"\x89\x00" + rng.randbytes(3000))
    (broken / "empty.html").write_bytes(b"")
    (broken / "blank.pdf").write_bytes(b" \n\t\n")
    for kind in ("slow", "hang", "crash", "memory"):
        (broken / f"{kind}.html").write_bytes(marker(kind) + b"<p>never read</p>")
    return good


@dataclass(frozen=True)
class Corpus:
    root: Path
    good: frozenset[str]

    @property
    def keys(self) -> set[str]:
        return set(self.good) | set(BROKEN)


@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    out: Path

    def records(self, run_index: int = -1) -> list[dict[str, Any]]:
        """The input lines of one run of the report (the last by default)."""
        runs: list[list[dict[str, Any]]] = []
        for line in (self.out / "briefconvert-report.jsonl").read_bytes().splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if rec["type"] == "run":
                runs.append([])
            elif rec["type"] == "input":
                runs[-1].append(rec)
        return runs[run_index]

    def by_key(self, run_index: int = -1) -> dict[str, dict[str, Any]]:
        recs = self.records(run_index)
        table = {r["path"]: r for r in recs}
        assert len(table) == len(recs), "an input has two lines in one run"
        return table


def batch_args(corpus: Corpus, out: Path, *extra: str) -> list[str]:
    return [
        str(corpus.root),
        "--to", FORMATS,
        "--out-dir", str(out),
        "--timeout", TIMEOUT,
        "--jobs", "2",
        "--worker-setup", FAULTS,
        *extra,
    ]  # fmt: skip


def run_cli(corpus: Corpus, out: Path, *extra: str) -> Run:
    start = time.monotonic()
    code = batch_main(batch_args(corpus, out, *extra))
    return Run(code, time.monotonic() - start, out)


def tree(out: Path) -> dict[str, bytes]:
    """Every output file (not the reports) and its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in REPORTS
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("batch-corpus")
    return Corpus(root, frozenset(make_corpus(root, 30)))


@pytest.fixture(scope="module")
def reference(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("batch-reference") / "out"
    return run_cli(corpus, out, "--html-report", str(out / "report.html"))


def test_first_run_converts_every_good_input_and_reports_exactly_the_broken(
    corpus: Corpus, reference: Run
) -> None:
    assert reference.code == 1
    records = reference.by_key()
    assert set(records) == corpus.keys
    failed = {k: (r["status"], r["error_class"]) for k, r in records.items() if r["status"] != "ok"}
    assert failed == BROKEN
    assert records["broken/crash.html"]["attempts"] == 2  # tried once more in a fresh worker
    for key in corpus.good:
        rec = records[key]
        main = reference.out / key  # the outputs differ from it by their suffix
        assert rec["outputs"] and all((reference.out / o).is_file() for o in rec["outputs"])
        with zipfile.ZipFile(main.with_suffix(".epub")) as z:
            assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
            assert z.testzip() is None
        page = lxml_html.fromstring(main.with_suffix(".html").read_bytes())
        assert page.find(".//main") is not None and page.get("lang")
        assert main.with_suffix(".txt").read_text(encoding="utf-8").strip()
        assert rec["sha256"] and rec["version"] and rec["options"] and rec["peak_rss"] > 0
    for key in BROKEN:
        assert records[key]["outputs"] == []
        assert not (reference.out / key).with_suffix(".html").exists()
    assert not [p for p in reference.out.rglob("*.tmp")]
    summary = json.loads((reference.out / "briefconvert-report.jsonl").read_bytes().splitlines()[-1])
    assert summary["type"] == "summary" and summary["ok"] == len(corpus.good)
    assert summary["failed"] + summary["timeout"] == len(BROKEN)
    page = lxml_html.fromstring((reference.out / "report.html").read_bytes())
    assert "broken/trunc-half.pdf" in page.text_content()


def test_second_run_converts_nothing_and_a_third_exactly_the_deleted(
    corpus: Corpus, reference: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference.out, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name not in REPORTS}
    second = run_cli(corpus, out)
    assert second.code == 1  # the broken inputs are still broken
    assert second.seconds < 10
    statuses = {k: r["status"] for k, r in second.by_key().items()}
    assert set(statuses) == corpus.keys
    assert "ok" not in statuses.values()  # nothing converted
    assert set(statuses.values()) == {"skipped"}
    assert {p: p.stat().st_mtime_ns for p in before} == before  # no output rewritten
    # delete outputs of three inputs: a main file, another format, an image
    good = sorted(corpus.good)
    with_image = next(k for k in good if any("_files/" in o for o in reference.by_key()[k]["outputs"]))
    others = [k for k in good if k != with_image][:2]
    (out / Path(others[0]).with_suffix(".epub")).unlink()
    (out / Path(others[1]).with_suffix(".txt")).unlink()
    image = next(o for o in reference.by_key()[with_image]["outputs"] if "_files/" in o)
    (out / image).unlink()
    third = run_cli(corpus, out)
    converted = {k for k, r in third.by_key().items() if r["status"] == "ok"}
    assert converted == {with_image, *others}
    assert tree(out) == tree(reference.out)


def test_retry_failed_and_force(corpus: Corpus, reference: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference.out, out)
    retried = run_cli(corpus, out, "--retry-failed")
    ran = {
        k: (r["status"], r["error_class"]) for k, r in retried.by_key().items() if r["status"] != "skipped"
    }
    assert ran == BROKEN
    forced = run_cli(corpus, out, "--force")
    assert {k for k, r in forced.by_key().items() if r["status"] == "ok"} == corpus.good
    assert tree(out) == tree(reference.out)


@pytest.fixture
def spawn_batch(corpus: Corpus) -> Iterator[Any]:
    procs: list[subprocess.Popen[bytes]] = []

    def spawn(out: Path) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "briefconvert", "batch", *batch_args(corpus, out), "-q"]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _wait_for_lines(out: Path, n: int, proc: subprocess.Popen[bytes], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while input_lines(out) < n:
        assert proc.poll() is None, "the batch ended too early for the test"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds workers through /proc")
def test_kill_9_of_a_worker_mid_run_loses_nothing_else(
    corpus: Corpus, reference: Run, tmp_path: Path, spawn_batch: Any
) -> None:
    out = tmp_path / "out"
    proc = spawn_batch(out)
    _wait_for_lines(out, 8, proc)
    workers = workers_of(proc.pid)
    assert workers, "no pool worker found"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err.decode()
    killed_run = Run(proc.returncode, 0, out).by_key()
    expected = {k: (r["status"], r["error_class"]) for k, r in reference.by_key().items()}
    assert {k: (r["status"], r["error_class"]) for k, r in killed_run.items()} == expected
    assert tree(out) == tree(reference.out)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds workers through /proc")
def test_kill_9_of_the_batch_then_a_rerun_gives_the_outputs_of_a_clean_run(
    corpus: Corpus, reference: Run, tmp_path: Path, spawn_batch: Any
) -> None:
    out = tmp_path / "out"
    proc = spawn_batch(out)
    _wait_for_lines(out, 12, proc)
    workers = workers_of(proc.pid)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(pid in processes() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if pid in processes()], "workers outlived the batch"
    first = Run(-9, 0, out).by_key()
    assert 12 <= len(first) < len(corpus.keys)
    rerun = run_cli(corpus, out)
    assert rerun.code == 1
    redone = {k for k, r in rerun.by_key().items() if r["status"] == "ok"}
    assert redone == corpus.good - {k for k, r in first.items() if r["status"] == "ok"}
    assert tree(out) == tree(reference.out)
    assert not [p for p in out.rglob("*.tmp")]


def test_python_api_with_any_executor(corpus: Corpus, reference: Run, tmp_path: Path) -> None:
    """A thread pool runs run_job in threads: no fault injection, good inputs only."""
    out = tmp_path / "out"
    with ThreadPoolExecutor(max_workers=2) as executor:
        summary = run([corpus.root / "good"], to=FORMATS, out_dir=out, executor=executor, timeout=60)
    assert summary.exit_code == 0 and summary.converted == len(corpus.good)
    expected = {k.removeprefix("good/"): v for k, v in tree(reference.out).items() if k.startswith("good/")}
    assert tree(out) == expected


def test_dask_cluster_gives_the_same_outputs_and_report_as_the_local_pool(
    corpus: Corpus, reference: Run, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    from briefconvert.batch.dask import local_client

    out = tmp_path / "out"
    with local_client(2) as client:
        assert isinstance(client, distributed.Client)
        summary = run(
            [corpus.root],
            to=FORMATS,
            out_dir=out,
            executor=client,
            timeout=float(TIMEOUT),
            worker_setup=FAULTS,
        )
    assert summary.exit_code == 1
    assert tree(out) == tree(reference.out)

    def comparable(run: Run) -> dict[str, dict[str, Any]]:
        return {
            k: {f: v for f, v in r.items() if f not in ("seconds", "peak_rss")}
            for k, r in run.by_key().items()
        }

    assert comparable(Run(summary.exit_code, 0, out)) == comparable(reference)
