"""The agreement layer over an ensemble: per model and draw, whether the settlement becomes a deal, and by when.

Step 0 (the scenario's as_of) gives the one-shot P(deal); with a horizon, later steps add the cost of
each month without a deal and apply the levers of the deadlines that have passed, re-solving the
models on the scenario with those levers (same seed, so the draws are common random numbers). The
cumulative P(deal by a date) is the share of draws that are a deal at some step up to that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..agreement import consent_rule, deal_probability, fill_outside_points, no_deal_point, outside_arrays
from ..agreement.consent import actor_weights
from ..agreement.layer import decide_utilities
from ..agreement.timeline import Step, timeline
from ..agreement.utility import package_utility
from ..models import get_model
from ..models.base import Model
from ..models.nash_outside import NashOutside
from ..scenario.arrays import ArrayBatch, to_arrays
from ..scenario.schema import Scenario
from .levers import apply_lever
from .sampling import sample_batch, sample_outside

__all__ = ["ModelAgreement", "StateDraws", "get_models", "model_agreement", "state_from_forecast"]


@dataclass(frozen=True, eq=False)
class ModelAgreement:
    """One model's answer to "will there be a deal, and by when".

    ``deal`` (B,): whether each draw is a deal at as_of (one-shot); ``landing`` (B, I): its settlement
    where it is, its no-deal point where not; ``by_date``: cumulative P(deal) at each step after as_of.
    """

    deal: np.ndarray
    landing: np.ndarray
    p_deal: float
    se: float
    by_date: tuple[tuple[dt.date, float], ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"p_deal", "se", "by_date": [{"date", "p_deal"}]}``."""
        return {
            "p_deal": self.p_deal,
            "se": self.se,
            "by_date": [{"date": d.isoformat(), "p_deal": p} for d, p in self.by_date],
        }


@dataclass(frozen=True, eq=False)
class StateDraws:
    """The draws of the scenario in one lever state: the batch, and per model the settlements (B, I) and
    whether the model found a deal (B,)."""

    scenario: Scenario
    batch: ArrayBatch
    settlement: dict[str, np.ndarray]
    found: dict[str, np.ndarray]


Solver = Callable[[Scenario], StateDraws]


def _steps(scenario: Scenario) -> list[Step]:
    as_of = scenario.as_of or dt.date(1970, 1, 1)
    return timeline(as_of, scenario.horizon if scenario.as_of else None, scenario.deadlines)


@dataclass(frozen=True, eq=False)
class _StateView:
    """What every model shares in one lever state: the filled outside points, costs, voting weights,
    the no-deal point and the outside options' utilities (per utility power, computed once)."""

    draws: StateDraws
    outside: np.ndarray
    cost: np.ndarray
    weight: np.ndarray
    no_deal: np.ndarray
    u_out: dict[int, np.ndarray]

    def outside_utility(self, power: int) -> np.ndarray:
        """u_a(o_a) (B, A) with the given loss power."""
        if power not in self.u_out:
            b = self.draws.batch
            self.u_out[power] = package_utility(b.position, b.salience, b.mask, self.outside, power)
        return self.u_out[power]


def _view(state: StateDraws, draws: int, seed: int, distribution: str) -> _StateView:
    b = state.batch
    opts = outside_arrays(
        state.scenario, b.draws, sample_outside(state.scenario, b.draws, seed, distribution) if draws else None
    )
    return _StateView(
        state,
        fill_outside_points(opts.point, b.position, b.status_quo),
        opts.cost,
        actor_weights(b.capability, b.mask),
        no_deal_point(opts.point, b.capability, b.status_quo),
        {},
    )


