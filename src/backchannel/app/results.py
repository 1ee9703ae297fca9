"""What the service returns: typed results that the CLI, the web app and the report read, each with one
``to_dict()`` giving its JSON (and ``from_dict()`` reading a recorded run back).

The forecast JSON is additive: a field this version does not know (one added by a later version, in a
recorded run) is kept in ``extra`` and written back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from ..analysis.markets import DISCLAIMER, MarketImpact
from ..analysis.outcomes import (
    UNNAMED,
    UNNAMED_NO_DEAL,
    OutcomeProbabilities,
    forecast_outcomes,
    outcomes_detail,
    outcomes_given_deal,
    outcomes_json,
)
from ..analysis.whatif import WhatIf
from ..ensemble.forecast import Forecast
from ..scenario.schema import Scenario

__all__ = ["ForecastRun", "MarketsResult", "ModelOutcome", "WhatIfRun"]

Band = dict[str, float | None]  # mean and quantiles (p05 … p95) of one issue's Monte Carlo outcome


@dataclass(frozen=True)
class ModelOutcome:
    """One model's part of a forecast: the point outcome per issue and, with draws, its distribution."""

    outcome: dict[str, float | None]
    rounds: int
    converged: bool
    distribution: dict[str, Band] | None = None
    #: the other fields of the model's JSON (diagnostics, final positions, later additions), in order
    extra: dict[str, Any] = field(default_factory=dict)

    def band(self, issue: str) -> Band | None:
        """The issue's distribution summary, or None for a point forecast."""
        return None if self.distribution is None else self.distribution.get(issue)

    def to_dict(self) -> dict[str, Any]:
        """The model's JSON, as `ModelForecast.to_dict` writes it."""
        out: dict[str, Any] = {"outcome": self.outcome}
        if self.distribution is not None:
            out["distribution"] = self.distribution
        out["rounds"] = self.rounds
        out["converged"] = self.converged
        return out | self.extra

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelOutcome:
        """Read the model's JSON back."""
        known = ("outcome", "distribution", "rounds", "converged")
        return cls(
            outcome=dict(data["outcome"]),
            rounds=int(data["rounds"]),
            converged=bool(data["converged"]),
            distribution=data.get("distribution"),
            extra={k: v for k, v in data.items() if k not in known},
        )


