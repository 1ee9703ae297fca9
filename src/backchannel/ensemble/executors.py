"""Executors: where the tasks of a run are solved (in-process, a process pool, or a Ray cluster).

Every executor gets the same list of tasks (same boundaries, same per-task seeds) and runs the
same function on each, so their results are bit-identical: a task's result depends only on its
inputs and its seed, never on which process or machine solved it, in what order, or how often it
was retried after a failure. Results always come back in task order.

A run may also hand over one ``shared`` input (the sampled draws of a forecast, the cases of a
backtest) that every task reads: it is sent once per worker process (``processes``) or stored once
in Ray's object store (``ray``), never pickled with each task.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

import numpy as np

from ..models import get_model
from ..models.base import BatchResult
from ..scenario.arrays import ArrayBatch
from ..scenario.errors import InputError

__all__ = [
    "EXECUTORS",
    "Chunk",
    "DrawSlice",
    "check_executor",
    "map_stateful",
    "run_chunks",
    "run_tasks",
    "solve_chunk",
    "solve_slice",
]

EXECUTORS = ("serial", "processes", "ray")

Progress = Callable[[int, int], Any]
T = TypeVar("T")
R = TypeVar("R")


def check_executor(executor: str) -> None:
    """An InputError unless ``executor`` is one of ``EXECUTORS``."""
    if executor not in EXECUTORS:
        raise InputError("unknown executor", field="executor", value=executor, allowed=", ".join(EXECUTORS))


@dataclass(frozen=True)
class Chunk:
    """One unit of work: a model (name and parameters), a slice of the draws and its seed."""

    model: str
    params: dict[str, Any]
    batch: ArrayBatch
    seed: np.random.SeedSequence


@dataclass(frozen=True)
class DrawSlice:
    """A chunk of a run's shared draws: a model, the draws ``start:stop`` and the chunk's seed."""

    model: str
    params: dict[str, Any]
    start: int
    stop: int
    seed: np.random.SeedSequence


def solve_chunk(chunk: Chunk) -> BatchResult:
    """Solve one chunk (top-level so that worker processes can import it)."""
    model = get_model(chunk.model, **chunk.params)
    return model.solve_batch(chunk.batch, np.random.Generator(np.random.PCG64(chunk.seed)))


def solve_slice(batch: ArrayBatch, task: DrawSlice) -> BatchResult:
    """Solve the draws ``task.start:task.stop`` of a shared batch with the task's model and seed."""
    piece = ArrayBatch(
        batch.actors,
        batch.issues,
        batch.position[task.start : task.stop],
        batch.salience[task.start : task.stop],
        batch.capability[task.start : task.stop],
        batch.mask,
        batch.status_quo,
    )
    return solve_chunk(Chunk(task.model, task.params, piece, task.seed))


def _call_chunk(_shared: None, chunk: Chunk) -> BatchResult:
    return solve_chunk(chunk)


def run_chunks(
    chunks: list[Chunk],
    executor: str = "serial",
    progress: Progress | None = None,
    workers: int | None = None,
    address: str | None = None,
) -> list[BatchResult]:
    """The results of every chunk, in the order given, solved by the named executor."""
    return run_tasks(_call_chunk, chunks, executor, progress, workers, address=address)


# the shared input of the tasks a worker process runs, set once per process by the pool's initializer
_SHARED: Any = None


def _set_shared(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _call_with_shared(fn: Callable[[Any, T], R], task: T) -> R:
    return fn(_SHARED, task)


def run_tasks(
    fn: Callable[[Any, T], R],
    tasks: Sequence[T],
    executor: str = "serial",
    progress: Progress | None = None,
    workers: int | None = None,
    shared: Any = None,
    address: str | None = None,
) -> list[R]:
    """``[fn(shared, task) for task in tasks]`` solved by the named executor, in task order.

    ``fn`` must be a module-level function (worker processes and Ray import it by name).
    ``progress(done, total)`` is called as tasks finish, wherever they ran. ``workers`` caps the
    process pool (default: one per core); ``address`` is the Ray cluster to join (default:
    ``RAY_ADDRESS``, else a local cluster started for the run).
    """
    check_executor(executor)
    tasks = list(tasks)
    total = len(tasks)
    if executor == "ray":
        from .ray_cluster import run_on_ray  # Ray is an optional extra, imported only when asked for

        return run_on_ray(fn, tasks, shared=shared, progress=progress, address=address)
    results: list[Any] = [None] * total
    if executor == "serial" or total <= 1:
        for k, task in enumerate(tasks):
            results[k] = fn(shared, task)
            if progress:
                progress(k + 1, total)
        return results
    n = min(workers or os.cpu_count() or 1, total)
    with ProcessPoolExecutor(max_workers=n, initializer=_set_shared, initargs=(shared,)) as pool:
        futures = {pool.submit(_call_with_shared, fn, task): k for k, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return results


# the per-process state of ``map_stateful`` (built once by the pool's initializer)
_STATE: Any = None


def _set_state(setup: Callable[..., Any], args: tuple[Any, ...]) -> None:
    global _STATE
    _STATE = setup(*args)


def _call_with_state(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_STATE, item)


def map_stateful(
    setup: Callable[..., Any],
    setup_args: tuple[Any, ...],
    fn: Callable[[Any, T], R],
    items: Sequence[T],
    executor: str = "serial",
    workers: int | None = None,
    address: str | None = None,
) -> list[R]:
    """``[fn(state, item) for item in items]`` in item order, where each worker builds its ``state =
    setup(*setup_args)`` once (a loaded model) and keeps it for every item it gets.

    ``setup`` and ``fn`` must be module-level (workers import them by name); on ``ray`` each worker is
    an actor, restarted and its item retried if its process dies.
    """
    check_executor(executor)
    items = list(items)
    if executor == "ray":
        from .ray_cluster import map_stateful_on_ray

        return map_stateful_on_ray(setup, setup_args, fn, items, address=address)
    if executor == "serial" or len(items) <= 1:
        state = setup(*setup_args)
        return [fn(state, item) for item in items]
    n = min(workers or os.cpu_count() or 1, len(items))
    with ProcessPoolExecutor(max_workers=n, initializer=_set_state, initargs=(setup, setup_args)) as pool:
        return list(pool.map(_call_with_state, [fn] * len(items), items))
