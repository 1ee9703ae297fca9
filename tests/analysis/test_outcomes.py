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
