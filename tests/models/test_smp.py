"""The smp model: KTAB's first turn step by step, and the model contract.

Turn-0 references come from KTAB's shipped reference log of ``smpc`` on dummyData_3Dim
(KAPSARC/KTAB, examples/smp/doc/20170530_ref-dummyData_3Dim.txt, default options): inferred
risk attitudes (printed to 3 decimals), h's utility estimates (4), each actor's best target,
its win probability and expected gain (4), the interpolated bargains (3 decimals on 0..100)
and the values of actor 0's bargain queue (5). Tolerances are half a unit of the last printed
digit (plus 1e-9).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backchannel.models import get_model, model_names
from backchannel.models.smp import SMP, smp_inputs
from backchannel.models.smp.core import bargains, best_challenges, condorcet
from backchannel.models.smp.run import SmpSettings, bargain_values, state_of
from backchannel.scenario.arrays import ScenarioArrays, to_arrays
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import parse


@pytest.fixture(scope="module")
def dummy3(data_dir: Path):
    """dummyData_3Dim read by the ktab format and mapped to KTAB's inputs, with its turn-0 state."""
    path = data_dir / "ktab" / "dummyData_3Dim.csv"
    arrays = to_arrays(parse(path.read_text(), str(path), "ktab"))
    pos, sal, cap, rescaled = smp_inputs(arrays)
    assert rescaled == []
    state = state_of(pos, sal**2, cap, SmpSettings())
    return arrays, pos, sal, cap, state


# --- KTAB's first turn on dummyData_3Dim (20170530_ref-dummyData_3Dim.txt) ---------------------


def test_turn0_risk_attitudes(dummy3):
    """'Inferred risk attitudes' of turn 0, printed to 3 decimals."""
    *_, state = dummy3
    ktab = [-0.500, -0.459, -0.499, -0.274, +1.000, -0.232, -0.430]
    np.testing.assert_allclose(state.risk, ktab, atol=0.0005 + 1e-9)


def test_turn0_utility_estimates_of_actor0(dummy3):
    """'Estimate by 0 of risk-aware utility matrix' (one-third rule), printed to 4 decimals."""
    *_, state = dummy3
    ktab = [
        [1.0000, 0.8593, 0.5233, 0.8136, 0.8958, 0.8297, 0.8410],
        [0.5681, 1.0000, 0.5220, 0.7546, 0.7989, 0.6806, 0.6544],
        [0.4327, 0.5199, 1.0000, 0.4836, 0.4507, 0.3601, 0.3405],
        [0.5449, 0.7341, 0.4659, 1.0000, 0.8560, 0.7319, 0.7456],
        [0.8048, 0.8618, 0.6218, 0.8387, 1.0000, 0.9132, 0.8721],
        [0.6919, 0.5736, 0.3515, 0.7425, 0.8497, 1.0000, 0.9102],
        [0.7402, 0.6303, 0.3060, 0.7438, 0.8101, 0.8748, 1.0000],
    ]
    np.testing.assert_allclose(state.utility[0], ktab, atol=0.00005 + 1e-9)


def test_turn0_best_challenges(dummy3):
    """'actor i has most advantageous target j' with 'Est by i of prob … expected gain to i'."""
    _, pos, sal, cap, state = dummy3
    targets, probs, gains = best_challenges(state.utility, cap * sal.sum(axis=1), sal.sum(axis=1))
    assert targets.tolist() == [6, 0, 6, 0, 0, 1, 1]
    np.testing.assert_allclose(probs, [0.7643, 0.7964, 0.8334, 0.8056, 0.5836, 0.8510, 0.3970], atol=0.00005 + 1e-9)
    np.testing.assert_allclose(gains, [0.0947, 0.2810, 0.4711, 0.2839, 0.0116, 0.2986, 0.0286], atol=0.00005 + 1e-9)


