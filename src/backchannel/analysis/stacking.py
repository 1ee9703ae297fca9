"""Stacking forecast distributions: mixture weights that minimise CRPS, shrunk toward the compromise model.

The combined forecast of an issue is the mixture Σ_m w_m D_m of the models' forecast distributions
(weights on the simplex), so the spread *across* models becomes part of its uncertainty. With
samples of each D_m, the mixture's CRPS is a quadratic function of the weights,

    CRPS(w) = Σ_m w_m E|X_m − y| − ½ Σ_m Σ_k w_m w_k E|X_m − X_k'|,

convex on the simplex (the energy distance is of negative type), so the weights that minimise the
mean CRPS over training issues are found exactly by a quadratic program (SciPy's SLSQP).

Guarding against the reversal a search over many variants invites (the focal model's CV gain did
not survive new data), the fitted weights are shrunk toward the compromise model,
``w(λ) = (1 − λ) e_compromise + λ ŵ``, with λ from a short, fixed grid (:data:`SHRINKAGE`), chosen
by grouped cross-validation with the one-standard-error rule (the smallest λ — the most shrunk —
whose CV CRPS is within one standard error of the best). The whole procedure is judged by nested
cross-validation: the outer folds never see how λ and the weights were chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SHRINKAGE",
    "Fit",
    "NestedCV",
    "StackingData",
    "choose_shrinkage",
    "fit_weights",
    "mixture_samples",
    "nested_cv",
    "stacking_data",
    "weighted_median",
]

#: the λ grid: every value is one variant tried (λ = 0 is the compromise model alone)
SHRINKAGE = (0.0, 0.25, 0.5, 0.75, 1.0)
Floats = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class StackingData:
    """Per issue: ``a[i, m]`` = E|X_m − y_i|, ``b[i, m, k]`` = E|X_m − X_k'|, the models' point forecasts and
    samples (issues, models, draws), the outcome and the cluster (proposal)."""

    models: tuple[str, ...]
    a: Floats
    b: Floats
    point: Floats
    samples: Floats
    actual: Floats
    clusters: NDArray[np.str_]

    def crps(self, w: Floats, rows: NDArray[np.bool_] | None = None) -> Floats:
        """Per-issue CRPS of the mixture with weights ``w`` (optionally only ``rows``)."""
        a, b = (self.a, self.b) if rows is None else (self.a[rows], self.b[rows])
        return np.asarray(a @ w - 0.5 * np.einsum("imk,m,k->i", b, w, w), dtype=float)


def _mean_abs_diff(x: Floats, y: Floats) -> float:
    """E|X − Y| for independent X ~ samples x and Y ~ samples y, exactly, in O((n + m) log(n + m))."""
    xs, ys = np.sort(x), np.sort(y)
    # Σ_i Σ_j |x_i − y_j| = Σ_i [x_i (2 F_y(x_i) − 1)·m − 2 Σ_{y_j < x_i} y_j + Σ y]
    cum = np.concatenate([[0.0], np.cumsum(ys)])
    k = np.searchsorted(ys, xs, side="left")
    total = np.sum(xs * (2 * k - ys.size) - 2 * cum[k] + cum[-1])
    return float(total / (xs.size * ys.size))


def stacking_data(
    samples: Mapping[str, Floats], points: Mapping[str, Floats], actual: ArrayLike, clusters: Sequence[str]
) -> StackingData:
    """The CRPS ingredients from each model's (issues, draws) samples and point forecasts; issues where any
    model has NaN are left out."""
    models = tuple(samples)
    s = np.stack([np.asarray(samples[m], dtype=float) for m in models], axis=1)  # (n, M, B)
    p = np.stack([np.asarray(points[m], dtype=float) for m in models], axis=1)  # (n, M)
    y = np.asarray(actual, dtype=float)
    ok = np.isfinite(y) & np.isfinite(s).all(axis=(1, 2)) & np.isfinite(p).all(axis=1)
    s, p, y, g = s[ok], p[ok], y[ok], np.asarray(clusters)[ok]
    n, m_count, _ = s.shape
    a = np.abs(s - y[:, None, None]).mean(axis=2)
    b = np.zeros((n, m_count, m_count))
    for i in range(n):
        for m in range(m_count):
            for k in range(m, m_count):
                b[i, m, k] = b[i, k, m] = _mean_abs_diff(s[i, m], s[i, k])
    return StackingData(models, a, b, p, s, y, g)


def fit_weights(data: StackingData, rows: NDArray[np.bool_] | None = None) -> Floats:
    """Simplex weights minimising the mean mixture CRPS over ``rows`` (all issues by default)."""
    from scipy.optimize import minimize

    a = data.a if rows is None else data.a[rows]
    b = data.b if rows is None else data.b[rows]
    abar, bbar = a.mean(axis=0), b.mean(axis=0)
    m = abar.size

    def f(w: Floats) -> float:
        return float(abar @ w - 0.5 * w @ bbar @ w)

    def grad(w: Floats) -> Floats:
        return np.asarray(abar - bbar @ w, dtype=float)

    res = minimize(
        f,
        np.full(m, 1.0 / m),
        jac=grad,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * m,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    w = np.clip(res.x, 0.0, None)
    return np.asarray(w / w.sum(), dtype=float)


def _shrunk(data: StackingData, w: Floats, lam: float, toward: str) -> Floats:
    base = np.zeros(len(data.models))
    base[data.models.index(toward)] = 1.0
    return np.asarray((1.0 - lam) * base + lam * w, dtype=float)


def _folds(clusters: NDArray[np.str_], folds: int, rng: np.random.Generator) -> list[NDArray[np.bool_]]:
    groups = np.unique(clusters)
    return [np.isin(clusters, part) for part in np.array_split(rng.permutation(groups), folds)]


@dataclass(frozen=True)
class Fit:
    """The chosen shrinkage, its weights, and the CV CRPS (mean, standard error) of every λ tried."""

    shrinkage: float
    weights: dict[str, float]
    cv: dict[float, tuple[float, float]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "shrinkage": self.shrinkage,
            "weights": dict(self.weights),
            "cv_crps": {str(k): {"mean": v[0], "se": v[1]} for k, v in self.cv.items()},
        }


def choose_shrinkage(
    data: StackingData,
    rows: NDArray[np.bool_] | None = None,
    toward: str = "compromise",
    folds: int = 10,
    seed: int = 0,
    grid: Sequence[float] = SHRINKAGE,
    rule: str = "one_se",
) -> Fit:
    """Grouped CV over ``rows`` for each λ of the grid, then weights fit on all rows at the λ the ``rule`` picks:
    ``one_se`` (the smallest λ whose CV CRPS is within one standard error of the best) or ``min`` (the best)."""
    rows = np.ones(data.actual.size, bool) if rows is None else rows
    idx = np.flatnonzero(rows)
    fold_masks = _folds(data.clusters[idx], folds, np.random.default_rng(seed))
    per_fold = np.zeros((len(grid), folds))
    for f, test_local in enumerate(fold_masks):
        train = np.zeros(rows.size, bool)
        train[idx[~test_local]] = True
        test = np.zeros(rows.size, bool)
        test[idx[test_local]] = True
        w = fit_weights(data, train)
        for j, lam in enumerate(grid):
            per_fold[j, f] = data.crps(_shrunk(data, w, lam, toward), test).mean()
    mean = per_fold.mean(axis=1)
    se = per_fold.std(axis=1, ddof=1) / np.sqrt(folds)
    best = int(mean.argmin())
    chosen = best if rule == "min" else min(j for j in range(len(grid)) if mean[j] <= mean[best] + se[best])
    w = _shrunk(data, fit_weights(data, rows), grid[chosen], toward)
    return Fit(
        float(grid[chosen]),
        {m: float(v) for m, v in zip(data.models, w)},
        {float(lam): (float(mean[j]), float(se[j])) for j, lam in enumerate(grid)},
    )


@dataclass(frozen=True)
class NestedCV:
    """Out-of-fold scores of the whole procedure and of the compromise model on the same issues."""

    crps: float
    mae: float
    coverage90: float
    compromise_crps: float
    compromise_mae: float
    shrinkage_chosen: tuple[float, ...]
    folds: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "crps": self.crps,
            "mae": self.mae,
            "coverage90": self.coverage90,
            "compromise_crps": self.compromise_crps,
            "compromise_mae": self.compromise_mae,
            "shrinkage_chosen": list(self.shrinkage_chosen),
            "folds": self.folds,
        }


def mixture_samples(samples: Sequence[Floats], weights: ArrayLike, draws: int, rng: np.random.Generator) -> Floats:
    """(issues, draws) samples of the mixture: each draw takes one model's sample with probability its weight."""
    stack = np.stack([np.asarray(s, dtype=float) for s in samples], axis=0)  # (M, n, B)
    m, n, b = stack.shape
    pick = rng.choice(m, size=(n, draws), p=np.asarray(weights, dtype=float))
    col = rng.integers(0, b, size=(n, draws))
    return np.asarray(stack[pick, np.arange(n)[:, None], col], dtype=float)


