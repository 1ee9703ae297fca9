"""Which inputs move a forecast most (tornado tables), and whom to work on to move it your way.

For the compromise model F = Σ w x / Σ w with w = capability × salience everything is closed
form: F is linear in each position and a ratio in each weight, so a finite change of one
input gives the new forecast exactly, and the shift needed for a wanted move solves a linear
equation. For every other model the same questions are answered by re-solving the model on
perturbed inputs (with the same seed each time, so stochastic models compare like with like).

Steps of the tornado: a position moves ± ``position`` points (clipped to 0..100), a salience
± ``salience`` (clipped to 0..1), a capability by ± ``capability`` × its value. A capability is
an actor's, so it is changed on every issue at once; positions and saliences per issue.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..models.base import Model
from ..scenario.arrays import ScenarioArrays
from ..scenario.errors import InputError

__all__ = ["DEFAULT_STEPS", "Bar", "Shift", "compromise_gradient", "tornado", "who_to_work_on"]

DEFAULT_STEPS = {"position": 10.0, "salience": 0.1, "capability": 0.2}
FIELDS = ("position", "salience", "capability")


@dataclass(frozen=True)
class Bar:
    """One bar of a tornado: the forecast on an issue with one input set low and high."""

    issue: str
    actor: str
    field: str
    value: float
    low: float
    high: float
    forecast_low: float
    forecast_high: float

    @property
    def swing(self) -> float:
        """How far the forecast moves between the low and high setting."""
        return abs(self.forecast_high - self.forecast_low)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready bar."""
        return {**asdict(self), "swing": self.swing}


@dataclass(frozen=True)
class Shift:
    """The change of one actor's input that moves the forecast by the wanted amount."""

    issue: str
    actor: str
    field: str
    value: float
    new_value: float
    forecast: float
    feasible: bool

    @property
    def cost(self) -> float:
        """Size of the change on a common footing: points / 100 for positions, units for saliences."""
        size = abs(self.new_value - self.value)
        return size / 100.0 if self.field == "position" else size

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready shift."""
        return {**asdict(self), "cost": self.cost}


def compromise_gradient(arrays: ScenarioArrays) -> dict[str, np.ndarray]:
    """∂F/∂position, ∂F/∂salience, ∂F/∂capability of the weighted mean, each (actors, issues)."""
    w = arrays.weight
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = (w * arrays.position).sum(axis=0) / total
        spread = np.where(arrays.mask, (arrays.position - f) / total, 0.0)
        return {
            "position": np.where(arrays.mask, w / total, 0.0),
            "salience": arrays.capability * spread,
            "capability": arrays.salience * spread,
        }


def _bounds(field: str, value: float, step: float) -> tuple[float, float]:
    if field == "position":
        return max(0.0, value - step), min(100.0, value + step)
    if field == "salience":
        return max(0.0, value - step), min(1.0, value + step)
    return value * (1.0 - step), value * (1.0 + step)


def _set(arrays: ScenarioArrays, field: str, a: int, i: int, value: float) -> ScenarioArrays:
    arr = np.array(getattr(arrays, field), dtype=float)
    if field == "capability":
        # An actor's capability changes on every issue by the same factor (per-issue
        # capabilities may differ, so the row is scaled rather than overwritten).
        base = arr[a, i]
        if base > 0:
            arr[a, :] *= value / base
        else:
            arr[a, :] = np.where(arr[a, :] > 0, arr[a, :], value)
    else:
        arr[a, i] = value
    return arrays.replace(**{field: arr})


def _compromise_at(arrays: ScenarioArrays, field: str, a: int, i: int, value: float) -> float:
    """The weighted mean on issue i with one input replaced (exact, no re-solve)."""
    x, s, c = arrays.position[:, i], arrays.salience[:, i], arrays.capability[:, i]
    w = np.where(arrays.mask[:, i], c * s, 0.0)
    num, den = (w * x).sum(), w.sum()
    xa, wa = x[a], w[a]
    if field == "position":
        num += wa * (value - xa)
    else:
        new_w = value * (c[a] if field == "salience" else s[a])
        num += (new_w - wa) * xa
        den += new_w - wa
    return float(num / den) if den > 0 else float("nan")


def _solver(model: Model, seed: int):
    def run(arrays: ScenarioArrays, i: int) -> float:
        return float(model.solve(arrays, np.random.default_rng(seed)).outcome[i])
    return run


def tornado(arrays: ScenarioArrays, model: Model, steps: dict[str, float] | None = None, seed: int = 0,
            method: str = "auto") -> dict[str, list[Bar]]:
    """Per issue, every input's bar sorted by swing; ``method`` auto | closed | perturb."""
    steps = {**DEFAULT_STEPS, **(steps or {})}
    if method not in ("auto", "closed", "perturb"):
        raise InputError("unknown sensitivity method", field="method", value=method, allowed="auto, closed, perturb")
    closed = method == "closed" or (method == "auto" and model.name == "compromise")
    if closed and model.name != "compromise":
        raise InputError("closed form exists only for the compromise model", field="method", value=method,
                         allowed="perturb, auto")
    run = _solver(model, seed)
    table: dict[str, list[Bar]] = {}
    for i, issue in enumerate(arrays.issues):
        bars = []
        for a in np.flatnonzero(arrays.mask[:, i]):
            for field in FIELDS:
                value = float(getattr(arrays, field)[a, i])
                lo, hi = _bounds(field, value, steps[field])
                if closed:
                    f_lo, f_hi = (_compromise_at(arrays, field, a, i, v) for v in (lo, hi))
                else:
                    f_lo, f_hi = (run(_set(arrays, field, a, i, v), i) for v in (lo, hi))
                bars.append(Bar(issue, arrays.actors[a], field, value, lo, hi, f_lo, f_hi))
        table[issue] = sorted(bars, key=lambda b: (-np.nan_to_num(b.swing, nan=-1.0), b.actor, b.field))
    return table


