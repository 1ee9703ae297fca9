"""Monte Carlo sampling of uncertain inputs: distributions, ranges, seeds, common random numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backchannel.ensemble.levers import apply_overrides
from backchannel.ensemble.sampling import PERT_LAMBDA, sample_batch, sample_interval, uncertain_inputs
from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.errors import InputError

N = 200_000
LOW, MODE, HIGH = 10.0, 25.0, 70.0


def _moments(name: str) -> tuple[float, float]:
    """Mean and variance of each distribution on [LOW, HIGH] with mode MODE (textbook formulas).

    uniform: (a+b)/2, (b-a)^2/12; triangular: (a+m+b)/3, (a^2+m^2+b^2-am-ab-mb)/18;
    PERT (lambda = 4, Vose 2008): (a + 4m + b)/6, (mu-a)(b-mu)/7.
    """
    a, m, b = LOW, MODE, HIGH
    if name == "uniform":
        return (a + b) / 2, (b - a) ** 2 / 12
    if name == "triangular":
        return (a + m + b) / 3, (a * a + m * m + b * b - a * m - a * b - m * b) / 18
    mu = (a + PERT_LAMBDA * m + b) / (PERT_LAMBDA + 2)
    return mu, (mu - a) * (b - mu) / (PERT_LAMBDA + 3)


@pytest.mark.parametrize("name", ["uniform", "triangular", "pert"])
def test_mean_and_variance_match_the_formulas(name):
    x = sample_interval(np.random.default_rng(1), LOW, MODE, HIGH, N, name)
    mean, var = _moments(name)
    # tolerance: 5 standard errors of the sample mean / variance (kurtosis bound 3 for these laws)
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / N)
    assert abs(x.var() - var) < 5 * var * math.sqrt(2 / N) * 1.5
    assert LOW <= x.min() and x.max() <= HIGH


@pytest.mark.parametrize("name", ["triangular", "pert"])
def test_mode_is_the_point_value(name):
    # the densest of 45 one-unit bins must be the one holding the mode (or its neighbour)
    x = sample_interval(np.random.default_rng(2), LOW, MODE, HIGH, N, name)
    counts, edges = np.histogram(x, bins=np.arange(LOW, HIGH + 1, 1.0))
    centre = edges[counts.argmax()] + 0.5
    assert abs(centre - MODE) <= 1.5


def test_unknown_distribution_is_an_input_error(scenario):
    with pytest.raises(InputError, match="distribution"):
        sample_batch(scenario, 10, 0, "normal")


@pytest.mark.parametrize("bad", [{"draws": -1}, {"draws": 2.5}, {"seed": -3}, {"seed": "x"}])
def test_bad_draws_or_seed(scenario, bad):
    kwargs = {"draws": 10, "seed": 0, **bad}
    with pytest.raises(InputError):
        sample_batch(scenario, kwargs["draws"], kwargs["seed"])


@pytest.mark.parametrize("name", ["uniform", "triangular", "pert"])
def test_ranges_respected_and_fixed_inputs_stay_fixed(scenario, name):
    batch = sample_batch(scenario, 5000, 11, name)
    point = to_arrays(scenario)
    assert batch.draws == 5000
    varied = {(u.field, u.actor, u.issue): u for u in uncertain_inputs(scenario)}
    assert varied, "the fixture has ranges"
    for fld in ("position", "salience", "capability"):
        arr = getattr(batch, fld)
        for a in range(point.n_actors):
            for i in range(point.n_issues):
                u = varied.get((fld, a, i))
                if u is None:
                    assert (arr[:, a, i] == getattr(point, fld)[a, i]).all()
                else:
                    assert u.low <= arr[:, a, i].min() and arr[:, a, i].max() <= u.high
                    assert arr[:, a, i].std() > 0


def test_same_seed_same_draws_other_seed_other_draws(scenario):
    one, two, other = (sample_batch(scenario, 1000, s) for s in (5, 5, 6))
    np.testing.assert_array_equal(one.position, two.position)
    np.testing.assert_array_equal(one.salience, two.salience)
    assert not np.array_equal(one.position, other.position)


def test_zero_draws(scenario):
    assert sample_batch(scenario, 0, 1).position.shape == (0, 5, 3)


def test_null_lever_gives_identical_samples(scenario):
    p = scenario.positions[1]
    same = apply_overrides(
        scenario, {f"{p.actor}.{p.issue}.position": p.position, f"{p.actor}.{p.issue}.salience": p.salience}
    )
    a, b = sample_batch(scenario, 2000, 3), sample_batch(same, 2000, 3)
    for fld in ("position", "salience", "capability"):
        np.testing.assert_array_equal(getattr(a, fld), getattr(b, fld))


def test_a_what_if_leaves_other_inputs_draws_unchanged(scenario):
    # common random numbers: every input draws from its own stream keyed by its name
    p = scenario.positions[1]
    assert p.range is not None
    moved = apply_overrides(scenario, {f"{p.actor}.{p.issue}.position": p.position + 3})
    a, b = sample_batch(scenario, 2000, 3), sample_batch(moved, 2000, 3)
    changed = np.zeros(a.position.shape[1:], bool)
    changed[0, 1] = True
    np.testing.assert_array_equal(a.position[:, ~changed], b.position[:, ~changed])
    np.testing.assert_array_equal(a.salience, b.salience)
    assert not np.array_equal(a.position[:, 0, 1], b.position[:, 0, 1])


@pytest.mark.parametrize("name", ["uniform", "pert"])
def test_threaded_sampling_equals_one_input_after_another(scenario, monkeypatch, name):
    # large batches sample the inputs on threads; each input has its own stream, so the draws
    # must be identical to the serial loop's, bit for bit
    import backchannel.ensemble.sampling as sampling

    draws = sampling._THREADED_CELLS  # enough to take the threaded path with any input
    monkeypatch.setattr(sampling.os, "cpu_count", lambda: 2)
    threaded = sample_batch(scenario, draws, 11, name)
    monkeypatch.setattr(sampling, "_THREADED_CELLS", 10**15)
    serial = sample_batch(scenario, draws, 11, name)
    for field in ("position", "salience", "capability"):
        np.testing.assert_array_equal(getattr(threaded, field), getattr(serial, field))
