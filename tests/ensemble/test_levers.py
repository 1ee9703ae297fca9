"""What-if levers and overrides: values, moved ranges, and one-line input errors."""

from __future__ import annotations

import pytest

from backchannel.ensemble.levers import apply_lever, apply_overrides
from backchannel.scenario.errors import InputError


def test_override_sets_value_and_shifts_range_with_clipping(scenario):
    p = scenario.position("a0", "i1")  # position with a range [pos - 10, pos + 5]
    lo, hi = p.range
    new = apply_overrides(scenario, {"a0.i1.position": 98.0})
    q = new.position("a0", "i1")
    assert q.position == 98.0
    # shifted by 98 - pos, then clipped to 0..100: the high end would pass 100
    assert q.range == (pytest.approx(lo + 98.0 - p.position), 100.0)
    assert scenario.position("a0", "i1").position == p.position  # the original is untouched


def test_salience_override_moves_salience_range(scenario):
    p = scenario.position("a0", "i1")
    assert p.salience_range is not None
    new = apply_overrides(scenario, {"a0.i1.salience": 0.0}).position("a0", "i1")
    assert new.salience == 0.0
    assert new.salience_range[0] == 0.0
    assert new.salience_range[1] == pytest.approx(max(0.0, p.salience_range[1] - p.salience))


def test_actor_capability_and_lever(scenario):
    new = apply_lever(scenario, "push")
    assert new.actor("a1").capability == 2.0
    assert new.position("a0", "i0").position == 95.0
    assert scenario.actor("a1").capability != 2.0


def test_new_position_needs_position_and_salience(scenario):
    small = scenario.model_copy(
        update={"positions": tuple(p for p in scenario.positions if (p.actor, p.issue) != ("a2", "i2"))}
    )
    with pytest.raises(InputError) as err:
        apply_overrides(small, {"a2.i2.position": 40})
    text = str(err.value)
    assert "a2.i2.position" in text and "40" in text and "a2.i2.salience" in text
    added = apply_overrides(small, {"a2.i2.position": 40, "a2.i2.salience": 0.5}).position("a2", "i2")
    assert (added.position, added.salience, added.range) == (40, 0.5, None)


@pytest.mark.parametrize(
    "key, value, allowed",
    [
        ("zz.i0.position", 10, "a0"),  # unknown actor: the known ones are listed
        ("a0.zz.position", 10, "i0"),  # unknown issue
        ("a0.i0.mood", 10, "position, salience, capability"),
        ("a0.i0.position", 101, "0..100"),
        ("a0.i0.salience", -0.1, "0..1"),
        ("a0.i0.salience", "high", "0..1"),
        ("a0.i0", 3, "actor.issue.field"),
    ],
)
def test_bad_overrides_name_key_value_and_allowed(scenario, key, value, allowed):
    with pytest.raises(InputError) as err:
        apply_overrides(scenario, {key: value})
    text = str(err.value)
    assert key in text and repr(value) in text and allowed in text


def test_unknown_lever(scenario):
    with pytest.raises(InputError, match="push"):
        apply_lever(scenario, "nope")


# -- lever intensity ------------------------------------------------------------------------------
from backchannel.ensemble.levers import lever_values  # noqa: E402


def test_half_a_lever_moves_each_value_half_way_from_the_baseline(scenario):
    lever = scenario.lever("push")
    half = lever_values(scenario, "push", 0.5)
    for key, target in lever.set.items():
        parts = key.split(".")
        base = (
            scenario.actor(parts[0]).capability
            if len(parts) == 2
            else getattr(scenario.position(parts[0], parts[1]), parts[2])
        )
        assert half[key] == pytest.approx(base + 0.5 * (target - base))
    # a0.i0.position 95 in full; at 0.5 it lies half way from the scenario's value
    p = scenario.position("a0", "i0").position
    assert apply_lever(scenario, "push", 0.5).position("a0", "i0").position == pytest.approx((p + 95.0) / 2)


def test_intensity_one_is_the_lever_and_zero_changes_nothing(scenario):
    assert apply_lever(scenario, "push", 1.0) == apply_lever(scenario, "push")
    assert apply_lever(scenario, "push", 0.0) == scenario


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", float("nan")])
def test_intensity_outside_zero_one_is_a_one_line_error(scenario, bad):
    with pytest.raises(InputError) as err:
        apply_lever(scenario, "push", bad)
    text = str(err.value)
    assert "push" in text and "0..1" in text and "\n" not in text


def test_a_half_lever_in_a_whatif_changes_the_compromise_forecast_by_half(scenario):
    # the compromise forecast is linear in a position: half the move of a0.i0.position, half the change
    from backchannel.analysis.whatif import whatif

    full = whatif(scenario, ["compromise"], levers=["push"], draws=0)
    half = whatif(scenario, ["compromise"], levers=["push"], draws=0, intensity={"push": 0.5})
    solo = scenario.model_copy(
        update={
            "levers": tuple(
                lv.model_copy(update={"set": {"a0.i0.position": 95.0}}) for lv in scenario.levers if lv.id == "push"
            )
        }
    )
    f1 = whatif(solo, ["compromise"], levers=["push"], draws=0).issues["compromise"]["i0"].change
    f2 = (
        whatif(solo, ["compromise"], levers=["push"], draws=0, intensity={"push": 0.5})
        .issues["compromise"]["i0"]
        .change
    )
    assert f2 == pytest.approx(f1 / 2)
    assert half.to_dict()["lever_intensity"] == {"push": 0.5} and full.to_dict()["lever_intensity"] == {"push": 1.0}
