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

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..ensemble.executors import run_tasks
from ..models.base import Model, get_model
from ..scenario.arrays import ArrayBatch, ScenarioArrays, to_arrays
from ..scenario.errors import InputError
from ..scenario.schema import Scenario

__all__ = [
    "DEFAULT_STEPS",
    "Bar",
    "Sensitivity",
    "Shift",
    "compromise_gradient",
    "sensitivity_of",
    "solve_many",
    "tornado",
    "who_to_work_on",
]

DEFAULT_STEPS = {"position": 10.0, "salience": 0.1, "capability": 0.2}
FIELDS = ("position", "salience", "capability")
#: perturbed variants per executor task of a tornado (fixed, so every executor splits a run alike)
VARIANTS_PER_TASK = 64


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


def solve_many(model: Model, variants: list[ScenarioArrays], seed: int = 0) -> np.ndarray:
    """(len(variants), issues) forecasts of input variants that share one mask.

    A model with its own vectorised ``solve_batch`` gets them as one batch; otherwise each
    variant is solved with a fresh generator from the same seed (common random numbers).
    """
    if not variants:
        return np.zeros((0, 0))
    if type(model).solve_batch is not Model.solve_batch:
        first = variants[0]
        batch = ArrayBatch(
            first.actors,
            first.issues,
            np.stack([v.position for v in variants]),
            np.stack([v.salience for v in variants]),
            np.stack([v.capability for v in variants]),
            first.mask,
            first.status_quo,
        )
        return np.asarray(model.solve_batch(batch, np.random.default_rng(seed)).outcome, dtype=float)
    return np.stack([model.solve(v, np.random.default_rng(seed)).outcome for v in variants])


def solve_variants_task(_shared: None, task: tuple[Model, list[ScenarioArrays], int]) -> np.ndarray:
    """``solve_many`` as an executor task: (model, variants, seed)."""
    model, variants, seed = task
    return solve_many(model, variants, seed)


def tornado(
    arrays: ScenarioArrays,
    model: Model,
    steps: dict[str, float] | None = None,
    seed: int = 0,
    method: str = "auto",
    executor: str | None = None,
    address: str | None = None,
) -> dict[str, list[Bar]]:
    """Per issue, every input's bar sorted by swing; ``method`` auto | closed | perturb.

    With an ``executor`` (serial, processes, ray) the perturbed variants are solved as tasks of
    ``VARIANTS_PER_TASK`` variants in order, each with a generator from ``seed``: the same result on
    every executor (without one, all variants are one batch, as before)."""
    steps = {**DEFAULT_STEPS, **(steps or {})}
    if method not in ("auto", "closed", "perturb"):
        raise InputError("unknown sensitivity method", field="method", value=method, allowed="auto, closed, perturb")
    closed = method == "closed" or (method == "auto" and model.name == "compromise")
    if closed and model.name != "compromise":
        raise InputError(
            "closed form exists only for the compromise model", field="method", value=method, allowed="perturb, auto"
        )
    cells = []  # (issue index, actor index, field, value, low, high)
    for i in range(arrays.n_issues):
        for a in map(int, np.flatnonzero(arrays.mask[:, i])):
            for field in FIELDS:
                value = float(getattr(arrays, field)[a, i])
                cells.append((i, int(a), field, value, *_bounds(field, value, steps[field])))
    if closed:
        forecasts = [
            (_compromise_at(arrays, f, a, i, lo), _compromise_at(arrays, f, a, i, hi)) for i, a, f, _, lo, hi in cells
        ]
    else:
        variants = [_set(arrays, f, a, i, v) for i, a, f, _, lo, hi in cells for v in (lo, hi)]
        if executor is None:
            out = solve_many(model, variants, seed)
        else:
            tasks = [
                (model, variants[k : k + VARIANTS_PER_TASK], seed) for k in range(0, len(variants), VARIANTS_PER_TASK)
            ]
            out = np.concatenate(run_tasks(solve_variants_task, tasks, executor, address=address))
        forecasts = [(float(out[2 * k, c[0]]), float(out[2 * k + 1, c[0]])) for k, c in enumerate(cells)]
    table: dict[str, list[Bar]] = {issue: [] for issue in arrays.issues}
    for (i, a, f, value, lo, hi), (f_lo, f_hi) in zip(cells, forecasts):
        table[arrays.issues[i]].append(Bar(arrays.issues[i], arrays.actors[a], f, value, lo, hi, f_lo, f_hi))
    return {
        issue: sorted(bars, key=lambda b: (-np.nan_to_num(b.swing, nan=-1.0), b.actor, b.field))
        for issue, bars in table.items()
    }


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


