"""Distributional backtest on DEU data: each model's forecast distribution scored on every decided issue.

The distributions are the one DEU forecast distribution of ``deu_distribution`` (an atom at the reference
point with the learned P(status quo), the rest around the model's settlement with its learned
structural error). The combined model's is the mixture of its members' distributions with the shipped
weights: each member gives the first ``round(w · draws)`` of its (independent) draws, so a member of
weight 1 gives exactly its own distribution.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..models.combined import MEMBERS, WEIGHTS
from ..scenario.formats.deu import DeuData
from .deu_distribution import BASE_RATE, SHIPPED, StatusQuoScore, deu_forecasts
from .scoring import DistributionScore, score_distribution
from .stacking import choose_shrinkage, nested_cv, stacking_data

__all__ = [
    "DEFAULT_DRAWS",
    "combined_status_quo",
    "deu_samples",
    "distribution_scores",
    "fit_combined",
    "has_distribution",
]

#: draws per issue of the distributional backtest (CRPS and interval scores from samples)
DEFAULT_DRAWS = 1000


def has_distribution(model: str) -> bool:
    """Whether the model has a DEU forecast distribution (shipped parameters, or the combined mixture)."""
    return model in SHIPPED or model == "combined"


def _allocate(weights: Sequence[float], draws: int) -> list[int]:
    """Draw counts proportional to the weights, summing to ``draws`` (largest remainders)."""
    w = np.asarray(weights, dtype=float) * draws
    counts = np.floor(w).astype(int)
    for k in np.argsort(-(w - counts), kind="stable")[: draws - counts.sum()]:
        counts[k] += 1
    return [int(c) for c in counts]


def deu_samples(data: DeuData, model: str, draws: int = DEFAULT_DRAWS, seed: int = 0) -> dict[str, np.ndarray]:
    """Issue id -> (draws,) samples of the outcome under the model's DEU forecast distribution."""
    if model != "combined":
        return {f.issue: f.samples for f in deu_forecasts(data, model, draws=draws, seed=seed)}
    members = [(m, w) for m, w in WEIGHTS.items() if w > 0]
    counts = _allocate([w for _, w in members], draws)
    parts = [deu_samples(data, m, draws, seed) for m, _ in members]
    return {issue: np.concatenate([p[issue][:c] for p, c in zip(parts, counts)]) for issue in parts[0]}


def distribution_scores(
    data: DeuData,
    models: Sequence[str],
    issues: Sequence[str],
    actual: np.ndarray,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> dict[str, DistributionScore]:
    """Per model with a distribution: CRPS, 50 % and 90 % coverage, 90 % interval score, PIT histogram over
    ``issues`` (in that order, outcomes ``actual``)."""
    out = {}
    for m in models:
        if not has_distribution(m):
            continue
        by_issue = deu_samples(data, m, draws, seed)
        samples = np.stack([by_issue[i] for i in issues])
        out[m] = score_distribution(actual, samples)
    return out


def combined_status_quo(data: DeuData, seed: int = 0) -> StatusQuoScore:
    """Brier score of the combined model's P(outcome = reference point): its members' probabilities, weighted."""
    members = [(m, w) for m, w in WEIGHTS.items() if w > 0]
    p: np.ndarray | None = None
    y = np.zeros(0)
    for m, w in members:
        rows = [
            f
            for f in deu_forecasts(data, m, draws=1, seed=seed)
            if f.at_status_quo is not None and np.isfinite(f.point)
        ]
        part = w * np.array([f.p_status_quo for f in rows])
        p = part if p is None else p + part
        y = np.array([float(bool(f.at_status_quo)) for f in rows])
    if p is None or not y.size:
        return StatusQuoScore(float("nan"), float("nan"), 0)
    return StatusQuoScore(float(np.mean((p - y) ** 2)), float(np.mean((BASE_RATE - y) ** 2)), int(y.size))


def fit_combined(data: DeuData, draws: int = 400, seed: int = 0, rule: str = "one_se") -> dict[str, Any]:
    """The combined model's fit on DEU data (see models/combined.py): chosen shrinkage, weights, the CV CRPS of
    every λ tried, and the nested cross-validation of the whole procedure beside the compromise model."""
    samples, points = {}, {}
    actual, clusters = np.zeros(0), []
    for m in MEMBERS:
        forecasts = deu_forecasts(data, m, draws=draws, seed=seed)
        samples[m] = np.stack([f.samples for f in forecasts])
        points[m] = np.array([f.point for f in forecasts])
        actual, clusters = np.array([f.actual for f in forecasts]), [f.proposal for f in forecasts]
    stack = stacking_data(samples, points, actual, clusters)
    fit = choose_shrinkage(stack, seed=seed, rule=rule)
    return {
        **fit.to_dict(),
        "nested_cv": nested_cv(stack, seed=seed, rule=rule).to_dict(),
        "n": int(stack.actual.size),
        "draws": draws,
        "seed": seed,
        "rule": rule,
    }
