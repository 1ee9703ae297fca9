"""The bdm model's contract: vote sums and utilities against the formulas written out plainly,
batches against loops, issues run separately, options validated, permutation invariance.

The plain versions below follow the formulas of Scholz, Calbert & Smith (2011) as summarised in
shared/models/bdm.md, one actor pair and one voter at a time; the vectorised kernels use prefix
sums and must agree with them to rounding (1e-12).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.models.bdm.rounds import expected_utilities, geometry, win_probabilities
from backchannel.scenario.arrays import ArrayBatch, ScenarioArrays, to_arrays
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import parse


@pytest.fixture(scope="module")
def emission(data_dir: Path) -> ScenarioArrays:
    path = data_dir / "emission-1994.csv"
    return to_arrays(parse(path.read_text(), str(path), "table"))


def jittered(arrays: ScenarioArrays, draws: int, seed: int) -> ArrayBatch:
    """Draws of a scenario with every position moved by up to ±1 (seeded)."""
    rng = np.random.default_rng(seed)
    base = arrays.repeat(draws)
    pos = np.where(arrays.mask, base.position + rng.uniform(-1.0, 1.0, base.position.shape), 0.0)
    return ArrayBatch(arrays.actors, arrays.issues, pos, base.salience, base.capability, arrays.mask, arrays.status_quo)


def plain_probability(x, w, r, span, normaliser):
    """P(i beats j) one pair and one voter at a time: Σ positive votes / Σ |votes|."""
    n = len(x)
    votes = np.zeros((n, n, n))
    for i in range(n):
        for j in range(n):
            for k in range(n):
                votes[i, j, k] = w[k] * ((abs(x[k] - x[j]) / span) ** r[k] - (abs(x[k] - x[i]) / span) ** r[k])
    positive = np.clip(votes, 0, None).sum(axis=2)
    absolute = np.abs(votes).sum(axis=2)
    prob = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            denominator = absolute[i, j] if normaliser == "paper" else absolute.sum()
            if x[i] != x[j] and denominator > 0:
                prob[i, j] = positive[i, j] / denominator
    return prob


def plain_utilities(x, s, r, prob, span, q):
    """(EU_i(i→j), EU_i(j→i)) with U_s, U_f, U_sq from i's risk exponent."""
    n = len(x)
    a, b = np.zeros((n, n)), np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            d = abs(x[i] - x[j]) / span
            us, uf, usq = 2 - 4 * (0.5 - 0.5 * d) ** r[i], 2 - 4 * (0.5 + 0.5 * d) ** r[i], 2 - 4 * 0.5 ** r[i]
            a[i, j] = s[j] * (prob[i, j] * us + (1 - prob[i, j]) * uf) + (1 - s[j]) * us - q * usq
            b[i, j] = s[i] * (prob[j, i] * us + (1 - prob[j, i]) * uf) + (1 - s[i]) * us - q * usq
    return a, b


def round_quantities(x, w, s, r, span, normaliser, q):
    """P(i beats j), EU(i→j) and EU(j→i) for one draw from the compiled round functions."""
    n = len(x)
    dist, log_dist, log_near, log_far = (np.empty((n, n)) for _ in range(4))
    order, below, stale = np.empty(n, dtype=np.intp), np.empty((n, n), dtype=np.intp), np.empty((n, n), dtype=bool)
    geometry(x, 1.0 / span, dist, log_dist, stale, order, below, np.ones(n, dtype=bool))
    prob = np.empty((n, n))
    exponent = np.ones(n) if r is None else r  # r = None: every exponent 1, no powers taken
    win_probabilities(
        dist,
        log_dist,
        order,
        below,
        w,
        exponent,
        r is not None,
        normaliser == "scholz",
        np.ones(n, dtype=bool),
        np.empty((n + 1, n)),
        np.empty((n, n)),
        prob,
    )
    a, b = np.empty((n, n)), np.empty((n, n))
    expected_utilities(dist, stale, log_near, log_far, prob, s, exponent, q, a, b)
    return prob, a, b


