"""KTAB's Spatial Model of Politics (SMP) behind the model contract.

A re-implementation of the deterministic default of KTAB's ``smpc`` (KAPSARC Toolkit for
Behavioral Analysis): actors challenge the actor whose position they most profitably attack,
bargains are interpolated from the challenge's win probability and the saliences, and every
actor adopts the bargain a capability-weighted Condorcet election prefers. The numerics are
in ``smp_core``, the turn loop in ``smp_run``; this module maps a scenario onto them:

- all issues are one multi-dimensional space; positions 0..100 become 0..1;
- KTAB actors have one capability: where a scenario's capability varies by issue, the actor's
  capability is its mean over the issues it has a position on;
- an actor without a position on an issue gets salience 0 there and, as its coordinate, the
  capability-weighted mean of the other actors' positions (it then moves with bargains, but
  never cares about that coordinate);
- KTAB requires an actor's saliences to sum to at most 1 (they are shares of attention); a
  scenario's saliences are independent 0..1 weights, so an actor whose saliences sum to more
  than 1 has them divided by their sum (KTAB inputs are left unchanged).

The forecast per issue is E[x], the probability-weighted mean of the distinct final positions;
the most probable one (mode) and every actor's win probability are in the diagnostics.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...scenario.arrays import ArrayBatch, ScenarioArrays
from ...scenario.errors import InputError
from ..base import BatchResult, Kernel, Model, ModelResult, register
from .core import RISK_ESTIMATES, RISK_RANGES
from .run import SmpRun, SmpSettings, run_smp

__all__ = ["SMP", "smp_inputs"]

_BARGAIN_POWERS = {"s2p2": (2, 2), "s1p1": (1, 1)}


def smp_inputs(arrays: ScenarioArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """KTAB's inputs from a scenario: positions (A, K) and saliences on [0, 1], one capability per actor.

    Also returns the ids of the actors whose saliences were rescaled to sum to 1.
    """
    position, salience, capability, rescaled = smp_input_arrays(
        arrays.position, arrays.salience, arrays.capability, arrays.mask
    )
    return position, salience, capability, [a for a, r in zip(arrays.actors, rescaled) if r]


def smp_input_arrays(
    position: np.ndarray, salience: np.ndarray, capability: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``smp_inputs`` on arrays (..., A, K) with any leading draw axes; the last is whether each actor's
    saliences were rescaled. Each draw gets the same bits as alone (sums run along the same axes)."""
    mask = np.asarray(mask, dtype=bool)
    n_issues = mask.shape[-1]
    has_any = mask.any(axis=-1)
    cap_by_issue = np.asarray(capability, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        cap_masked = np.where(mask, cap_by_issue, 0.0).sum(axis=-1) / np.maximum(mask.sum(axis=-1), 1)
    capability = np.where(has_any, cap_masked, cap_by_issue.mean(axis=-1) if n_issues else 0.0)

    position = np.asarray(position, dtype=float) / 100.0
    w = np.where(mask, capability[..., None], 0.0)
    total = w.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, (w * position).sum(axis=-2) / np.where(total > 0, total, 1.0), 0.5)
    position = np.where(mask, position, mean[..., None, :])

    salience = np.clip(np.where(mask, np.asarray(salience, dtype=float), 0.0), 0.0, 1.0)
    sal_sum = salience.sum(axis=-1)
    salience = salience / np.maximum(sal_sum, 1.0)[..., None]
    return position, salience, capability, sal_sum > 1.0


