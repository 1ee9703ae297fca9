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


def outside_arrays(
    scenario: Scenario, draws: int = 1, samples: dict[tuple[int, int], np.ndarray] | None = None
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
    q = np.asarray(status_quo, dtype=float)
    out = np.empty(position.shape)
    out[...] = q
    for i in np.flatnonzero(np.isnan(q)):
        out[:, :, i] = np.where(position[:, :, i] < 50.0, 100.0, 0.0)
    named = ~np.isnan(point[0]) if len(point) else np.zeros(point.shape[1:], dtype=bool)
    for a, i in zip(*np.nonzero(named)):  # the cells an outside option names (few): copied over the default
        out[:, a, i] = point[:, a, i]
    return out


def no_deal_point(point: np.ndarray, capability: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
    """(B, I) where a draw without a deal lands: per issue, the capability-weighted mean of the outside-option
    points the scenario names there, or the status quo (NaN without one) where it names none."""
    b, _, n_i = point.shape
    out = np.empty((b, n_i))
    out[...] = np.asarray(status_quo, dtype=float)
    named = ~np.isnan(point[0]) if b else np.zeros(point.shape[1:], dtype=bool)
    for i in np.flatnonzero(named.any(axis=0)):  # issues some outside option names
        who = np.flatnonzero(named[:, i])
        w, p = capability[:, who, i], point[:, who, i]
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            # zero capability everywhere: the plain mean of the points named
            out[:, i] = np.where(total > 0, (w * p).sum(axis=1) / np.where(total > 0, total, 1.0), p.mean(axis=1))
    return out
