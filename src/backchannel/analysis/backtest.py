"""Backtests: run models on decisions whose outcome is known and score their forecasts.

Scores per model: mean, root-mean-square and median absolute error on the 0..100 scale, the
number of issues scored, and a paired bootstrap 95 % interval of the model's MAE minus the
compromise model's MAE on the same issues. The bootstrap resamples *clusters* — the
legislative proposals of a DEU file, whose issues share actors, timing and bargaining — so
that the interval is not made too narrow by treating issues of one proposal as independent.
A scenario file is one cluster per issue (its issues are the only units it has).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from ..ensemble.executors import run_tasks
from ..models.base import Model, get_model
from ..scenario.arrays import ScenarioArrays, to_arrays
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from ..scenario.formats.deu import DeuData

__all__ = [
    "Backtest",
    "Case",
    "ModelScore",
    "cases_from_deu",
    "cases_from_scenario",
    "paired_interval",
    "predict",
    "run_backtest",
    "REFERENCE_MODEL",
]

#: every model's MAE is compared with this model's
REFERENCE_MODEL = "compromise"


@dataclass(frozen=True, eq=False)
class Case:
    """One model input and the issues in it whose outcome is known.

    ``index[k]`` is the column of ``arrays`` holding scored issue ``issue[k]``, which belongs
    to bootstrap cluster ``cluster[k]`` and has the actual outcome ``actual[k]``.
    """

    arrays: ScenarioArrays
    index: tuple[int, ...]
    issue: tuple[str, ...]
    cluster: tuple[str, ...]
    actual: tuple[float, ...]


def cases_from_deu(data: DeuData, by: str = "proposal") -> list[Case]:
    """Cases from DEU data: one per proposal (the default), or one per issue.

    A proposal is one negotiation over several issues, which models that link issues (the
    exchange model trades across them; SMP's actors weigh distances over all of them) need to
    see at once; models that treat issues independently give the same forecasts either way.
    """
    if by not in ("issue", "proposal"):
        raise InputError("unknown grouping", field="by", value=by, allowed="issue, proposal")
    scored = data.scored
    if by == "issue":
        return [Case(i.arrays, (0,), (i.issue,), (i.proposal,), (i.outcome,)) for i in scored]
    groups: dict[str, list[Any]] = {}
    for i in scored:
        groups.setdefault(i.proposal, []).append(i)
    return [_proposal_case(prop, items, data.actors) for prop, items in groups.items()]


def _proposal_case(proposal: str, items: list[Any], order: Sequence[str]) -> Case:
    """Merge the issues of one proposal into one multi-issue input (actors in file order)."""
    present = {a for i in items for a in i.arrays.actors}
    actors = tuple(a for a in order if a in present)
    row = {a: k for k, a in enumerate(actors)}
    shape = (len(actors), len(items))
    position, salience, capability = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    mask = np.zeros(shape, dtype=bool)
    for j, item in enumerate(items):
        ar = item.arrays
        rows = [row[a] for a in ar.actors]
        position[rows, j] = ar.position[:, 0]
        salience[rows, j] = ar.salience[:, 0]
        capability[rows, j] = ar.capability[:, 0]
        mask[rows, j] = True
    # An actor's capability is the same on every issue; fill the gaps so that models which
    # read capability per actor see it where the actor has no position.
    for k in row.values():
        known = capability[k][mask[k]]
        capability[k][~mask[k]] = known[0] if known.size else 0.0
    arrays = ScenarioArrays(
        actors,
        tuple(i.issue for i in items),
        position,
        salience,
        capability,
        mask,
        np.array([i.reference_point for i in items]),
    )
    return Case(
        arrays,
        tuple(range(len(items))),
        tuple(i.issue for i in items),
        (proposal,) * len(items),
        tuple(i.outcome for i in items),
    )


def cases_from_scenario(scenario: Scenario) -> list[Case]:
    """One case holding the whole scenario, scored on the issues that record ``actual``."""
    scored = [(k, i) for k, i in enumerate(scenario.issues) if i.actual is not None]
    if not scored:
        raise InputError(
            "no issue records an actual outcome",
            field="issues[].actual",
            allowed="a scenario whose issues give 'actual' (0..100)",
        )
    return [
        Case(
            to_arrays(scenario),
            tuple(k for k, _ in scored),
            tuple(i.id for _, i in scored),
            tuple(i.id for _, i in scored),
            tuple(float(i.actual) for _, i in scored if i.actual is not None),
        )
    ]


def predict(model: Model, cases: Iterable[Case], seed: int = 0) -> np.ndarray:
    """The model's forecast for every scored issue of the cases, in order (NaN where it has none)."""
    cases = list(cases)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(cases))]
    out: list[float] = []
    for case, rng in zip(cases, rngs):
        result = model.solve(case.arrays, rng)
        out.extend(float(result.outcome[k]) for k in case.index)
    return np.array(out)