def test_turn0_bargains_and_their_values(dummy3):
    """Bargains 'from i's perspective' (3 decimals, 0..100) and actor 0's 'u_im' matrix (5 decimals)."""
    _, pos, sal, cap, state = dummy3
    targets, probs, _ = best_challenges(state.utility, cap * sal.sum(axis=1), sal.sum(axis=1))
    init = np.arange(7)
    b_i, b_j = bargains(pos, sal, init, targets, probs)
    ktab_init = [
        [75.610, 24.780, 71.950],
        [81.690, 73.160, 64.500],
        [82.260, 82.560, 2.060],
        [65.820, 50.760, 63.020],
        [79.540, 44.720, 72.050],
        [84.390, 34.050, 86.340],
        [78.930, 56.330, 72.520],
    ]
    ktab_rcvr = [row[:] for row in ktab_init]
    ktab_rcvr[0][1], ktab_rcvr[4][1] = 24.790, 44.710
    np.testing.assert_allclose(100 * b_i, ktab_init, atol=0.0005 + 1e-9)
    np.testing.assert_allclose(100 * b_j, ktab_rcvr, atol=0.0005 + 1e-9)
    status_quo, value = bargain_values(state, sal**2, init, targets, b_i, b_j)
    # actor 0's queue in KTAB's log: SQ, 0:6, 1:0, 4:0, 3:0 (columns); rows are the voters
    u_im = np.column_stack([status_quo, value[:, [0, 1, 4, 3]]])
    ktab = [
        [0.82325, 0.83726, 0.80570, 0.81633, 0.80676],
        [0.71543, 0.73202, 0.77307, 0.74652, 0.74814],
        [0.51258, 0.52804, 0.52407, 0.51692, 0.52177],
        [0.74789, 0.76561, 0.77479, 0.79217, 0.80283],
        [0.96427, 0.96840, 0.96715, 0.96956, 0.96810],
        [0.75597, 0.77250, 0.74109, 0.77766, 0.76567],
        [0.73554, 0.72736, 0.72174, 0.74794, 0.73902],
    ]
    np.testing.assert_allclose(u_im, ktab, atol=0.000005 + 1e-9)


def test_condorcet_two_options_is_the_strength_ratio():
    """With two options the conditional PCE gives C_ab / (C_ab + C_ba) (both share the ½ self-factor)."""
    c = np.array([[1e-8, 3.0], [1.0, 1e-8]])
    np.testing.assert_allclose(condorcet(c), [0.75, 0.25], rtol=1e-12)


# --- the model contract ---------------------------------------------------------------------------


def _arrays(position, salience, capability, mask=None) -> ScenarioArrays:
    position = np.asarray(position, dtype=float)
    a, i = position.shape
    cap = np.asarray(capability, dtype=float)
    cap = np.repeat(cap[:, None], i, axis=1) if cap.ndim == 1 else cap
    mask = np.ones((a, i), dtype=bool) if mask is None else np.asarray(mask)
    return ScenarioArrays(
        tuple(f"a{k}" for k in range(a)),
        tuple(f"i{k}" for k in range(i)),
        np.where(mask, position, 0.0),
        np.where(mask, salience, 0.0),
        cap,
        mask,
        np.full(i, np.nan),
    )


def test_registered_dynamic_with_ktab_defaults():
    """Registered as 'smp', dynamic, with KTAB's stopping rule and tolerances as defaults."""
    assert "smp" in model_names()
    model = get_model("smp")
    assert isinstance(model, SMP) and SMP.dynamic
    assert model.params["max_turns"] == 100 and model.params["tolerance"] == 0.02
    assert model.params["min_gain"] == 1e-5 and model.params["position_tolerance"] == 1e-3


@pytest.mark.parametrize("params", [{"max_turns": 0}, {"tolerance": -1.0}, {"risk_range": "wide"}, {"speed": 1}])
def test_bad_parameters_are_input_errors(params):
    """Unknown or out-of-range parameters raise the one InputError, naming the field."""
    with pytest.raises(InputError) as err:
        get_model("smp", **params)
    assert next(iter(params)) in str(err.value)


def test_consensus_does_not_move():
    """Actors who already agree never challenge: positions stay, the run stops at KTAB's minimum of 2 turns."""
    arrays = _arrays([[40.0, 70.0]] * 3, [[0.5, 0.5]] * 3, [1.0, 2.0, 3.0])
    result = get_model("smp").solve(arrays)
    assert result.rounds == 2 and result.converged
    np.testing.assert_allclose(result.outcome, [40.0, 70.0], atol=1e-12)
    assert result.diagnostics["win_probability"] == {"a0": 1.0, "a1": 1.0, "a2": 1.0}


def test_max_turns_caps_the_run():
    """With max_turns=1 the run stops after one turn and reports it did not converge."""
    rng = np.random.default_rng(7)
    arrays = _arrays(rng.uniform(0, 100, (8, 2)), rng.uniform(0.1, 0.5, (8, 2)), rng.uniform(10, 100, 8))
    result = get_model("smp", max_turns=1).solve(arrays)
    assert result.rounds == 1 and not result.converged
    assert result.trajectory.shape == (2, 8, 2)
    assert not np.allclose(result.trajectory[0], result.trajectory[1])


