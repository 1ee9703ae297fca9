"""What-if with common random numbers: a null lever changes nothing; a known lever moves exactly."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.whatif import paired_change, whatif
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Scenario


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "id": "t",
            "actors": [{"id": "a", "capability": 1}, {"id": "b", "capability": 2}, {"id": "c"}],
            "issues": [{"id": "x"}, {"id": "y"}],
            "positions": [
                {"actor": "a", "issue": "x", "position": 20, "salience": 0.5, "range": [10, 30]},
                {"actor": "b", "issue": "x", "position": 60, "salience": 0.5},
                {"actor": "c", "issue": "x", "position": 90, "salience": 1.0},
                {"actor": "a", "issue": "y", "position": 40, "salience": 0.5, "salience_range": [0.2, 0.8]},
                {"actor": "b", "issue": "y", "position": 70, "salience": 0.4, "range": [50, 90]},
            ],
            "outcomes": [{"id": "low", "when": {"x": [0, 55]}}, {"id": "high", "when": {"x": [55, 100]}}],
            "levers": [{"id": "null", "set": {"a.x.position": 20}}, {"id": "push", "set": {"a.x.position": 30}}],
        }
    )


def test_null_lever_shows_exactly_zero_change(scenario):
    w = whatif(scenario, ["compromise", "bdm"], levers=["null"], draws=400, seed=7)
    for model in ("compromise", "bdm"):
        for change in list(w.issues[model].values()) + list(w.outcomes[model].values()):
            assert change.change == 0.0 and not change.exceeds_noise


def test_position_lever_moves_the_compromise_by_the_closed_form(scenario):
    w = whatif(scenario, ["compromise"], levers=["push"], draws=400, seed=7)
    c = w.issues["compromise"]["x"]
    # On x only a's position is uncertain and weights are fixed: every paired draw moves by
    # w_a Δ / Σw = (1·0.5)·10 / (0.5 + 1.0 + 1.0) = 2 exactly, so the noise is zero.
    assert c.change == pytest.approx(2.0, abs=1e-9)
    assert c.stderr == pytest.approx(0.0, abs=1e-9) and c.exceeds_noise
    y = w.issues["compromise"]["y"]
    assert y.change == 0.0 and not y.exceeds_noise
    probs = w.outcomes["compromise"]
    assert probs["low"].change + probs["high"].change + probs["unnamed"].change == pytest.approx(0.0, abs=1e-12)
    assert w.to_dict()["models"]["compromise"]["issues"]["x"]["exceeds_noise"] is True


def test_overrides_and_unknown_levers(scenario):
    w = whatif(scenario, ["compromise"], overrides={"c.x.salience": 0.0}, draws=50, seed=1)
    # Without c (at 90) the mean of x falls.
    assert w.issues["compromise"]["x"].change < 0 and w.issues["compromise"]["x"].exceeds_noise
    with pytest.raises(InputError, match="lever"):
        whatif(scenario, ["compromise"], levers=["nope"], draws=10)


def test_paired_change_noise_rule():
    rng = np.random.default_rng(0)
    base = rng.normal(50, 10, 10_000)
    same = paired_change(base, base + rng.normal(0, 1, 10_000))  # pure noise: mean 0, se 0.01
    assert same.stderr == pytest.approx(0.01, rel=0.05)
    assert abs(same.change) < 4 * same.stderr
    assert paired_change(base, base + 0.5).exceeds_noise


def test_progress_counts_both_runs_and_ends_at_the_total(scenario):
    # run_forecast reports models + models × chunks steps per run (1 + 1 here); two runs make 4
    seen = []
    whatif(scenario, ["compromise"], ["push"], draws=50, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_whatif_reports_the_change_of_p_deal_and_of_its_curve():
    from pathlib import Path

    from backchannel.analysis.whatif import whatif
    from backchannel.app.files import load_scenario

    s = load_scenario(Path(__file__).resolve().parents[1] / "data" / "agreement-small.yaml")
    # the lever makes b's outside option worse for b (60 is nearer a's 10, farther from b's 90): more deals
    out = whatif(s, ["compromise"], levers=["squeeze"], draws=200, seed=2).to_dict()["models"]["compromise"]
    a = out["agreement"]
    assert set(a) == {"baseline", "variant", "change", "stderr", "exceeds_noise"}
    assert a["change"] == a["variant"] - a["baseline"] and a["change"] >= 0
    curve = out["agreement_by_date"]
    assert [p["date"] for p in curve][-1] == "2025-07-01"
    assert all(p["variant"] >= p["baseline"] for p in curve)
    # before the deadline fires the lever in the baseline too (2025-03-01), the variant has more deals
    assert curve[4]["date"] == "2025-02-05" and curve[4]["variant"] > curve[4]["baseline"] + 0.05
    assert curve[-1]["variant"] == curve[-1]["baseline"]  # both with the lever from March on


def test_a_shared_baseline_gives_the_same_whatif_as_running_it_again():
    """The headline ranks the levers by one what-if each; they share one baseline run. Sharing it must not
    change a single number (same scenario, model, draws and seed), and a baseline run otherwise is refused."""
    import json

    from backchannel.app.files import load_scenario
    from backchannel.ensemble import run_forecast

    s = load_scenario("ukraine-2025")
    base = run_forecast(s, ["bdm"], 300, 7)
    for lever in s.levers:
        alone = whatif(s, ["bdm"], levers=[lever.id], draws=300, seed=7).to_dict()
        shared = whatif(s, ["bdm"], levers=[lever.id], draws=300, seed=7, baseline=base).to_dict()
        assert json.dumps(shared, sort_keys=True) == json.dumps(alone, sort_keys=True), lever.id
    with pytest.raises(ValueError):
        whatif(s, ["bdm"], levers=[s.levers[0].id], draws=300, seed=8, baseline=base)
