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

``solve_batch`` runs all draws at once: pairwise quantities are (actors, actors, draws) arrays
(see ``bdm_round``), processed in chunks of draws sized for the CPU cache. Per round and draw the
cost is O(n²) arithmetic plus an O(n³) byte comparison (the voters below each pair's midpoint).
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from ..scenario.errors import InputError
from .base import BatchResult, Model, ModelResult, register
from .bdm_round import OFFER_KINDS, choose_offers, expected_utilities, geometry, risk_exponents, win_probabilities
from .median import weighted_median

__all__ = ["BDM", "run_issue"]

#: elements of the (actors, actors, draws) arrays processed at once; sized to stay in cache
_CHUNK_ELEMENTS = 50_000


def _summaries(x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(weighted mean, weighted median) over the first axis of positions x (n, ...) with weights (n, ...)."""
    total = weight.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, (weight * x).sum(axis=0) / np.where(total > 0, total, 1.0), np.nan)
    flat = x.reshape(x.shape[0], -1)
    median = weighted_median(flat, weight.reshape(flat.shape), True).reshape(mean.shape)
    return mean, median


def run_issue(position: np.ndarray, salience: np.ndarray, capability: np.ndarray, *, rounds: int, q: float,
              normaliser: str, ranking: str, detail: bool = False) -> dict[str, np.ndarray]:
    """Run the model on one issue for B draws of n actors (arrays (B, n)).

    Returns ``positions`` (B, rounds+1, n) and the weighted ``mean`` and ``median`` (B, rounds+1)
    per round, starting with the initial positions; with ``detail`` also ``risk``, ``offer`` and
    ``partner`` (B, rounds, n): each round's risk exponents and the offer each actor took.
    """
    # The round functions keep draws on the last axis (see bdm_round).
    x = np.array(position, dtype=float).T
    s = np.ascontiguousarray(np.asarray(salience, dtype=float).T)
    weight = np.ascontiguousarray((capability * salience).T)
    # Actors with no weight (zero capability or salience) cannot vote and, as Q and the
    # salience-as-resistance make them free targets, would otherwise sway the others' risk and
    # moves; like actors without a position they take no part (see docs/models.md).
    active = weight > 0.0
    every = bool(active.all())
    lo = np.where(active, x, np.inf).min(axis=0)
    span = np.where(active, x, -np.inf).max(axis=0) - lo
    span = np.where(np.isfinite(span) & (span > 0), span, 1.0)
    path = [x]
    risks, offers, partners = [], [], []
    for _ in range(rounds):
        geo = geometry(x, span, None if every else active)
        r = risk_exponents(geo, weight, s, normaliser)
        prob = win_probabilities(geo, weight, r, normaliser)
        a, b = expected_utilities(geo, prob, s, r, q)
        x, kind, partner = choose_offers(x, a, b, ranking, detail, geo.pair_active)
        path.append(x)
        risks.append(r if every else np.where(active, r, np.nan))
        offers.append(kind)
        partners.append(partner)
    stacked = np.stack(path, axis=1)  # (n, rounds+1, B)
    mean, median = _summaries(stacked, np.broadcast_to(weight[:, None, :], stacked.shape))
    out = {"positions": stacked.transpose(2, 1, 0), "mean": mean.T, "median": median.T}
    if detail:
        empty = np.zeros((0,) + x.shape)
        out["risk"] = (np.stack(risks) if rounds else empty).transpose(2, 0, 1)
        out["offer"] = (np.stack(offers) if rounds else empty.astype(int)).transpose(2, 0, 1)
        out["partner"] = (np.stack(partners) if rounds else empty.astype(int)).transpose(2, 0, 1)
    return out


@register
class BDM(Model):
    """Bueno de Mesquita's expected-utility model (Scholz, Calbert & Smith 2011 replication)."""

    name = "bdm"
    dynamic = True
    defaults = {"normaliser": "scholz", "ranking": "scholz", "rounds": 8, "Q": 1.0, "forecast": "median"}
    choices = {"normaliser": ("paper", "scholz"), "ranking": ("distance", "scholz"), "forecast": ("median", "mean")}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        rounds, q = self.params["rounds"], self.params["Q"]
        if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral) or rounds < 0:
            raise InputError("bad value for parameter of model 'bdm'", field="rounds", value=rounds,
                             allowed="a whole number >= 0")
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0.0 <= q <= 1.0:
            raise InputError("bad value for parameter of model 'bdm'", field="Q", value=q, allowed="a number in [0, 1]")

    def _run(self, position: np.ndarray, salience: np.ndarray, capability: np.ndarray, mask: np.ndarray,
             detail: bool) -> dict[str, np.ndarray]:
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
            chunk = max(1, _CHUNK_ELEMENTS // (n * n))
            for lo in range(0, b, chunk):
                hi = min(b, lo + chunk)
                res = run_issue(position[lo:hi, actors, i], salience[lo:hi, actors, i], capability[lo:hi, actors, i],
                                rounds=rounds, q=float(self.params["Q"]), normaliser=self.params["normaliser"],
                                ranking=self.params["ranking"], detail=detail)
                path = res["positions"]
                out["final"][lo:hi, actors, i] = path[:, -1]
                out["mean"][lo:hi, :, i] = res["mean"]
                out["median"][lo:hi, :, i] = res["median"]
                if rounds:
                    out["moved"][lo:hi] |= (path[:, -1] != path[:, -2]).any(axis=1)
                if detail:
                    out["trajectory"][lo:hi, :, actors, i] = path
                    out["risk"][lo:hi, :, actors, i] = res["risk"]
                    out["offer"][lo:hi, :, actors, i] = res["offer"]
                    # partner indices refer to the issue's actors; map them back to scenario actors
                    out["partner"][lo:hi, :, actors, i] = np.where(res["partner"] >= 0,
                                                                   actors[np.maximum(res["partner"], 0)], -1)
        return out

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """Run the rounds on each issue; outcome = the chosen summary after the last round."""
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
        return self.result(arrays, out[self.params["forecast"]][0, -1], rounds=rounds,
                           converged=not bool(out["moved"][0]), final_positions=out["final"][0],
                           trajectory=out["trajectory"][0], diagnostics=diagnostics)

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Run every draw at once; per-round mean and median (draws, rounds+1, issues) in diagnostics."""
        out = self._run(batch.position, batch.salience, batch.capability, batch.mask, False)
        rounds = int(self.params["rounds"])
        return BatchResult(self.name, dict(self.params), batch.actors, batch.issues,
                           out[self.params["forecast"]][:, -1], np.full(batch.draws, rounds, dtype=int),
                           ~out["moved"], final_positions=out["final"],
                           diagnostics={"mean": out["mean"], "median": out["median"]})
