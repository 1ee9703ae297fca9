"""The focal-position model on hand-worked cases and the model contract's invariants."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.scenario.arrays import ScenarioArrays
from backchannel.scenario.errors import InputError


def arrays(pos, sal, cap=None):
    pos = np.asarray(pos, float)[:, None]
    sal = np.asarray(sal, float)[:, None]
    cap = np.ones_like(pos) if cap is None else np.asarray(cap, float)[:, None]
    n = len(pos)
    return ScenarioArrays(
        tuple(f"a{k}" for k in range(n)), ("x",), pos, sal, cap, np.ones((n, 1), bool), np.array([np.nan])
    )


def test_snaps_to_the_nearest_position_within_the_radius():
    # weights 0.7, 0.3 at 0 and 100: compromise 30, nearest tabled position 0 at distance 30.
    a = arrays([0, 100], [0.7, 0.3])
    assert get_model("focal").solve(a).outcome[0] == 0.0
    # radius 29 is too short: the compromise stands.
    assert get_model("focal", radius=29).solve(a).outcome[0] == pytest.approx(30.0)
    # pull 0.5 moves half-way: 30 -> 15.
    assert get_model("focal", pull=0.5).solve(a).outcome[0] == pytest.approx(15.0)


def test_equal_distance_goes_to_the_better_supported_position():
    a = arrays([40, 60, 60], [0.5, 0.25, 0.25])
    # centre = 50; 40 and 60 both at distance 10; 40 holds 0.5, 60 holds 0.5 -> exact tie: keep 50.
    assert get_model("focal").solve(a).outcome[0] == pytest.approx(50.0)
    b = arrays([40, 60, 60, 50.0], [0.5, 0.25, 0.25, 0.0])  # a zero-weight actor at 50 is not tabled
    assert get_model("focal").solve(b).outcome[0] == pytest.approx(50.0)
    c = arrays([40, 60, 60, 40], [0.5, 0.3, 0.3, 0.1])
    # c: centre = (20+18+18+4)/1.2 = 50; 40 holds 0.6, 60 holds 0.6 -> tie again; d shifts weight:
    d = arrays([40, 60, 60, 40], [0.5, 0.3, 0.3, 0.2])
    # centre = (20+36+8)/1.3 = 49.23: 40 at 9.23, 60 at 10.77 -> 40
    assert get_model("focal").solve(c).outcome[0] == pytest.approx(50.0)
    assert get_model("focal").solve(d).outcome[0] == 40.0


def test_invariants_unanimity_order_zero_weight_and_batch():
    rng = np.random.default_rng(5)
    pos = rng.uniform(0, 100, (6, 4)).round()
    sal = rng.uniform(0, 1, (6, 4))
    a = ScenarioArrays(
        tuple("abcdef"), tuple("wxyz"), pos, sal, np.ones((6, 4)), np.ones((6, 4), bool), np.full(4, np.nan)
    )
    m = get_model("focal", radius=20)
    out = m.solve(a).outcome
    assert np.allclose(m.solve(a.take_actors([5, 3, 1, 0, 2, 4])).outcome, out)
    assert np.all(m.solve(a.replace(position=np.full((6, 4), 37.0))).outcome == 37.0)
    zero = a.replace(
        position=np.r_[pos, [[0, 0, 100, 100]]],
        salience=np.r_[sal, np.zeros((1, 4))],
        capability=np.ones((7, 4)),
        mask=np.ones((7, 4), bool),
        actors=tuple("abcdefg"),
    )
    assert np.allclose(m.solve(zero).outcome, out)
    batch = a.repeat(3)
    assert np.allclose(m.solve_batch(batch).outcome, np.stack([out] * 3))


def test_parameters_are_checked():
    with pytest.raises(InputError, match="radius"):
        get_model("focal", radius=-1)
    with pytest.raises(InputError, match="pull"):
        get_model("focal", pull=2)
