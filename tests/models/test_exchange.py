"""The exchange model on small hand-worked cases (formulas of shared/models/exchange.md §2).

Every expected value below is worked by hand from the equal-gain rules; the derivation is in
the comment above each test. Tolerance 1e-9 (float64 against exact fractions).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from backchannel.models import get_model, model_names
from backchannel.scenario.arrays import ScenarioArrays
from backchannel.scenario.errors import InputError


def _arrays(position, salience, capability=None, mask=None) -> ScenarioArrays:
    position = np.array(position, dtype=float)
    n_actors, n_issues = position.shape
    return ScenarioArrays(
        actors=tuple(f"a{k}" for k in range(n_actors)),
        issues=("p", "q")[:n_issues] if n_issues <= 2 else tuple(f"i{k}" for k in range(n_issues)),
        position=position,
        salience=np.array(salience, dtype=float),
        capability=np.ones_like(position) if capability is None else np.array(capability, dtype=float),
        mask=np.ones(position.shape, dtype=bool) if mask is None else np.array(mask, dtype=bool),
        status_quo=np.full(n_issues, np.nan),
    )


def test_registered_as_dynamic_model():
    assert "exchange" in model_names()
    model = get_model("exchange")
    assert model.dynamic and model.params["rounds"] == 10
    with pytest.raises(InputError):
        get_model("exchange", tie_break="coin")
    with pytest.raises(InputError):
        get_model("exchange", round=3)
    for bad in ({"rounds": -1}, {"rounds": 2.5}, {"tie_tolerance": -1e-9}, {"salience_weight": 0.95}):
        with pytest.raises(InputError):
            get_model("exchange", **bad)


def test_zero_rounds_gives_the_starting_weighted_mean():
    arrays = _arrays([[100, 100], [0, 0]], [[0.9, 0.2], [0.1, 0.9]])
    res = get_model("exchange", rounds=0).solve(arrays)
    np.testing.assert_allclose(res.outcome, [90, 20 / 1.1], atol=1e-12)
    assert res.diagnostics["voting_outcomes"].shape == (0, 2) and res.trajectory.shape == (1, 2, 2)


# Two actors, c = 1. Actor 0: p = 100 (s .9), q = 100 (s .2); actor 1: p = 0 (s .1), q = 0 (s .9).
# W_p = 1, W_q = 1.1; O_p = 90, O_q = 20/1.1; actor 0 is right of both outcomes, actor 1 left of
# both: one candidate, A = actor 0 (s_p/s_q 4.5 > 1/9). σ_p = 1, σ_q = 1.1.
# Round 1: B moves all the way on p (0 -> 100): ΔO_p = 100·.1/1 = 10, ΔO_q = 10/1.1, A's move
# (10/1.1)·1.1/.2 = 50 < 100, so A goes 100 -> 50 on q. G = 10·.9 − (10/1.1)·.2 = 79/11. No cap
# (O_p reaches 100 = A's position exactly). Voting: O_p = 100, O_q = 10/1.1. Preferences move by
# 0.1 + 0.4·(1 − s_supply): A's q by .42 to 79, B's p by .46 to 46.
# Round 2: O_p = 94.6, O_q = 15.8/1.1. B moves 46 -> 100: ΔO_p = 5.4, ΔO_q = 5.4/1.1, A moves 27
# (79 -> 52). G = 5.4·.9 − (5.4/1.1)·.2 = 42.66/11. Voting: O_p = 100, O_q = 10.4/1.1.
# Preferences: A's q 79 − .42·27 = 67.66, B's p 46 + .46·54 = 70.84.
def test_two_actor_trade_over_two_rounds():
    arrays = _arrays([[100, 100], [0, 0]], [[0.9, 0.2], [0.1, 0.9]])
    res = get_model("exchange", rounds=2).solve(arrays)
    d = res.diagnostics
    np.testing.assert_allclose(d["voting_outcomes"], [[100, 10 / 1.1], [100, 10.4 / 1.1]], atol=1e-9)
    np.testing.assert_allclose(res.outcome, [100, 10.4 / 1.1], atol=1e-9)
    np.testing.assert_allclose(res.final_positions, [[100, 67.66], [70.84, 0]], atol=1e-9)
    np.testing.assert_allclose(res.trajectory[1], [[100, 79], [46, 0]], atol=1e-9)
    np.testing.assert_allclose(
        d["preference_outcomes"],
        [[90, 20 / 1.1], [94.6, 15.8 / 1.1], [0.9 * 100 + 0.1 * 70.84, 0.2 * 67.66 / 1.1]],
        atol=1e-9,
    )
    assert d["candidates"] == [1, 1] and d["valid"] == [1, 1] and d["realised"] == [1, 1]
    assert res.rounds == 2 and not res.converged  # still trading in the last round
    assert [r[0]["gain"] for r in d["exchanges"]] == pytest.approx([79 / 11, 42.66 / 11], abs=1e-9)
    sides = d["exchanges"][1][0]["sides"]
    assert (sides[0]["actor"], sides[0]["issue"], sides[0]["to"]) == ("a0", "q", pytest.approx(52, abs=1e-9))
    assert (sides[1]["actor"], sides[1]["issue"], sides[1]["to"]) == ("a1", "p", pytest.approx(100, abs=1e-9))


# A cap. c = 1. p: a0 100 (s .8), a1 0 (s .2), a2 90 (s 1) -> W_p = 2, O_p = 85.
#            q: a0 100 (s .5), a1 45 (s .8), a2 20 (s 1) -> W_q = 2.3, O_q = 106/2.3 = 46.087.
# Groups: a0 right/right, a1 left/left, a2 right on p, left on q (alone): one candidate, A = a0.
# Equal gain: B (a1) moves 100 on p: ΔO_p = 100·.2/2 = 10; ΔO_q = 10·σ_p/σ_q = 10/1.3; A's move
# (10/1.3)·2.3/.5 = 35.4 < 55, so O_q would fall to 38.4, past a1's 45: capped at ΔO_q = O_q − 45
# = 2.5/2.3, A moves 5 (100 -> 95), ΔO_p = 1.3·2.5/2.3, B moves ΔO_p·2/.2 = 32.5/2.3 (0 -> 14.13).
# G = ΔO_p·.8 − ΔO_q·.5 = (2.5/2.3)(1.04 − .5) = 1.35/2.3. Voting: O_q = 45, O_p = 85 + 3.25/2.3.
def test_cap_stops_the_outcome_at_the_demanders_position():
    arrays = _arrays([[100, 100], [0, 45], [90, 20]], [[0.8, 0.5], [0.2, 0.8], [1.0, 1.0]])
    res = get_model("exchange", rounds=1).solve(arrays)
    d = res.diagnostics
    assert d["candidates"] == [1] and d["realised"] == [1]
    (ex,) = d["exchanges"][0]
    assert ex["gain"] == pytest.approx(1.35 / 2.3, abs=1e-9)
    assert (ex["sides"][0]["from"], ex["sides"][0]["to"]) == (pytest.approx(100), pytest.approx(95, abs=1e-9))
    assert ex["sides"][1]["to"] == pytest.approx(32.5 / 2.3, abs=1e-9)
    np.testing.assert_allclose(res.outcome, [85 + 3.25 / 2.3, 45], atol=1e-9)


# Missing positions: an actor without a position on an issue is in no candidate on it and does not
# count in its outcome. Actor 2 of the cap case gets no position on q, so O_q = (50 + 36)/1.3 and
# a2 (no q) can trade nothing; the pair a0-a1 is the only candidate, as before.
def test_missing_positions_are_left_out():
    arrays = _arrays(
        [[100, 100], [0, 45], [90, 0]],
        [[0.8, 0.5], [0.2, 0.8], [1.0, 0.0]],
        mask=[[True, True], [True, True], [True, False]],
    )
    res = get_model("exchange", rounds=1).solve(arrays)
    assert res.diagnostics["preference_outcomes"][0][1] == pytest.approx(86 / 1.3, abs=1e-9)
    assert res.diagnostics["candidates"] == [1]
    assert all(s["actor"] != "a2" for e in res.diagnostics["exchanges"][0] for s in e["sides"])
    assert res.final_positions[2, 1] == 0.0


def test_no_candidates_keeps_everyone_still():
    # everyone on the same side of both outcomes except one actor who has no partner
    arrays = _arrays([[10, 10], [20, 20], [90, 90]], [[0.5, 0.5]] * 3)
    res = get_model("exchange", rounds=3).solve(arrays)
    assert res.diagnostics["realised"] == [0, 0, 0] and res.converged
    np.testing.assert_allclose(res.final_positions, arrays.position)
    np.testing.assert_allclose(res.outcome, arrays.position.mean(axis=0))


def test_result_serialises():
    arrays = _arrays([[100, 100], [0, 0]], [[0.9, 0.2], [0.1, 0.9]])
    out = json.loads(json.dumps(get_model("exchange", rounds=1).solve(arrays).to_dict()))
    assert out["outcome"] == {"p": pytest.approx(100), "q": pytest.approx(10 / 1.1)}
    assert out["diagnostics"]["exchanges"][0][0]["sides"][0]["actor"] == "a0"


# Invariants on random scenarios (no reference values: properties of the rules in exchange.md §2).
# Every realised side moves from where it stood toward its partner's round-start position without
# passing it; positions stay on 0..100; gains are positive; outcomes stay finite.
@pytest.mark.parametrize("seed", range(12))
def test_invariants_on_random_scenarios(seed):
    gen = np.random.default_rng(seed)
    n_actors, n_issues = gen.integers(3, 9), gen.integers(2, 6)
    position = (
        gen.choice([0.0, 25.0, 50.0, 75.0, 100.0], size=(n_actors, n_issues))
        if seed % 2
        else gen.uniform(0, 100, size=(n_actors, n_issues))
    )
    salience = np.where(gen.random((n_actors, n_issues)) < 0.1, 0.0, gen.uniform(0.05, 1, (n_actors, n_issues)))
    capability = np.repeat(gen.uniform(0.1, 1, (n_actors, 1)), n_issues, axis=1)
    mask = gen.random((n_actors, n_issues)) > 0.15
    arrays = ScenarioArrays(
        tuple(f"a{k}" for k in range(n_actors)),
        tuple(f"i{k}" for k in range(n_issues)),
        np.where(mask, position, 0.0),
        np.where(mask, salience, 0.0),
        capability,
        mask,
        np.full(n_issues, np.nan),
    )
    with np.errstate(all="raise"):
        res = get_model("exchange", rounds=4).solve(arrays, np.random.default_rng(seed))
    weighed = (arrays.weight > 0).any(axis=0)
    assert np.isfinite(res.outcome[weighed]).all()
    assert ((res.trajectory >= 0) & (res.trajectory <= 100)).all()
    a_index = {a: k for k, a in enumerate(arrays.actors)}
    i_index = {i: k for k, i in enumerate(arrays.issues)}
    for rnd, exchanges in enumerate(res.diagnostics["exchanges"]):
        start = res.trajectory[rnd]
        for ex in exchanges:
            assert ex["gain"] >= 1e-10
            for side, other in ((0, 1), (1, 0)):
                me, you = ex["sides"][side], ex["sides"][other]
                target = start[a_index[you["actor"]], i_index[me["issue"]]]
                lo, hi = sorted((me["from"], target))
                assert lo - 1e-9 <= me["to"] <= hi + 1e-9
                assert me["to"] != me["from"]


@pytest.mark.parametrize("tie_break", ["random", "first"])
def test_batch_kernel_is_bit_identical_to_a_loop_of_solve(tie_break):
    """The compiled batch (``run_draws``) gives the same bits as ``solve`` draw by draw, ties drawn in
    the same order from one Generator: ukraine-2025 draws tie about five times a round."""
    from backchannel.app.files import load_scenario
    from backchannel.ensemble import sample_batch

    batch = sample_batch(load_scenario("ukraine-2025"), 40, 3)
    model = get_model("exchange", tie_break=tie_break)
    got = model.solve_batch(batch, np.random.default_rng(11))
    rng = np.random.default_rng(11)
    singles = [model.solve(batch.draw(b), rng) for b in range(batch.draws)]
    assert sum(sum(s.diagnostics["ties"]) for s in singles) > 0
    np.testing.assert_array_equal(got.outcome, np.stack([s.outcome for s in singles]))
    np.testing.assert_array_equal(got.final_positions, np.stack([s.final_positions for s in singles]))
    np.testing.assert_array_equal(got.converged, [s.converged for s in singles])
