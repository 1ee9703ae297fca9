"""Proposals on the agreement layer (outside options, deadlines) drawn from reviewed evidence, and the rule
that applies them: the same prior, weights, cap and range as positions (evidence/update.py)."""

from __future__ import annotations

import datetime as dt

from backchannel.app.files import load_scenario
from backchannel.evidence.proposals import (
    FORCE_CUE,
    GOAL_CUE,
    apply_proposals,
    deadline_proposals,
    goal_proposals,
    lever_for,
    outside_option_proposals,
)
from backchannel.scenario.schema import Scenario

FLAGSHIP = load_scenario("ukraine-2025")


def _claim(cid: int, actor: str, issue: str, position: float, text: str, conf: float = 0.8, **kw) -> dict:
    return {
        "id": cid,
        "actor": actor,
        "issue": issue,
        "position": position,
        "confidence": conf,
        "text": text,
        "document": "a.txt",
        "published": "2025-12-18",
        "method": None,
        "confirmed": None,
        **kw,
    }


def test_cues_of_getting_it_without_a_deal():
    assert FORCE_CUE.search("the Ukrainian army will leave it one way or another")
    assert FORCE_CUE.search("Moscow will take the rest by force")
    assert not FORCE_CUE.search("Russia wants all of Donetsk in a deal")
    assert GOAL_CUE.search("Russia would continue the special military operation until its goals were achieved")
    assert GOAL_CUE.search("Kyiv will fight until victory")
    assert not GOAL_CUE.search("Russia would continue talks until Friday")


def test_a_lever_is_named_by_the_words_of_its_name():
    s = "Washington was ready to impose new sanctions and secondary tariffs on buyers of Russian oil if it did not."
    assert lever_for(FLAGSHIP, s) == "secondary_tariffs"
    assert lever_for(FLAGSHIP, "Trump gave Putin until Friday to answer.") is None  # actor names do not count


def test_outside_option_proposals_come_from_accepted_claims_with_a_force_cue():
    claims = [
        _claim(8, "russia", "territory", 90, '"Donbas is Russian, and the army will leave it one way or another."'),
        _claim(13, "russia", "territory", 85, "Moscow's demands remained unchanged."),
        _claim(14, "russia", "nato", None, "It will win by force."),  # no position: nothing to move toward
    ]
    got = outside_option_proposals(FLAGSHIP, claims)
    assert [(p["key"], p["payload"]["position"], p["payload"]["cue"]) for p in got] == [
        ("outside:8:russia:territory", 90.0, "one way or another")
    ]


def test_an_outside_point_moves_by_the_update_rule():
    claim = _claim(8, "russia", "territory", 90, "It will leave it one way or another.")
    proposal = {"id": "p1", **outside_option_proposals(FLAGSHIP, [claim])[0]["payload"], "kind": "outside_option"}
    proposal["claim_id"] = 8
    new, changes = apply_proposals(FLAGSHIP, [proposal], {8: claim})
    russia = next(o for o in new.outside_options if o.actor == "russia")
    # prior 60 (weight 2) and one sentence at 90 (weight 0.8): (120 + 72) / 2.8 = 68.57 -> 68.6, 8.6 < 15 (no cap);
    # half-width sqrt(12.5² · 2/2.8 + (90 − 68.57)²) = 23.9 around it (prior range 50–75: half-width 12.5)
    assert russia.point["territory"] == 68.6 and russia.range["territory"] == (44.7, 92.5)
    assert russia.point["sanctions"] == 0 and russia.cost_per_month == 0.01  # the rest as it was
    assert changes[0]["before"] == {"point": 60.0, "range": [50.0, 75.0]} and not changes[0]["capped"]
    assert any("one way or another" in s.quote for s in russia.sources)
    # a confirmed position confirms the claim, not the outside option: it weighs as read
    confirmed = {**claim, "confirmed": 100.0}
    again, _ = apply_proposals(FLAGSHIP, [proposal], {8: confirmed})
    assert next(o for o in again.outside_options if o.actor == "russia").point["territory"] == 68.6


def test_war_aims_move_every_issue_toward_the_position_and_the_cap_holds():
    sentence = {
        "document_id": 2,
        "start": 10,
        "text": "Russia would continue the special military operation until its goals were achieved, he added.",
        "actor": "russia",
        "document": "b.txt",
        "published": "2025-12-22",
    }
    got = goal_proposals(FLAGSHIP, [sentence])
    issues = [p["payload"]["issue"] for p in got]
    # every issue Russia has a position on, except none: its outside points all lie more than a point away
    assert issues == [p.issue for p in FLAGSHIP.positions if p.actor == "russia"]
    nato = {"id": "p4", "kind": "outside_option", "claim_id": None, **got[issues.index("nato")]["payload"]}
    limits = {"id": "p6", "kind": "outside_option", "claim_id": None, **got[issues.index("military_limits")]["payload"]}
    new, changes = apply_proposals(FLAGSHIP, [nato, limits], {})
    russia = next(o for o in new.outside_options if o.actor == "russia")
    # nato: prior the status quo 30 (weight 2), the sentence at Russia's 95 (weight 0.5): 43.0;
    # military_limits: status quo 0 toward 85 would be 17.0, capped at 15
    assert russia.point["nato"] == 43.0 and russia.point["military_limits"] == 15.0
    assert [c["capped"] for c in changes] == [True, False]  # sorted by (actor, issue): military_limits, nato


def test_deadlines_are_proposed_once_with_the_lever_their_sentence_names():
    rows = [
        {
            "id": 1,
            "sender": "usa",
            "target": "russia",
            "due": "2025-12-22",
            "text": "until Monday",
            "sentence": "Trump gave the Kremlin until Monday, or secondary tariffs on buyers of Russian oil.",
            "document": "a.txt",
            "published": "2025-12-18",
        },
        {"id": 2, "sender": "russia", "target": None, "due": "2026-01-05", "text": "two weeks", "sentence": "x"},
        {"id": 3, "sender": "usa", "target": "usa", "due": "2026-01-05", "text": "two weeks", "sentence": "x"},
    ]
    got = deadline_proposals(FLAGSHIP, rows + [{**rows[0], "id": 4}])
    assert [(p["key"], p["payload"]["fires"]) for p in got] == [("deadline:1", "secondary_tariffs")]
    p = {"id": "p2", "kind": "deadline", **got[0]["payload"]}
    new, changes = apply_proposals(FLAGSHIP, [p], {})
    added = [d for d in new.deadlines if d.due == dt.date(2025, 12, 22)]
    assert len(added) == 1 and added[0].fires == "secondary_tariffs" and added[0].sources
    assert new.deadlines[: len(FLAGSHIP.deadlines)] == FLAGSHIP.deadlines  # the scenario's own kept, in order
    Scenario.model_validate(new.model_dump())  # passes the same checks as a file


def test_no_proposal_changes_nothing():
    new, changes = apply_proposals(FLAGSHIP, [], {})
    assert new is FLAGSHIP and changes == []
