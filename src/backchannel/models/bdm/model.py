"""Bueno de Mesquita's expected-utility model, as replicated by Scholz, Calbert & Smith (2011).

Each round, every actor works out its risk exponent (from how threatened it is compared with
the others), then, with those exponents, its expected utility of challenging each other actor
and of being challenged; the resulting offers (confrontations it loses, compromises,
capitulations) move actors, all at once. After each round the forecast is read off as the
capability × salience weighted median (default) or mean. Issues run separately; an actor
without a position on an issue, or with zero capability × salience there, takes no part in it.

Options (``defaults`` / ``choices``):

- ``normaliser``: ``"scholz"`` (default) divides the votes for i over j by the sum of |votes| over
  every ordered pair of actors, as Scholz's published program does; ``"paper"`` divides by the
  |votes| on the pair only, as the paper's formula reads.
- ``ranking``: ``"scholz"`` (default) takes confrontations before compromises before
  capitulations and ranks compromises by the lowest EU-weighted point, as Scholz's program does;
  ``"distance"`` takes whichever offer moves the actor least, as the paper's text says.
- ``rounds``: 8 by default, the number Scholz et al. report in their Table 2. The model has no
  convergence test (neither has the paper); ``converged`` says whether the last round moved
  nobody, i.e. the positions had reached a fixed point.
- ``Q``: 1.0, the probability that the status quo persists absent a challenge (the paper gives no
  value; Scholz used 1.0).
- ``forecast``: ``"median"`` (BDM's forecast, default) or ``"mean"``: which per-round summary is
  the outcome.

The defaults are the combination that reproduces Scholz et al.'s Table 2 on the 1994 car-emission
case: every round's mean within 0.07 and every round's median within 0.08 except round 2 (9.61
against the table's 9.9). The paper's own normaliser with either ranking makes most actors
confront each other in round 1 and collapses to 7.0; see ``docs/models.md``.

``solve`` and ``solve_batch`` run the same compiled loop over draws (``bdm_round.run_draws``), so a
draw gives the same bits alone as in a batch. Per round and draw the cost is O(n²) arithmetic
plus O(n²) comparisons to count the voters below each pair's midpoint; the exponentials and
logarithms dominate it (one exponential per ordered pair for the votes, two more for each pair
that could give an offer, about half of them; logarithms only for pairs whose distance changed).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ...scenario.arrays import ArrayBatch, ScenarioArrays
from ...scenario.errors import InputError
from ..base import BatchResult, Kernel, Model, ModelResult, register
from ..weighted_median import MEDIAN_KERNEL, weighted_median

__all__ = ["BDM", "run_issue"]


def run_issue(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    *,
    rounds: int,
    q: float,
    normaliser: str,
    ranking: str,
    detail: bool = False,
) -> dict[str, np.ndarray]:
    """Run the model on one issue for B draws of n actors (arrays (B, n)).

    Returns ``positions`` (B, rounds+1, n) and the weighted ``mean`` and ``median`` (B, rounds+1)
    per round, starting with the initial positions; with ``detail`` also ``risk``, ``offer`` and
    ``partner`` (B, rounds, n): each round's risk exponents and the offer each actor took.
    """
    x = np.ascontiguousarray(position, dtype=float)
    s = np.ascontiguousarray(salience, dtype=float)
    weight = np.ascontiguousarray(capability * salience, dtype=float)
    # Actors with no weight (zero capability or salience) cannot vote and, as Q and the
    # salience-as-resistance make them free targets, would otherwise sway the others' risk and
    # moves; like actors without a position they take no part (see docs/models.md).
    active = weight > 0.0
    lo = np.where(active, x, np.inf).min(axis=1)
    span = np.where(active, x, -np.inf).max(axis=1) - lo
    span = np.where(np.isfinite(span) & (span > 0), span, 1.0)
    from .rounds import run_draws  # the compiled rounds: numba is imported when a model runs, not before

    b, n = x.shape
    path = np.empty((b, rounds + 1, n))
    mean = np.empty((b, rounds + 1))
    risk = np.empty((b, rounds, n))
    offer = np.empty((b, rounds, n), dtype=np.int8)
    partner = np.empty((b, rounds, n), dtype=np.intp)
    run_draws(
        x,
        s,
        weight,
        active,
        span,
        rounds,
        q,
        normaliser == "scholz",
        ranking == "scholz",
        path,
        mean,
        risk,
        offer,
        partner,
        0.5,
    )
    median = weighted_median(path[..., None], np.broadcast_to(weight[:, None, :, None], path.shape + (1,)), True)
    out = {"positions": path, "mean": mean, "median": median[..., 0]}
    if detail:
        out["risk"], out["offer"], out["partner"] = risk, offer, partner
    return out


@register
class BDM(Model):
    """Bueno de Mesquita's expected-utility model (Scholz, Calbert & Smith 2011 replication)."""

    name = "bdm"
    kernels = (Kernel("backchannel.models.bdm.rounds", "run_draws", 5), MEDIAN_KERNEL)
    dynamic = True
    defaults = {"normaliser": "scholz", "ranking": "scholz", "rounds": 8, "Q": 1.0, "forecast": "median"}
    choices = {"normaliser": ("paper", "scholz"), "ranking": ("distance", "scholz"), "forecast": ("median", "mean")}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        rounds, q = self.params["rounds"], self.params["Q"]
        if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral) or rounds < 0:
            raise InputError(
                "bad value for parameter of model 'bdm'", field="rounds", value=rounds, allowed="a whole number >= 0"
            )
        if isinstance(q, bool) or not isinstance(q, (int, float, numbers.Real)) or not 0.0 <= float(q) <= 1.0:
            raise InputError("bad value for parameter of model 'bdm'", field="Q", value=q, allowed="a number in [0, 1]")

    def _run(
        self, position: np.ndarray, salience: np.ndarray, capability: np.ndarray, mask: np.ndarray, detail: bool
    ) -> dict[str, np.ndarray]:
        """Run every issue of B draws (arrays (B, A, I)); per-actor arrays are NaN / −1 off the mask."""
        b, n_actors, n_issues = position.shape
        rounds = int(self.params["rounds"])
        out = {
            "final": np.array(position, dtype=float),
            "mean": np.full((b, rounds + 1, n_issues), np.nan),
            "median": np.full((b, rounds + 1, n_issues), np.nan),
            "moved": np.zeros(b, dtype=bool),
        }
        if detail:
            out["trajectory"] = np.repeat(np.array(position, dtype=float)[:, None], rounds + 1, axis=1)
            out["risk"] = np.full((b, rounds, n_actors, n_issues), np.nan)
            out["offer"] = np.zeros((b, rounds, n_actors, n_issues), dtype=np.int8)
            out["partner"] = np.full((b, rounds, n_actors, n_issues), -1, dtype=np.int64)
        for i in range(n_issues):
            actors = np.flatnonzero(mask[:, i])
            n = actors.size
            if n == 0:
                continue
            res = run_issue(
                position[:, actors, i],
                salience[:, actors, i],
                capability[:, actors, i],
                rounds=rounds,
                q=float(self.params["Q"]),
                normaliser=self.params["normaliser"],
                ranking=self.params["ranking"],
                detail=detail,
            )
            path = res["positions"]
            out["final"][:, actors, i] = path[:, -1]
            out["mean"][:, :, i] = res["mean"]
            out["median"][:, :, i] = res["median"]
            if rounds:
                out["moved"] |= (path[:, -1] != path[:, -2]).any(axis=1)
            if detail:
                out["trajectory"][:, :, actors, i] = path
                out["risk"][:, :, actors, i] = res["risk"]
                out["offer"][:, :, actors, i] = res["offer"]
                # partner indices refer to the issue's actors; map them back to scenario actors
                out["partner"][:, :, actors, i] = np.where(
                    res["partner"] >= 0, actors[np.maximum(res["partner"], 0)], -1
                )
        return out

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """Run the rounds on each issue; outcome = the chosen summary after the last round."""
        from .rounds import OFFER_KINDS

        out = self._run(arrays.position[None], arrays.salience[None], arrays.capability[None], arrays.mask, True)
        rounds = int(self.params["rounds"])
        diagnostics = {
            "mean": out["mean"][0],
            "median": out["median"][0],
            "risk": out["risk"][0],
            "offer": out["offer"][0],
            "partner": out["partner"][0],
            "offer_kinds": OFFER_KINDS,
        }
        return self.result(
            arrays,
            out[self.params["forecast"]][0, -1],
            rounds=rounds,
            converged=not bool(out["moved"][0]),
            final_positions=out["final"][0],
            trajectory=out["trajectory"][0],
            diagnostics=diagnostics,
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Run every draw at once; per-round mean and median (draws, rounds+1, issues) in diagnostics."""
        out = self._run(batch.position, batch.salience, batch.capability, batch.mask, False)
        rounds = int(self.params["rounds"])
        return BatchResult(
            self.name,
            dict(self.params),
            batch.actors,
            batch.issues,
            out[self.params["forecast"]][:, -1],
            np.full(batch.draws, rounds, dtype=int),
            ~out["moved"],
            final_positions=out["final"],
            diagnostics={"mean": out["mean"], "median": out["median"]},
        )
