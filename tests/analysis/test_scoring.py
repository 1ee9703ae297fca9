"""Scoring rules on hand-computed cases and published or peer-tool reference values."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from backchannel.analysis.scoring import (
    LOG_FLOOR,
    brier,
    central_interval,
    coverage,
    crps_samples,
    interval_score,
    log_score,
    murphy_decomposition,
    pit_histogram,
    pit_values,
    reliability_table,
)


def test_brier_of_known_forecasts():
    # (0.9-1)² + (0.2-0)² + (0.6-0)² + (0.5-1)² = 0.01 + 0.04 + 0.36 + 0.25 = 0.66; / 4
    assert brier([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]) == pytest.approx(0.165, abs=1e-12)


def test_log_score_of_known_forecasts():
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.4) + math.log(0.5)) / 4
    assert log_score([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]) == pytest.approx(expected, abs=1e-12)


def test_log_score_clips_certainty():
    assert log_score([0.0], [1]) == pytest.approx(-math.log(LOG_FLOOR))
    assert log_score([1.0], [1]) == pytest.approx(-math.log(1 - LOG_FLOOR))


# Reference: SpecsVerification::BrierDecomp (Siegert et al., CRAN 2020), the standard Murphy (1973)
# estimator, run through its NumPy port github.com/JanaFe/BrierDecomp (whose test says it matches R)
# on these 16 forecasts with bins=10: rel 0.0316104166…, res 0.1002604166…, unc 0.24609375.
P16 = [0.05, 0.08, 0.12, 0.15, 0.18, 0.33, 0.35, 0.52, 0.55, 0.58, 0.61, 0.72, 0.77, 0.85, 0.91, 0.95]
Y16 = [0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1]


def test_murphy_decomposition_matches_specsverification():
    d = murphy_decomposition(P16, Y16)
    assert d.reliability == pytest.approx(0.03161041666666667, abs=1e-12)
    assert d.resolution == pytest.approx(0.10026041666666667, abs=1e-12)
    assert d.uncertainty == pytest.approx(0.24609375, abs=1e-12)  # 11/16 × 5/16


def test_decomposition_is_exact_when_bins_hold_one_value():
    p = [0.15] * 4 + [0.55] * 5 + [0.95] * 3
    y = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0]
    d = murphy_decomposition(p, y)
    assert d.reliability - d.resolution + d.uncertainty == pytest.approx(brier(p, y), abs=1e-12)


def test_reliability_table_counts():
    rows = reliability_table(P16, Y16)
    assert len(rows) == 10
    assert [r["count"] for r in rows] == [2, 3, 0, 2, 0, 3, 1, 2, 1, 2]
    assert rows[1]["observed"] == pytest.approx(1 / 3)
    assert rows[1]["forecast_mean"] == pytest.approx((0.12 + 0.15 + 0.18) / 3)
    assert rows[2]["observed"] is None and rows[9]["bin"] == [0.9, 1.0]
    assert reliability_table([1.0], [1])[9]["count"] == 1


def _normal_crps(y: float, mu: float, sigma: float) -> float:
    """Closed form (Gneiting & Raftery 2007, eq. 21) written out here, not taken from the library."""
    z = (y - mu) / sigma
    phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    return sigma * (z * (2 * cdf - 1) + 2 * phi - 1 / math.sqrt(math.pi))


def test_crps_of_a_normal_distribution():
    # 20,000 samples at the normal's quantiles (i − ½)/B: the sample CRPS converges at O(1/B)
    b = 20000
    quantiles = np.array([NormalDist(50, 10).inv_cdf((i + 0.5) / b) for i in range(b)])
    obs = np.array([50.0, 62.0, 20.0])
    got = crps_samples(obs, np.tile(quantiles, (3, 1)))
    want = [_normal_crps(o, 50, 10) for o in obs]
    assert want[0] == pytest.approx(10 * (2 / math.sqrt(2 * math.pi) - 1 / math.sqrt(math.pi)), abs=1e-12)
    assert got == pytest.approx(want, abs=2e-3)


def test_crps_of_a_point_forecast_is_the_absolute_error():
    assert crps_samples([30.0, 70.0], [[40.0], [70.0]]) == pytest.approx([10.0, 0.0])


def test_coverage_on_a_grid_with_a_known_answer():
    samples = np.tile(np.arange(101.0), (8, 1))  # central 90 % interval: [5, 95]; 50 %: [25, 75]
    lo, hi = central_interval(samples, 0.9)
    assert lo == pytest.approx([5.0] * 8) and hi == pytest.approx([95.0] * 8)
    obs = np.array([0.0, 5.0, 50.0, 95.0, 96.0, 100.0, 24.0, 75.0])
    assert coverage(obs, lo, hi) == 5 / 8  # 0, 96 and 100 fall outside
    lo50, hi50 = central_interval(samples, 0.5)
    assert coverage(obs, lo50, hi50) == 2 / 8  # 50 and 75


def test_coverage_of_calibrated_random_forecasts():
    # outcomes and forecasts from the same N(0, 1): 90 % intervals cover 90 % ± sampling noise
    rng = np.random.default_rng(7)
    n = 4000
    lo, hi = central_interval(rng.standard_normal((n, 2000)), 0.9)
    cov = coverage(rng.standard_normal(n), lo, hi)
    assert abs(cov - 0.9) < 4 * math.sqrt(0.09 / n)


def test_interval_score_by_hand():
    # width 2, plus 2/α × 1 for an outcome one unit above the interval, α = 0.1
    assert interval_score([3.0, 1.0], [0.0, 0.0], [2.0, 2.0], 0.9) == pytest.approx([22.0, 2.0])


def test_pit_and_histogram():
    samples = np.tile(np.arange(10.0), (3, 1))
    pit = pit_values([-1.0, 4.0, 100.0], samples)
    assert pit == pytest.approx([0.0, 0.45, 1.0])  # 4 samples below 4.0, one equal
    assert pit_histogram(pit) == [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert sum(pit_histogram(np.random.default_rng(1).uniform(size=500))) == 500


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        brier([0.5], [2])
    with pytest.raises(ValueError):
        brier([1.5], [1])
    with pytest.raises(ValueError):
        crps_samples([1.0, 2.0], [[1.0]])
