"""One forecast distribution per DEU issue: will the outcome stay at the reference point, and if not, where.

For each decided issue of a DEU file, a model's settlement x (its point forecast, the proposal's
issues solved together) becomes a mixture distribution of the outcome y on 0..100:

* with probability P(status quo) the law stays as it was: y = the reference point r;
* otherwise y = x + ε, ε ~ N(0, σ²), clipped to 0..100 (σ: the model's structural error).

P(status quo) is a logistic regression on three features, all known before the decision:

1. d = |x − r| / 100, how far the settlement would move the law;
2. the Council's voting rule (1 for unanimity);
3. the agreement layer's P(no deal): settlements drawn around x (the same N(0, σ²)) and judged by
   the member states with the reference point as everyone's outside option (no cost of delay),
   under the Council's rule. Under unanimity every member state with a position is a veto player;
   under a qualified majority the member states accepting must hold at least ``QMV_THRESHOLD`` of
   the member states' capability weights in use (equal, or GDP with ``--capability gdp``).
   The Commission and the Parliament make the proposal and amend it; they cast no Council vote.

The coefficients and σ of every model were fitted on ``deu3-dev.tsv`` only (capability equal, one
case per proposal) and ship in ``SHIPPED``; ``BASE_RATE`` is that file's share of issues whose
outcome equals the reference point. ``grouped_cv_brier`` repeats the fit under cross-validation
grouped by proposal to give the out-of-sample figures quoted in docs/analysis.md.

Sources: the DEU III data (Thomson, Arregui, Leuffen et al., "A new dataset on legislative
decision-making in the European Union: the DEU II dataset", European Union Politics 13(4), 2012,
and its extension to 2008–2012 proposals); the threshold is the Treaty of Nice rule for EU-27
(Art. 205(2) TEC as amended by the 2005 Act of Accession, in force 2007–2014): 255 of 345
weighted votes, 73.9 %.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..agreement.consent import ConsentRule
from ..agreement.layer import decide
from ..agreement.options import fill_outside_points
from ..models.base import Model, get_model
from ..scenario.formats.deu import DeuData, DeuIssue
from .backtest import Case, cases_from_deu

__all__ = [
    "BASE_RATE",
    "COUNCIL_EXCLUDED",
    "DeuForecast",
    "QMV_THRESHOLD",
    "SHIPPED",
    "StatusQuoModel",
    "StatusQuoScore",
    "deu_forecasts",
    "fit_status_quo",
    "grouped_cv_brier",
    "status_quo_scores",
]

#: Treaty of Nice, EU-27: 255 of 345 weighted Council votes form a qualified majority
QMV_THRESHOLD = 255.0 / 345.0
#: DEU actors that take part in the bargaining but cast no Council vote
COUNCIL_EXCLUDED = frozenset({"com", "ep"})
#: share of the 164 issues of deu3-dev.tsv with a reference point whose outcome equals it (31 of 164)
BASE_RATE = 31.0 / 164.0
_DRAWS = 400
_RIDGE = 1e-2


@dataclass(frozen=True)
class StatusQuoModel:
    """Learned parameters for one model: logistic coefficients (intercept, distance, unanimity, layer
    P(no deal)) and the structural noise σ of outcomes that moved (0..100 scale)."""

    model: str
    coef: tuple[float, float, float, float]
    sigma: float

    def p_status_quo(self, features: np.ndarray) -> np.ndarray:
        """P(outcome = reference point) for (n, 3) features."""
        z = self.coef[0] + features @ np.asarray(self.coef[1:])
        p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return p


@dataclass(frozen=True, eq=False)
class DeuForecast:
    """The forecast distribution of one DEU issue: an atom at the reference point, the rest around the
    model's settlement. ``samples`` are draws of the outcome (seeded), for CRPS and coverage."""

    issue: str
    proposal: str
    unanimity: bool
    reference_point: float
    point: float
    p_no_deal: float
    p_status_quo: float
    sigma: float
    actual: float
    samples: np.ndarray

    @property
    def at_status_quo(self) -> bool | None:
        """Whether the outcome equalled the reference point (None when either is missing)."""
        if np.isnan(self.reference_point) or np.isnan(self.actual):
            return None
        return bool(self.actual == self.reference_point)


@dataclass(frozen=True)
class StatusQuoScore:
    """Brier score of P(outcome = reference point) against always forecasting the shipped base rate."""

    brier: float
    base_rate_brier: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        """``{"brier", "base_rate_brier", "n"}``."""
        return {"brier": self.brier, "base_rate_brier": self.base_rate_brier, "n": self.n}


def _rng(seed: int, proposal: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32(proposal.encode("utf-8"))])


@dataclass(frozen=True, eq=False)
class _Row:
    issue: DeuIssue
    point: float
    p_no_deal: float


