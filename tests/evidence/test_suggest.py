"""Suggestions: confidence-weighted positions per actor and issue, applied as a new scenario with sources."""

from __future__ import annotations

import pytest

from backchannel.evidence.suggest import DEFAULT_SALIENCE, apply_suggestions, suggest_positions
from backchannel.scenario.schema import Position

CLAIMS = [
    {
        "actor": "russia",
        "issue": "nato",
        "position": 90.0,
        "confidence": 0.8,
        "text": "Russia wants neutrality.",
        "document": "a.txt",
    },
    {
        "actor": "russia",
        "issue": "nato",
        "position": 60.0,
        "confidence": 0.4,
        "text": "Moscow may soften.",
        "document": "b.txt",
    },
    {"actor": "russia", "issue": "nato", "position": 0.0, "confidence": 0.1, "text": "Noise.", "document": "c.txt"},
    {
        "actor": "ukraine",
        "issue": "ceasefire",
        "position": 10.0,
        "confidence": 0.9,
        "text": "Kyiv wants a truce now.",
        "document": "a.txt",
    },
    {"actor": "nobody", "issue": "nato", "position": 50.0, "confidence": 0.9, "text": "x", "document": "a.txt"},
]


@pytest.fixture()
def with_positions(scenario):
    return scenario.model_copy(
        update={
            "positions": (
                Position(actor="russia", issue="nato", position=70, salience=0.9, range=(65, 75)),
                Position(actor="ukraine", issue="ceasefire", position=12, salience=0.8),
            )
        }
    )


def test_weighted_mean_and_threshold(with_positions):
    sug = {(s.actor, s.issue): s for s in suggest_positions(with_positions, CLAIMS)}
    # (90*0.8 + 60*0.4) / 1.2 = 80; the 0.1-confidence claim and unknown actors are ignored.
    assert sug[("russia", "nato")].suggested == pytest.approx(80.0)
    assert sug[("russia", "nato")].change == pytest.approx(10.0)
    assert len(sug[("russia", "nato")].sources) == 2
    assert ("ukraine", "ceasefire") not in sug  # 10 vs 12: below the 5-point minimum change


def test_apply_keeps_input_and_cites_sources(with_positions):
    updated = apply_suggestions(with_positions, suggest_positions(with_positions, CLAIMS))
    pos = {(p.actor, p.issue): p for p in updated.positions}
    p = pos[("russia", "nato")]
    assert p.position == 80.0 and p.range == (65, 80) and p.salience == 0.9
    assert [(s.document, s.quote) for s in p.sources] == [
        ("a.txt", "Russia wants neutrality."),
        ("b.txt", "Moscow may soften."),
    ]
    assert pos[("ukraine", "ceasefire")].position == 12
    assert with_positions.positions[0].position == 70  # the input scenario is unchanged


def test_new_position_gets_default_salience_and_an_assumption(scenario):
    updated = apply_suggestions(scenario, suggest_positions(scenario, CLAIMS))
    p = {(q.actor, q.issue): q for q in updated.positions}[("ukraine", "ceasefire")]
    assert p.position == 10.0 and p.salience == DEFAULT_SALIENCE and "assumed" in p.assumption
