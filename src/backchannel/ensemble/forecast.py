"""Forecasts: the point result and the Monte Carlo outcome distribution of several models."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..models import MODELS, get_model
from ..models.base import ModelResult, _plain
from ..scenario.arrays import ArrayBatch, to_arrays
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .agreement import ModelAgreement, StateDraws, model_agreement, state_from_forecast
from .executors import DrawSlice, check_executor, run_tasks, solve_slice
from .sampling import sample_batch
from .seeds import task_seed

__all__ = ["CHUNK_DRAWS", "Forecast", "ModelForecast", "QUANTILES", "run_forecast", "summarise"]

#: draws per chunk; fixed so that every executor splits a run the same way
CHUNK_DRAWS = 10_000
#: the summary statistics of an outcome distribution (probability levels of the quantiles)
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}


def summarise(samples: np.ndarray, issues: Sequence[str]) -> dict[str, dict[str, float | None]]:
    """Mean and quantiles per issue of (B, I) outcome samples (None where all draws are NaN)."""
    out: dict[str, dict[str, float | None]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN issues are reported as None
        mean = np.nanmean(samples, axis=0)
        qs = np.nanquantile(samples, list(QUANTILES.values()), axis=0)
    for k, issue in enumerate(issues):
        stats = {"mean": mean[k], **{name: qs[j, k] for j, name in enumerate(QUANTILES)}}
        out[issue] = {name: (None if np.isnan(v) else float(v)) for name, v in stats.items()}
    return out


@dataclass(frozen=True, eq=False)
class ModelForecast:
    """One model's forecast: the point result and, with draws, the (B, I) samples and their summary."""

    model: str
    point: ModelResult
    samples: np.ndarray | None = None
    distribution: dict[str, dict[str, float | None]] | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)
    #: (B,) whether the model itself found no deal in each draw (nash, nash_outside), None otherwise
    no_deal: np.ndarray | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one model in a forecast: the point outcome, its rounds and whether it converged;
        with draws, the per-issue distribution and ``diagnostics`` (share of converged draws, of no-deal draws)."""
        out: dict[str, Any] = {"outcome": _plain(self.point.outcome_by_issue())}
        if self.distribution is not None:
            out["distribution"] = self.distribution
        out["rounds"] = int(self.point.rounds)
        out["converged"] = bool(self.point.converged)
        if self.diagnostics:
            out["diagnostics"] = dict(self.diagnostics)
        if MODELS[self.model].dynamic and self.point.final_positions is not None:
            out["final_positions"] = self.point.to_dict()["final_positions"]
        return out


@dataclass(frozen=True, eq=False)
class Forecast:
    """The forecasts of several models for one scenario, reproducible from (scenario, seed, draws)."""

    scenario: str
    seed: int
    draws: int
    issues: tuple[str, ...]
    models: dict[str, ModelForecast]
    #: the scenario's consent rule as JSON (None: every draw is a deal, no vetoes assumed)
    consent: dict[str, Any] | None = None
    #: per model: P(deal), its standard error and the cumulative P(deal) by date (see ensemble/agreement.py)
    agreement: dict[str, ModelAgreement] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """``{"scenario", "seed", "draws", "models": {name: {...}}, "consent", "agreement"}``, JSON-ready."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "draws": self.draws,
            "models": {name: mf.to_dict() for name, mf in self.models.items()},
            "consent": self.consent,
            "agreement": {name: a.to_dict() for name, a in self.agreement.items()},
        }


def run_forecast(
    scenario: Scenario,
    models: Sequence[str],
    draws: int,
    seed: int,
    executor: str = "serial",
    distribution: str = "pert",
    progress: Callable[[int, int], Any] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    workers: int | None = None,
    agreement: bool = True,
    batch: ArrayBatch | None = None,
    address: str | None = None,
) -> Forecast:
    """Point forecasts and, when ``draws`` > 0, outcome distributions of each model.

    Draws are sampled once in this process and split into fixed chunks of ``CHUNK_DRAWS``
    (draws 0–9,999, 10,000–19,999, …); each (model, chunk k) gets its own seed
    ``task_seed(seed, "draws", model, k)``, so every executor (serial, processes, ray) gives
    identical results. The sampled draws are the tasks' shared input (sent once per worker, or
    stored once in Ray's object store); ``address`` is the Ray cluster to use. ``progress(done, total)``
    is called after each point solve and each chunk (total = models + models × chunks). With ``agreement`` the forecast also says,
    per model, whether each draw becomes a deal and by when (see ``ensemble.agreement``); the lever states
    of a horizon's deadlines are solved after the progress reaches its total.
    """
    check_executor(executor)  # the inputs are checked here, where they enter the core, and nowhere before
    names = list(dict.fromkeys(models))
    if not names:
        raise InputError("no model given", field="model", allowed=", ".join(MODELS))
    params = dict(params or {})
    instances = {name: get_model(name, **params.get(name, {})) for name in names}
    # validates draws, seed, distribution; a ``batch`` given is these same draws, sampled already
    batch = batch if batch is not None and batch.draws == draws else sample_batch(scenario, draws, seed, distribution)
    arrays = to_arrays(scenario)
    pieces = [(a, min(a + CHUNK_DRAWS, draws)) for a in range(0, draws, CHUNK_DRAWS)]
    tasks = [
        DrawSlice(name, dict(model.params), a, b, task_seed(seed, "draws", name, k))
        for name, model in instances.items()
        for k, (a, b) in enumerate(pieces)
    ]
    # progress counts the point solves (one per model) and then the chunks
    total = len(instances) + len(tasks)
    points = {}
    for m, (name, model) in enumerate(instances.items()):
        points[name] = model.solve(arrays, np.random.Generator(np.random.PCG64(task_seed(seed, "point", name))))
        if progress:
            progress(m + 1, total)
    shifted = (lambda done, _n: progress(len(instances) + done, total)) if progress else None
    results = run_tasks(solve_slice, tasks, executor, shifted, workers, shared=batch, address=address) if tasks else []
    out: dict[str, ModelForecast] = {}
    for m, name in enumerate(instances):
        point = points[name]
        mine = results[m * len(pieces) : (m + 1) * len(pieces)]
        if not mine:
            out[name] = ModelForecast(name, point)
            continue
        samples = np.concatenate([r.outcome for r in mine])
        diagnostics = {"converged": float(np.concatenate([r.converged for r in mine]).mean())}
        no_deal = None
        if all("no_deal" in r.diagnostics for r in mine):
            no_deal = np.concatenate([r.diagnostics["no_deal"] for r in mine]).astype(bool)
            diagnostics["no_deal"] = float(no_deal.mean())
        out[name] = ModelForecast(name, point, samples, summarise(samples, arrays.issues), diagnostics, no_deal)
    result = Forecast(
        scenario.id,
        int(seed),
        int(draws),
        arrays.issues,
        out,
        None
        if scenario.consent is None
        else scenario.consent.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
    )
    if not agreement:
        return result

    def solve_state(variant: Scenario) -> StateDraws:
        drawn = sample_batch(variant, draws, seed, distribution) if draws else None
        other = run_forecast(
            variant,
            names,
            draws,
            seed,
            executor,
            distribution,
            params=params,
            workers=workers,
            agreement=False,
            batch=drawn,
            address=address,
        )
        return state_from_forecast(variant, other, draws, seed, distribution, drawn)

    base = state_from_forecast(scenario, result, draws, seed, distribution, batch)
    decided = model_agreement(scenario, instances, base, solve_state, draws, seed, distribution)
    return Forecast(result.scenario, result.seed, result.draws, result.issues, result.models, result.consent, decided)
