"""Named outcomes: how often a model's Monte Carlo draws land in each named region of the outcome space.

Regions are boxes (issue -> [low, high], bounds included) declared in the scenario. Where they
overlap, a draw counts for the *first* region in file order, so the probabilities of the named
outcomes and the share of draws in no region always sum to 1; the share of draws that lay in
more than one region is reported as ``overlap`` so an analyst can see the rule mattered. A draw
with no forecast (NaN) on an issue that a region constrains is not in that region.

The Monte Carlo standard error of a share p from B independent draws is sqrt(p (1 − p) / B).

With a consent rule the probabilities are unconditional: a draw that is a deal counts for the first
deal-branch region holding its settlement (else ``unnamed``), a draw without a deal for the first
no-deal region holding its no-deal point (else ``unnamed_no_deal``), and all of them sum to 1. The
view conditional on a deal (shares among the deal draws) is ``outcomes_given_deal``. Without a consent
rule every draw counts as a deal and the figures are those of the settlements, as they always were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from ..scenario.errors import InputError
from ..scenario.schema import Outcome, Scenario

__all__ = [
    "UNNAMED",
    "UNNAMED_NO_DEAL",
    "OutcomeProbabilities",
    "classify",
    "forecast_outcomes",
    "labels",
    "model_labels",
    "outcome_probabilities",
    "outcomes_detail",
    "outcomes_given_deal",
    "outcomes_json",
    "outcomes_payload",
    "regions",
]

#: the key of the share of draws in no named region
UNNAMED = "unnamed"
#: the key of the share of draws without a deal in no named no-deal region
UNNAMED_NO_DEAL = "unnamed_no_deal"


def regions(samples: np.ndarray, issues: Sequence[str], outcomes: Sequence[Outcome]) -> np.ndarray:
    """(B, K) booleans: whether each draw lies in each region."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    index = {issue: k for k, issue in enumerate(issues)}
    inside = np.ones((samples.shape[0], len(outcomes)), dtype=bool)
    for k, outcome in enumerate(outcomes):
        for issue, (lo, hi) in outcome.when.items():
            if issue not in index:
                raise InputError(
                    "named outcome refers to an issue the forecast lacks",
                    field=f"outcomes.{outcome.id}.when",
                    value=issue,
                    allowed=", ".join(issues),
                )
            col = samples[:, index[issue]]
            with np.errstate(invalid="ignore"):
                inside[:, k] &= (col >= lo) & (col <= hi)
    return inside


def classify(samples: np.ndarray, issues: Sequence[str], outcomes: Sequence[Outcome]) -> np.ndarray:
    """(B,) index of the first deal-branch region holding each draw, −1 for none."""
    deal_outcomes = [o for o in outcomes if o.branch == "deal"]
    index = np.array([k for k, o in enumerate(outcomes) if o.branch == "deal"], dtype=int)
    inside = regions(samples, issues, deal_outcomes)
    if not deal_outcomes:
        return np.full(inside.shape[0], -1)
    return np.where(inside.any(axis=1), index[inside.argmax(axis=1)], -1)


def labels(
    landing: np.ndarray, deal: np.ndarray | None, issues: Sequence[str], outcomes: Sequence[Outcome]
) -> np.ndarray:
    """(B,) index of each draw's named outcome: deal draws by their settlement among deal-branch regions (−1:
    none), draws without a deal by their no-deal point among no-deal regions (−2: none). ``deal`` None: all deals."""
    label = classify(landing, issues, outcomes)
    if deal is None:
        return label
    landing = np.atleast_2d(np.asarray(landing, dtype=float))
    no_deal_outcomes = [o for o in outcomes if o.branch == "no_deal"]
    index = np.array([k for k, o in enumerate(outcomes) if o.branch == "no_deal"], dtype=int)
    if no_deal_outcomes:
        inside = regions(landing, issues, no_deal_outcomes)
        other = np.where(inside.any(axis=1), index[inside.argmax(axis=1)], -2)
    else:
        other = np.full(landing.shape[0], -2)
    return np.where(np.asarray(deal, dtype=bool), label, other)


def model_labels(
    mf: Any, agreement: Any, consent: bool, issues: Sequence[str], outcomes: Sequence[Outcome]
) -> np.ndarray:
    """(B,) outcome labels of one model of a forecast (its samples, or its point as one draw)."""
    if consent and agreement is not None:
        return labels(agreement.landing, agreement.deal, issues, outcomes)
    samples = mf.samples if mf.samples is not None and len(mf.samples) else mf.point.outcome[None, :]
    return labels(samples, None, issues, outcomes)