def _search_shifts(
    model: Model,
    arrays: ScenarioArrays,
    pairs: list[tuple[int, str]],
    i: int,
    base: float,
    target: float,
    seed: int,
    iterations: int = 30,
) -> list[float | None]:
    """For each (actor, field), the smallest change reaching ``target``: bisection toward each end
    of the input's range, all pairs and both directions solved as one batch per step."""
    want = np.sign(target - base)
    legs = [
        (k, a, f, float(getattr(arrays, f)[a, i]), end)
        for k, (a, f) in enumerate(pairs)
        for end in (0.0, 100.0 if f == "position" else 1.0)
    ]
    reach = solve_many(model, [_set(arrays, f, a, i, end) for _, a, f, _, end in legs], seed)[:, i]
    legs = [leg for leg, r in zip(legs, reach) if np.isfinite(r) and want * (r - target) >= 0]
    lo = np.array([leg[3] for leg in legs])  # falls short of the target
    hi = np.array([leg[4] for leg in legs])  # reaches it
    for _ in range(iterations if legs else 0):
        mid = (lo + hi) / 2.0
        got = solve_many(model, [_set(arrays, f, a, i, m) for (_, a, f, _, _), m in zip(legs, mid)], seed)[:, i]
        ok = want * (got - target) >= 0
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    best: list[float | None] = [None] * len(pairs)
    for (k, _, _, value, _), h in zip(legs, hi):
        current = best[k]
        if current is None or abs(h - value) < abs(current - value):
            best[k] = float(h)
    return best


def who_to_work_on(
    arrays: ScenarioArrays, model: Model, actor: str, issue: str, move: float, seed: int = 0, method: str = "auto"
) -> list[Shift]:
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
    base = float(solve_many(model, [arrays], seed)[0, i])
    goal = float(arrays.position[t, i])
    # Never aim past the chosen actor's own position.
    target = base + np.sign(goal - base) * min(move, abs(goal - base))
    closed = method == "closed" or (method == "auto" and model.name == "compromise")
    pairs = [(int(a), f) for a in np.flatnonzero(arrays.mask[:, i]) if a != t for f in ("position", "salience")]
    if np.isclose(target, base) or not pairs:
        return []
    if closed:
        found = [_closed_shift(arrays, f, a, i, target) for a, f in pairs]
    else:
        found = _search_shifts(model, arrays, pairs, i, base, target, seed)
    shifts: list[Shift] = []
    for (a, field), new in zip(pairs, found):
        if new is None:
            continue
        top = 100.0 if field == "position" else 1.0
        feasible = 0.0 <= new <= top
        new = float(np.clip(new, 0.0, top))
        value = float(getattr(arrays, field)[a, i])
        shifts.append(Shift(arrays.issues[i], arrays.actors[a], field, value, new, float("nan"), feasible))
    if closed:
        forecasts = [_compromise_at(arrays, s.field, arrays.actors.index(s.actor), i, s.new_value) for s in shifts]
    else:
        variants = [_set(arrays, s.field, arrays.actors.index(s.actor), i, s.new_value) for s in shifts]
        forecasts = list(solve_many(model, variants, seed)[:, i]) if variants else []
    shifts = [
        Shift(s.issue, s.actor, s.field, s.value, s.new_value, float(f), s.feasible) for s, f in zip(shifts, forecasts)
    ]
    return sorted(shifts, key=lambda s: (not s.feasible, s.cost, s.actor, s.field))


@dataclass(frozen=True)
class Sensitivity:
    """A model's tornado per issue and, for a chosen actor, whom to work on (per issue where it has a position)."""

    scenario: str
    model: str
    method: str  # "closed form" or "perturbation"
    steps: dict[str, float]
    tornado: dict[str, list[Bar]]
    actor: str | None = None
    move: float = 5.0
    who: dict[str, list[Shift]] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``sensitivity --json`` and the API."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "model": self.model,
            "method": self.method,
            "steps": self.steps,
            "tornado": {i: [b.to_dict() for b in bars] for i, bars in self.tornado.items()},
        }
        if self.actor is not None:
            out["who_to_work_on"] = {
                "actor": self.actor,
                "move": self.move,
                "issues": {i: [x.to_dict() for x in rows] for i, rows in self.who.items()},
            }
        return out


def sensitivity_of(
    scenario: Scenario,
    model: str,
    issue: str | None = None,
    actor: str | None = None,
    move: float = 5.0,
    seed: int = 0,
    executor: str | None = None,
    address: str | None = None,
) -> Sensitivity:
    """The tornado of every issue (or only ``issue``) and, with ``actor``, whom to work on to move each
    forecast ``move`` points toward that actor. ``executor`` / ``address``: where the tornado runs (``tornado``)."""
    arrays = to_arrays(scenario)
    m = get_model(model)
    if issue is not None and issue not in arrays.issues:
        raise InputError("unknown issue", field="issue", value=issue, allowed=", ".join(arrays.issues))
    if actor is not None and actor not in arrays.actors:
        raise InputError("unknown actor", field="actor", value=actor, allowed=", ".join(arrays.actors))
    table = tornado(arrays, m, seed=seed, executor=executor, address=address)
    issues = [issue] if issue else list(arrays.issues)
    who = {}
    if actor is not None:
        for i in issues:
            if arrays.mask[arrays.actors.index(actor), arrays.issues.index(i)]:
                who[i] = who_to_work_on(arrays, m, actor, i, move, seed=seed)
    method = "closed form" if m.name == "compromise" else "perturbation"
    return Sensitivity(scenario.id, m.name, method, DEFAULT_STEPS, {i: table[i] for i in issues}, actor, move, who)