@dataclass(frozen=True)
class ForecastRun:
    """A forecast of several models: per model its outcome, the named-outcome probabilities (with draws, on
    a scenario that names outcomes), and the id of the run that recorded it (None when not recorded)."""

    scenario: str
    seed: int
    draws: int
    models: dict[str, ModelOutcome]
    outcomes: dict[str, OutcomeProbabilities] = field(default_factory=dict)
    run_id: int | None = None
    #: top-level fields of a recorded payload that this version does not model, in order
    extra: dict[str, Any] = field(default_factory=dict)
    #: the consent rule as JSON (None: no vetoes assumed, every draw a deal)
    consent: dict[str, Any] | None = None
    #: per model ``{"p_deal", "se", "by_date"}`` (empty only for runs recorded before the agreement layer)
    agreement: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: per model, the deal-branch outcomes' shares among the draws that are a deal
    outcomes_given_deal: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @classmethod
    def from_forecast(cls, forecast: Forecast, scenario: Scenario) -> ForecastRun:
        """The result of an ensemble forecast; named outcomes are counted when it has draws."""
        counted = forecast.draws and scenario.outcomes
        outcomes = forecast_outcomes(forecast, scenario) if counted else {}
        return cls(
            scenario=forecast.scenario,
            seed=forecast.seed,
            draws=forecast.draws,
            models={name: ModelOutcome.from_dict(mf.to_dict()) for name, mf in forecast.models.items()},
            outcomes=outcomes,
            consent=forecast.consent,
            agreement={name: a.to_dict() for name, a in forecast.agreement.items()},
            outcomes_given_deal=outcomes_given_deal(forecast, scenario) if counted else {},
        )

    def recorded(self, run_id: int) -> ForecastRun:
        """The same forecast, recorded as run ``run_id``."""
        return replace(self, run_id=run_id)

    def to_dict(self) -> dict[str, Any]:
        """The forecast JSON (``forecast --json``, the API, the stored run). Every field is assembled here."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "seed": self.seed,
            "draws": self.draws,
            "models": {name: m.to_dict() for name, m in self.models.items()},
        }
        if self.outcomes:
            out["outcomes"] = outcomes_json(self.outcomes)
            out["outcomes_detail"] = outcomes_detail(self.outcomes)
            out["outcomes_given_deal"] = self.outcomes_given_deal
        if self.agreement:
            out["consent"] = self.consent
            out["agreement"] = self.agreement
        out.update(self.extra)
        if self.run_id is not None:
            out["run_id"] = self.run_id
        return out

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> ForecastRun:
        """Read a forecast's JSON (a recorded run's results) back."""
        named = payload.get("outcomes") or {}
        details = payload.get("outcomes_detail") or {}
        outcomes = {}
        for model, probs in named.items():
            d = details[model]
            probability = {**probs, UNNAMED: d[UNNAMED]}
            if UNNAMED_NO_DEAL in d:
                probability[UNNAMED_NO_DEAL] = d[UNNAMED_NO_DEAL]
            outcomes[model] = OutcomeProbabilities(
                draws=d["draws"], probability=probability, stderr=dict(d["stderr"]), overlap=d["overlap"]
            )
        known = (
            "scenario",
            "seed",
            "draws",
            "models",
            "outcomes",
            "outcomes_detail",
            "outcomes_given_deal",
            "consent",
            "agreement",
            "run_id",
        )
        return cls(
            scenario=payload["scenario"],
            seed=int(payload["seed"]),
            draws=int(payload["draws"]),
            models={name: ModelOutcome.from_dict(m) for name, m in payload["models"].items()},
            outcomes=outcomes,
            run_id=payload.get("run_id"),
            extra={k: v for k, v in payload.items() if k not in known},
            consent=payload.get("consent"),
            agreement=dict(payload.get("agreement") or {}),
            outcomes_given_deal=dict(payload.get("outcomes_given_deal") or {}),
        )


@dataclass(frozen=True)
class MarketsResult:
    """Each market variable's expected move and 5–95 % band under one model's outcome probabilities."""

    scenario: str
    model: str
    draws: int
    seed: int
    #: the probabilities that weight the moves: each named outcome, then the unnamed share
    probabilities: dict[str, float]
    variables: dict[str, MarketImpact]
    disclaimer: str = DISCLAIMER
    #: the scenario's consent rule (None: no vetoes assumed) and the model's P(deal), its s.e. and curve
    consent: dict[str, Any] | None = None
    agreement: dict[str, Any] | None = None
    #: against market-implied probabilities (``analysis.markets.versus_implied``), when some were given
    versus: dict[str, Any] | None = None
    #: the what-if forecast first (levers, their intensity, overrides), when one was asked for
    whatif: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``markets --json`` and the API; with priced-in probabilities it adds ``implied``,
        ``gap``, ``implied_note`` and per variable ``implied_expected`` and ``move_vs_implied``; after a
        what-if, ``levers``, ``lever_intensity`` and ``overrides``."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "model": self.model,
            "draws": self.draws,
            "seed": self.seed,
            "disclaimer": self.disclaimer,
            "outcomes": dict(self.probabilities),
            "variables": {k: v.to_dict() for k, v in self.variables.items()},
        }
        if self.agreement is not None:
            out |= {"consent": self.consent, "agreement": {self.model: self.agreement}}
        if self.whatif is not None:
            out.update(self.whatif)
        if self.versus is not None:
            out.update(
                implied=self.versus["implied"],
                given=self.versus["given"],
                gap=self.versus["gap"],
                implied_note=self.versus["note"],
            )
            for k, v in self.versus["variables"].items():
                out["variables"][k].update(implied_expected=v["implied_expected"], move_vs_implied=v["move_vs_implied"])
        return out


@dataclass(frozen=True)
class WhatIfRun:
    """A what-if (baseline and variant per model, on common random numbers) and the id of the run that
    recorded it."""

    whatif: WhatIf
    run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``whatif --json`` and the API."""
        out = self.whatif.to_dict()
        if self.run_id is not None:
            out["run_id"] = self.run_id
        return out