def model_agreement(
    scenario: Scenario,
    models: Mapping[str, Model],
    base: StateDraws,
    solve_state: Solver,
    draws: int,
    seed: int,
    distribution: str,
) -> dict[str, ModelAgreement]:
    """Per model: one-shot and cumulative P(deal), and where each draw lands (deal or no deal).

    A step after as_of only needs to know which draws not yet agreed become deals, so nash_outside is
    solved again there on those draws alone.
    """
    rule = consent_rule(scenario.consent, tuple(a.id for a in scenario.actors))
    steps = _steps(scenario)
    views: dict[tuple[str, ...], _StateView] = {(): _view(base, draws, seed, distribution)}
    for step in steps:
        if step.levers not in views:
            variant = scenario
            for lever in step.levers:
                variant = apply_lever(variant, lever)
            views[step.levers] = _view(solve_state(variant), draws, seed, distribution)
    out: dict[str, ModelAgreement] = {}
    for name, model in models.items():
        power = model.utility_power()
        bargains = rule is not None and isinstance(model, NashOutside)
        bargainer = model if isinstance(model, NashOutside) else None
        u_deal: dict[tuple[str, ...], np.ndarray] = {}
        cumulative: list[np.ndarray] = []
        settlement_0 = views[()].draws.settlement[name]
        deal0 = np.zeros(0, dtype=bool)
        for k, step in enumerate(steps):
            view = views[step.levers]
            b = view.draws.batch
            settlement, found = view.draws.settlement[name], view.draws.found[name]
            todo = np.ones(b.draws, dtype=bool) if k == 0 else ~cumulative[-1]
            if bargains and todo.any():
                assert rule is not None
                rows = np.flatnonzero(todo)
                sub = _rows(b, rows)
                assert bargainer is not None
                got, ok = _bargain(bargainer, sub, view.outside[rows], view.cost, step.months, rule.members)
                settlement, found = settlement.copy(), np.zeros(b.draws, dtype=bool)
                settlement[rows], found[rows] = got, ok
                u = package_utility(b.position, b.salience, b.mask, settlement, power)
            else:
                if step.levers not in u_deal:
                    u_deal[step.levers] = package_utility(b.position, b.salience, b.mask, settlement, power)
                u = u_deal[step.levers]
            deal = (
                decide_utilities(rule, u, view.outside_utility(power), view.cost, step.months, found, view.weight).deal
                & todo
            )
            if k == 0:
                deal0, settlement_0 = deal, settlement
                cumulative.append(deal)
            else:
                cumulative.append(cumulative[-1] | deal)
        landing = np.where(deal0[:, None], settlement_0, views[()].no_deal) if rule is not None else settlement_0
        p, se = deal_probability(deal0)
        by_date = tuple((step.date, float(cumulative[k].mean())) for k, step in enumerate(steps) if k > 0)
        out[name] = ModelAgreement(deal0, landing, p, se, by_date)
    return out


def _rows(batch: ArrayBatch, rows: np.ndarray) -> ArrayBatch:
    """The draws ``rows`` of a batch."""
    return ArrayBatch(
        batch.actors,
        batch.issues,
        batch.position[rows],
        batch.salience[rows],
        batch.capability[rows],
        batch.mask,
        batch.status_quo,
    )


def _bargain(
    model: NashOutside, batch: ArrayBatch, outside: np.ndarray, cost: np.ndarray, months: float, members: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """nash_outside among the consent members, their outside options net of the cost of no deal as d."""
    d = package_utility(batch.position, batch.salience, batch.mask, outside, 2) - cost[None, :] * (months + 1.0)
    res = model.solve_against(batch, d, members)
    return res.outcome, ~np.asarray(res.diagnostics["no_deal"], dtype=bool)


def state_from_forecast(
    scenario: Scenario, forecast: Any, draws: int, seed: int, distribution: str, batch: ArrayBatch | None = None
) -> StateDraws:
    """The draws of a forecast as a lever state: its batch (given, or sampled again: the same) and settlements."""
    if batch is None or not draws:
        batch = sample_batch(scenario, draws, seed, distribution) if draws else to_arrays(scenario).repeat(1)
    settlement, found = {}, {}
    for name, mf in forecast.models.items():
        if draws:
            settlement[name] = mf.samples
            found[name] = ~mf.no_deal if mf.no_deal is not None else np.ones(draws, dtype=bool)
        else:
            settlement[name] = mf.point.outcome[None, :]
            found[name] = np.array([not bool(mf.point.diagnostics.get("no_deal", False))])
    return StateDraws(scenario, batch, settlement, found)


def get_models(names: Sequence[str], params: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Model]:
    """Model instances by name with their parameters."""
    params = dict(params or {})
    return {name: get_model(name, **params.get(name, {})) for name in names}
