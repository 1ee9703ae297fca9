"""Reference checks of the Nash bargaining model (analytic cases and scipy as a peer solver)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize  # peer solver (dev extra)

from backchannel.models import get_model
from backchannel.models.nash import nash_solution
from backchannel.scenario.arrays import ScenarioArrays
from backchannel.scenario.errors import InputError


def arrays(position, salience=None, capability=None, status_quo=None, mask=None):
    """ScenarioArrays from (actors, issues) lists."""
    p = np.asarray(position, float)
    s = np.ones_like(p) if salience is None else np.asarray(salience, float)
    c = np.ones_like(p) if capability is None else np.asarray(capability, float)
    m = np.ones(p.shape, bool) if mask is None else np.asarray(mask, bool)
    q = np.full(p.shape[1], np.nan) if status_quo is None else np.asarray(status_quo, float)
    return ScenarioArrays(
        tuple(f"a{k}" for k in range(p.shape[0])), tuple(f"i{k}" for k in range(p.shape[1])), p, s, c, m, q
    )


def two_actor_closed_form(x1: float, x2: float, q: float) -> float:
    """Symmetric Nash solution, one issue, quadratic utility, q below both ideal points.

    With a = x1 - q, b = x2 - q and y = x - q, the gains are y(2a - y) and y(2b - y); the
    first-order condition 2/y = 1/(2a - y) + 1/(2b - y) gives 4y^2 - 6(a+b)y + 8ab = 0, whose
    root inside (0, 2a) is y = [3(a+b) - sqrt(9(a+b)^2 - 32ab)] / 4 (derived here from
    Nash 1950's product; as a, b grow with b - a fixed, y tends to the midpoint).
    """
    a, b = x1 - q, x2 - q
    return q + (3 * (a + b) - math.sqrt(9 * (a + b) ** 2 - 32 * a * b)) / 4


@pytest.mark.parametrize("x1, x2, q", [(20, 60, 0), (30, 35, 10), (50, 90, 45), (1, 99, 0)])
def test_two_actors_one_issue_matches_closed_form(x1, x2, q):
    # analytic reference above; tolerance 1e-7 on the 0..100 scale (solver stops at 1e-7 steps)
    result = get_model("nash").solve(arrays([[x1], [x2]], status_quo=[q]))
    assert result.outcome[0] == pytest.approx(two_actor_closed_form(x1, x2, q), abs=1e-7)
    assert result.diagnostics["no_deal"] is False


def test_status_quo_above_both_is_the_mirror_image():
    # reflecting the scale x -> 100 - x maps the case (20, 60, q=0) to (80, 40, q=100)
    result = get_model("nash").solve(arrays([[80], [40]], status_quo=[100]))
    assert result.outcome[0] == pytest.approx(100 - two_actor_closed_form(20, 60, 0), abs=1e-7)


def test_far_status_quo_gives_nearly_the_midpoint():
    # a = 95, b = 100: the closed form gives 97.372, near the midpoint 97.5 (Nash notes)
    result = get_model("nash").solve(arrays([[95], [100]], status_quo=[0]))
    assert result.outcome[0] == pytest.approx(two_actor_closed_form(95, 100, 0), abs=1e-7)
    assert abs(result.outcome[0] - 97.5) < 0.13


@pytest.mark.parametrize("power", [1, 2])
def test_unanimity_gives_the_common_position(power):
    # every actor wants (30, 70, 55): that point is every actor's best, so it maximises the product
    pos = [[30, 70, 55]] * 4
    sal = [[0.2, 0.9, 0.5], [1, 1, 1], [0.5, 0.1, 0.3], [0.7, 0.7, 0.7]]
    cap = [[1] * 3, [0.2] * 3, [3] * 3, [0.5] * 3]
    res = get_model("nash", power=power).solve(arrays(pos, sal, cap, status_quo=[80, 10, 0]))
    np.testing.assert_allclose(res.outcome, [30, 70, 55], atol=1e-6)
    assert res.diagnostics["no_deal"] is False


def test_status_quo_between_two_actors_is_pareto_optimal_no_deal():
    # one issue, q = 40 between 20 and 60: any move hurts one side, so the outcome is q, no deal
    res = get_model("nash").solve(arrays([[20], [60]], status_quo=[40]))
    assert res.outcome[0] == 40
    assert res.diagnostics["no_deal"] is True


def test_pareto_optimal_status_quo_on_two_issues_is_no_deal():
    # equal saliences: the Pareto set of two actors is the segment between their ideal points;
    # q = (40, 40) lies on the segment from (20, 20) to (80, 80), so nobody can gain without a loss
    res = get_model("nash").solve(arrays([[20, 20], [80, 80]], status_quo=[40, 40]))
    np.testing.assert_array_equal(res.outcome, [40, 40])
    assert res.diagnostics["no_deal"] is True


def test_linear_loss_two_actors():
    # p = 1, ideal points 20 and 60, q = 0: gains x and x on [0, 20], then (40 - x) and x on
    # [20, 60]; log x + log(40 - x) falls after x = 20, so the solution is the kink at 20
    res = get_model("nash", power=1).solve(arrays([[20], [60]], status_quo=[0]))
    assert res.outcome[0] == pytest.approx(20.0, abs=1e-9)


def _peer(a: ScenarioArrays, power: int, weights: str) -> np.ndarray:
    """The Nash solution by scipy's SLSQP from many starts (a peer solver, exact loss)."""
    s = np.where(a.mask, a.salience, 0.0)
    sc = s * a.capability
    w = sc.sum(1) / s.sum(1) if weights == "capability" else sc.sum(1)
    q = a.status_quo
    far = np.where(np.isnan(q), np.maximum(a.position, 100 - a.position), np.abs(np.nan_to_num(q) - a.position))
    d = (s * far**power).sum(1)

    def gains(x):
        return d - (s * np.abs(x - a.position) ** power).sum(1)

    def neg(x):
        g = gains(x)
        return np.inf if (g <= 0).any() else -(w * np.log(g)).sum()

    best = None
    rng = np.random.default_rng(0)
    base = np.where(np.isnan(q), 50.0, q)
    toward = [base + t * (p - base) for p in a.position for t in (0.01, 0.1, 0.5)]
    for start in [*rng.uniform(0, 100, (40, a.n_issues)), *toward]:
        if (gains(start) <= 0).any():
            continue
        r = optimize.minimize(
            neg, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000}
        )
        if best is None or r.fun < best.fun:
            best = r
    return best.x