@register
class SMP(Model):
    """KTAB's Spatial Model of Politics (Wise et al., KAPSARC 2015–2017), deterministic default."""

    name = "smp"
    kernels = (Kernel("backchannel.models.smp.kernel", "run_draws", 12),)
    dynamic = True
    defaults = {
        "max_turns": 100,  # KTAB: maxIter
        "min_turns": 2,  # KTAB: minIter
        "tolerance": 0.02,  # stop when a turn moves < 2% of the first turn's movement
        "min_delta": 1e-4,  # guard added to the first turn's movement (KTAB: minSigDelta)
        "min_gain": 1e-5,  # smallest expected gain worth a challenge (KTAB: minSigEDU)
        "position_tolerance": 1e-3,  # positions closer than this (0..1 scale) count as one
        "risk_estimate": "one_third",  # h's estimate of i's risk attitude: (2 R_h + R_i) / 3
        "risk_range": "mid",  # risk attitudes on [-1/2, 1]
        "bargain": "s2p2",  # bargain weights salience² · probability²
    }
    choices = {
        "risk_estimate": tuple(RISK_ESTIMATES),
        "risk_range": RISK_RANGES,
        "bargain": tuple(_BARGAIN_POWERS),
    }

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        p = self.params
        for key in ("max_turns", "min_turns"):
            if not isinstance(p[key], (int, np.integer)) or isinstance(p[key], bool) or p[key] < 1:
                raise InputError(
                    "must be a whole number of turns, at least 1", field=key, value=p[key], allowed="1, 2, 3, ..."
                )
        for key in ("tolerance", "min_delta", "min_gain", "position_tolerance"):
            if not isinstance(p[key], (int, float, np.number)) or isinstance(p[key], bool) or p[key] < 0:
                raise InputError("must be a non-negative number", field=key, value=p[key], allowed=">= 0")

    def settings(self) -> SmpSettings:
        """The run settings these parameters stand for."""
        p = self.params
        sal_power, prob_power = _BARGAIN_POWERS[p["bargain"]]
        return SmpSettings(
            int(p["max_turns"]),
            int(p["min_turns"]),
            float(p["tolerance"]),
            float(p["min_delta"]),
            float(p["min_gain"]),
            float(p["position_tolerance"]),
            p["risk_estimate"],
            p["risk_range"],
            sal_power,
            prob_power,
        )

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """Run the SMP to its stopping rule; deterministic, so ``rng`` is unused."""
        n_a, n_i = arrays.n_actors, arrays.n_issues
        mask = np.asarray(arrays.mask, dtype=bool)
        if n_a < 2 or n_i == 0:
            outcome = (
                np.where(mask.any(axis=0), np.asarray(arrays.position, dtype=float).sum(axis=0), np.nan)
                if n_a == 1
                else np.full(n_i, np.nan)
            )
            final = np.asarray(arrays.position, dtype=float).copy()
            return self.result(
                arrays,
                outcome,
                rounds=0,
                converged=True,
                final_positions=final,
                trajectory=final[None],
                diagnostics={"note": "fewer than two actors: nothing moves"},
            )
        position, salience, capability, rescaled = smp_inputs(arrays)
        run = run_smp(position, salience, capability, self.settings())
        no_one = np.asarray(~mask.any(axis=0))
        outcome = np.where(no_one, np.nan, 100.0 * run.expected())
        return self.result(
            arrays,
            outcome,
            rounds=run.turns,
            converged=run.converged,
            final_positions=100.0 * run.final.position,
            trajectory=100.0 * run.trajectory,
            diagnostics=self._diagnostics(arrays, run, capability, rescaled, no_one),
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Every draw in one compiled loop (``smp_kernel.run_draws``); deterministic, so ``rng`` is unused."""
        from .kernel import closing_election, run_draws  # numba is imported when a model runs, not before

        b, n_a, n_i = batch.position.shape
        if n_a < 2 or n_i == 0 or b == 0:
            return super().solve_batch(batch, rng)
        s = self.settings()
        position, salience, capability, _ = smp_input_arrays(
            batch.position, batch.salience, batch.capability, batch.mask
        )
        final = np.empty((b, n_a, n_i))
        turns, converged = np.empty(b, dtype=np.int64), np.empty(b, dtype=bool)
        distinct, n_distinct = np.zeros((b, n_a), dtype=np.int64), np.empty(b, dtype=np.int64)
        final_dist, risk_strength = np.empty((b, n_a, n_a)), np.empty((b, n_a, n_a))
        a_h, a_i = RISK_ESTIMATES[s.risk_estimate]
        with np.errstate(invalid="ignore", divide="ignore"):
            run_draws(
                np.ascontiguousarray(position),
                np.ascontiguousarray(salience),
                np.ascontiguousarray(capability),
                s.max_turns,
                s.min_turns,
                s.tolerance,
                s.min_delta,
                s.min_gain,
                s.position_tolerance,
                a_h,
                a_i,
                RISK_RANGES.index(s.risk_range),
                s.sal_power,
                s.prob_power,
                final,
                turns,
                converged,
                distinct,
                n_distinct,
                final_dist,
                risk_strength,
            )
            probability = closing_election(
                final_dist, risk_strength, capability, distinct, n_distinct, a_h, a_i, RISK_RANGES.index(s.risk_range)
            )
        # E[x] with NumPy's product, as ``SmpRun.expected`` takes it, so that a draw's bits match ``solve``
        expected = np.stack([probability[k, :n] @ final[k, distinct[k, :n]] for k, n in enumerate(n_distinct)])
        no_one = ~np.asarray(batch.mask, dtype=bool).any(axis=0)
        outcome = np.where(no_one, np.nan, 100.0 * expected)
        return BatchResult(
            self.name,
            dict(self.params),
            batch.actors,
            batch.issues,
            outcome,
            turns.astype(int),
            converged,
            final_positions=100.0 * final,
        )

    @staticmethod
    def _diagnostics(
        arrays: ScenarioArrays, run: SmpRun, capability: np.ndarray, rescaled: list[str], no_one: np.ndarray
    ) -> dict[str, Any]:
        """Win probabilities, distinct final positions, mode and risk attitudes, keyed by ids."""
        actors, issues = arrays.actors, arrays.issues

        def by_issue(x: np.ndarray) -> dict[str, float]:
            return {i: (float("nan") if no_one[k] else float(100.0 * x[k])) for k, i in enumerate(issues)}

        distinct = []
        for g, (a, p) in enumerate(zip(run.distinct, run.distinct_probability)):
            distinct.append(
                {
                    "actors": [actors[k] for k in np.flatnonzero(run.owner == g)],
                    "position": by_issue(run.final.position[a]),
                    "probability": float(p),
                }
            )
        best = int(np.argmax(run.distinct_probability))
        return {
            "win_probability": {a: float(p) for a, p in zip(actors, run.win_probability)},
            "distinct_positions": distinct,
            "mode": by_issue(run.mode()),
            "mode_probability": float(run.distinct_probability[best]),
            "mode_actors": distinct[best]["actors"],
            "risk_attitude_initial": {a: float(r) for a, r in zip(actors, run.initial_risk)},
            "risk_attitude_final": {a: float(r) for a, r in zip(actors, run.final.risk)},
            "capability": {a: float(c) for a, c in zip(actors, capability)},
            "salience_rescaled": rescaled,
        }
