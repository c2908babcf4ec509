"""Batch conversion: many inputs, in parallel, resumable, reported.

``run(inputs, to=..., out_dir=...)`` is the Python API (see api.run); the
command line is ``briefconvert batch`` (commands/batch.py).  Modules:
inputs (expanding INPUT arguments, mirroring the tree), job (Job, JobResult,
run_job: what a worker does), report (JSON-lines report, options digest,
resume, summary), engine (running jobs on a runner), local (pebble pool),
child and dask (Dask cluster, jobs in killable children), progress,
html_report, faults (fault injection for tests and benchmarks).
"""

from __future__ import annotations

from .api import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, REPORT_NAME, default_jobs, run
from .errors import BatchUsageError
from .job import Job, JobResult, Status, run_job
from .report import Summary, options_digest

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIMEOUT",
    "REPORT_NAME",
    "BatchUsageError",
    "Job",
    "JobResult",
    "Status",
    "Summary",
    "default_jobs",
    "options_digest",
    "run",
    "run_job",
]
