"""Stacking: the mixture CRPS formula against scoringrules, weights on synthetic models, shrinkage and medians."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.scoring import crps_samples
from backchannel.analysis.stacking import (
    _mean_abs_diff,
    choose_shrinkage,
    fit_weights,
    mixture_samples,
    stacking_data,
    weighted_median,
)


def test_mean_abs_diff_is_exact():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=37), rng.normal(1, 2, size=23)
    assert _mean_abs_diff(x, y) == pytest.approx(np.abs(x[:, None] - y[None, :]).mean(), rel=1e-12)


def _data(seed=0, n=120, b=60):
    rng = np.random.default_rng(seed)
    y = rng.uniform(10, 90, n)
    good = y[:, None] + rng.normal(0, 5, (n, b))
    biased = y[:, None] + 20 + rng.normal(0, 5, (n, b))
    wide = y[:, None] + rng.normal(0, 30, (n, b))
    samples = {"compromise": wide, "good": good, "biased": biased}
    points = {m: np.median(s, axis=1) for m, s in samples.items()}
    return stacking_data(samples, points, y, [f"p{k // 3}" for k in range(n)]), samples, y


def test_mixture_crps_matches_scoringrules():
    data, samples, y = _data()
    w = np.array([0.2, 0.5, 0.3])
    pooled = np.concatenate([samples[m] for m in data.models], axis=1)
    import scoringrules as sr

    weights = np.concatenate([np.full(60, wm / 60) for wm in w])
    want = sr.crps_ensemble(y, pooled, ens_w=np.tile(weights, (y.size, 1)), estimator="nrg")
    assert data.crps(w) == pytest.approx(want, rel=1e-9)
    # one model alone: the plain sample CRPS
    assert data.crps(np.array([0.0, 1.0, 0.0])) == pytest.approx(crps_samples(y, samples["good"]), rel=1e-9)


def test_fit_puts_the_weight_on_the_calibrated_model():
    data, _, _ = _data()
    w = dict(zip(data.models, fit_weights(data)))
    assert w["good"] > 0.9 and sum(w.values()) == pytest.approx(1.0)


def test_shrinkage_by_one_standard_error_and_its_grid():
    data, _, _ = _data()
    fit = choose_shrinkage(data, folds=5)
    assert set(fit.cv) == {0.0, 0.25, 0.5, 0.75, 1.0}
    best = min(fit.cv, key=lambda k: fit.cv[k][0])
    assert fit.cv[fit.shrinkage][0] <= fit.cv[best][0] + fit.cv[best][1]
    assert all(fit.cv[lam][0] > fit.cv[best][0] + fit.cv[best][1] for lam in fit.cv if lam < fit.shrinkage)
    # the fitted weights put (almost) nothing on the wide model, so shrinkage gives it about 1 − λ
    assert fit.weights["compromise"] == pytest.approx(1 - fit.shrinkage, abs=0.05)


def test_weighted_median_by_hand():
    v = np.array([[10.0, 40.0, 70.0], [5.0, 1.0, 3.0]])
    # row 2 sorted: 1 (0.5), 3 (0.3), 5 (0.2): the cumulative weight reaches exactly ½ at 1, the lower median
    assert weighted_median(v, [0.2, 0.5, 0.3]).tolist() == [40.0, 1.0]
    assert weighted_median(v, [0.6, 0.2, 0.2]).tolist() == [10.0, 5.0]


def test_mixture_samples_follow_the_weights():
    a, b = np.zeros((1, 50)), np.ones((1, 50))
    draws = mixture_samples([a, b], [0.25, 0.75], 4000, np.random.default_rng(3))
    assert draws.mean() == pytest.approx(0.75, abs=0.03)