@dataclass(frozen=True)
class OutcomeProbabilities:
    """Shares of draws per named outcome (first match in file order) and in none."""

    draws: int
    probability: dict[str, float]
    stderr: dict[str, float]
    overlap: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: probability and standard error per outcome, unnamed included."""
        return {
            "draws": self.draws,
            "overlap": self.overlap,
            "outcomes": {k: {"probability": p, "stderr": self.stderr[k]} for k, p in self.probability.items()},
        }


def outcome_probabilities(
    samples: np.ndarray, issues: Sequence[str], outcomes: Sequence[Outcome], deal: np.ndarray | None = None
) -> OutcomeProbabilities:
    """Probability and MC standard error of each named outcome and of the unnamed share (and, given ``deal``
    per draw, of the unnamed no-deal share; ``samples`` are then where each draw lands)."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    b = samples.shape[0]
    if b == 0:
        raise InputError("no draws to count", field="draws", value=0, allowed="at least 1 draw")
    keys = [o.id for o in outcomes]
    for reserved in (UNNAMED, UNNAMED_NO_DEAL):
        if reserved in keys:
            raise InputError(f"a named outcome may not be called {reserved!r}", field="outcomes", value=reserved)
    deal_outcomes = [o for o in outcomes if o.branch == "deal"]
    inside = regions(samples, issues, deal_outcomes)
    multiple = inside.sum(axis=1) > 1
    if deal is not None:
        multiple &= np.asarray(deal, dtype=bool)
    label = labels(samples, deal, issues, outcomes)
    counts = np.bincount(label + 2, minlength=len(outcomes) + 2)  # slot 0 = unnamed no deal, 1 = unnamed
    p = counts / b
    se = np.sqrt(p * (1.0 - p) / b)
    probability = {k: float(p[j + 2]) for j, k in enumerate(keys)} | {UNNAMED: float(p[1])}
    stderr = {k: float(se[j + 2]) for j, k in enumerate(keys)} | {UNNAMED: float(se[1])}
    if deal is not None:
        probability[UNNAMED_NO_DEAL], stderr[UNNAMED_NO_DEAL] = float(p[0]), float(se[0])
    return OutcomeProbabilities(int(b), probability, stderr, float(multiple.mean()))


def forecast_outcomes(forecast: Any, scenario: Scenario) -> dict[str, OutcomeProbabilities]:
    """Named-outcome probabilities of every model of an ensemble forecast.

    Uses each model's (B, I) ``samples``; a model run without draws is counted on its point
    forecast as a single draw (probability 0 or 1, standard error 0 — say so when showing it).
    """
    out = {}
    consent = getattr(forecast, "consent", None) is not None
    for name, mf in forecast.models.items():
        agreement = getattr(forecast, "agreement", {}).get(name)
        if consent and agreement is not None:
            out[name] = outcome_probabilities(agreement.landing, forecast.issues, scenario.outcomes, agreement.deal)
        else:
            samples = mf.samples if mf.samples is not None and len(mf.samples) else mf.point.outcome[None, :]
            out[name] = outcome_probabilities(samples, forecast.issues, scenario.outcomes)
    return out


def outcomes_given_deal(forecast: Any, scenario: Scenario) -> dict[str, dict[str, float | None]]:
    """Per model, each deal-branch outcome's share among the draws that are a deal (None when none is);
    without a consent rule every draw counts, so these equal ``outcomes``."""
    out: dict[str, dict[str, float | None]] = {}
    consent = getattr(forecast, "consent", None) is not None
    deal_outcomes = [o for o in scenario.outcomes if o.branch == "deal"]
    for name, mf in forecast.models.items():
        agreement = getattr(forecast, "agreement", {}).get(name)
        if consent and agreement is not None:
            settled = agreement.landing[agreement.deal]
            if len(settled) == 0:
                out[name] = {o.id: None for o in deal_outcomes}
                continue
            p = outcome_probabilities(settled, forecast.issues, deal_outcomes).probability
        else:
            samples = mf.samples if mf.samples is not None and len(mf.samples) else mf.point.outcome[None, :]
            p = outcome_probabilities(samples, forecast.issues, deal_outcomes).probability
        out[name] = {o.id: p[o.id] for o in deal_outcomes}
    return out


def outcomes_json(probabilities: Mapping[str, OutcomeProbabilities]) -> dict[str, dict[str, float]]:
    """The forecast's ``"outcomes"`` JSON: model -> named outcome -> probability (named only)."""
    return {
        model: {k: v for k, v in p.probability.items() if k not in (UNNAMED, UNNAMED_NO_DEAL)}
        for model, p in probabilities.items()
    }


def outcomes_detail(probabilities: Mapping[str, OutcomeProbabilities]) -> dict[str, dict[str, Any]]:
    """The rest for ``--json``: per model the unnamed share (and, with a consent rule, the unnamed no-deal
    share), standard errors, draws and overlap share."""
    out = {}
    for model, p in probabilities.items():
        out[model] = {UNNAMED: p.probability[UNNAMED], "stderr": dict(p.stderr), "draws": p.draws, "overlap": p.overlap}
        if UNNAMED_NO_DEAL in p.probability:
            out[model][UNNAMED_NO_DEAL] = p.probability[UNNAMED_NO_DEAL]
    return out


def outcomes_payload(forecast: Any, scenario: Scenario) -> dict[str, Any]:
    """What ``forecast --json`` adds: ``{"outcomes", "outcomes_detail", "outcomes_given_deal"}`` (empty without
    outcomes). With a consent rule ``outcomes`` is unconditional; ``outcomes_given_deal`` is conditional on a deal."""
    if not scenario.outcomes:
        return {}
    probs = forecast_outcomes(forecast, scenario)
    return {
        "outcomes": outcomes_json(probs),
        "outcomes_detail": outcomes_detail(probs),
        "outcomes_given_deal": outcomes_given_deal(forecast, scenario),
    }
