"""Forecasts that run in the background while a page shows their progress."""
from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Job", "JobQueue"]


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"id": self.id, "label": self.label, "done": self.done, "total": self.total, "state": self.state,
                "run_id": self.run_id, "error": self.error}


class JobQueue:
    """A single worker thread running jobs in order; jobs are kept in memory."""

    def __init__(self, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backchannel-job")
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, label: str, work: Callable[[Callable[[int, int], None]], dict[str, Any]]) -> Job:
        """Queue ``work(progress)``; it returns the run payload (with ``run_id``)."""
        with self._lock:
            job = Job(id=next(self._ids), label=label)
            self._jobs[job.id] = job
            for old in sorted(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old]

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, max(total, 1)

        def run() -> None:
            job.state = "running"
            try:
                job.result = work(progress)
                job.run_id = job.result.get("run_id")
                job.state = "finished"
            except Exception as exc:  # the page shows the one-line reason
                job.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                job.state = "failed"

        self._pool.submit(run)
        return job

    def get(self, job_id: int) -> Job | None:
        """The job with this id, if still kept."""
        return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Stop the worker after the running job."""
        self._pool.shutdown(wait=False, cancel_futures=True)
