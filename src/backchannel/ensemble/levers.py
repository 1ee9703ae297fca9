"""What-ifs: overrides of positions, saliences and capabilities applied to a scenario.

Rules (also in docs/models.md):

* Keys are ``actor.issue.field`` (field: position, salience, capability) or ``actor.capability``.
* Overriding a value moves its range with it: the range is shifted by the change and clipped
  to the field's bounds (0..100 for positions, 0..1 for salience, >= 0 for capability), so the
  uncertainty keeps its width where it can.
* ``actor.capability`` sets the actor's capability; per-issue capabilities given on positions
  keep their own value (override them with ``actor.issue.capability``). Capability ranges that
  follow the actor's capability shift with it.
* An actor with no position on an issue gets one only when the same overrides give both
  ``actor.issue.position`` and ``actor.issue.salience``; otherwise it is an InputError.
* ``actor.issue.outside`` sets the actor's outside-option point on the issue (its range moves
  with it) and ``actor.cost_per_month`` its cost of going on without a deal; an actor without
  an outside option gets one (citing the override as its assumption).
* A lever applied at an intensity f in 0..1 moves each value it sets from the scenario's value by the
  fraction f of the way: value = baseline + f × (lever's value − baseline), linear interpolation
  (f = 1 is the lever in full, f = 0 changes nothing). A position the lever adds has a baseline
  salience of 0 (no influence), its lever position, and its actor's capability; an outside option the
  lever adds starts at the lever's point and a cost of 0.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from ..scenario.errors import InputError
from ..scenario.schema import LEVER_FIELDS, OUTSIDE_FIELDS, OutsideOption, Position, Scenario, check_override

__all__ = ["apply_lever", "apply_overrides", "check_intensity", "lever_values"]


def _shift(
    interval: tuple[float, float] | None, old: float, new: float, bounds: tuple[float, float]
) -> tuple[float, float] | None:
    """A range moved by new - old, clipped to the field's bounds (and always holding the new value)."""
    if interval is None:
        return None
    lo, hi = bounds
    delta = new - old
    low, high = min(max(interval[0] + delta, lo), hi), min(max(interval[1] + delta, lo), hi)
    return (min(low, new), max(high, new))


def _check(key: str, value: Any, scenario: Scenario) -> float:
    """The value of a valid override as a float, or an InputError naming key, value and what is allowed."""
    actors = [a.id for a in scenario.actors]
    issues = [i.id for i in scenario.issues]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(
            "an override must be a number", field=key, value=value, allowed=_allowed_range(key.rsplit(".", 1)[-1])
        )
    try:
        check_override(key, float(value), actors, issues, where="set")
    except ValueError as exc:
        text = str(exc).removeprefix("set: ")
        message, _, allowed = text.partition("; allowed: ")
        if not allowed:
            message, _, allowed = text.partition("; known: ")
        raise InputError(message, field=key, value=value, allowed=allowed or None) from None
    return float(value)


