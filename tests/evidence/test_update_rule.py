"""The update rule (evidence/update.py): prior, weights, cap, range, salience, as_of; values by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from backchannel.evidence.update import Rule, apply_evidence
from backchannel.scenario.schema import Scenario

BASE = {
    "id": "toy",
    "as_of": "2026-01-01",
    "actors": [{"id": "a", "name": "A", "capability": 1}, {"id": "b", "name": "B", "capability": 1}],
    "issues": [{"id": "x", "name": "X", "scale": {"0": "none", "100": "all"}, "status_quo": 0}],
    "positions": [{"actor": "a", "issue": "x", "position": 40, "salience": 0.6, "range": [30, 50]}],
}


def _scenario() -> Scenario:
    return Scenario.model_validate(BASE)


def _claim(
    cid: int,
    position: float | None,
    confidence: float = 1.0,
    published: str = "2026-01-10",
    actor: str = "a",
    text: str = "A said so.",
    **extra,
) -> dict:
    return {
        "id": cid,
        "actor": actor,
        "issue": "x",
        "position": position,
        "confidence": confidence,
        "text": text,
        "document": f"doc{cid}.txt",
        "published": published,
        **extra,
    }


def _pos(s: Scenario, actor: str = "a"):
    return next(p for p in s.positions if p.actor == actor)


def test_one_sentence_moves_a_position_at_most_the_cap():
    # mean = (2*40 + 1*100) / 3 = 60 -> 20 points, capped at 15 for one sentence
    new, changes = apply_evidence(_scenario(), [_claim(1, 100)])
    assert _pos(new).position == 55.0
    assert changes[0].capped and changes[0].claims == [1]


def test_the_mean_with_the_prior_when_under_the_cap():
    # two sentences at 60, confidence 0.5 each: (2*40 + 0.5*60 + 0.5*60) / 3 = 46.67 (cap 30 not reached)
    new, changes = apply_evidence(_scenario(), [_claim(1, 60, 0.5), _claim(2, 60, 0.5)])
    assert _pos(new).position == pytest.approx(46.7)
    assert not changes[0].capped


def test_a_confirmed_position_lifts_the_cap_and_weighs_three():
    # (2*40 + 3*90) / 5 = 70
    new, changes = apply_evidence(_scenario(), [_claim(1, 55, confirmed=90.0)])
    assert _pos(new).position == 70.0 and not changes[0].capped


def test_recency_halves_weight_every_half_life():
    # claim 2 is 90 days older than the newest (claim 1): weight 0.5; mean = (2*40 + 1*50 + 0.5*20)/3.5 = 40
    new, _ = apply_evidence(_scenario(), [_claim(1, 50, published="2026-04-01"), _claim(2, 20, published="2026-01-01")])
    assert _pos(new).position == pytest.approx(40.0)
    assert new.as_of == dt.date(2026, 4, 1)  # the newest evidence used


def test_a_local_models_claim_weighs_less():
    # weight 0.8: (80 + 0.8*50) / 2.8 = 42.857
    new, _ = apply_evidence(_scenario(), [_claim(1, 50, method="local-llm")])
    assert _pos(new).position == pytest.approx(42.9)


def test_agreeing_evidence_narrows_the_range_and_disagreeing_widens_it():
    prior_half = 10.0
    # agreeing: 4 sentences at the prior's position; h = sqrt(100 * 2/6 + 0) = 5.77
    new, _ = apply_evidence(_scenario(), [_claim(k, 40) for k in range(1, 5)])
    lo, hi = _pos(new).range
    assert (hi - lo) / 2 == pytest.approx(math.sqrt(prior_half**2 * 2 / 6), abs=0.1)
    # disagreeing: 0 and 100 (confirmed, so no cap): mean = (80 + 0 + 300)/8 = 47.5;
    # spread = (3*(0-47.5)^2 + 3*(100-47.5)^2)/6 = 2500.0 - ... computed below
    claims = [_claim(1, 0, confirmed=0.0), _claim(2, 100, confirmed=100.0)]
    new, _ = apply_evidence(_scenario(), claims)
    mean = (2 * 40 + 3 * 0 + 3 * 100) / 8
    spread = (3 * (0 - mean) ** 2 + 3 * (100 - mean) ** 2) / 6
    half = math.sqrt(prior_half**2 * 2 / 8 + spread)
    assert _pos(new).position == pytest.approx(mean, abs=0.05)
    assert _pos(new).range == (
        pytest.approx(max(0.0, mean - half), abs=0.05),
        pytest.approx(min(100.0, mean + half), abs=0.05),
    )


def test_salience_moves_when_the_text_says_how_much_it_cares():
    new, _ = apply_evidence(
        _scenario(),
        [_claim(1, 40, text="A said this is a red line."), _claim(2, 40, text="A called it non-negotiable.")],
    )
    assert _pos(new).salience == pytest.approx(0.7)
    new, _ = apply_evidence(_scenario(), [_claim(1, 40, text="A said it was open to a compromise.")])
    assert _pos(new).salience == pytest.approx(0.55)


def test_a_new_pair_has_no_prior_and_cites_its_sentences():
    new, changes = apply_evidence(_scenario(), [_claim(1, 80, actor="b", text="B wants it all.")])
    p = _pos(new, "b")
    assert p.position == 80.0 and p.salience == 0.5 and p.range == (65.0, 95.0)
    assert p.sources[0].quote == "B wants it all." and p.sources[0].document == "doc1.txt"
    assert changes[0].before == {}


def test_claims_without_position_or_off_scenario_are_not_used_and_input_is_unchanged():
    s = _scenario()
    new, changes = apply_evidence(s, [_claim(1, None), {**_claim(2, 90), "actor": "zz"}])
    assert changes == [] and new.positions == s.positions and _pos(s).position == 40


def test_rule_parameters_are_recorded():
    assert Rule().to_dict()["cap_per_sentence"] == 15.0


def test_secondary_tariffs_say_nothing_about_salience():
    new, _ = apply_evidence(_scenario(), [_claim(1, 40, text="A said the secondary tariffs would go ahead.")])
    assert _pos(new).salience == pytest.approx(0.6)
