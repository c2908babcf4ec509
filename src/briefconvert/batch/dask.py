"""The Dask runner: the same jobs on a Dask distributed cluster
(``--scheduler tcp://HOST:PORT``, or ``--dask local`` for a LocalCluster here).

Dask has no per-task timeout, and a task that crashes takes its worker down
with it; so each Dask task hands its job to a warm child process
(child.ChildPool, kept per Dask worker by a WorkerPlugin) that is killed past
the job's deadline and replaced when it dies.  A Dask worker that dies anyway
is covered by the scheduler's ``allowed-failures`` (set for ``--dask local``;
a remote scheduler keeps its own setting): the job then fails as a worker
crash and the batch goes on.

Input and output paths are absolute: on a real cluster every worker must see
the same file system at the same paths.

Needs the optional ``briefconvert[dask]`` extra (distributed); this module is
imported only when Dask is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from .child import ChildPool
from .engine import result_or_failure
from .job import Job, JobResult
from .worker import WorkerSettings

PLUGIN_NAME = "briefconvert-batch"
DEFAULT_ALLOWED_FAILURES = 1  # a job may kill one Dask worker before it is given up


class ChildPoolPlugin(WorkerPlugin):
    """Keeps one ChildPool per Dask worker (created in ``setup`` there)."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.pool: ChildPool | None = None

    def setup(self, worker: Any) -> None:
        self.pool = ChildPool(self.settings)
        self.pool.prestart()

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def run_in_child(job: Job, settings: WorkerSettings) -> JobResult:
    """The Dask task (top-level): run ``job`` in a warm child of this worker."""
    try:
        plugin = get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not on a Dask worker
        plugin = None
    if isinstance(plugin, ChildPoolPlugin) and plugin.pool is not None and plugin.settings == settings:
        return plugin.pool.run(job)
    pool = ChildPool(settings)
    try:
        return pool.run(job)
    finally:
        pool.close()


class DaskRunner:
    def __init__(self, client: Client, settings: WorkerSettings) -> None:
        self.client = client
        self.settings = settings
        self._futures: list[Any] = []
        client.register_plugin(ChildPoolPlugin(settings), name=PLUGIN_NAME)

    def submit(self, job: Job) -> Any:
        future = self.client.submit(
            run_in_child, job, self.settings, pure=False, key=f"briefconvert-{uuid.uuid4().hex}"
        )
        self._futures.append(future)
        return future

    def outcome(self, job: Job, future: Any) -> JobResult | Job:
        return result_or_failure(job, future)

    def close(self, *, cancel: bool) -> None:
        if cancel and self._futures:
            self.client.cancel(self._futures)  # type: ignore[no-untyped-call]
        self._futures.clear()


@contextlib.contextmanager
def local_client(
    n_workers: int, *, allowed_failures: int = DEFAULT_ALLOWED_FAILURES, quiet: bool = True
) -> Iterator[Client]:
    """A LocalCluster of ``n_workers`` single-threaded worker processes."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR if quiet else logging.WARNING,
        )
    try:
        with Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
    finally:
        cluster.close()


@contextlib.contextmanager
def remote_client(address: str) -> Iterator[Client]:
    with Client(address, timeout="30s") as client:  # type: ignore[no-untyped-call]
        yield client
