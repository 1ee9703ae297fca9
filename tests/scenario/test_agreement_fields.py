"""The agreement fields of a scenario: consent rule, outside options, deadlines, horizon, no-deal outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from backchannel.app.files import load_scenario
from backchannel.ensemble import apply_overrides
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import parse, render

SMALL = Path(__file__).resolve().parents[1] / "data" / "agreement-small.yaml"


def test_native_yaml_and_json_keep_every_agreement_field():
    s = load_scenario(SMALL)
    assert s.consent is not None and s.consent.veto == ("a", "b")
    assert s.outside_options[0].cost_per_month == 0.02 and s.deadlines[0].fires == "squeeze"
    assert [o.branch for o in s.outcomes] == ["deal", "no_deal", "no_deal"]
    for fmt in ("yaml", "json"):
        assert parse(render(s, fmt), f"x.{fmt}", fmt) == s


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("cost_per_month: 0.02", "cost_per_month: 1.5", ["outside_options[0].cost_per_month", "1.5", "<= 1"]),
        ("point: {x: 80}", "point: {x: 180}", ["outside_options[0].point.x", "180", "<= 100"]),
        ("veto: [a, b]", "veto: [a, zz]", ["consent.veto[1]", "zz", "a, b, c"]),
        ("consent: {veto: [a, b], assumption: both must sign}", "consent: {veto: [a, b]}", ["consent", "assumption"]),
        (
            "consent: {veto: [a, b],",
            "consent: {qualified_majority: {threshold: 0.7}, veto: [a],",
            ["consent", "exactly one"],
        ),
        (
            "consent: {veto: [a, b],",
            "consent: {qualified_majority: {threshold: 1.2},",
            ["consent.qualified_majority.threshold", "1.2", "<= 1"],
        ),
        ("fires: squeeze", "fires: nope", ["deadlines[0].fires", "nope", "squeeze"]),
        ("range: {x: [70, 95]}", "range: {x: [85, 95]}", ["outside_options[0].range.x", "does not contain"]),
        ("horizon: 2025-07-01", "horizon: 2024-07-01", ["horizon", "2024-07-01"]),
        ("- {id: low, when: {x: [0, 50]}}", "- {id: low}", ["outcomes[0]", "when"]),
        ("b.cost_per_month: 0.05", "b.cost_per_month: 2", ["levers", "b.cost_per_month", "0..1"]),
    ],
)
def test_bad_agreement_values_get_one_line(tmp_path, old, new, words):
    text = SMALL.read_text()
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new))
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    message = str(exc.value)
    assert "\n" not in message and str(path) in message
    assert all(w in message for w in words), message


def test_overrides_set_outside_points_and_costs_and_move_the_range():
    s = load_scenario(SMALL)
    v = apply_overrides(s, {"b.x.outside": 60, "b.cost_per_month": 0.05, "a.x.outside": 30})
    b, a = v.outside_options
    assert (b.point["x"], b.range["x"], b.cost_per_month) == (60, (50, 75), 0.05)
    assert a.actor == "a" and a.point == {"x": 30} and a.assumption
    with pytest.raises(InputError):
        apply_overrides(s, {"b.x.outside": 101})
    with pytest.raises(InputError):
        apply_overrides(s, {"b.y.cost_per_month": 0.1})
