"""Outside options as arrays: each actor's no-deal point per draw, its monthly cost, and where no deal lands."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import Scenario

__all__ = ["OutsideArrays", "fill_outside_points", "no_deal_point", "outside_arrays"]


@dataclass(frozen=True, eq=False)
class OutsideArrays:
    """``point`` (B, A, I): the outside-option points the scenario gives (NaN where it gives none);
    ``cost`` (A,): utility lost per month without a deal."""

    point: np.ndarray
    cost: np.ndarray

    @property
    def given(self) -> np.ndarray:
        """(A, I) where the scenario names an outside-option point."""
        given: np.ndarray = ~np.isnan(self.point).all(axis=0)
        return given


def outside_arrays(scenario: Scenario, draws: int = 1, samples: dict[tuple[int, int], np.ndarray] | None = None
                   ) -> OutsideArrays:
    """The scenario's outside options for ``draws`` draws: the points, or the sampled values ``samples``
    ((actor index, issue index) -> (draws,)) where a range was sampled."""
    actors = {a.id: k for k, a in enumerate(scenario.actors)}
    issues = {i.id: k for k, i in enumerate(scenario.issues)}
    point = np.full((draws, len(actors), len(issues)), np.nan)
    cost = np.zeros(len(actors))
    for o in scenario.outside_options:
        a = actors[o.actor]
        cost[a] = o.cost_per_month
        for issue, value in o.point.items():
            point[:, a, issues[issue]] = value
    for (a, i), values in (samples or {}).items():
        point[:, a, i] = values
    return OutsideArrays(point, cost)


def fill_outside_points(point: np.ndarray, position: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
    """(B, A, I) outside points with the gaps filled: the status quo, or without one the end of the scale
    farthest from the actor's position (its security level)."""
    q = np.asarray(status_quo, dtype=float)[None, None, :]
    far = np.where(position < 50.0, 100.0, 0.0)
    default = np.where(np.isnan(q), far, q)
    return np.where(np.isnan(point), default, point)


def no_deal_point(point: np.ndarray, capability: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
    """(B, I) where a draw without a deal lands: per issue, the capability-weighted mean of the outside-option
    points the scenario names there, or the status quo (NaN without one) where it names none."""
    given = ~np.isnan(point)
    w = np.where(given, capability, 0.0)
    total = w.sum(axis=1)
    q = np.broadcast_to(np.asarray(status_quo, dtype=float), total.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * np.where(given, point, 0.0)).sum(axis=1) / np.where(total > 0, total, 1.0)
    # zero capability everywhere: the plain mean of the points named
    count = given.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unweighted = np.where(given, point, 0.0).sum(axis=1) / np.where(count > 0, count, 1)
    return np.where(total > 0, mean, np.where(count > 0, unweighted, q))