def _allowed_range(fld: str) -> str:
    fields = {**LEVER_FIELDS, **OUTSIDE_FIELDS}
    if fld not in fields:
        return "numbers"
    lo, hi = fields[fld]
    return f"a number in {lo:g}..{hi:g}" if math.isfinite(hi) else f"a number >= {lo:g}"


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A new scenario with ``{"actor.issue.field" | "actor.capability": value}`` applied."""
    values = {key: _check(key, value, scenario) for key, value in overrides.items()}
    agreement = {k: v for k, v in values.items() if k.rsplit(".", 1)[-1] in OUTSIDE_FIELDS}
    if agreement:
        scenario = _with_outside(scenario, agreement)
        values = {k: v for k, v in values.items() if k not in agreement}
    actor_caps = {k.split(".")[0]: v for k, v in values.items() if k.count(".") == 1}
    per_position: dict[tuple[str, str], dict[str, float]] = {}
    for key, value in values.items():
        if key.count(".") == 2:
            actor, issue, fld = key.split(".")
            per_position.setdefault((actor, issue), {})[fld] = value

    actors = tuple(
        a.model_copy(update={"capability": actor_caps[a.id]}) if a.id in actor_caps else a for a in scenario.actors
    )
    positions = []
    for p in scenario.positions:
        changes = per_position.pop((p.actor, p.issue), {})
        positions.append(_updated(p, changes, scenario.actor(p.actor).capability, actor_caps.get(p.actor)))
    for (actor, issue), changes in per_position.items():
        if "position" not in changes or "salience" not in changes:
            given = next(iter(changes))
            raise InputError(
                f"actor {actor!r} has no position on issue {issue!r}",
                field=f"{actor}.{issue}.{given}",
                value=changes[given],
                allowed=f"an existing position, or both {actor}.{issue}.position and "
                f"{actor}.{issue}.salience to add one",
            )
        positions.append(
            Position(
                actor=actor,
                issue=issue,
                position=changes["position"],
                salience=changes["salience"],
                capability=changes.get("capability"),
                range=None,
                assumption="added by a what-if override",
            )
        )
    return scenario.model_copy(update={"actors": actors, "positions": tuple(positions)})


def _updated(p: Position, changes: dict[str, float], old_actor_cap: float, new_actor_cap: float | None) -> Position:
    """A position with its overrides applied and its ranges moved along."""
    update: dict[str, Any] = {}
    if "position" in changes:
        update["position"] = changes["position"]
        update["range"] = _shift(p.range, p.position, changes["position"], LEVER_FIELDS["position"])
    if "salience" in changes:
        update["salience"] = changes["salience"]
        update["salience_range"] = _shift(p.salience_range, p.salience, changes["salience"], LEVER_FIELDS["salience"])
    old_cap = p.capability if p.capability is not None else old_actor_cap
    if "capability" in changes:
        update["capability"] = changes["capability"]
        new_cap = changes["capability"]
    elif p.capability is None and new_actor_cap is not None:
        new_cap = new_actor_cap
    else:
        new_cap = old_cap
    if new_cap != old_cap:
        update["capability_range"] = _shift(p.capability_range, old_cap, new_cap, LEVER_FIELDS["capability"])
    if not update:
        return p
    return Position.model_validate({**p.model_dump(), **update})


def _with_outside(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """The scenario with outside-option points (``actor.issue.outside``) and costs (``actor.cost_per_month``) set."""
    options = {o.actor: o for o in scenario.outside_options}
    for key, value in values.items():
        parts = key.split(".")
        actor = parts[0]
        old = options.get(actor) or OutsideOption.model_validate(
            {"actor": actor, "assumption": "added by a what-if override"}
        )
        if parts[-1] == "cost_per_month":
            options[actor] = old.model_copy(update={"cost_per_month": value})
            continue
        issue = parts[1]
        ranges = dict(old.range)
        moved = _shift(ranges[issue], old.point[issue], value, OUTSIDE_FIELDS["outside"]) if issue in ranges else None
        if moved is not None:
            ranges[issue] = moved
        options[actor] = OutsideOption.model_validate(
            {**old.model_dump(), "point": {**old.point, issue: value}, "range": ranges}
        )
    order = [o.actor for o in scenario.outside_options] + [
        a for a in options if a not in {o.actor for o in scenario.outside_options}
    ]
    return scenario.model_copy(update={"outside_options": tuple(options[a] for a in order)})


def check_intensity(lever_id: str, value: Any) -> float:
    """A lever intensity as a float in 0..1, or an InputError naming the lever, the value and what is allowed."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        f = math.nan
    if isinstance(value, bool) or not 0.0 <= f <= 1.0:
        raise InputError(
            "a lever's intensity must be a fraction of its full effect",
            field=f"lever {lever_id}",
            value=value,
            allowed="a number in 0..1 (1 or a bare lever id: in full)",
        )
    return f


def _baseline(scenario: Scenario, key: str, target: float) -> float:
    """The scenario's current value of what an override key sets (see the module notes for added positions)."""
    parts = key.split(".")
    actor = scenario.actor(parts[0])
    if len(parts) == 2:
        return float(actor.capability)
    if parts[-1] == "cost_per_month" or parts[-1] == "outside":
        option = next((x for x in scenario.outside_options if x.actor == parts[0]), None)
        if parts[-1] == "cost_per_month":
            return float(option.cost_per_month) if option is not None else 0.0
        return float(option.point.get(parts[1], target)) if option is not None else target
    p = scenario.position(parts[0], parts[1])
    if p is None:
        return {"position": target, "salience": 0.0}.get(parts[2], float(actor.capability))
    if parts[2] == "capability":
        return float(p.capability if p.capability is not None else actor.capability)
    return float(getattr(p, parts[2]))


def lever_values(scenario: Scenario, lever_id: str, intensity: float = 1.0) -> dict[str, float]:
    """The overrides of a lever at ``intensity``: each value moved from its baseline by that fraction."""
    f = check_intensity(lever_id, intensity)
    values = scenario.lever(lever_id).set
    if f == 1.0:
        return dict(values)
    return {k: _baseline(scenario, k, v) + f * (v - _baseline(scenario, k, v)) for k, v in values.items()}


def apply_lever(scenario: Scenario, lever_id: str, intensity: float = 1.0) -> Scenario:
    """A new scenario with the named lever's overrides applied at ``intensity`` (0..1; 1 = in full)."""
    return apply_overrides(scenario, lever_values(scenario, lever_id, intensity))
