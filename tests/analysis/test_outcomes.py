"""Named-outcome probabilities: first match in file order, shares summing to 1, MC standard errors."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.outcomes import UNNAMED, classify, outcome_probabilities, outcomes_detail, outcomes_json
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Outcome

ISSUES = ("ceasefire", "territory")
OUTCOMES = (
    Outcome(id="frozen", when={"ceasefire": (0, 40), "territory": (40, 60)}),
    Outcome(id="deal", when={"territory": (50, 70)}),  # overlaps 'frozen' on territory 50..60
)


def test_first_match_in_file_order_and_unnamed():
    samples = np.array([[10, 45], [10, 55], [90, 55], [90, 90], [np.nan, 65]], dtype=float)
    assert classify(samples, ISSUES, OUTCOMES).tolist() == [0, 0, 1, -1, 1]


def test_probabilities_sum_to_one_with_known_shares():
    rng = np.random.default_rng(11)
    samples = rng.uniform(0, 100, size=(40_000, 2))
    res = outcome_probabilities(samples, ISSUES, OUTCOMES)
    assert sum(res.probability.values()) == pytest.approx(1.0, abs=1e-12)
    # Exact shares for independent uniforms: frozen = 0.4 × 0.2 = 0.08; deal (first match
    # excluded) = 0.2 − P(frozen ∩ territory 50..60) = 0.2 − 0.4 × 0.1 = 0.16; overlap 0.04.
    for key, p in {"frozen": 0.08, "deal": 0.16, UNNAMED: 0.76}.items():
        se = res.stderr[key]
        assert se == pytest.approx(np.sqrt(p * (1 - p) / 40_000), rel=0.05)
        assert res.probability[key] == pytest.approx(p, abs=4 * se)
    assert res.overlap == pytest.approx(0.04, abs=0.005)
    named = outcomes_json({"compromise": res})["compromise"]
    assert named.keys() == {"frozen", "deal"}
    assert sum(named.values()) + outcomes_detail({"compromise": res})["compromise"]["unnamed"] == pytest.approx(1.0)


def test_unknown_issue_and_empty_draws_are_input_errors():
    with pytest.raises(InputError, match="lacks"):
        outcome_probabilities(np.zeros((3, 1)), ("ceasefire",), OUTCOMES)
    with pytest.raises(InputError, match="no draws"):
        outcome_probabilities(np.zeros((0, 2)), ISSUES, OUTCOMES)


def test_payload_from_an_ensemble_forecast_sums_to_one():
    from backchannel.analysis.outcomes import outcomes_payload
    from backchannel.ensemble import run_forecast
    from backchannel.scenario.schema import Scenario

    sc = Scenario.model_validate(
        {
            "id": "t",
            "actors": [{"id": "a"}, {"id": "b"}],
            "issues": [{"id": "ceasefire"}, {"id": "territory"}],
            "positions": [
                {"actor": "a", "issue": "ceasefire", "position": 20, "salience": 0.5, "range": [0, 60]},
                {"actor": "b", "issue": "ceasefire", "position": 40, "salience": 0.5},
                {"actor": "a", "issue": "territory", "position": 50, "salience": 1, "range": [30, 80]},
            ],
            "outcomes": [o.model_dump() for o in OUTCOMES],
        }
    )
    fc = run_forecast(sc, ["compromise", "median"], draws=2000, seed=1)
    payload = outcomes_payload(fc, sc)
    for model in ("compromise", "median"):
        total = sum(payload["outcomes"][model].values()) + payload["outcomes_detail"][model]["unnamed"]
        assert total == pytest.approx(1.0, abs=1e-12)
        assert payload["outcomes_detail"][model]["draws"] == 2000
    # territory of the compromise is a's position alone: uniform-ish PERT on [30, 80]; both regions occur.
    assert 0 < payload["outcomes"]["compromise"]["frozen"] < 1


def test_outcomes_table_lists_every_outcome_and_the_unnamed_share():
    from rich.console import Console

    from backchannel.analysis.outcomes import outcome_probabilities
    from backchannel.cli.outcomes import outcomes_table
    from backchannel.scenario.schema import Scenario

    sc = Scenario.model_validate(
        {
            "id": "t",
            "actors": [{"id": "a"}],
            "issues": [{"id": "ceasefire"}, {"id": "territory"}],
            "outcomes": [o.model_dump() for o in OUTCOMES],
        }
    )
    samples = np.array([[10, 45], [90, 90], [90, 90], [90, 65]], dtype=float)
    probs = {"compromise": outcome_probabilities(samples, ISSUES, sc.outcomes)}
    console = Console(width=120, record=True)
    console.print(outcomes_table(probs, sc))
    text = console.export_text()
    # 1 of 4 draws frozen, 1 deal, 2 in none: 25 %, 25 %, 50 %, s.e. sqrt(.25·.75/4) = 21.7 %.
    assert "25.0% ± 21.7%" in text and "50.0% ± 25.0%" in text and "no named outcome" in text
