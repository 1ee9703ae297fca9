"""Named outcomes: how often a model's Monte Carlo draws land in each named region of the outcome space.

Regions are boxes (issue -> [low, high], bounds included) declared in the scenario. Where they
overlap, a draw counts for the *first* region in file order, so the probabilities of the named
outcomes and the share of draws in no region always sum to 1; the share of draws that lay in
more than one region is reported as ``overlap`` so an analyst can see the rule mattered. A draw
with no forecast (NaN) on an issue that a region constrains is not in that region.

The Monte Carlo standard error of a share p from B independent draws is sqrt(p (1 − p) / B).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from ..scenario.errors import InputError
from ..scenario.schema import Outcome, Scenario

__all__ = ["UNNAMED", "OutcomeProbabilities", "classify", "forecast_outcomes", "outcome_probabilities",
           "outcomes_detail", "outcomes_json", "outcomes_payload", "regions"]

#: the key of the share of draws in no named region
UNNAMED = "unnamed"


def regions(samples: np.ndarray, issues: Sequence[str], outcomes: Sequence[Outcome]) -> np.ndarray:
    """(B, K) booleans: whether each draw lies in each region."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    index = {issue: k for k, issue in enumerate(issues)}
    inside = np.ones((samples.shape[0], len(outcomes)), dtype=bool)
    for k, outcome in enumerate(outcomes):
        for issue, (lo, hi) in outcome.when.items():
            if issue not in index:
                raise InputError("named outcome refers to an issue the forecast lacks",
                                 field=f"outcomes.{outcome.id}.when", value=issue, allowed=", ".join(issues))
            col = samples[:, index[issue]]
            with np.errstate(invalid="ignore"):
                inside[:, k] &= (col >= lo) & (col <= hi)
    return inside


def classify(samples: np.ndarray, issues: Sequence[str], outcomes: Sequence[Outcome]) -> np.ndarray:
    """(B,) index of the first region holding each draw, −1 for none."""
    inside = regions(samples, issues, outcomes)
    if not outcomes:
        return np.full(inside.shape[0], -1)
    return np.where(inside.any(axis=1), inside.argmax(axis=1), -1)


@dataclass(frozen=True)
class OutcomeProbabilities:
    """Shares of draws per named outcome (first match in file order) and in none."""

    draws: int
    probability: dict[str, float]
    stderr: dict[str, float]
    overlap: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: probability and standard error per outcome, unnamed included."""
        return {"draws": self.draws, "overlap": self.overlap,
                "outcomes": {k: {"probability": p, "stderr": self.stderr[k]} for k, p in self.probability.items()}}


def outcome_probabilities(samples: np.ndarray, issues: Sequence[str],
                          outcomes: Sequence[Outcome]) -> OutcomeProbabilities:
    """Probability and MC standard error of each named outcome and of the unnamed share."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    b = samples.shape[0]
    if b == 0:
        raise InputError("no draws to count", field="draws", value=0, allowed="at least 1 draw")
    inside = regions(samples, issues, outcomes)
    label = classify(samples, issues, outcomes)
    counts = np.bincount(label + 1, minlength=len(outcomes) + 1)  # slot 0 = unnamed
    p = counts / b
    se = np.sqrt(p * (1.0 - p) / b)
    keys = [o.id for o in outcomes]
    if UNNAMED in keys:
        raise InputError("a named outcome may not be called 'unnamed'", field="outcomes", value=UNNAMED)
    probability = {k: float(p[j + 1]) for j, k in enumerate(keys)} | {UNNAMED: float(p[0])}
    stderr = {k: float(se[j + 1]) for j, k in enumerate(keys)} | {UNNAMED: float(se[0])}
    return OutcomeProbabilities(int(b), probability, stderr, float((inside.sum(axis=1) > 1).mean()))


def forecast_outcomes(forecast: Any, scenario: Scenario) -> dict[str, OutcomeProbabilities]:
    """Named-outcome probabilities of every model of an ensemble forecast.

    Uses each model's (B, I) ``samples``; a model run without draws is counted on its point
    forecast as a single draw (probability 0 or 1, standard error 0 — say so when showing it).
    """
    out = {}
    for name, mf in forecast.models.items():
        samples = mf.samples if mf.samples is not None and len(mf.samples) else mf.point.outcome[None, :]
        out[name] = outcome_probabilities(samples, forecast.issues, scenario.outcomes)
    return out


def outcomes_json(probabilities: Mapping[str, OutcomeProbabilities]) -> dict[str, dict[str, float]]:
    """The forecast's ``"outcomes"`` JSON: model -> named outcome -> probability (named only)."""
    return {model: {k: v for k, v in p.probability.items() if k != UNNAMED} for model, p in probabilities.items()}


def outcomes_detail(probabilities: Mapping[str, OutcomeProbabilities]) -> dict[str, dict[str, Any]]:
    """The rest for ``--json``: per model the unnamed share, standard errors, draws and overlap share."""
    return {model: {UNNAMED: p.probability[UNNAMED], "stderr": dict(p.stderr), "draws": p.draws,
                    "overlap": p.overlap} for model, p in probabilities.items()}


def outcomes_payload(forecast: Any, scenario: Scenario) -> dict[str, Any]:
    """What ``forecast --json`` adds: ``{"outcomes": {...}, "outcomes_detail": {...}}`` (empty without outcomes)."""
    if not scenario.outcomes:
        return {}
    probs = forecast_outcomes(forecast, scenario)
    return {"outcomes": outcomes_json(probs), "outcomes_detail": outcomes_detail(probs)}