def _peer_best_min_gain(a: ScenarioArrays) -> float:
    """max_x min_i gain_i(x) by Nelder-Mead from many starts (quadratic loss, q on every issue)."""
    s = np.where(a.mask, a.salience, 0.0)
    d = (s * (a.status_quo - a.position) ** 2).sum(1)

    def neg_min(x):
        return -(d - (s * (x - a.position) ** 2).sum(1)).min()

    starts = np.random.default_rng(1).uniform(0, 100, (60, a.n_issues))
    return -min(optimize.minimize(neg_min, x0, method="Nelder-Mead").fun for x0 in starts)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weights", ["capability", "capability_salience"])
def test_agrees_with_scipy_on_random_problems(seed, weights):
    # peer: scipy Nelder-Mead with 40 starts on the exact objective; tolerance 1e-3 scale units
    rng = np.random.default_rng(seed)
    a = arrays(
        rng.uniform(0, 100, (4, 2)),
        rng.uniform(0.1, 1, (4, 2)),
        rng.uniform(0.2, 2, (4, 2)),
        status_quo=[rng.uniform(0, 100), np.nan] if seed % 2 else rng.uniform(0, 100, 2),
    )
    res = get_model("nash", weights=weights).solve(a)
    if res.diagnostics["no_deal"]:
        # then no point may leave every actor better off: the peer's best min-gain is <= 0
        assert _peer_best_min_gain(a) <= 1e-9
        np.testing.assert_array_equal(res.outcome, a.status_quo)
    else:
        np.testing.assert_allclose(res.outcome, _peer(a, 2, weights), atol=1e-3)


@pytest.mark.parametrize("seed", range(3))
def test_linear_loss_agrees_with_scipy(seed):
    # p = 1 is solved on a smoothed loss (eps = 1e-3) then snapped; peer tolerance 2e-2 units
    rng = np.random.default_rng(10 + seed)
    a = arrays(rng.uniform(0, 100, (3, 2)), rng.uniform(0.1, 1, (3, 2)), status_quo=rng.uniform(0, 100, 2))
    res = get_model("nash", power=1).solve(a)
    assert not res.diagnostics["no_deal"]
    np.testing.assert_allclose(res.outcome, _peer(a, 1, "capability"), atol=2e-2)


