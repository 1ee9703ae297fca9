"""The focal-position model: the compromise, drawn onto the tabled position nearest to it.

Legislators rarely adopt an arbitrary point between the positions on the table; in the DEU III
development data two outcomes in three equal a position some actor held. The model therefore
starts from the compromise (the capability × salience weighted mean) and, when a position held
by an actor with weight lies within ``radius`` of it, predicts that position (or moves
``pull`` of the way to it). Between widely spaced positions, the compromise stands.

Choosing the nearest position rather than the best-supported one keeps the compromise's
accuracy where positions are spread out; the radius decides how strongly the outcome is
discrete. When two positions are equally near, the one held by more weight wins; an exact tie
between two positions on either side leaves the compromise (it lies between them), so the
forecast never depends on the order of the actors.

Parameters (fitted on deu3-dev.tsv only, by 10-fold cross-validation grouped by proposal;
see docs/analysis.md): ``radius`` = 30 on the 0..100 scale; ``pull`` = 1 (snap fully).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from ..scenario.errors import InputError
from .base import BatchResult, Model, ModelResult, register
from .compromise import weighted_mean

__all__ = ["Focal", "focal_outcome"]


def focal_outcome(
    position: np.ndarray, weight: np.ndarray, radius: float, pull: float
) -> tuple[np.ndarray, np.ndarray]:
    """Forecast and snapped flag per issue, over any leading axes of (..., actors, issues) arrays."""
    centre = weighted_mean(position, weight)  # (..., I)
    tabled = weight > 0
    dist = np.where(tabled, np.abs(position - centre[..., None, :]), np.inf)
    nearest = dist.min(axis=-2)  # (..., I); inf where nobody has weight
    # Support of each actor's position: the weight of every actor holding the same position.
    same = np.isclose(position[..., :, None, :], position[..., None, :, :]) & tabled[..., None, :, :]
    support = (same * weight[..., None, :, :]).sum(axis=-2)  # (..., A, I)
    near = tabled & np.isclose(dist, nearest[..., None, :])
    best = np.where(near, support, -np.inf).max(axis=-2)
    chosen = near & np.isclose(support, best[..., None, :])
    lo = np.where(chosen, position, np.inf).min(axis=-2)
    hi = np.where(chosen, position, -np.inf).max(axis=-2)
    unique = np.isclose(lo, hi)  # one position wins outright (else a symmetric tie: keep the centre)
    snap = np.isfinite(nearest) & (nearest <= radius) & unique
    with np.errstate(invalid="ignore"):
        out = np.where(snap, centre + pull * (lo - centre), centre)
    return out, snap


@register
class Focal(Model):
    """Compromise snapped to the nearest tabled position within ``radius`` (see module docs)."""

    name = "focal"
    defaults = {"radius": 30.0, "pull": 1.0}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        radius, pull = self.params["radius"], self.params["pull"]
        if not (isinstance(radius, (int, float)) and 0 <= radius <= 100):
            raise InputError(
                "bad value for parameter of model 'focal'",
                field="radius",
                value=radius,
                allowed="0..100 (scale points)",
            )
        if not (isinstance(pull, (int, float)) and 0 <= pull <= 1):
            raise InputError("bad value for parameter of model 'focal'", field="pull", value=pull, allowed="0..1")

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The focal forecast on each issue."""
        out, snap = focal_outcome(
            arrays.position, arrays.weight, float(self.params["radius"]), float(self.params["pull"])
        )
        return self.result(arrays, out, diagnostics={"snapped": snap})

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """The focal forecast of every draw in one vectorised pass."""
        out, _ = focal_outcome(batch.position, batch.weight, float(self.params["radius"]), float(self.params["pull"]))
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
