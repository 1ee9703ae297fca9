"""Cross-validation grouped by cluster (DEU proposal), for tuning a model's hyper-parameters honestly.

Every candidate (a model with one setting of its parameters) forecasts every scored issue
once; the models here have no fitted state beyond the choice of setting, so a fold only has
to pick the candidate with the lowest MAE on its training clusters and use that candidate's
forecasts on its test clusters. No proposal is ever in both the training and the test part.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..models.base import Model, get_model
from .backtest import REFERENCE_MODEL, Case, paired_interval, predict_all

__all__ = ["CrossValidation", "grouped_cv", "grouped_cv_errors"]


@dataclass(frozen=True, eq=False)
class CrossValidation:
    """Out-of-fold errors of a tuned model next to the reference model's errors."""

    mae: float
    mae_by_repeat: tuple[float, ...]
    reference_mae: float
    diff_interval: tuple[float, float]
    chosen: dict[str, int]
    n: int
    folds: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "mae": self.mae,
            "mae_by_repeat": list(self.mae_by_repeat),
            "reference_mae": self.reference_mae,
            "diff_vs_compromise": list(self.diff_interval),
            "chosen": dict(self.chosen),
            "n": self.n,
            "folds": self.folds,
        }


def _label(model: Model) -> str:
    return model.name + "(" + ", ".join(f"{k}={v}" for k, v in model.params.items()) + ")"


def grouped_cv(
    cases: Sequence[Case],
    candidates: Sequence[Model],
    folds: int = 10,
    repeats: int = 5,
    seed: int = 0,
    n_boot: int = 2000,
    executor: str = "serial",
    address: str | None = None,
) -> CrossValidation:
    """Grouped k-fold CV choosing among ``candidates`` on each training part; errors vs compromise.

    The candidates' predictions run on ``executor`` (one task per candidate, same result on any)."""
    actual = np.array([v for c in cases for v in c.actual], dtype=float)
    clusters = np.array([g for c in cases for g in c.cluster])
    *preds, ref_pred = predict_all([*candidates, get_model(REFERENCE_MODEL)], cases, seed, executor, address=address)
    errors = np.array([np.abs(p - actual) for p in preds])  # (K, n)
    ref = np.abs(ref_pred - actual)
    return grouped_cv_errors(errors, ref, clusters, [_label(m) for m in candidates], folds, repeats, seed, n_boot)


def grouped_cv_errors(
    errors: np.ndarray,
    ref: np.ndarray,
    clusters: Sequence[str] | np.ndarray,
    labels: Sequence[str],
    folds: int = 10,
    repeats: int = 5,
    seed: int = 0,
    n_boot: int = 2000,
) -> CrossValidation:
    """The same from a (candidates, issues) matrix of absolute errors and the reference's errors."""
    errors, ref, clusters = np.asarray(errors, float), np.asarray(ref, float), np.asarray(clusters)
    groups = np.unique(clusters)
    if len(groups) < folds:
        raise ValueError(f"{len(groups)} clusters cannot fill {folds} folds")
    rng = np.random.default_rng(seed)
    oof = np.zeros((repeats, errors.shape[1]))
    chosen: Counter[str] = Counter()
    for r in range(repeats):
        for part in np.array_split(rng.permutation(groups), folds):
            test = np.isin(clusters, part)
            best = int(np.nanmean(errors[:, ~test], axis=1).argmin())
            oof[r, test] = errors[best, test]
            chosen[labels[best]] += 1
    per_issue = oof.mean(axis=0)
    return CrossValidation(
        mae=float(per_issue.mean()),
        mae_by_repeat=tuple(float(v) for v in oof.mean(axis=1)),
        reference_mae=float(ref.mean()),
        diff_interval=paired_interval(per_issue, ref, clusters, n_boot=n_boot, seed=seed),
        chosen=dict(chosen.most_common()),
        n=errors.shape[1],
        folds=folds,
    )