def _council_rule(case: Case, unanimity: bool) -> ConsentRule:
    members = np.array([a not in COUNCIL_EXCLUDED for a in case.arrays.actors], dtype=bool)
    return ConsentRule(members, None if unanimity else QMV_THRESHOLD)


def _layer_no_deal(
    model: Model, case: Case, point: np.ndarray, sigma: float, unanimity: bool, rng: np.random.Generator, draws: int
) -> float:
    """Share of settlements drawn around ``point`` that the Council rejects, the reference point as outside option."""
    ar = case.arrays
    settle = np.clip(point[None, :] + rng.normal(0.0, sigma, (draws, len(point))), 0.0, 100.0)
    settle = np.where(np.isnan(settle), ar.status_quo[None, :], settle)
    batch = ar.repeat(draws)
    outside = fill_outside_points(np.full(batch.position.shape, np.nan), batch.position, ar.status_quo)
    dec = decide(
        _council_rule(case, unanimity),
        settle,
        np.ones(draws, bool),
        batch.position,
        batch.salience,
        batch.capability,
        batch.mask,
        outside,
        np.zeros(len(ar.actors)),
        0.0,
        model.utility_power(),
    )
    return float(1.0 - dec.deal.mean())


def _rows(data: DeuData, model: Model, sigma: float, seed: int, draws: int = _DRAWS) -> list[_Row]:
    """Per scored issue (file order within each proposal): the settlement and the layer's P(no deal)."""
    by_id = {i.issue: i for i in data.scored}
    rows: list[_Row] = []
    for case in cases_from_deu(data, by="proposal"):
        rng = _rng(seed, case.cluster[0])
        point = model.solve(case.arrays, np.random.default_rng(seed)).outcome
        unanimity = by_id[case.issue[0]].unanimity
        p_no = _layer_no_deal(model, case, point, sigma, unanimity, rng, draws)
        rows.extend(_Row(by_id[iss], float(point[k]), p_no) for iss, k in zip(case.issue, case.index))
    return rows


