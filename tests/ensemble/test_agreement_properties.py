"""The agreement layer's sane behaviour, as properties over random small scenarios (Hypothesis, bounded).

1. every outside option worse for its actor than every feasible settlement: P(deal) = 1;
2. one veto player's outside option better for it than every feasible settlement: P(deal) = 0;
3. a veto player's outside option made better for it never raises P(deal), draw by draw;
4. a lever lowering a veto player's no-deal utility never lowers P(deal), draw by draw (and by date);
5. no consent rule: every result is today's, bit for bit (pinned against main's output below).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from backchannel.analysis.outcomes import outcomes_payload
from backchannel.app.files import load_scenario
from backchannel.ensemble import apply_overrides, run_forecast
from backchannel.scenario.validation import build_scenario

FROZEN = Path(__file__).resolve().parents[1] / "data" / "ukraine-2025-frozen.yaml"
MODELS = ["compromise", "nash", "nash_outside"]
DRAWS = 40
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def scenarios(draw: Any, veto_count: int = 2) -> dict[str, Any]:
    """A scenario of 2–4 actors on 1–3 issues, every actor with a position everywhere, salience ranges so
    that draws differ, the first ``veto_count`` actors veto players."""
    n_a = draw(st.integers(2, 4))
    n_i = draw(st.integers(1, 3))
    pos = st.integers(0, 100)
    actors = [{"id": f"a{k}", "capability": draw(st.sampled_from([0.2, 0.5, 1.0]))} for k in range(n_a)]
    issues = [{"id": f"i{k}", "status_quo": draw(pos)} for k in range(n_i)]
    positions = []
    for a in actors:
        for i in issues:
            sal = draw(st.sampled_from([0.2, 0.5, 0.8]))
            positions.append(
                {
                    "actor": a["id"],
                    "issue": i["id"],
                    "position": draw(pos),
                    "salience": sal,
                    "salience_range": [sal - 0.1, sal + 0.1],
                    "assumption": "random",
                }
            )
    vetoes = [a["id"] for a in actors[: min(veto_count, n_a)]]
    return {
        "id": "prop",
        "as_of": "2025-01-01",
        "actors": actors,
        "issues": issues,
        "positions": positions,
        "consent": {"veto": vetoes, "assumption": "random"},
        "outside_options": [],
    }


def _run(data: dict[str, Any], models=MODELS, draws: int = DRAWS):
    return run_forecast(build_scenario(data), models, draws, 7)


def _position(data: dict[str, Any], actor: str, issue: str) -> float:
    return next(p["position"] for p in data["positions"] if p["actor"] == actor and p["issue"] == issue)


def _far(p: float) -> float:
    return 100.0 if p < 50 else 0.0


@PROPERTY
@given(scenarios(veto_count=4), st.sampled_from([0.0, 0.01]))
def test_outside_options_worse_than_any_settlement_give_a_deal(data, cost):
    for a in data["actors"]:
        point = {i["id"]: _far(_position(data, a["id"], i["id"])) for i in data["issues"]}
        data["outside_options"].append(
            {"actor": a["id"], "point": point, "cost_per_month": cost, "assumption": "the worst package there is"}
        )
    fc = _run(data, ["compromise", "nash"])  # nash may find no deal against the status quo on its own
    assert fc.agreement["compromise"].p_deal == 1.0
    found = ~fc.models["nash"].no_deal
    np.testing.assert_array_equal(fc.agreement["nash"].deal, found)


@PROPERTY
@given(scenarios(veto_count=1))
def test_a_veto_players_ideal_as_outside_option_blocks_every_deal(data):
    veto = data["consent"]["veto"][0]
    ideal = {i["id"]: _position(data, veto, i["id"]) for i in data["issues"]}
    # the settlement differs from its ideal: someone else with weight wants something else on an issue
    assume(any(_position(data, a["id"], i) != v for a in data["actors"][1:] for i, v in ideal.items()))
    data["outside_options"].append({"actor": veto, "point": ideal, "assumption": "its ideal package"})
    fc = _run(data)
    for name in MODELS:
        assert fc.agreement[name].p_deal == 0.0, name


def _with_option(data: dict[str, Any], actor: str, point: dict[str, float], cost: float) -> dict[str, Any]:
    out = json.loads(json.dumps(data))
    out["outside_options"] = [{"actor": actor, "point": point, "cost_per_month": cost, "assumption": "test"}]
    out["horizon"] = "2025-05-01"
    return out


@PROPERTY
@given(scenarios(veto_count=2), st.data())
def test_a_better_outside_option_for_a_veto_player_never_raises_p_deal(data, more):
    veto = data["consent"]["veto"][more.draw(st.integers(0, len(data["consent"]["veto"]) - 1))]
    point = {i["id"]: float(more.draw(st.integers(0, 100))) for i in data["issues"]}
    # better for it: each point moved part of the way toward its ideal, and a lower cost
    step = more.draw(st.sampled_from([0.25, 0.5, 1.0]))
    better = {i: v + step * (_position(data, veto, i) - v) for i, v in point.items()}
    worse_fc = _run(_with_option(data, veto, point, 0.02))
    better_fc = _run(_with_option(data, veto, better, 0.005))
    for name in MODELS:
        before, after = worse_fc.agreement[name], better_fc.agreement[name]
        assert not (after.deal & ~before.deal).any(), name
        for (_, p0), (_, p1) in zip(before.by_date, after.by_date):
            assert p1 <= p0, name


def _two_vetoes(a0: tuple[float, float, float], a1: tuple[float, float, float]) -> dict[str, Any]:
    """Two veto players of capability 0.2 on i0, i1 (status quo 0, 0): (position i0, position i1, salience)."""
    positions = [
        {
            "actor": a,
            "issue": i,
            "position": p,
            "salience": sal,
            "salience_range": [sal - 0.1, sal + 0.1],
            "assumption": "random",
        }
        for a, (p0, p1, s0, s1) in (("a0", (a0[0], a0[1], a0[2], a0[2])), ("a1", (a1[0], a1[1], a1[2], 0.2)))
        for i, p, sal in (("i0", p0, s0), ("i1", p1, s1))
    ]
    return {
        "id": "prop",
        "as_of": "2025-01-01",
        "actors": [{"id": "a0", "capability": 0.2}, {"id": "a1", "capability": 0.2}],
        "issues": [{"id": "i0", "status_quo": 0}, {"id": "i1", "status_quo": 0}],
        "positions": positions,
        "consent": {"veto": ["a0", "a1"], "assumption": "random"},
        "outside_options": [],
    }


# The scenarios in which Hypothesis found nash_outside losing deals (draws=67 / 72, seed 0, 'i0'): a1's
# no-deal point is the status quo, 5 units from its ideal, so only packages near (0, 5) give it a gain
# (of order 1e-3), and the max-min search, with steps sized for gains of order 0.1, missed them in some
# draws. The failing draw itself is pinned at the solver in tests/models/test_nash_outside.py.
@PROPERTY
@given(scenarios(veto_count=2), st.lists(st.integers(0, 100), min_size=3, max_size=3), st.integers(0, 2))
@example(_two_vetoes((50, 60, 0.2), (0, 5, 0.2)), [67, 0, 0], 0)
@example(_two_vetoes((50, 59, 0.2), (1, 5, 0.8)), [72, 0, 0], 0)
def test_a_lever_lowering_a_veto_players_no_deal_utility_never_lowers_p_deal(data, points, pick):
    veto = data["consent"]["veto"][0]
    point = {i["id"]: float(v) for i, v in zip(data["issues"], points)}
    base = build_scenario(_with_option(data, veto, point, 0.01))
    issue = data["issues"][pick % len(data["issues"])]["id"]
    # the outside point moved halfway to the end of the scale beyond it, seen from what the veto player
    # wants, so never nearer its ideal (halfway to the far end of the scale could cross it: a better option)
    away = 100.0 if point[issue] >= _position(data, veto, issue) else 0.0
    lever = {f"{veto}.cost_per_month": 0.05, f"{veto}.{issue}.outside": point[issue] + 0.5 * (away - point[issue])}
    variant = apply_overrides(base, lever)
    a, b = run_forecast(base, MODELS, DRAWS, 3), run_forecast(variant, MODELS, DRAWS, 3)
    for name in MODELS:
        assert not (a.agreement[name].deal & ~b.agreement[name].deal).any(), name
        for (_, p0), (_, p1) in zip(a.agreement[name].by_date, b.agreement[name].by_date):
            assert p1 >= p0, name


@PROPERTY
@given(scenarios())
def test_without_a_consent_rule_nothing_changes(data):
    del data["consent"]
    s = build_scenario(data)
    with_layer = run_forecast(s, MODELS, DRAWS, 5)
    without = run_forecast(s, MODELS, DRAWS, 5, agreement=False)
    assert with_layer.consent is None
    assert json.dumps(with_layer.to_dict()["models"]) == json.dumps(without.to_dict()["models"])
    for name in MODELS:
        np.testing.assert_array_equal(with_layer.agreement[name].landing, without.models[name].samples)
        found = ~without.models[name].no_deal if without.models[name].no_deal is not None else np.ones(DRAWS, bool)
        assert with_layer.agreement[name].p_deal == found.mean()


# forecast --json of tests/data/ukraine-2025-frozen.yaml (-m compromise -m nash -m focal --draws 300 --seed 2)
# computed by main at commit ca4f326, before the agreement layer, without run_id; its SHA-256 over
# json.dumps(payload, sort_keys=True)
MAIN_PAYLOAD_SHA256 = "ca4507da81ba2605e3437aae2e2207ecc046d738976f620adc8509a04d5f719a"


def test_the_frozen_flagship_gives_mains_payload_bit_for_bit():
    s = load_scenario(FROZEN)
    fc = run_forecast(s, ["compromise", "nash", "focal"], 300, 2)
    payload = fc.to_dict()
    payload.update(outcomes_payload(fc, s))
    assert payload.pop("consent") is None
    assert payload.pop("agreement") == {
        m: {"p_deal": 1.0, "se": 0.0, "by_date": []} for m in ("compromise", "nash", "focal")
    }
    given_deal = payload.pop("outcomes_given_deal")
    assert given_deal == payload["outcomes"]  # without a consent rule the two views are the same
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    assert digest == MAIN_PAYLOAD_SHA256
