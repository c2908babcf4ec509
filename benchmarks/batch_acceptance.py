"""The acceptance scenario of the batch issue, on 1,000 mixed inputs.

Inputs (generated in a temporary folder): HTML and PDF made from the repo's
fixtures/ and ../shared/corpus (HTML with a numbered paragraph added, PDFs
with a changed /Subject and a trailing comment, so no two are the same), in a
tree of folders, with 5% broken ones: truncated PDFs, binary junk named .html
(a corrupt PDF), noise named .pdf, empty and blank files, and four kinds of
fault injected in the workers only (briefconvert.batch.faults, through the
hidden --worker-setup): a slow input and a hanging one that hit the timeout,
inputs that crash their worker, one that exhausts its memory limit.

Checks, each printed with PASS/FAIL and its figures:
 1. the first run converts every good input into valid outputs (EPUB: a zip
    whose first entry is the mimetype; HTML: parses, has <main> and a lang),
    the report lists exactly the broken inputs, exit 1;
 2. a second run converts nothing and takes under 10 s;
 3. after deleting 10 outputs, a third run converts exactly those 10;
 4. kill -9 of a worker mid-run loses nothing else (same statuses, same bytes);
 5. kill -9 of the batch, then a rerun: no worker outlives it, and the
    outputs are byte-identical to the clean run's.

    .venv/bin/python benchmarks/batch_acceptance.py [--inputs 1000] [--jobs 2] [--keep DIR]

Exit status 0 when every check passes.  tests/test_batch_run.py proves the
same points on 40 inputs in ``make test``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FAULTS = "briefconvert.batch.faults:install"
FORMATS = "html,epub"
TIMEOUT = 10
REPORT = "briefconvert-report.jsonl"


@dataclass(frozen=True)
class Inputs:
    root: Path  # the folder given to the batch
    good: frozenset[str]  # keys (paths under root)
    broken: dict[str, str]  # key -> kind


def _html_families() -> list[tuple[str, Path, list[Path]]]:
    """(family, HTML file, files that must sit beside it)."""
    fam: list[tuple[str, Path, list[Path]]] = []
    images = REPO / "fixtures" / "html" / "images"
    for page in sorted((REPO / "fixtures" / "html").glob("*.html")):
        fam.append(("web", page, [images]))
    brief = REPO / "fixtures" / "brief"
    fam.append(("brief", brief / "brief.html", sorted(brief.glob("*.png"))))
    for folder in sorted((SHARED / "corpus" / "generated").glob("*")):
        if (folder / "source.html").is_file():
            fam.append((f"briefs-{folder.name}", folder / "source.html", sorted(folder.glob("*.png"))))
    for folder in sorted((SHARED / "corpus" / "real" / "html").glob("*")):
        if (folder / "source.html").is_file():
            fam.append((f"web-{folder.name}", folder / "source.html", []))
    return fam


def _pdf_variants(seed: int) -> list[tuple[str, bytes]]:
    """Every base PDF, plus two copies with another /Subject each (distinct content)."""
    import pypdf

    bases = sorted((REPO / "fixtures" / "pdf").rglob("*.pdf"))
    bases += sorted((SHARED / "corpus" / "generated").glob("*/*.pdf"))
    bases += sorted((SHARED / "corpus" / "real" / "pdf").glob("*.pdf"))
    variants: list[tuple[str, bytes]] = []
    for base in bases:
        name = base.stem
        if base.parent.name not in ("tagged", "untagged", "pdf"):
            name = f"{base.parent.name}-{name}"
        variants.append((name, base.read_bytes()))
        for k in (1, 2):
            writer = pypdf.PdfWriter(clone_from=base)
            writer.add_metadata({"/Subject": f"Batch acceptance variant {k} ({seed})"})
            buffer = io.BytesIO()
            writer.write(buffer)
            variants.append((f"{name}-v{k}", buffer.getvalue()))
    return variants


def make_inputs(dest: Path, n: int, *, broken_share: float = 0.05, seed: int = 6) -> Inputs:
    rng = random.Random(seed)
    root = dest / "catalogue"
    families = _html_families()
    pdfs = _pdf_variants(seed)
    n_broken = round(n * broken_share)
    good: set[str] = set()
    made_folders: set[Path] = set()
    for i in range(n - n_broken):
        year = 2015 + i % 10
        if i % 5 in (1, 3):  # 40% PDF
            name, data = pdfs[rng.randrange(len(pdfs))]
            key = f"pdf/{year}/{i:04d}-{name}.pdf"
            data = data + f"\n%batch acceptance input {i}\n".encode()
        else:
            family, page, beside = families[rng.randrange(len(families))]
            folder_key = f"html/{family}/{year}"
            key = f"{folder_key}/{i:04d}-{page.stem}.html"
            folder = root / folder_key
            if folder not in made_folders:
                folder.mkdir(parents=True, exist_ok=True)
                for extra in beside:
                    if extra.is_dir():
                        shutil.copytree(extra, folder / extra.name, dirs_exist_ok=True)
                    else:
                        shutil.copy(extra, folder / extra.name)
                made_folders.add(folder)
            data = page.read_bytes()
            if b"</body>" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                data = data.replace(b"</body>", f"<p>Catalogue entry {i}.</p></body>".encode(), 1)
            elif not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                data += f"\n<p>Catalogue entry {i}.</p>\n".encode()
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        good.add(key)
    broken: dict[str, str] = {}
    plan = ["crash", "crash", "memory", "slow", "hang"]
    plan += ["truncated"] * 17 + ["junk-html"] * 10 + ["noise-pdf"] * 6 + ["empty"] * 8 + ["blank"] * 4
    plan = (plan * (1 + n_broken // len(plan)))[:n_broken]
    sample_pdf = [d for _, d in pdfs]
    for j, kind in enumerate(plan):
        year = 2015 + j % 10
        if kind == "truncated":
            pdf = sample_pdf[rng.randrange(len(sample_pdf))]
            key, data = f"pdf/{year}/x{j:03d}-truncated.pdf", pdf[: rng.randrange(200, len(pdf) * 9 // 10)]
        elif kind == "junk-html":
            key, data = f"html/incoming/{year}/x{j:03d}-junk.html", b"%PDF-1.6\n" + rng.randbytes(5000)
        elif kind == "noise-pdf":
            key, data = f"pdf/{year}/x{j:03d}-noise.pdf", b"\x00\x89" + rng.randbytes(4000)
        elif kind == "empty":
            ext = "pdf" if j % 2 else "html"
            key, data = f"{ext}/{year}/x{j:03d}-empty.{ext}", b""
        elif kind == "blank":
            key, data = f"html/incoming/x{j:03d}-blank.html", b"  \n\t \r\n"
        else:
            from briefconvert.batch.faults import marker

            key, data = f"html/incoming/x{j:03d}-{kind}.html", marker(kind) + b"<p>never read</p>"
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        broken[key] = kind
    return Inputs(root, frozenset(good), broken)


# -- running and inspecting -----------------------------------------------------------------------


def batch_command(inputs: Inputs, out: Path, jobs: int, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "briefconvert", "batch", str(inputs.root),
        "--to", FORMATS, "--out-dir", str(out), "--jobs", str(jobs),
        "--timeout", str(TIMEOUT), "--worker-setup", FAULTS, "-q", *extra,
    ]  # fmt: skip


def run_batch(inputs: Inputs, out: Path, jobs: int, *extra: str) -> tuple[int, float]:
    start = time.monotonic()
    proc = subprocess.run(batch_command(inputs, out, jobs, *extra), capture_output=True, check=False)
    return proc.returncode, time.monotonic() - start


def last_run(out: Path) -> dict[str, dict[str, Any]]:
    """The input lines of the last run in the report, by key."""
    runs: list[dict[str, dict[str, Any]]] = []
    for line in (out / REPORT).read_bytes().splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("type") == "run":
            runs.append({})
        elif rec.get("type") == "input":
            runs[-1][rec["path"]] = rec
    return runs[-1] if runs else {}


def tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != REPORT
    }


def valid_outputs(out: Path, key: str) -> str | None:
    """None when the EPUB and HTML of ``key`` are valid, else what is wrong."""
    from lxml import html as lxml_html

    main = out / key  # the input's path under the output folder: its outputs differ by suffix
    try:
        with zipfile.ZipFile(main.with_suffix(".epub")) as z:
            if z.namelist()[0] != "mimetype" or z.read("mimetype") != b"application/epub+zip":
                return "EPUB without a leading mimetype"
            if z.testzip() is not None:
                return "EPUB with a bad entry"
        page = lxml_html.fromstring(main.with_suffix(".html").read_bytes())
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if page.find(".//main") is None or not page.get("lang"):
        return "HTML without <main> or lang"
    return None


def processes() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    table: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            table[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return table


def workers_of(pid: int) -> list[int]:
    """The pool workers of a batch: children of its children (the forkserver's)."""
    table = processes()
    children = {p for p, pp in table.items() if pp == pid}
    return sorted(p for p, pp in table.items() if pp in children)


def input_lines(out: Path) -> int:
    try:
        return (out / REPORT).read_bytes().count(b'"type": "input"')
    except FileNotFoundError:
        return 0


def start_and_kill(
    inputs: Inputs, out: Path, jobs: int, at_lines: int, kill: Callable[[subprocess.Popen[bytes]], Any]
) -> subprocess.Popen[bytes]:
    command = batch_command(inputs, out, jobs)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while input_lines(out) < at_lines:
        if proc.poll() is not None:
            raise RuntimeError("the batch ended before the kill")
        time.sleep(0.02)
    kill(proc)
    return proc


# -- the checks -----------------------------------------------------------------------------------


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, name: str, ok: bool, figures: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figures}", flush=True)
        self.failed += not ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="batch-acceptance-"))
    work.mkdir(parents=True, exist_ok=True)
    check = Checks()
    try:
        t = time.monotonic()
        inputs = make_inputs(work, args.inputs)
        n_pdf = sum(1 for k in inputs.good if k.endswith(".pdf"))
        print(
            f"inputs: {len(inputs.good) + len(inputs.broken)} ({len(inputs.good)} good: "
            f"{len(inputs.good) - n_pdf} HTML, {n_pdf} PDF; {len(inputs.broken)} broken) "
            f"made in {time.monotonic() - t:.1f} s; --jobs {args.jobs}, --timeout {TIMEOUT}",
            flush=True,
        )
        clean = work / "clean"

        # 1. the first run
        code, seconds = run_batch(inputs, clean, args.jobs)
        records = last_run(clean)
        bad = {k for k, r in records.items() if r["status"] != "ok"}
        invalid = {k: why for k in inputs.good if (why := valid_outputs(clean, k))}
        missing = inputs.good - {k for k, r in records.items() if r["status"] == "ok"}
        check(
            "first run: every good input converted and valid, exactly the broken reported, exit 1",
            code == 1 and not invalid and not missing and bad == set(inputs.broken),
            f"{len(records)} inputs in {seconds:.1f} s ({len(records) / seconds:.1f} docs/s), "
            f"{len(records) - len(bad)} ok, {len(bad)} reported failed "
            f"({len(bad & set(inputs.broken))} of the {len(inputs.broken)} broken, "
            f"{len(bad - set(inputs.broken))} others), {len(invalid)} invalid, exit {code}",
        )
        kinds: dict[str, set[str]] = {}
        for key, kind in inputs.broken.items():
            r = records.get(key, {})
            kinds.setdefault(kind, set()).add(f"{r.get('status')}/{r.get('error_class')}")
        shown = "; ".join(f"{k}: {', '.join(sorted(v))}" for k, v in kinds.items())
        print(f"      broken inputs as reported: {shown}")
        reference = tree(clean)

        # 2. the second run
        code, seconds = run_batch(inputs, clean, args.jobs)
        again = last_run(clean)
        converted = sorted(k for k, r in again.items() if r["status"] == "ok")
        retried = sorted(k for k, r in again.items() if r["status"] not in ("ok", "skipped"))
        check(
            "second run converts nothing, in under 10 s",
            not converted and seconds < 10 and code == 1,
            f"{seconds:.2f} s, {len(converted)} converted, {len(retried)} tried again, exit {code}",
        )

        # 3. delete 10 outputs
        rng = random.Random(10)
        victims = sorted(rng.sample(sorted(inputs.good), 10))
        for i, key in enumerate(victims):
            rec = records[key]
            images = [o for o in rec["outputs"] if "_files/" in o]
            suffix = ".epub" if i % 2 else ".html"
            target = images[0] if images and i % 3 == 2 else str(Path(key).with_suffix(suffix))
            (clean / target).unlink()
        code, seconds = run_batch(inputs, clean, args.jobs)
        third = sorted(k for k, r in last_run(clean).items() if r["status"] == "ok")
        same = tree(clean) == reference
        check(
            "after deleting 10 outputs, a third run converts exactly those 10",
            third == victims and same,
            f"{len(third)} converted in {seconds:.2f} s, outputs identical to the first run: {same}",
        )

        # 4. kill -9 of a worker mid-run
        out = work / "kill-worker"
        killed: list[int] = []

        def kill_worker(proc: subprocess.Popen[bytes]) -> None:
            pids = workers_of(proc.pid)
            if pids:
                os.kill(pids[-1], signal.SIGKILL)
                killed.append(pids[-1])

        proc = start_and_kill(inputs, out, args.jobs, len(records) // 5, kill_worker)
        proc.communicate()
        killed_run = last_run(out)
        statuses = {k: (r["status"], r["error_class"]) for k, r in killed_run.items()}
        again = sorted(
            k for k, r in killed_run.items() if r["attempts"] > 1 and inputs.broken.get(k) != "crash"
        )
        expected = {k: (r["status"], r["error_class"]) for k, r in records.items()}
        diff = {k for k in expected if statuses.get(k) != expected[k]}
        check(
            "kill -9 of a worker mid-run loses nothing else",
            bool(killed) and not diff and tree(out) == reference and proc.returncode == 1,
            f"killed worker {killed}, converting then retried: {again or 'none (the worker was idle)'}, "
            f"{len(diff)} inputs with another status than the clean run, "
            f"outputs identical: {tree(out) == reference}, exit {proc.returncode}",
        )

        # 5. kill -9 of the batch, then a rerun
        out = work / "kill-batch"
        seen: list[int] = []

        def kill_batch(proc: subprocess.Popen[bytes]) -> None:
            seen.extend(workers_of(proc.pid))
            proc.kill()

        proc = start_and_kill(inputs, out, args.jobs, len(records) * 2 // 5, kill_batch)
        proc.communicate()
        time.sleep(2)
        survivors = [p for p in seen if p in processes()]
        done_before = sum(1 for r in last_run(out).values() if r["status"] == "ok")
        code, seconds = run_batch(inputs, out, args.jobs)
        redone = sum(1 for r in last_run(out).values() if r["status"] == "ok")
        temps = list(out.rglob("*.tmp"))
        same = tree(out) == reference
        check(
            "kill -9 of the batch, then a rerun: outputs byte-identical to a clean run",
            same and not survivors and not temps and code == 1,
            f"{done_before} converted before the kill, {redone} by the rerun in {seconds:.1f} s, "
            f"{len(reference)} files compared: identical {same}, surviving workers {survivors}, "
            f"temp files left {len(temps)}",
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print("all checks passed" if not check.failed else f"{check.failed} check(s) FAILED")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
