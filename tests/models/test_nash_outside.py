"""nash_outside: Nash bargaining with outside options as disagreement point.

Reference: against the status quo with every actor bargaining it is the Nash bargaining solution
that ``nash`` (p = 2, capability weights) computes, since the solution is invariant to rescaling an
actor's utility (Nash 1950, axiom of invariance to affine transformations). Tolerance 1e-5 scale
units: both solvers stop on steps below 1e-7..1e-9.
"""

from __future__ import annotations

from pathlib import Path

from typing import Any

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from backchannel.app.files import load_scenario
from backchannel.ensemble import sample_batch
from backchannel.models import get_model
from backchannel.models.nash_outside import nash_outside_solution, normalised_salience, quadratic_utility

FROZEN = Path(__file__).resolve().parents[1] / "data" / "ukraine-2025-frozen.yaml"


def test_against_the_status_quo_it_is_nash_with_quadratic_loss():
    batch = sample_batch(load_scenario(FROZEN), 300, 1)
    a = get_model("nash", power=2).solve_batch(batch)
    b = get_model("nash_outside").solve_batch(batch)
    np.testing.assert_allclose(b.outcome, a.outcome, atol=1e-5, rtol=0)
    np.testing.assert_array_equal(b.diagnostics["no_deal"], a.diagnostics["no_deal"])


def _two_actors(d0: float, d1: float):
    # one issue, actors at 0 and 100 with equal salience and capability: u_a(x) = -(x - p_a)^2 / 1e4
    pos = np.array([[[0.0], [100.0]]])
    sal = np.full((1, 2, 1), 0.5)
    cap = np.ones((1, 2, 1))
    return nash_outside_solution(
        pos, sal, cap, np.ones((2, 1), bool), np.array([[d0, d1]]), np.ones(2, bool), np.array([50.0])
    )


def test_symmetric_outside_options_split_the_difference_and_unequal_ones_favour_the_stronger():
    x, deal, conv = _two_actors(-0.5, -0.5)
    assert deal[0] and conv[0] and abs(x[0, 0] - 50.0) < 1e-6
    # actor 1 can get u = -0.09 (x = 70) alone: the solution moves toward it and gives it more than that
    x, deal, _ = _two_actors(-0.81, -0.09)
    assert deal[0] and x[0, 0] > 70.0
    sigma = normalised_salience(np.full((1, 2, 1), 0.5), np.ones((2, 1), bool))
    u = quadratic_utility(sigma, np.array([[[0.0], [100.0]]]), x)
    assert (u > np.array([[-0.81, -0.09]])).all()


def test_no_package_beats_both_outside_options_so_no_deal():
    # actor 0 needs x <= 30 (u >= -0.09), actor 1 needs x >= 70: no package gives both a gain
    x, deal, _ = _two_actors(-0.09, -0.09)
    assert not deal[0] and x[0, 0] == 50.0  # the status quo


def _deal(pos, sal, d) -> bool:
    a, i = len(pos), len(pos[0])
    _, deal, _ = nash_outside_solution(
        np.array([pos], float),
        np.array([sal], float),
        np.full((1, a, i), 0.2),
        np.ones((a, i), bool),
        np.array([d], float),
        np.ones(a, bool),
        np.zeros(i),
    )
    return bool(deal[0])


@st.composite
def _problems(draw: Any) -> tuple[list, list, list, float]:
    """2-3 actors on two issues, each with a disagreement utility near 0 (a small set of packages it prefers)."""
    n = draw(st.integers(2, 3))
    pos = [[draw(st.integers(0, 100)), draw(st.integers(0, 100))] for _ in range(n)]
    sal = [[draw(st.sampled_from([0.1, 0.25, 0.5, 0.9])) for _ in range(2)] for _ in range(n)]
    d = [-draw(st.sampled_from([1e-4, 1e-3, 0.01, 0.05, 0.3])) for _ in range(n)]
    return pos, sal, d, draw(st.sampled_from([0.001, 0.01, 0.04, 0.2]))


# Found by Hypothesis through the agreement layer (tests/ensemble/test_agreement_properties.py, draw 16 of
# seed 3): actor 1's disagreement point is 5 units from its ideal, so only packages near (0, 5) give it a
# gain (of order 1e-3); lowering actor 0's d only widens the set both prefer, yet the max-min search,
# with steps sized for gains of order 0.1, found a package before the change and none after it.
@settings(max_examples=60, deadline=None)
@given(_problems())
@example(
    (
        [[50, 60], [0, 5]],
        [[0.1566199628, 0.2491471981], [0.1249329701, 0.2572832348]],
        [-0.2422004276, -0.0016828383],
        0.0393534754,
    )
)
def test_lowering_one_actors_disagreement_utility_never_loses_a_deal(problem):
    pos, sal, d, drop = problem
    assume(_deal(pos, sal, d))
    assert _deal(pos, sal, [d[0] - drop] + list(d[1:]))