@pytest.mark.parametrize("normaliser", ["paper", "scholz"])
@pytest.mark.parametrize("seed", range(6))
def test_kernels_match_the_plain_formulas(normaliser, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    # a coarse grid makes tied positions and voters exactly at pair midpoints common
    x = rng.choice(np.arange(0.0, 11.0), size=n)
    w, s, r = rng.random(n), rng.random(n), rng.uniform(0.5, 2.0, n)
    span = max(x.max() - x.min(), 1.0)
    prob, a, b = round_quantities(x, w, s, r, span, normaliser, 0.7)
    ref_prob = plain_probability(x, w, r, span, normaliser)
    ref_a, ref_b = plain_utilities(x, s, r, ref_prob, span, 0.7)
    np.testing.assert_allclose(prob, ref_prob, rtol=0, atol=1e-12)
    # The compiled version leaves a = b = 0 where no offer can come of the pair: x_i = x_j, or
    # b ≤ a whatever the stake (see expected_utilities). Everywhere else it equals the formulas,
    # and it must work out every pair where the formulas give b > a (an offer is possible).
    skipped = (a == 0.0) & (b == 0.0)
    np.testing.assert_allclose(a[~skipped], ref_a[~skipped], rtol=0, atol=1e-12)
    np.testing.assert_allclose(b[~skipped], ref_b[~skipped], rtol=0, atol=1e-12)
    assert (ref_b[skipped] <= ref_a[skipped] + 1e-12).all()
    assert not (skipped & (ref_b > ref_a + 1e-12)).any()
    assert (~skipped).any() or n == 1


def test_paper_normaliser_probabilities_sum_to_one():
    x = np.array([1.0, 4.0, 6.0, 9.0])
    prob, _, _ = round_quantities(x, np.array([0.3, 0.1, 0.4, 0.2]), np.ones(4), None, 8.0, "paper", 1.0)
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose((prob + prob.T)[off], 1.0, atol=1e-12)


def test_batch_equals_loop(emission):
    batch = jittered(emission, 64, seed=3)
    model = get_model("bdm", rounds=10)
    out = model.solve_batch(batch)
    for k in range(batch.draws):
        one = model.solve(batch.draw(k))
        np.testing.assert_allclose(out.outcome[k], one.outcome, rtol=0, atol=1e-12)
        np.testing.assert_allclose(out.final_positions[k], one.final_positions, rtol=0, atol=1e-12)
        np.testing.assert_allclose(out.diagnostics["mean"][k], one.diagnostics["mean"], rtol=0, atol=1e-12)
        assert out.converged[k] == one.converged


def two_issues(emission: ScenarioArrays) -> ScenarioArrays:
    """The emission issue plus a second issue on which Ireland and Denmark hold no position."""
    n = emission.n_actors
    mask = np.ones((n, 2), bool)
    mask[[7, 8], 1] = False
    second = np.array([20.0, 35.0, 80.0, 20.0, 60.0, 55.0, 90.0, 0.0, 0.0, 40.0])
    pos = np.column_stack([emission.position[:, 0], second])
    sal = np.column_stack([emission.salience[:, 0], np.where(mask[:, 1], 0.5, 0.0)])
    cap = np.repeat(emission.capability[:, :1], 2, axis=1)
    return ScenarioArrays(emission.actors, ("emission", "other"), pos, sal, cap, mask, np.full(2, np.nan))


@pytest.mark.parametrize("options", [{}, {"normaliser": "paper", "ranking": "distance", "forecast": "mean"}])
def test_issues_run_separately_and_masked_actors_sit_out(emission, options):
    both = two_issues(emission)
    model = get_model("bdm", **options)
    out = model.solve(both)
    # issue 1 alone gives the same path
    alone = model.solve(emission)
    np.testing.assert_array_equal(out.trajectory[:, :, 0], alone.trajectory[:, :, 0])
    # issue 2 equals a scenario holding only the actors with a position on it
    keep = np.flatnonzero(both.mask[:, 1])
    sub = both.take_actors(keep)
    sub = ScenarioArrays(
        sub.actors,
        ("other",),
        sub.position[:, 1:],
        sub.salience[:, 1:],
        sub.capability[:, 1:],
        sub.mask[:, 1:],
        sub.status_quo[1:],
    )
    np.testing.assert_array_equal(model.solve(sub).trajectory[:, :, 0], out.trajectory[:, keep, 1])
    # the others never move, take no offers and have no risk exponent there
    assert (out.trajectory[:, [7, 8], 1] == 0.0).all()
    assert np.isnan(out.diagnostics["risk"][:, [7, 8], 1]).all()
    assert (out.diagnostics["partner"][:, [7, 8], 1] == -1).all()


def test_permutation_invariant(emission):
    model = get_model("bdm")
    base = model.solve(emission)
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(emission.n_actors)
        out = model.solve(emission.take_actors(order))
        assert out.outcome[0] == pytest.approx(base.outcome[0], abs=1e-9)
        np.testing.assert_allclose(out.final_positions[:, 0], base.final_positions[order, 0], atol=1e-9)


def test_issue_everyone_agrees_on(emission):
    same = emission.replace(position=np.full_like(emission.position, 30.0))
    out = get_model("bdm").solve(same)
    assert out.outcome[0] == 30.0 and out.converged
    assert (out.diagnostics["risk"] == 1.0).all()


def test_zero_rounds_is_the_starting_median(emission):
    out = get_model("bdm", rounds=0).solve(emission)
    assert out.outcome[0] == 7.0 and out.trajectory.shape == (1, 10, 1)


@pytest.mark.parametrize(
    "params",
    [
        {"rounds": -1},
        {"rounds": 2.5},
        {"Q": 1.5},
        {"normaliser": "other"},
        {"ranking": "closest"},
        {"forecast": "mode"},
        {"steps": 3},
    ],
)
def test_bad_parameters(params):
    with pytest.raises(InputError):
        get_model("bdm", **params)


def test_result_is_json_ready(emission):
    import json

    out = get_model("bdm", rounds=2).solve(emission).to_dict()
    text = json.dumps(out)
    assert '"offer_kinds"' in text and out["rounds"] == 2


@pytest.mark.parametrize("salience, capability", [(0.0, 0.2), (0.7, 0.0)])
def test_actor_without_weight_changes_nothing(emission, salience, capability):
    # an extra actor outside the others' range, with no capability or no salience: it would
    # widen R and be an easy target; it takes no part instead (docs/models.md)
    n = emission.n_actors
    extra = ScenarioArrays(
        emission.actors + ("extra",),
        emission.issues,
        np.vstack([emission.position, [[1.0]]]),
        np.vstack([emission.salience, [[salience]]]),
        np.vstack([emission.capability, [[capability]]]),
        np.ones((n + 1, 1), bool),
        emission.status_quo,
    )
    base, out = get_model("bdm").solve(emission), get_model("bdm").solve(extra)
    np.testing.assert_array_equal(out.trajectory[:, :n], base.trajectory)
    assert (out.trajectory[:, n, 0] == 1.0).all() and np.isnan(out.diagnostics["risk"][:, n, 0]).all()
    assert out.outcome[0] == base.outcome[0]


def test_batch_equals_loop_with_some_weightless_draws(emission):
    batch = jittered(emission, 16, seed=5)
    salience = batch.salience.copy()
    salience[::3, 2, 0] = 0.0  # Luxembourg has no salience in every third draw
    batch = ArrayBatch(
        batch.actors, batch.issues, batch.position, salience, batch.capability, batch.mask, batch.status_quo
    )
    model = get_model("bdm")
    out = model.solve_batch(batch)
    loop = np.stack([model.solve(batch.draw(k)).final_positions for k in range(batch.draws)])
    np.testing.assert_allclose(out.final_positions, loop, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(out.final_positions[::3, 2, 0], batch.position[::3, 2, 0])
