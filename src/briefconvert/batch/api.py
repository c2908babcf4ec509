"""``briefconvert.batch.run``: plan the jobs, skip what is done, run the rest
on a runner, record everything in the report."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__, registry
from ..errors import BriefconvertError
from ..options import ConvertOptions
from .engine import ExecutorRunner, Runner, execute, recorder, remove_stale_temp_files
from .errors import BatchUsageError
from .inputs import DEFAULT_EXTENSIONS, Source, expand_inputs, output_paths, sha256_file
from .job import Job, JobResult, Status, failure
from .progress import NoProgress, Progress
from .report import ReportWriter, Summary, load_state, options_digest, resume
from .worker import WorkerSettings

REPORT_NAME = "briefconvert-report.jsonl"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_LIMIT = 2 * 1024**3  # bytes of address space per worker


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_formats(to: str | Sequence[str]) -> tuple[str, ...]:
    """Format names (aliases allowed, "all"), checked and deduplicated."""
    names = [n.strip() for n in (to.split(",") if isinstance(to, str) else to)]
    if names == ["all"]:
        names = [n for n, s in registry.WRITERS.items() if s.target is not None]
    formats: list[str] = []
    for name in names:
        if name:
            try:
                spec = registry.writer_spec(name)
            except BriefconvertError as exc:
                raise BatchUsageError(str(exc)) from None
            if spec.name not in formats:
                formats.append(spec.name)
    if not formats:
        raise BatchUsageError("--to names no format")
    return tuple(formats)


def _job_options(template: ConvertOptions, stem: str) -> ConvertOptions:
    assets = f"{stem}_files"
    return replace(
        template, html=replace(template.html, assets_dir=assets), md=replace(template.md, assets_dir=assets)
    )


def _plan(
    sources: Sequence[Source],
    formats: tuple[str, ...],
    out_dir: Path,
    template: ConvertOptions,
    timeout: float,
) -> tuple[list[Job], list[JobResult]]:
    """A Job per source, and a failed result for each source that cannot be read."""
    digest = options_digest(formats, template)
    extensions = [registry.WRITERS[f].extension for f in formats]
    jobs: list[Job] = []
    unreadable: list[JobResult] = []
    for source, targets in zip(sources, output_paths(sources, extensions, out_dir), strict=True):
        job = Job(
            key=source.rel.as_posix(),
            input=str(source.path),
            display=source.display,
            sha256="",
            formats=formats,
            targets=tuple(str(t) for t in targets),
            out_dir=str(out_dir),
            options=_job_options(template, targets[0].stem),
            digest=digest,
            version=__version__,
            timeout=timeout,
        )
        try:
            jobs.append(replace(job, sha256=sha256_file(source.path)))
        except OSError as exc:
            unreadable.append(
                failure(job, Status.FAILED, "InputError", f"cannot read: {exc.strerror or exc}")
            )
    return jobs, unreadable


def _make_runner(executor: Any, jobs: int, settings: WorkerSettings) -> Runner:
    if executor is None:
        from .local import LocalRunner

        return LocalRunner(jobs, settings)
    if type(executor).__module__.split(".")[0] == "distributed":
        from .dask import DaskRunner

        return DaskRunner(executor, settings)
    return ExecutorRunner(executor)


def run(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    to: str | Sequence[str] = ("html",),
    out_dir: str | os.PathLike[str],
    options: ConvertOptions | None = None,
    executor: Any = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    report: str | os.PathLike[str] | None = None,
    html_report: str | os.PathLike[str] | None = None,
    force: bool = False,
    retry_failed: bool = False,
    extensions: Iterable[str] = DEFAULT_EXTENSIONS,
    progress: Progress | None = None,
    worker_setup: str | None = None,
) -> Summary:
    """Convert many inputs (files, folders, globs, ``@list.txt``) to ``to``
    under ``out_dir``, mirroring the input tree, in parallel and resumably.

    ``executor``: None for a local pebble pool of ``jobs`` workers (default:
    the CPU count) with hard timeouts, memory limits and crash survival; a
    ``distributed.Client`` for a Dask cluster (jobs run in killable child
    processes); or any concurrent.futures-style executor, in which each job
    runs as ``run_job(job)`` (isolation is then the executor's).

    ``worker_setup``: "module:function" called once in each worker process
    (local pool and Dask children), e.g. to install test fault injection.

    Raises BatchUsageError when the batch cannot start; a failed document is
    a result, never an exception.  ``Summary.exit_code`` is 0 when every input
    is converted (now or before), else 1.
    """
    started = time.monotonic()
    formats = resolve_formats(to)
    out = Path(out_dir).absolute()
    report_path = Path(report).absolute() if report is not None else out / REPORT_NAME
    page_path = Path(html_report).absolute() if html_report is not None else None
    if timeout < 0:
        raise BatchUsageError("--timeout must be 0 (none) or more")
    exclude = [out, report_path, *([page_path] if page_path else [])]
    sources = expand_inputs(
        [os.fspath(i) for i in inputs], extensions=frozenset(e.lower() for e in extensions), exclude=exclude
    )
    template = options or ConvertOptions()
    job_list, unreadable = _plan(sources, formats, out, template, timeout)
    progress = progress or NoProgress()
    results: list[JobResult] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchUsageError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    with ReportWriter(report_path) as writer:
        state = load_state(report_path)
        skipped: list[JobResult] = []
        to_run: list[Job] = []
        for job in job_list:
            kept = resume(job, state.get(job.key), force=force, retry_failed=retry_failed)
            if kept is None:
                to_run.append(job)
            else:
                skipped.append(kept)
        writer.write(
            {
                "type": "run",
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "version": __version__,
                "options": job_list[0].digest if job_list else options_digest(formats, template),
                "formats": list(formats),
                "inputs": len(sources),
                "to_convert": len(to_run),
            }
        )
        record = recorder(writer, progress, results)
        progress.start(len(sources), skipped)
        for result in skipped:
            writer.write(result.to_record())
            results.append(result)
        for result in unreadable:
            record(result)
        completed = True
        if to_run:
            remove_stale_temp_files(to_run)
            settings = WorkerSettings(formats=formats, memory_limit=memory_limit or None, setup=worker_setup)
            try:
                runner = _make_runner(executor, min(jobs or default_jobs(), len(to_run)), settings)
                completed = execute(to_run, runner, record=record)
            finally:
                progress.close()
        else:
            progress.close()
        summary = Summary(tuple(results), time.monotonic() - started, interrupted=not completed)
        writer.write(summary.to_record())
    if page_path is not None:
        from .html_report import write_page

        write_page(summary, out_dir=out, page_path=page_path)
    return summary
