"""Market impacts: schema validation, the probability-weighted mixture, and the ukraine-2025 defaults."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.markets import DISCLAIMER, market_impacts
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Scenario
from backchannel.scenario.validation import build_scenario

UKRAINE_OUTCOMES = (
    "frozen_conflict",
    "territorial_compromise_with_guarantees",
    "neutrality_demilitarisation",
    "frozen_conflict_no_agreement",
    "escalation_no_deal",
)


def base(markets):
    return {
        "id": "t",
        "actors": [{"id": "a"}],
        "issues": [{"id": "x"}],
        "outcomes": [{"id": "deal", "when": {"x": [0, 50]}}, {"id": "war", "when": {"x": [50, 100]}}],
        "markets": markets,
    }


MARKETS = {
    "variables": [{"id": "oil", "unit": "% change"}, {"id": "fx", "unit": "% change"}],
    "moves": {
        "deal": {"oil": {"expected": -10, "range": [-20, 0], "basis": "b1"}},
        "war": {
            "oil": {"expected": 20, "range": [0, 40], "basis": "b2"},
            "fx": {"expected": -5, "range": [-5, -5], "basis": "b3"},
        },
    },
}


def test_schema_rejects_unknown_outcomes_and_variables():
    with pytest.raises(InputError, match="unknown outcome 'peace'"):
        build_scenario(
            base(
                {
                    "variables": [{"id": "oil", "unit": "%"}],
                    "moves": {"peace": {"oil": {"expected": 0, "range": [-1, 1], "basis": "b"}}},
                }
            )
        )
    with pytest.raises(InputError, match="unknown variable 'gas'"):
        build_scenario(
            base(
                {
                    "variables": [{"id": "oil", "unit": "%"}],
                    "moves": {"deal": {"gas": {"expected": 0, "range": [-1, 1], "basis": "b"}}},
                }
            )
        )
    with pytest.raises(InputError, match="does not contain expected"):
        build_scenario(
            base(
                {
                    "variables": [{"id": "oil", "unit": "%"}],
                    "moves": {"deal": {"oil": {"expected": 5, "range": [-1, 1], "basis": "b"}}},
                }
            )
        )


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


# -- against what the market prices in ----------------------------------------------------------------
from backchannel.analysis.markets import IMPLIED_NOTE, implied_mixture, versus_implied  # noqa: E402


def test_outcomes_left_out_share_the_rest_in_the_models_proportions():
    sc = Scenario.model_validate(base(MARKETS))
    q = implied_mixture(sc, {"deal": 0.6, "war": 0.3, "unnamed": 0.1}, {"war": 0.5})
    # the rest, 0.5, goes to deal and unnamed in the model's 0.6 : 0.1
    assert q == pytest.approx({"deal": 0.5 * 6 / 7, "war": 0.5, "unnamed": 0.5 / 7})
    # nothing left out: taken as given, and it must add up to 1
    assert implied_mixture(sc, {"deal": 1.0}, {"deal": 0.2, "war": 0.7, "unnamed": 0.1}) == pytest.approx(
        {"deal": 0.2, "war": 0.7, "unnamed": 0.1}
    )
    # the model gives the rest nothing: shared equally
    assert implied_mixture(sc, {"deal": 1.0, "war": 0.0, "unnamed": 0.0}, {"deal": 0.4}) == pytest.approx(
        {"deal": 0.4, "war": 0.3, "unnamed": 0.3}
    )


def test_gap_and_move_against_the_priced_in_mixture():
    sc = Scenario.model_validate(base(MARKETS))
    model = {"deal": 0.7, "war": 0.3, "unnamed": 0.0}
    out = versus_implied(model, {"war": 0.5}, sc, seed=1)
    assert out["implied"] == pytest.approx({"deal": 0.5, "war": 0.5, "unnamed": 0.0})
    assert out["gap"] == pytest.approx({"deal": 0.2, "war": -0.2, "unnamed": 0.0})
    # oil: model 0.7 × (−10) + 0.3 × 20 = −1; priced in 0.5 × (−10) + 0.5 × 20 = 5; −1 − 5 = −6
    assert out["variables"]["oil"]["implied_expected"] == pytest.approx(5.0)
    assert out["variables"]["oil"]["move_vs_implied"] == pytest.approx(-6.0)
    # fx: model 0.3 × (−5) = −1.5; priced in 0.5 × (−5) = −2.5; +1
    assert out["variables"]["fx"]["move_vs_implied"] == pytest.approx(1.0)
    assert "not trading advice" in IMPLIED_NOTE


@pytest.mark.parametrize(
    "implied, message",
    [
        ({"peace": 0.3}, "unknown outcome"),
        ({"war": 1.2}, "in 0..1"),
        ({"war": 0.7, "deal": 0.6}, "more than 1"),
        ({"war": 0.3, "deal": 0.3, "unnamed": 0.3}, "add up to 1"),
        ({"deal": -0.1}, "in 0..1"),
    ],
)
def test_bad_implied_probabilities_are_one_line_errors(implied, message):
    sc = Scenario.model_validate(base(MARKETS))
    with pytest.raises(InputError, match=message) as err:
        implied_mixture(sc, {"deal": 0.7, "war": 0.3, "unnamed": 0.0}, implied)
    assert "\n" not in str(err.value)


def test_markets_cli_with_levers_and_implied(cli):
    import json

    code, out, err = cli(
        "markets",
        "--draws",
        "300",
        "--lever",
        "secondary_tariffs=0.5",
        "--implied",
        "territorial_compromise_with_guarantees=0.6",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["lever_intensity"] == {"secondary_tariffs": 0.5} and data["levers"] == ["secondary_tariffs"]
    p = data["outcomes"]["territorial_compromise_with_guarantees"]
    assert data["implied"]["territorial_compromise_with_guarantees"] == 0.6
    assert data["gap"]["territorial_compromise_with_guarantees"] == pytest.approx(p - 0.6)
    assert sum(data["implied"].values()) == pytest.approx(1.0)
    for v in data["variables"].values():
        assert v["move_vs_implied"] == pytest.approx(v["expected"] - v["implied_expected"])
    code, _, err = cli("markets", "--implied", "territorial_compromise_with_guarantees=1.6")
    assert code == 2 and "0..1" in err


def test_deal_sets_the_deal_branch_total_once_outcomes_have_branches():
    from types import SimpleNamespace as NS

    sc = NS(outcomes=[NS(id="a", branch=None), NS(id="b", branch="deal"), NS(id="war", branch="no_deal")])
    q = implied_mixture(sc, {"a": 0.5, "b": 0.3, "war": 0.1, "unnamed": 0.1}, {"deal": 0.6})
    # the deal branch (a, b and the unnamed share) gets 0.6 in the model's 5 : 3 : 1; no deal gets 0.4
    assert q == pytest.approx({"a": 0.6 * 5 / 9, "b": 0.6 * 3 / 9, "war": 0.4, "unnamed": 0.6 / 9})
    with pytest.raises(InputError, match="either deal or single outcomes"):
        implied_mixture(sc, {"a": 1.0}, {"deal": 0.6, "a": 0.3})
