"""Checks on a run's results: finite numbers before a run is stored, and a readable shape when it is read."""

from __future__ import annotations

import math
from typing import Any

from ..scenario.errors import InputError

__all__ = ["first_non_finite", "require_finite", "require_readable"]


def first_non_finite(value: Any, path: str = "") -> str | None:
    """The path (``models.compromise.outcome.nato``) of the first NaN or infinite number, or None."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:  # iterative: results may nest deeper than the models' own output ever does
        where, item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return where or "results"
        if isinstance(item, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{k}]", v) for k, v in reversed(list(enumerate(item))))
    return None


def require_finite(payload: dict[str, Any], scenario_id: str) -> None:
    """An InputError (nothing is stored) when a result is not a finite number."""
    where = first_non_finite(payload)
    if where is not None:
        raise InputError(
            "the models gave a result that is not a finite number, so the run was not recorded",
            field=where,
            value=scenario_id,
            allowed="scenario numbers within the ranges 'backchannel scenario schema' lists",
        )


def require_readable(run: dict[str, Any]) -> dict[str, Any]:
    """The run, or an InputError when its stored results cannot be shown (an older version stored them)."""
    results = run.get("results")
    problem = None
    if not isinstance(results, dict) or not isinstance(results.get("models"), dict):
        problem = "its results lack the models' output"
    elif (where := first_non_finite(results)) is not None:
        problem = f"its results hold a number that is not finite at {where}"
    if problem:
        raise InputError(
            f"run {run.get('id')} cannot be shown: {problem}",
            field="run",
            value=run.get("id"),
            allowed="a run recorded with finite results; forecast the scenario again",
        )
    return run
