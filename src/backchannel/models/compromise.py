"""The compromise model: the capability × salience weighted mean of positions per issue."""

from __future__ import annotations

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from .base import BatchResult, Model, ModelResult, register

__all__ = ["Compromise", "weighted_mean"]


def weighted_mean(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Σ w x / Σ w over the actors axis (-2); NaN where all weights are zero."""
    total = weight.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weight * position).sum(axis=-2) / np.where(total > 0, total, 1.0), np.nan)


@register
class Compromise(Model):
    """Achen's compromise model (Achen 2006; Thomson et al. 2006): Σ c s x / Σ c s per issue."""

    name = "compromise"

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The weighted mean on each issue."""
        return self.result(arrays, weighted_mean(arrays.position, arrays.weight))

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """The weighted mean on each issue of every draw, in one vectorised pass."""
        out = weighted_mean(batch.position, batch.weight)
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
