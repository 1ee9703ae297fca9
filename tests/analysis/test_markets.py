"""Market impacts: schema validation, the probability-weighted mixture, and the ukraine-2025 defaults."""
from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.markets import DISCLAIMER, market_impacts
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Scenario
from backchannel.scenario.validation import build_scenario

UKRAINE_OUTCOMES = ("frozen_conflict", "territorial_compromise_with_guarantees", "neutrality_demilitarisation",
                    "frozen_conflict_no_agreement", "escalation_no_deal")


def base(markets):
    return {
        "id": "t", "actors": [{"id": "a"}], "issues": [{"id": "x"}],
        "outcomes": [{"id": "deal", "when": {"x": [0, 50]}}, {"id": "war", "when": {"x": [50, 100]}}],
        "markets": markets,
    }


MARKETS = {
    "variables": [{"id": "oil", "unit": "% change"}, {"id": "fx", "unit": "% change"}],
    "moves": {"deal": {"oil": {"expected": -10, "range": [-20, 0], "basis": "b1"}},
              "war": {"oil": {"expected": 20, "range": [0, 40], "basis": "b2"},
                      "fx": {"expected": -5, "range": [-5, -5], "basis": "b3"}}},
}


def test_schema_rejects_unknown_outcomes_and_variables():
    with pytest.raises(InputError, match="unknown outcome 'peace'"):
        build_scenario(base({"variables": [{"id": "oil", "unit": "%"}],
                             "moves": {"peace": {"oil": {"expected": 0, "range": [-1, 1], "basis": "b"}}}}))
    with pytest.raises(InputError, match="unknown variable 'gas'"):
        build_scenario(base({"variables": [{"id": "oil", "unit": "%"}],
                             "moves": {"deal": {"gas": {"expected": 0, "range": [-1, 1], "basis": "b"}}}}))
    with pytest.raises(InputError, match="does not contain expected"):
        build_scenario(base({"variables": [{"id": "oil", "unit": "%"}],
                             "moves": {"deal": {"oil": {"expected": 5, "range": [-1, 1], "basis": "b"}}}}))


def test_mixture_expected_band_and_driver():
    sc = Scenario.model_validate(base(MARKETS))
    res = market_impacts({"deal": 0.7, "war": 0.3, "unnamed": 0.0}, sc, draws=200_000, seed=4)
    oil = res["oil"]
    # expected = 0.7 × (−10) + 0.3 × 20 = −1; the driver is 'deal' (|−7| > |6|).
    assert oil.expected == pytest.approx(-1.0)
    assert oil.driver == "deal"
    # Band of the mixture 0.7·Tri(−20, −10, 0) + 0.3·Tri(0, 20, 40): P(X ≤ q) = 0.05 at
    # q = −20 + sqrt(0.05/0.7 · 200) = −16.22; the 95 % point solves 0.7 + 0.3·F_tri2(q) = 0.95,
    # F = 5/6 -> q = 40 − sqrt((1/6) · 800) = 28.45. Monte Carlo tolerance 0.3.
    assert oil.p05 == pytest.approx(-16.22, abs=0.3)
    assert oil.p95 == pytest.approx(28.45, abs=0.3)
    # fx: no move declared for 'deal' -> 0 within the widest range [-5, 0] (0 added).
    fx = res["fx"]
    assert fx.expected == pytest.approx(0.3 * -5)
    assert fx.p05 >= -5 and fx.p95 <= 0
    assert "not a price model" in DISCLAIMER


def test_probabilities_must_be_complete():
    sc = Scenario.model_validate(base(MARKETS))
    with pytest.raises(InputError, match="sum to 1"):
        market_impacts({"deal": 0.5}, sc)
    with pytest.raises(InputError, match="unknown outcome"):
        market_impacts({"peace": 1.0}, sc)
    with pytest.raises(InputError, match="no market"):
        market_impacts({"deal": 1.0}, Scenario.model_validate({**base(MARKETS), "markets": None}))


def test_seeded_and_reproducible():
    sc = Scenario.model_validate(base(MARKETS))
    a = market_impacts({"deal": 0.5, "war": 0.5}, sc, draws=5000, seed=9)
    b = market_impacts({"deal": 0.5, "war": 0.5}, sc, draws=5000, seed=9)
    assert a == b


def test_ukraine_defaults_cover_the_issue_list_with_a_basis_each():
    from backchannel.app.files import load_scenario

    sc = load_scenario("ukraine-2025")
    assert tuple(o.id for o in sc.outcomes) == UKRAINE_OUTCOMES
    m = sc.markets
    assert {v.id for v in m.variables} == {"brent", "ttf_gas", "wheat", "eu_defence", "ukraine_bonds", "rouble"}
    assert all(v.basis for v in m.variables)
    assert set(m.moves) == set(UKRAINE_OUTCOMES)
    for outcome, moves in m.moves.items():
        assert set(moves) == {v.id for v in m.variables}, outcome
        assert all(len(mv.basis) > 20 for mv in moves.values())
    # Direction checks stated in the file's basis: escalation raises oil and sinks the rouble.
    assert m.moves["escalation_no_deal"]["brent"].expected > 0 > m.moves["escalation_no_deal"]["rouble"].expected
    assert np.sign(m.moves["territorial_compromise_with_guarantees"]["ukraine_bonds"].expected) == 1


def test_markets_survive_a_yaml_round_trip():
    from backchannel.scenario.formats import parse, render

    sc = Scenario.model_validate(base(MARKETS))
    assert parse(render(sc, "yaml"), "t.yaml", "yaml") == sc
