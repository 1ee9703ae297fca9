"""The median voter model: the weighted median of ``weighted_median`` on every issue (see there for ties)."""

from __future__ import annotations

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from .base import BatchResult, Model, ModelResult, register
from .weighted_median import MEDIAN_KERNEL, weighted_median

__all__ = ["Median"]


@register
class Median(Model):
    """Black's median voter: the capability × salience weighted median position per issue."""

    name = "median"
    kernels = (MEDIAN_KERNEL,)

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The weighted median on each issue."""
        return self.result(arrays, weighted_median(arrays.position, arrays.weight, arrays.mask))

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """The weighted median on each issue of every draw, in one vectorised pass."""
        out = weighted_median(batch.position, batch.weight, batch.mask)
        b = batch.draws
        return BatchResult(
            self.name,
            dict(self.params),
            batch.actors,
            batch.issues,
            out,
            np.zeros(b, dtype=int),
            np.ones(b, dtype=bool),
        )
