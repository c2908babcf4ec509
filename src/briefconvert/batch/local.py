"""The local runner: a pebble process pool, which survives worker death.

- Workers are long-lived and warm: they fork from a forkserver that has
  already imported the readers and writers, and each converts a tiny
  document once before its first job (worker.init_worker).
- Each job has a soft timeout inside the worker (SIGALRM: the worker lives
  on) and a hard one in pebble (the worker is killed and replaced) for code
  that no signal interrupts.
- A worker that dies (crash, OOM killer, ``kill -9``) fails only the job it
  was running; that job is tried once more in a fresh worker, and recorded
  as failed if it kills that one too.
- A worker has an address-space limit (RLIMIT_AS), and exits when the batch
  process ends, even by ``kill -9``.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .job import (
    TIMEOUT,
    WORKER_CRASH,
    Job,
    JobResult,
    Status,
    crash_message,
    failure,
    hard_timeout,
    next_attempt,
    run_job,
    timeout_message,
)
from .worker import WorkerSettings, init_worker, preload_modules

MAX_TASKS_PER_WORKER = 200  # then the worker is replaced (bounds slow leaks)
MAX_POOL_REBUILDS = 3  # consecutive rebuilds with no result in between


class LocalRunner:
    def __init__(self, jobs: int, settings: WorkerSettings, *, crash_retries: int = 1) -> None:
        self.jobs = max(1, jobs)
        self.settings = settings
        self.crash_retries = crash_retries
        self._pool: Any = None
        self._generation = 0
        self._future_generation: dict[int, int] = {}
        self._rebuilds = 0

    def _ensure_pool(self) -> Any:
        if self._pool is None:
            import pebble

            context = multiprocessing.get_context("forkserver")
            # the forkserver imports these once; every worker forks from it warm
            context.set_forkserver_preload(preload_modules(self.settings.formats))
            self._pool = pebble.ProcessPool(
                max_workers=self.jobs,
                max_tasks=MAX_TASKS_PER_WORKER,
                initializer=init_worker,
                initargs=(self.settings, os.getpid()),
                context=context,
            )
            self._generation += 1
        return self._pool

    def submit(self, job: Job) -> Any:
        pool = self._ensure_pool()
        future = pool.schedule(run_job, args=(job,), timeout=hard_timeout(job.timeout))
        self._future_generation[id(future)] = self._generation
        return future

    def outcome(self, job: Job, future: Any) -> JobResult | Job:
        from pebble import ProcessExpired

        generation = self._future_generation.pop(id(future), self._generation)
        try:
            result = future.result()
        except TimeoutError:
            return failure(job, Status.TIMEOUT, TIMEOUT, timeout_message(job.timeout), job.timeout)
        except ProcessExpired as exc:
            if job.attempt <= self.crash_retries:
                return next_attempt(job)
            return failure(job, Status.FAILED, WORKER_CRASH, crash_message(exc.exitcode))
        except (BrokenProcessPool, RuntimeError) as exc:
            # the pool broke as a whole (a worker died outside a job, or could
            # not start): start a new one and run the job again
            if generation == self._generation:
                self._drop_pool()
                self._rebuilds += 1
            if self._rebuilds > MAX_POOL_REBUILDS:
                return failure(job, Status.FAILED, WORKER_CRASH, f"the worker pool keeps breaking ({exc})")
            return job
        except CancelledError:
            return failure(job, Status.FAILED, "Cancelled", "cancelled before it ran")
        except Exception as exc:
            return failure(job, Status.FAILED, type(exc).__name__, str(exc)[:300])
        self._rebuilds = 0
        if not isinstance(result, JobResult):
            return failure(job, Status.FAILED, "TypeError", f"the worker returned {type(result).__name__}")
        return result

    def _drop_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()

    def close(self, *, cancel: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            pool.stop()
        else:
            pool.close()
        pool.join()
