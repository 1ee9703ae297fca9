"""Executors: where the chunks of a Monte Carlo run are solved (in-process or a process pool).

Both executors get the same list of chunks (same boundaries, same per-chunk seeds) and run
the same function on each, so their results are bit-identical: a chunk's result depends only
on its draws and its seed, never on which process solved it or in what order.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..models import get_model
from ..models.base import BatchResult
from ..scenario.arrays import ArrayBatch
from ..scenario.errors import InputError

__all__ = ["EXECUTORS", "Chunk", "run_chunks", "solve_chunk"]

EXECUTORS = ("serial", "processes")

Progress = Callable[[int, int], Any]


@dataclass(frozen=True)
class Chunk:
    """One unit of work: a model (name and parameters), a slice of the draws and its seed."""

    model: str
    params: dict[str, Any]
    batch: ArrayBatch
    seed: np.random.SeedSequence


def solve_chunk(chunk: Chunk) -> BatchResult:
    """Solve one chunk (top-level so that worker processes can import it)."""
    model = get_model(chunk.model, **chunk.params)
    return model.solve_batch(chunk.batch, np.random.Generator(np.random.PCG64(chunk.seed)))


def check_executor(executor: str) -> None:
    """An InputError unless ``executor`` names one of EXECUTORS."""
    if executor not in EXECUTORS:
        raise InputError("unknown executor", field="executor", value=executor, allowed=", ".join(EXECUTORS))


def run_chunks(chunks: list[Chunk], executor: str = "serial", progress: Progress | None = None,
               workers: int | None = None) -> list[BatchResult]:
    """The results of every chunk, in the order given, solved by the named executor."""
    check_executor(executor)
    total = len(chunks)
    results: list[BatchResult | None] = [None] * total
    if executor == "serial" or total <= 1:
        for k, chunk in enumerate(chunks):
            results[k] = solve_chunk(chunk)
            if progress:
                progress(k + 1, total)
        return results  # type: ignore[return-value]
    n = min(workers or os.cpu_count() or 1, total)
    with ProcessPoolExecutor(max_workers=n) as pool:
        futures = {pool.submit(solve_chunk, chunk): k for k, chunk in enumerate(chunks)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return results  # type: ignore[return-value]
