"""The combined model and the distributional backtest on deu3-dev.tsv."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backchannel.analysis.deu_scores import _allocate, deu_samples, fit_combined
from backchannel.models import get_model
from backchannel.models.combined import CV, MEMBERS, WEIGHTS, headline_allowed
from backchannel.scenario.formats.deu import parse_deu


@pytest.fixture(scope="module")
def deu(deu_text):
    return parse_deu(deu_text, "deu3-dev.tsv", capability="equal")


def test_shipped_weights_are_a_distribution_over_the_members():
    assert set(WEIGHTS) == set(MEMBERS) and sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in WEIGHTS.values())


def test_headline_rule_follows_the_shipped_cross_validation():
    assert headline_allowed() == (CV["crps"] <= CV["compromise_crps"] and CV["mae"] <= CV["compromise_mae"])


def test_allocation_of_draws():
    assert _allocate([1.0, 0.0], 10) == [10, 0]
    assert _allocate([0.25, 0.75], 10) == [3, 7]  # 2.5 and 7.5: the tie of remainders goes to the first
    assert sum(_allocate([0.2, 0.3, 0.5], 7)) == 7


def test_combined_point_is_the_weighted_median_of_its_members(deu):
    from backchannel.analysis.backtest import cases_from_deu

    case = cases_from_deu(deu)[0]
    got = get_model("combined").solve(case.arrays, np.random.default_rng(0))
    members = {m: get_model(m).solve(case.arrays, np.random.default_rng(0)).outcome for m, w in WEIGHTS.items() if w}
    if len(members) == 1:
        np.testing.assert_allclose(got.outcome, next(iter(members.values())))
    assert set(got.diagnostics["members"]) == set(members)


def test_combined_deu_distribution_is_its_members_mixture(deu):
    mine = deu_samples(deu, "combined", draws=50)
    parts = {m: deu_samples(deu, m, draws=50) for m, w in WEIGHTS.items() if w}
    issue = next(iter(mine))
    assert mine[issue].shape == (50,)
    if len(parts) == 1:
        np.testing.assert_array_equal(mine[issue], next(iter(parts.values()))[issue])


@pytest.mark.slow
def test_refitting_gives_the_shipped_weights_and_figures(deu):
    fit = fit_combined(deu, draws=400, seed=0)
    assert fit["n"] == 242
    assert fit["weights"] == pytest.approx(WEIGHTS, abs=1e-6)
    for key in ("crps", "mae", "coverage90", "compromise_crps", "compromise_mae"):
        assert fit["nested_cv"][key] == pytest.approx(CV[key], abs=1e-4)
    # the one-SE rule: the chosen λ is the smallest within one standard error of the best
    cv = {float(k): v for k, v in fit["cv_crps"].items()}
    best = min(cv, key=lambda k: cv[k]["mean"])
    assert cv[fit["shrinkage"]]["mean"] <= cv[best]["mean"] + cv[best]["se"]
    assert all(lam >= fit["shrinkage"] for lam in cv if cv[lam]["mean"] <= cv[best]["mean"] + cv[best]["se"])


def test_backtest_json_adds_distribution_scores(cli, deu_path):
    code, out, err = cli("backtest", str(deu_path), "-m", "compromise", "-m", "combined", "--draws", "200", "--json")
    assert code == 0, err
    data = json.loads(out)
    for m in ("compromise", "combined"):
        s = data["models"][m]
        assert {"mae", "crps", "coverage50", "coverage90", "interval_score90", "pit"} <= set(s)
        assert len(s["pit"]) == 10 and sum(s["pit"]) == s["n"] == 242
        assert 0 < s["coverage50"] < s["coverage90"] <= 1
        assert 10 < s["crps"] < s["mae"]  # CRPS ≤ E|draw − outcome|; here well below the point forecast's MAE
    assert data["distribution"]["draws"] == 200
    code, out, _ = cli("backtest", str(deu_path), "-m", "compromise", "--draws", "0", "--json")
    assert "crps" not in json.loads(out)["models"]["compromise"]
