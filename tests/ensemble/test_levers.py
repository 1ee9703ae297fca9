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
    small = scenario.model_copy(update={"positions": tuple(p for p in scenario.positions
                                                           if (p.actor, p.issue) != ("a2", "i2"))})
    with pytest.raises(InputError) as err:
        apply_overrides(small, {"a2.i2.position": 40})
    text = str(err.value)
    assert "a2.i2.position" in text and "40" in text and "a2.i2.salience" in text
    added = apply_overrides(small, {"a2.i2.position": 40, "a2.i2.salience": 0.5}).position("a2", "i2")
    assert (added.position, added.salience, added.range) == (40, 0.5, None)


@pytest.mark.parametrize("key, value, allowed", [
    ("zz.i0.position", 10, "a0"),              # unknown actor: the known ones are listed
    ("a0.zz.position", 10, "i0"),              # unknown issue
    ("a0.i0.mood", 10, "position, salience, capability"),
    ("a0.i0.position", 101, "0..100"),
    ("a0.i0.salience", -0.1, "0..1"),
    ("a0.i0.salience", "high", "0..1"),
    ("a0.i0", 3, "actor.issue.field"),
])
def test_bad_overrides_name_key_value_and_allowed(scenario, key, value, allowed):
    with pytest.raises(InputError) as err:
        apply_overrides(scenario, {key: value})
    text = str(err.value)
    assert key in text and repr(value) in text and allowed in text


def test_unknown_lever(scenario):
    with pytest.raises(InputError, match="push"):
        apply_lever(scenario, "nope")
