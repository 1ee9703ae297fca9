"""Forecasts that run in the background, one at a time, while pages stay responsive (the models' work itself runs
in a low-priority worker process: web/worker.py)."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Job", "JobQueue", "QueueFull", "MAX_PENDING"]

#: Jobs queued or running at most; one more is refused (the web app answers 429 with Retry-After).
MAX_PENDING = 4


class QueueFull(Exception):
    """The queue holds :data:`MAX_PENDING` jobs; ``retry_after`` is a guess in seconds of when one ends."""

    def __init__(self, pending: int, retry_after: int) -> None:
        self.pending = pending
        self.retry_after = retry_after
        super().__init__(f"{pending} forecasts are queued or running; try again in about {retry_after} s")


@dataclass
class Job:
    """One background job: its progress, and the run it produced or the error it met."""

    id: int
    label: str
    done: int = 0
    total: int = 1
    state: str = "queued"  # queued, running, finished, failed
    run_id: int | None = None
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    exception: BaseException | None = field(default=None, repr=False)
    future: Future[None] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "id": self.id,
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "state": self.state,
            "run_id": self.run_id,
            "error": self.error,
        }


class JobQueue:
    """A single worker thread running jobs in order, at most ``max_pending`` queued or running."""

    def __init__(self, keep: int = 200, max_pending: int = MAX_PENDING) -> None:
        self._pool = self._new_pool()
        self._closed = False
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._keep = keep
        self._max_pending = max_pending
        self._pending = 0
        self._seconds = 10.0  # running mean of a job's duration, for Retry-After

    @staticmethod
    def _new_pool() -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="backchannel-job")

    @property
    def pending(self) -> int:
        """Jobs queued or running now."""
        return self._pending

    def submit(self, label: str, work: Callable[[Callable[[int, int], None]], dict[str, Any]]) -> Job:
        """Queue ``work(progress)``; it returns the run payload (with ``run_id``). QueueFull when full."""
        with self._lock:
            if self._pending >= self._max_pending:
                raise QueueFull(self._pending, max(1, round(self._seconds * self._pending)))
            self._pending += 1
            if self._closed:  # an app used again after its lifespan ended (tests): a new worker
                self._pool, self._closed = self._new_pool(), False
            job = Job(id=next(self._ids), label=label)
            self._jobs[job.id] = job
            for old in sorted(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old]

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, max(total, 1)

        def run() -> None:
            import time

            job.state = "running"
            start = time.monotonic()
            try:
                job.result = work(progress)
                job.run_id = job.result.get("run_id")
                job.state = "finished"
            except Exception as exc:  # the page shows the one-line reason; the API re-raises it
                job.exception = exc
                job.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                job.state = "failed"
            finally:
                with self._lock:
                    self._pending -= 1
                    self._seconds = 0.7 * self._seconds + 0.3 * (time.monotonic() - start)

        job.future = self._pool.submit(run)
        return job

    def get(self, job_id: int) -> Job | None:
        """The job with this id, if still kept."""
        return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Stop the worker after the running job (a later submit starts a new one)."""
        with self._lock:
            self._closed = True
            self._pool.shutdown(wait=False, cancel_futures=True)
