"""The models' number crunching for the web app, in one worker process at low priority.

A forecast solved in a thread of the server would hold Python's global interpreter lock for most of its run, and
every page would wait for it however low the thread's CPU priority. In a process of its own (started with
``spawn``, never ``fork`` from a threaded server) it only competes for the cores, where ``os.nice`` lets the
pages win. The job thread waits for the result and passes on the progress the worker reports through shared
memory; the run is recorded by the server, in its store.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from ..analysis.whatif import WhatIf
from ..app.results import ForecastRun
from ..app.service import Service

__all__ = [
    "INLINE_SOLVES",
    "NICENESS",
    "model_solves",
    "compute_forecast",
    "compute_whatif",
    "forecast_in_worker",
    "forecast_job",
    "run_in_worker",
    "shutdown_worker",
    "whatif_in_worker",
    "whatif_job",
    "worker_niceness",
]

#: How much the worker process lowers its CPU priority (``os.nice``), so that page requests win the cores.
NICENESS = 19
#: Jobs of at most this many model solves run in the job thread itself: a point forecast or a few hundred draws
#: take milliseconds, less than handing them to the worker (and far less than its first start).
INLINE_SOLVES = 1_000
Progress = Callable[[int, int], None]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_context = mp.get_context("spawn")
_done = _context.Value("q", 0, lock=False)
_total = _context.Value("q", 1, lock=False)
_shared: dict[str, Any] = {}  # in the worker: the progress counters


def _start(done: Any, total: Any) -> None:
    """Worker initialiser: lower its priority and keep the progress counters."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # no nice (Windows) or not permitted
        pass
    _shared.update(done=done, total=total)


def _progress(done: int, total: int) -> None:
    _shared["done"].value, _shared["total"].value = done, max(total, 1)


def compute_forecast(**kwargs: Any) -> dict[str, Any]:
    """In the worker: :meth:`Service.compute_forecast` (it needs no store), reporting progress to the server."""
    kwargs.pop("progress", None)
    return Service().compute_forecast(progress=_progress, **kwargs).to_dict()


def compute_whatif(**kwargs: Any) -> dict[str, Any]:
    """In the worker: :meth:`Service.compute_whatif` (it needs no store), reporting progress to the server."""
    kwargs.pop("progress", None)
    return Service().compute_whatif(progress=_progress, **kwargs).to_dict()


def worker_niceness() -> int:
    """In the worker: how much lower its priority is than the server's (for tests)."""
    return os.getpriority(os.PRIO_PROCESS, 0) - os.getpriority(os.PRIO_PROCESS, os.getppid())


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=_context, initializer=_start, initargs=(_done, _total)
            )
        return _pool


def run_in_worker(fn: Callable[..., Any], progress: Progress | None = None, **kwargs: Any) -> Any:
    """``fn(**kwargs)`` in the worker process (started on first use and kept), reporting its progress here.

    One call at a time: the job queue that calls it runs one job at a time. A worker that dies (killed, out of
    memory) is replaced at the next call; this call then fails with one line.
    """
    global _pool
    _done.value, _total.value = 0, 1
    future = _get_pool().submit(fn, **kwargs)
    while True:
        try:
            return future.result(timeout=0.25)
        except FutureTimeout:
            if progress is not None:
                progress(int(_done.value), int(_total.value))
        except BrokenProcessPool:
            with _lock:
                _pool = None
            raise RuntimeError("the forecast worker process stopped before the forecast ended; try again") from None


def shutdown_worker() -> None:
    """Stop the worker process (it is started again on the next forecast)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


Work = Callable[[Progress], dict[str, Any]]


def forecast_in_worker(*, progress: Progress | None = None, **kwargs: Any) -> ForecastRun:
    """:meth:`Service.compute_forecast`'s result, computed in the worker process (sent back as its JSON)."""
    return ForecastRun.from_dict(run_in_worker(compute_forecast, progress, **kwargs))


def whatif_in_worker(*, progress: Progress | None = None, **kwargs: Any) -> WhatIf:
    """:meth:`Service.compute_whatif`'s result, computed in the worker process (sent back as its JSON)."""
    return WhatIf.from_dict(run_in_worker(compute_whatif, progress, **kwargs))


def model_solves(draws: int, models: int, variants: int = 1) -> int:
    """What a run costs, in model solves: the point forecast and each draw, per model and per variant."""
    return (draws + 1) * models * variants


def forecast_job(svc: Service, scenario: Any, *, models: list[str], draws: int, seed: int) -> Work:
    """A job's work: the forecast computed (in the worker process unless it is small), then recorded in the
    server's store."""
    compute = None if model_solves(draws, len(models)) <= INLINE_SOLVES else forecast_in_worker
    return lambda progress: svc.forecast(
        scenario, models=models, draws=draws, seed=seed, progress=progress, compute=compute
    ).to_dict()


def whatif_job(
    svc: Service,
    scenario: Any,
    *,
    levers: list[str],
    overrides: dict[str, float],
    models: list[str],
    draws: int,
    seed: int,
    intensity: dict[str, float] | None = None,
) -> Work:
    """A job's work: the what-if computed (in the worker process unless it is small), then recorded in the
    server's store; ``intensity``: each lever's fraction (1 = in full)."""
    compute = None if model_solves(draws, len(models), 2) <= INLINE_SOLVES else whatif_in_worker
    return lambda progress: svc.whatif(
        scenario,
        levers=levers,
        overrides=overrides,
        models=models,
        draws=draws,
        seed=seed,
        progress=progress,
        compute=compute,
        intensity=intensity,
    ).to_dict()