def _closed_shift(arrays: ScenarioArrays, field: str, a: int, i: int, target: float) -> float | None:
    """The value of one input that puts the weighted mean exactly at ``target`` (None if impossible)."""
    x, s, c = arrays.position[:, i], arrays.salience[:, i], arrays.capability[:, i]
    w = np.where(arrays.mask[:, i], c * s, 0.0)
    num, den = (w * x).sum(), w.sum()
    if field == "position":
        return None if w[a] <= 0 else float(x[a] + (target * den - num) / w[a])
    # salience: (num + c Δs x) / (den + c Δs) = target  ->  c Δs (x − target) = target den − num
    if c[a] <= 0 or np.isclose(x[a], target):
        return None
    return float(s[a] + (target * den - num) / (c[a] * (x[a] - target)))


def _search_shift(run, arrays: ScenarioArrays, field: str, a: int, i: int, base: float, target: float,
                  iterations: int = 30) -> float | None:
    """Smallest change of one input reaching ``target``, by bisection toward each end of its range."""
    value = float(getattr(arrays, field)[a, i])
    top = 100.0 if field == "position" else 1.0
    want = np.sign(target - base)
    best = None
    for end in (0.0, top):
        reach = run(_set(arrays, field, a, i, end), i)
        if not np.isfinite(reach) or want * (reach - target) < 0:
            continue  # even the extreme does not get there in this direction
        lo, hi = value, end  # the forecast at lo falls short, at hi reaches the target
        for _ in range(iterations):
            mid = (lo + hi) / 2.0
            if want * (run(_set(arrays, field, a, i, mid), i) - target) >= 0:
                hi = mid
            else:
                lo = mid
        if best is None or abs(hi - value) < abs(best - value):
            best = hi
    return best


def who_to_work_on(arrays: ScenarioArrays, model: Model, actor: str, issue: str, move: float, seed: int = 0,
                   method: str = "auto") -> list[Shift]:
    """For each other actor, the cheapest position or salience change moving the forecast
    ``move`` points toward ``actor``'s position on ``issue``; cheapest first."""
    if actor not in arrays.actors:
        raise InputError("unknown actor", field="actor", value=actor, allowed=", ".join(arrays.actors))
    if issue not in arrays.issues:
        raise InputError("unknown issue", field="issue", value=issue, allowed=", ".join(arrays.issues))
    if not move > 0:
        raise InputError("the move must be positive", field="move", value=move, allowed="points > 0")
    t, i = arrays.actors.index(actor), arrays.issues.index(issue)
    if not arrays.mask[t, i]:
        raise InputError("the actor has no position on this issue", field="actor", value=f"{actor}.{issue}")
    run = _solver(model, seed)
    base = run(arrays, i)
    goal = float(arrays.position[t, i])
    # Never aim past the chosen actor's own position.
    target = base + np.sign(goal - base) * min(move, abs(goal - base))
    closed = method == "closed" or (method == "auto" and model.name == "compromise")
    shifts: list[Shift] = []
    for a in np.flatnonzero(arrays.mask[:, i]):
        if a == t or np.isclose(target, base):
            continue
        for field in ("position", "salience"):
            value = float(getattr(arrays, field)[a, i])
            top = 100.0 if field == "position" else 1.0
            if closed:
                new = _closed_shift(arrays, field, a, i, target)
                feasible = new is not None and 0.0 <= new <= top
            else:
                new = _search_shift(run, arrays, field, a, i, base, target)
                feasible = new is not None
            if new is None:
                continue
            new = float(np.clip(new, 0.0, top)) if not feasible else new
            forecast = _compromise_at(arrays, field, a, i, new) if closed else run(_set(arrays, field, a, i, new), i)
            shifts.append(Shift(issue, arrays.actors[a], field, value, new, forecast, feasible))
    return sorted(shifts, key=lambda s: (not s.feasible, s.cost, s.actor, s.field))