@dataclass(frozen=True)
class ModelScore:
    """A model's errors over the scored issues."""

    mae: float
    rmse: float
    median_ae: float
    n: int
    diff_vs_compromise: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready scores."""
        return {
            "mae": self.mae,
            "rmse": self.rmse,
            "median_ae": self.median_ae,
            "n": self.n,
            "diff_vs_compromise": list(self.diff_vs_compromise),
        }


def paired_interval(
    err: np.ndarray,
    ref: np.ndarray,
    cluster: Sequence[str] | np.ndarray,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile interval of mean(err) − mean(ref) over a cluster bootstrap (pairs kept together)."""
    err, ref = np.asarray(err, float), np.asarray(ref, float)
    ok = np.isfinite(err) & np.isfinite(ref)
    if not ok.any():
        return (float("nan"), float("nan"))
    labels, group = np.unique(np.asarray(cluster)[ok], return_inverse=True)
    diff_sum = np.bincount(group, weights=(err - ref)[ok], minlength=len(labels))
    count = np.bincount(group, minlength=len(labels)).astype(float)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(labels), size=(n_boot, len(labels)))
    stats = diff_sum[pick].sum(axis=1) / count[pick].sum(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    lo, hi = np.percentile(stats, [tail, 100.0 - tail])
    return (float(lo), float(hi))


@dataclass(frozen=True, eq=False)
class Backtest:
    """Forecasts and scores of several models on the same scored issues."""

    issues: tuple[str, ...]
    clusters: tuple[str, ...]
    actual: np.ndarray
    predictions: dict[str, np.ndarray]
    scores: dict[str, ModelScore]
    counts: dict[str, int] = field(default_factory=dict)
    bootstrap: dict[str, Any] = field(default_factory=dict)
    #: per model, Brier of P(outcome = reference point) and of the shipped base rate (DEU files; see
    #: analysis/deu_distribution.py): ``{"brier", "base_rate_brier", "n"}``
    status_quo: dict[str, dict[str, float | int]] = field(default_factory=dict)
    #: per model with a DEU forecast distribution, its scores (analysis/deu_scores.py): ``{"crps", "coverage50",
    #: "coverage90", "interval_score90", "pit"}``, shown next to ``mae``; and how they were drawn
    distribution: dict[str, dict[str, Any]] = field(default_factory=dict)
    distribution_settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract ``{"n_issues", "models": {...}}`` plus the data counts, bootstrap settings and the
        status-quo scores (``{}`` without a reference point); with distributions, their scores per model next to
        ``mae`` and ``"distribution"`` (draws, seed)."""
        out = {
            "n_issues": len(self.issues),
            "models": {m: s.to_dict() | self.distribution.get(m, {}) for m, s in self.scores.items()},
            "counts": dict(self.counts),
            "bootstrap": dict(self.bootstrap),
            "status_quo": dict(self.status_quo),
        }
        if self.distribution_settings:
            out["distribution"] = dict(self.distribution_settings)
        return out

    def per_issue(self) -> list[dict[str, Any]]:
        """One row per scored issue: id, cluster, actual outcome and every model's forecast."""
        rows = []
        for k, issue in enumerate(self.issues):
            row: dict[str, Any] = {"issue": issue, "cluster": self.clusters[k], "actual": float(self.actual[k])}
            for m, pred in self.predictions.items():
                v = float(pred[k])
                row[m] = None if np.isnan(v) else v
            rows.append(row)
        return rows


def _score(
    pred: np.ndarray, actual: np.ndarray, ref: np.ndarray, clusters: Sequence[str] | np.ndarray, n_boot: int, seed: int
) -> ModelScore:
    err = np.abs(pred - actual)
    ok = np.isfinite(err)
    if not ok.any():
        nan = float("nan")
        return ModelScore(nan, nan, nan, 0, (nan, nan))
    e = err[ok]
    return ModelScore(
        float(e.mean()),
        float(np.sqrt((e**2).mean())),
        float(np.median(e)),
        int(ok.sum()),
        paired_interval(err, np.abs(ref - actual), clusters, n_boot=n_boot, seed=seed),
    )


def predict_task(cases: Sequence[Case], task: tuple[Model, int]) -> np.ndarray:
    """``predict`` as an executor task: (model, seed) on the shared cases."""
    model, seed = task
    return predict(model, cases, seed)


def predict_all(
    models: Sequence[Model],
    cases: Sequence[Case],
    seed: int = 0,
    executor: str = "serial",
    progress: Callable[[int, int], Any] | None = None,
    address: str | None = None,
) -> list[np.ndarray]:
    """``predict`` of each model, one executor task per model (the cases are the tasks' shared input).

    Case k is solved with the k-th stream spawned from ``seed`` whichever task or machine runs it,
    so every executor gives the same predictions.
    """
    tasks = [(m, seed) for m in models]
    return run_tasks(predict_task, tasks, executor, progress, shared=list(cases), address=address)


def run_backtest(
    cases: Sequence[Case],
    models: Sequence[Model | str] = (REFERENCE_MODEL,),
    seed: int = 0,
    n_boot: int = 2000,
    counts: dict[str, int] | None = None,
    progress: Callable[[int, int], Any] | None = None,
    executor: str = "serial",
    address: str | None = None,
) -> Backtest:
    """Run each model on every case and score it; the compromise model is always included.

    ``executor`` (serial, processes, ray) says where the models run: one task per model, same result."""
    instances = [get_model(m) if isinstance(m, str) else m for m in models]
    names = [m.name for m in instances]
    if len(set(names)) != len(names):
        raise InputError("a model is named twice", field="model", value=", ".join(names))
    if REFERENCE_MODEL not in names:
        instances.insert(0, get_model(REFERENCE_MODEL))
    issues = tuple(i for c in cases for i in c.issue)
    clusters = tuple(g for c in cases for g in c.cluster)
    actual = np.array([v for c in cases for v in c.actual], dtype=float)
    predictions = dict(
        zip([m.name for m in instances], predict_all(instances, cases, seed, executor, progress, address))
    )
    ref = predictions[REFERENCE_MODEL]
    scores = {name: _score(pred, actual, ref, clusters, n_boot, seed) for name, pred in predictions.items()}
    return Backtest(
        issues,
        clusters,
        actual,
        predictions,
        scores,
        dict(counts or {}),
        {"replicates": n_boot, "seed": seed, "resampled": "clusters (proposals)", "level": 0.95},
    )