def test_deterministic_and_order_free(dummy3):
    """Same input, same output; reversing the actors' order permutes the result and nothing else."""
    arrays = dummy3[0]
    model = get_model("smp")
    a, b = model.solve(arrays), model.solve(arrays)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    rev = model.solve(arrays.take_actors(np.arange(arrays.n_actors)[::-1]))
    assert rev.rounds == a.rounds
    np.testing.assert_allclose(rev.final_positions[::-1], a.final_positions, atol=1e-9)
    np.testing.assert_allclose(rev.outcome, a.outcome, atol=1e-9)


def test_missing_positions_and_issue_capabilities():
    """No position: salience 0 and the capability-weighted mean of the others; capability is the mean over positions."""
    position = [[20.0, 30.0], [60.0, 0.0], [80.0, 90.0]]
    mask = [[True, True], [True, False], [True, True]]
    capability = np.array([[1.0, 3.0], [2.0, 50.0], [3.0, 3.0]])
    pos, sal, cap, _ = smp_inputs(_arrays(position, [[0.4, 0.4]] * 3, capability, mask))
    np.testing.assert_allclose(cap, [2.0, 2.0, 3.0])
    assert sal[1, 1] == 0.0
    np.testing.assert_allclose(pos[1, 1], (2.0 * 0.30 + 3.0 * 0.90) / 5.0)


def test_issue_nobody_takes_a_position_has_no_forecast():
    """An issue without any position gets NaN, the others a forecast inside the positions' range."""
    mask = [[True, False], [True, False], [True, False]]
    arrays = _arrays([[10.0, 0.0], [50.0, 0.0], [90.0, 0.0]], [[0.5, 0.0]] * 3, [1.0, 1.0, 1.0], mask)
    result = get_model("smp").solve(arrays)
    assert np.isnan(result.outcome[1]) and 10.0 <= result.outcome[0] <= 90.0


def test_saliences_summing_over_one_are_rescaled():
    """KTAB needs Σ_k s_ik ≤ 1: larger sums are divided by the sum, smaller ones kept."""
    arrays = _arrays([[10.0, 20.0], [50.0, 60.0], [90.0, 10.0]], [[0.9, 0.6], [0.3, 0.2], [0.5, 0.5]], [1.0, 1.0, 1.0])
    _, sal, _, rescaled = smp_inputs(arrays)
    assert rescaled == ["a0"]
    np.testing.assert_allclose(sal, [[0.6, 0.4], [0.3, 0.2], [0.5, 0.5]])
    assert get_model("smp").solve(arrays).diagnostics["salience_rescaled"] == ["a0"]


def test_solve_batch_matches_solve():
    """solve_batch is draw-by-draw solve: same outcomes, rounds and final positions."""
    rng = np.random.default_rng(3)
    arrays = _arrays(rng.uniform(0, 100, (6, 2)), rng.uniform(0.1, 0.5, (6, 2)), rng.uniform(10, 100, 6))
    batch = arrays.repeat(2)
    model = get_model("smp")
    out = model.solve_batch(batch)
    single = model.solve(arrays)
    assert out.outcome.shape == (2, 2) and out.final_positions.shape == (2, 6, 2)
    np.testing.assert_allclose(out.outcome[1], single.outcome)
    assert out.rounds.tolist() == [single.rounds] * 2


def test_batch_kernel_is_bit_identical_to_a_loop_of_solve():
    """The compiled batch (``smp_kernel.run_draws`` + the closing election in NumPy) gives the bits of
    ``solve`` draw by draw: outcome, final positions, turns and the stopping rule (ukraine-2025, PERT draws)."""
    from backchannel.app.files import load_scenario
    from backchannel.ensemble import sample_batch

    batch = sample_batch(load_scenario("ukraine-2025"), 60, 5)
    model = get_model("smp")
    got = model.solve_batch(batch)
    singles = [model.solve(batch.draw(b)) for b in range(batch.draws)]
    np.testing.assert_array_equal(got.outcome, np.stack([s.outcome for s in singles]))
    np.testing.assert_array_equal(got.final_positions, np.stack([s.final_positions for s in singles]))
    np.testing.assert_array_equal(got.rounds, [s.rounds for s in singles])
    np.testing.assert_array_equal(got.converged, [s.converged for s in singles])
