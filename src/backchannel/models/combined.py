"""The combined model: a weighted mixture of the other models, with weights fitted once on DEU data.

Each draw of a Monte Carlo forecast takes one member model's outcome (all issues of that draw from the
same model), chosen with probability equal to its weight, so the forecast distribution is the mixture
Σ_m w_m D_m: the spread across models becomes part of the uncertainty. The point forecast is the
weighted median of the members' point forecasts.

The weights were fitted on ``deu3-dev.tsv`` only (capability equal, one case per proposal) by
``benchmarks/fit_combined.py``: mixture weights that minimise the CRPS of the members' DEU forecast
distributions (``analysis/deu_distribution.py``), shrunk toward the compromise model by a factor λ
from {0, 0.25, 0.5, 0.75, 1} chosen by 10-fold cross-validation grouped by proposal with the
one-standard-error rule (``analysis/stacking.py``). Nothing is fitted at run time.

The rule chose λ = 0 — the combined model is the compromise model alone: the in-sample gain of the
best mixture (CV CRPS 16.46 at λ = 0.5 against 16.52 at λ = 0) is a tenth of the standard error
(0.59), and nested cross-validation confirms that choosing the CV-best λ instead would not carry to
new issues (out-of-fold CRPS 16.63 against the compromise model's 16.60). See docs/models.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from .base import MODELS, BatchResult, Kernel, Model, ModelResult, get_model, register

__all__ = ["CV", "MEMBERS", "WEIGHTS", "Combined", "headline_allowed", "headline_models"]

#: the models combined (fixed before fitting: the seven models the issue names)
MEMBERS = ("compromise", "median", "bdm", "smp", "exchange", "nash", "focal")
#: shipped weights (benchmarks/fit_combined.py on deu3-dev.tsv, seed 0); they sum to 1
WEIGHTS: dict[str, float] = {
    "compromise": 1.0,
    "median": 0.0,
    "bdm": 0.0,
    "smp": 0.0,
    "exchange": 0.0,
    "nash": 0.0,
    "focal": 0.0,
}
#: nested cross-validation (10 outer folds grouped by proposal, seed 0, 400 draws per issue) of the whole
#: fitting procedure on deu3-dev.tsv, beside the compromise model on the same issues
CV: dict[str, float] = {
    "crps": 16.6028,
    "mae": 22.6989,
    "coverage90": 0.8802,
    "compromise_crps": 16.6028,
    "compromise_mae": 22.6989,
}


def headline_allowed() -> bool:
    """The promotion rule: combined heads forecasts only if its CV CRPS and MAE are no worse than compromise's."""
    return CV["crps"] <= CV["compromise_crps"] and CV["mae"] <= CV["compromise_mae"]


def headline_models() -> tuple[str, ...]:
    """The models that head a forecast by default: ``combined`` then ``compromise`` when the rule allows it, else
    ``compromise`` alone (the ledger marks the run's first model as its headline)."""
    return ("combined", "compromise") if headline_allowed() else ("compromise",)


def _members() -> list[tuple[str, float]]:
    return [(m, w) for m, w in WEIGHTS.items() if w > 0]


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per issue (last axis), the weighted median over members (first axis); NaN members are left out."""
    out = np.full(values.shape[1:], np.nan)
    for k in np.ndindex(values.shape[1:]):
        v = values[(slice(None), *k)]
        ok = np.isfinite(v)
        if not ok.any():
            continue
        order = np.argsort(v[ok], kind="stable")
        w = weights[ok][order] / weights[ok].sum()
        out[k] = v[ok][order][int((np.cumsum(w) < 0.5 - 1e-12).sum())]
    return out


@register
class Combined(Model):
    """Mixture of the member models with the shipped weights (see module docs)."""

    name = "combined"
    defaults: ClassVar[dict[str, Any]] = {}
    #: the compiled kernels of the members it runs (for the first-use notice)
    kernels: ClassVar[tuple[Kernel, ...]] = tuple(
        dict.fromkeys(k for m, w in WEIGHTS.items() if w > 0 for k in MODELS[m].kernels)
    )

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The weighted median of the members' forecasts; each member's forecast in the diagnostics."""
        members = _members()
        points = np.stack([get_model(m).solve(arrays, rng).outcome for m, _ in members])
        weights = np.array([w for _, w in members])
        return self.result(
            arrays,
            _weighted_median(points, weights),
            diagnostics={"members": {m: points[k] for k, (m, _) in enumerate(members)}, "weights": dict(WEIGHTS)},
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Each draw takes one member's outcome, the member drawn with probability its weight."""
        members = _members()
        results = [get_model(m).solve_batch(batch, rng) for m, _ in members]
        if len(results) == 1:
            pick = np.zeros(batch.draws, dtype=int)
        else:
            gen = rng if rng is not None else np.random.default_rng(0)
            pick = gen.choice(len(results), size=batch.draws, p=np.array([w for _, w in members]))
        outcome = np.stack([r.outcome for r in results])[pick, np.arange(batch.draws)]
        rounds = np.stack([r.rounds for r in results])[pick, np.arange(batch.draws)]
        converged = np.stack([r.converged for r in results])[pick, np.arange(batch.draws)]
        return BatchResult(self.name, dict(self.params), batch.actors, batch.issues, outcome, rounds, converged)