def weighted_median(values: Floats, weights: ArrayLike) -> Floats:
    """Per row of (n, M) values, the weighted median (the lower one where the cumulative weight is exactly ½)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float) / float(np.sum(weights))
    order = np.argsort(v, axis=1, kind="stable")
    cum = np.cumsum(w[order], axis=1)
    k = (cum < 0.5 - 1e-12).sum(axis=1)
    return np.asarray(np.take_along_axis(v, order, axis=1)[np.arange(v.shape[0]), k], dtype=float)


def nested_cv(
    data: StackingData, toward: str = "compromise", folds: int = 10, seed: int = 0, rule: str = "one_se"
) -> NestedCV:
    """Outer grouped folds: choose λ and fit weights on the rest (inner grouped CV), score the held-out issues."""
    rng = np.random.default_rng(seed)
    outer = _folds(data.clusters, folds, rng)
    crps = np.zeros(data.actual.size)
    point = np.zeros(data.actual.size)
    inside = np.zeros(data.actual.size, bool)
    chosen = []
    stack = [data.samples[:, m] for m in range(len(data.models))]
    for f, test in enumerate(outer):
        fit = choose_shrinkage(data, ~test, toward, folds, seed + 1 + f, rule=rule)
        chosen.append(fit.shrinkage)
        w = np.array([fit.weights[m] for m in data.models])
        crps[test] = data.crps(w, test)
        point[test] = weighted_median(data.point[test], w)
        mix = mixture_samples([s[test] for s in stack], w, 2000, np.random.default_rng(seed + 100 + f))
        lo, hi = np.quantile(mix, [0.05, 0.95], axis=1)
        inside[test] = (data.actual[test] >= lo) & (data.actual[test] <= hi)
    c = data.models.index(toward)
    return NestedCV(
        float(crps.mean()),
        float(np.abs(point - data.actual).mean()),
        float(inside.mean()),
        float(data.a[:, c].mean() - 0.5 * data.b[:, c, c].mean()),
        float(np.abs(data.point[:, c] - data.actual).mean()),
        tuple(chosen),
        folds,
    )