def test_capability_salience_weights_reach_the_compromise_when_q_is_far():
    # quadratic utility, far-away q: the solution tends to the c*s weighted mean (nash notes);
    # the gap shrinks like spread^2 / distance: positions 90..100 leave 0.41, 99..100 under 0.01
    sal, cap = [[0.9], [0.3], [0.6]], [[1.0], [2.0], [0.5]]
    gaps = []
    for pos in ([[90], [100], [95]], [[99], [100], [99.5]]):
        a = arrays(pos, sal, cap, status_quo=[0])
        compromise = get_model("compromise").solve(a).outcome[0]
        res = get_model("nash", weights="capability_salience").solve(a)
        assert res.outcome[0] < compromise  # the pull is toward q
        gaps.append(compromise - res.outcome[0])
    assert gaps[0] < 0.5 and gaps[1] < 0.01


def test_issue_without_status_quo_uses_security_levels():
    # no q: actor at 20 fears 100 (loss 80^2), actor at 60 fears 0 (loss 60^2); the maximum of
    # log(80^2 - (x-20)^2) + log(60^2 - (x-60)^2) is the root of its derivative (scipy brentq peer)
    peer = optimize.brentq(
        lambda x: (x - 20) / (6400 - (x - 20) ** 2) + (x - 60) / (3600 - (x - 60) ** 2), 21, 59, xtol=1e-13
    )
    res = get_model("nash").solve(arrays([[20], [60]]))
    assert res.outcome[0] == pytest.approx(peer, abs=1e-7)


def test_zero_weight_actor_cannot_block():
    # the third actor would be hurt by any move, but has no capability: the deal goes ahead
    base = get_model("nash").solve(arrays([[20], [60]], status_quo=[0]))
    more = get_model("nash").solve(arrays([[20], [60], [0]], capability=[[1], [1], [0]], status_quo=[0]))
    assert more.outcome[0] == base.outcome[0]


def test_issue_nobody_cares_about_stays_at_status_quo():
    res = get_model("nash").solve(arrays([[20, 50], [60, 90]], salience=[[1, 0], [1, 0]], status_quo=[0, 33]))
    assert res.outcome[1] == 33
    res = get_model("nash").solve(arrays([[20, 50], [60, 90]], salience=[[1, 0], [1, 0]], status_quo=[0, np.nan]))
    assert np.isnan(res.outcome[1])


def test_batch_equals_loop_of_solve():
    # 80 draws: enough for the batch to warm-start from its mean problem (a different path to
    # the same unique optimum), so agreement is to the solver's tolerance, here 1e-8
    rng = np.random.default_rng(3)
    b, n_a, n_i = 80, 5, 3
    pos, sal = rng.uniform(0, 100, (b, n_a, n_i)), rng.uniform(0, 1, (b, n_a, n_i))
    cap = rng.uniform(0.1, 1, (b, n_a, n_i))
    q = np.array([10.0, np.nan, 90.0])
    out, no_deal, _it, _conv = nash_solution(pos, sal, cap, np.ones((n_a, n_i), bool), q)
    model = get_model("nash")
    for k in range(b):
        one = model.solve(arrays(pos[k], sal[k], cap[k], status_quo=q))
        np.testing.assert_allclose(out[k], one.outcome, atol=1e-8)
        assert no_deal[k] == one.diagnostics["no_deal"]


@pytest.mark.parametrize("params", [{"power": 3}, {"power": True}, {"weights": "salience"}, {"tol": 1}])
def test_bad_parameters_are_input_errors(params):
    with pytest.raises(InputError) as err:
        get_model("nash", **params)
    assert "allowed" in str(err.value)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("power", [1, 2])
def test_degenerate_inputs_converge_inside_the_scale(power):
    # ties, positions on the ends of the scale, zero saliences and capabilities, missing
    # positions, status quo on a position or missing: every draw converges, no NumPy warning
    rng = np.random.default_rng(5)
    for _trial in range(12):
        n_a, n_i, b = int(rng.integers(1, 6)), int(rng.integers(1, 4)), 10
        pos = rng.choice([0.0, 10.0, 50.0, 100.0, 33.3], size=(b, n_a, n_i))
        sal = rng.choice([0.0, 0.5, 1.0], size=(b, n_a, n_i))
        cap = rng.choice([0.0, 1.0], size=(b, n_a, n_i))
        mask = rng.random((n_a, n_i)) > 0.2
        q = rng.choice([np.nan, 0.0, 50.0, 100.0, 10.0], size=n_i)
        out, _nd, _it, conv = nash_solution(pos, sal, cap, mask, q, power)
        assert conv.all()
        assert (np.isnan(out) | ((out >= 0) & (out <= 100))).all()