def _features(rows: Sequence[_Row]) -> np.ndarray:
    return np.array(
        [[abs(r.point - r.issue.reference_point) / 100.0, float(r.issue.unanimity), r.p_no_deal] for r in rows]
    )


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Maximum-likelihood logistic regression (Newton–Raphson) with a small ridge on the slopes."""
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    penalty = np.diag([0.0] + [_RIDGE] * x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        grad = design.T @ (y - p) - penalty @ beta
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return (float(beta[0]), float(beta[1]), float(beta[2]), float(beta[3]))


def _scored(rows: Sequence[_Row]) -> list[_Row]:
    return [r for r in rows if not np.isnan(r.issue.reference_point) and not np.isnan(r.point)]


def _sigma(rows: Sequence[_Row]) -> float:
    moved = [
        r.issue.outcome - r.point
        for r in rows
        if not np.isnan(r.point) and not (r.issue.outcome == r.issue.reference_point)
    ]
    return float(np.sqrt(np.mean(np.square(moved)))) if moved else 25.0


def fit_status_quo(data: DeuData, model: str | Model, seed: int = 0) -> StatusQuoModel:
    """Fit σ (root-mean-square error of the outcomes that moved) and the logistic coefficients on ``data``."""
    m = get_model(model) if isinstance(model, str) else model
    sigma = _sigma(_rows(data, m, 25.0, seed, draws=1))
    rows = _scored(_rows(data, m, sigma, seed))
    y = np.array([float(r.issue.outcome == r.issue.reference_point) for r in rows])
    return StatusQuoModel(m.name, _logistic(_features(rows), y), sigma)


def deu_forecasts(
    data: DeuData,
    model: str | Model = "compromise",
    params: StatusQuoModel | None = None,
    draws: int = 1000,
    seed: int = 0,
) -> list[DeuForecast]:
    """The forecast distribution of every decided issue under one model (shipped parameters by default)."""
    m = get_model(model) if isinstance(model, str) else model
    learned = params or SHIPPED.get(m.name)
    if learned is None:
        raise KeyError(f"no shipped status-quo parameters for model {m.name!r}; fit them with fit_status_quo")
    rows = _rows(data, m, learned.sigma, seed)
    out = []
    for r in rows:
        i = r.issue
        has_rp = not np.isnan(i.reference_point)
        p_sq = float(learned.p_status_quo(_features([r]))[0]) if has_rp and not np.isnan(r.point) else 0.0
        rng = _rng(seed, i.issue)
        centre = r.point if not np.isnan(r.point) else (i.reference_point if has_rp else 50.0)
        moved = np.clip(centre + rng.normal(0.0, learned.sigma, draws), 0.0, 100.0)
        samples = np.where(rng.random(draws) < p_sq, i.reference_point if has_rp else moved, moved)
        out.append(
            DeuForecast(
                i.issue,
                i.proposal,
                i.unanimity,
                i.reference_point,
                r.point,
                r.p_no_deal,
                p_sq,
                learned.sigma,
                i.outcome,
                samples,
            )
        )
    return out


def _brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def status_quo_scores(data: DeuData, models: Sequence[str | Model], seed: int = 0) -> dict[str, StatusQuoScore]:
    """Per model: Brier score of P(outcome = reference point) with the shipped parameters, and of the shipped
    base rate, over the decided issues that record a reference point."""
    out = {}
    for model in models:
        m = get_model(model) if isinstance(model, str) else model
        if m.name not in SHIPPED:
            continue
        rows = _scored(_rows(data, m, SHIPPED[m.name].sigma, seed))
        y = np.array([float(r.issue.outcome == r.issue.reference_point) for r in rows])
        p = SHIPPED[m.name].p_status_quo(_features(rows)) if rows else np.zeros(0)
        n = len(rows)
        out[m.name] = StatusQuoScore(
            _brier(p, y) if n else float("nan"), _brier(np.full(n, BASE_RATE), y) if n else float("nan"), n
        )
    return out


def grouped_cv_brier(data: DeuData, model: str | Model, folds: int = 5, seed: int = 0) -> StatusQuoScore:
    """Out-of-sample Brier of the fitted P(status quo) and of the training folds' base rate, under
    cross-validation grouped by proposal (every issue of a proposal in the same fold)."""
    m = get_model(model) if isinstance(model, str) else model
    sigma = _sigma(_rows(data, m, 25.0, seed, draws=1))
    rows = _scored(_rows(data, m, sigma, seed))
    proposals = sorted({r.issue.proposal for r in rows})
    order = np.random.default_rng(seed).permutation(len(proposals))
    fold_of = {proposals[j]: k % folds for k, j in enumerate(order)}
    x = _features(rows)
    y = np.array([float(r.issue.outcome == r.issue.reference_point) for r in rows])
    fold = np.array([fold_of[r.issue.proposal] for r in rows])
    p, base = np.zeros(len(rows)), np.zeros(len(rows))
    for k in range(folds):
        test = fold == k
        coef = _logistic(x[~test], y[~test])
        p[test] = StatusQuoModel(m.name, coef, sigma).p_status_quo(x[test])
        base[test] = y[~test].mean()
    return StatusQuoScore(_brier(p, y), _brier(base, y), len(rows))


# Fitted on deu3-dev.tsv (capability equal, seed 0) by ``fit_status_quo``; tests/analysis/test_deu_distribution.py
# checks that fitting again gives these figures. Out of sample on deu3-dev.tsv itself (the same fit under grouped cross-validation, base rate of the
# training folds):
#   bdm: grouped CV (5 folds by proposal) Brier 0.1529 vs 0.1539 n=164
#   compromise: grouped CV (5 folds by proposal) Brier 0.1387 vs 0.1539 n=164
#   exchange: grouped CV (5 folds by proposal) Brier 0.1379 vs 0.1539 n=164
#   focal: grouped CV (5 folds by proposal) Brier 0.1440 vs 0.1539 n=164
#   median: grouped CV (5 folds by proposal) Brier 0.1517 vs 0.1539 n=164
#   nash: grouped CV (5 folds by proposal) Brier 0.1593 vs 0.1539 n=164
#   nash_outside: grouped CV (5 folds by proposal) Brier 0.1593 vs 0.1539 n=164
#   smp: grouped CV (5 folds by proposal) Brier 0.1501 vs 0.1539 n=164
SHIPPED: dict[str, StatusQuoModel] = {
    "bdm": StatusQuoModel("bdm", (-1.169579, -2.02443, 0.854939, 0.665403), 43.156907),
    "compromise": StatusQuoModel("compromise", (0.106934, -4.758143, 0.836168, 0.403192), 27.462517),
    "exchange": StatusQuoModel("exchange", (-0.136575, -3.898299, 0.825027, 0.192017), 31.467883),
    "focal": StatusQuoModel("focal", (-0.320132, -3.517184, 0.80347, 0.161347), 29.783052),
    "median": StatusQuoModel("median", (-1.063631, -1.991014, 0.846903, 0.313107), 38.703821),
    "nash": StatusQuoModel("nash", (-1.341767, -2.780296, 0.830245, 0.418458), 44.109638),
    "nash_outside": StatusQuoModel("nash_outside", (-1.339919, -2.78249, 0.831108, 0.414644), 44.081399),
    "smp": StatusQuoModel("smp", (-0.791509, -2.801642, 0.792333, 0.264028), 34.728145),
}
