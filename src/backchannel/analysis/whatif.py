"""What-if: the same ensemble run on the scenario and on a variant with levers or overrides applied.

Both runs use common random numbers: the ensemble draws each uncertain input from a stream
keyed by the seed and the input's name, and seeds each model chunk by the seed and the chunk,
so baseline draw b and variant draw b differ only by what the lever changed. A lever that
changes nothing therefore shows exactly zero change. The noise of a change is judged from the
paired differences: its standard error is sd(variant_b − baseline_b) / sqrt(B), and a change
"exceeds noise" when |change| > z × that error (z = 1.96 by default); without draws there is
no Monte Carlo noise and any non-zero change counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..ensemble import apply_lever, apply_overrides, run_forecast
from ..ensemble.forecast import Forecast, ModelForecast
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .outcomes import UNNAMED, UNNAMED_NO_DEAL, model_labels

__all__ = ["Change", "WhatIf", "paired_change", "variant_of", "whatif"]


@dataclass(frozen=True)
class Change:
    """Baseline and variant value of one quantity, their paired difference and its noise."""

    baseline: float | None
    variant: float | None
    change: float | None
    stderr: float | None
    exceeds_noise: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready change."""
        return {
            "baseline": self.baseline,
            "variant": self.variant,
            "change": self.change,
            "stderr": self.stderr,
            "exceeds_noise": self.exceeds_noise,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        """Read a change's JSON back."""
        return cls(
            data.get("baseline"),
            data.get("variant"),
            data.get("change"),
            data.get("stderr"),
            bool(data.get("exceeds_noise")),
        )


def _num(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def paired_change(base: np.ndarray, variant: np.ndarray, z: float = 1.96) -> Change:
    """Mean change of paired draws (B,) and whether it exceeds z paired standard errors."""
    base, variant = np.asarray(base, float), np.asarray(variant, float)
    ok = np.isfinite(base) & np.isfinite(variant)
    if not ok.any():
        return Change(None, None, None, None, False)
    d = variant[ok] - base[ok]
    change = float(d.mean())
    se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else 0.0
    exceeds = bool(abs(change) > z * se) if d.size > 1 else bool(change != 0.0)
    return Change(_num(base[ok].mean()), _num(variant[ok].mean()), change, se if d.size > 1 else None, exceeds)


def variant_of(
    scenario: Scenario,
    levers: Sequence[str] = (),
    overrides: Mapping[str, float] | None = None,
    intensity: Mapping[str, float] | None = None,
) -> Scenario:
    """The scenario with the named levers (in order, each at its ``intensity``, default 1) and then the
    overrides applied."""
    intensity = dict(intensity or {})
    unknown = [k for k in intensity if k not in levers]
    if unknown:
        raise InputError(
            "an intensity is given for a lever that is not pulled",
            field="lever_intensity",
            value=unknown[0],
            allowed=", ".join(levers) or "no levers pulled",
        )
    out = scenario
    for lever in levers:
        out = apply_lever(out, lever, intensity.get(lever, 1.0))
    return apply_overrides(out, dict(overrides or {})) if overrides else out


@dataclass(frozen=True, eq=False)
class WhatIf:
    """Per model: per-issue and per-named-outcome changes from baseline to variant."""

    scenario: str
    levers: tuple[str, ...]
    overrides: dict[str, float]
    draws: int
    seed: int
    issues: dict[str, dict[str, Change]]
    outcomes: dict[str, dict[str, Change]]
    #: per model, the change of the one-shot P(deal)
    agreement: dict[str, Change] = field(default_factory=dict)
    #: per model, the cumulative P(deal) by date of baseline and variant (empty without a horizon)
    agreement_by_date: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: the fraction 0..1 of its full effect each pulled lever was applied at (absent: 1)
    lever_intensity: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"models": {model: {"issues", "outcomes", "agreement"}}}`` plus the run settings;
        ``lever_intensity`` gives every pulled lever's fraction (1 = in full)."""
        intensity = {lv: float((self.lever_intensity or {}).get(lv, 1.0)) for lv in self.levers}
        return {
            "scenario": self.scenario,
            "levers": list(self.levers),
            "lever_intensity": intensity,
            "overrides": dict(self.overrides),
            "draws": self.draws,
            "seed": self.seed,
            "models": {
                m: {
                    "issues": {k: c.to_dict() for k, c in self.issues[m].items()},
                    "outcomes": {k: c.to_dict() for k, c in self.outcomes[m].items()},
                    **(
                        {
                            "agreement": self.agreement[m].to_dict(),
                            "agreement_by_date": self.agreement_by_date.get(m, []),
                        }
                        if m in self.agreement
                        else {}
                    ),
                }
                for m in self.issues
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WhatIf:
        """Read a what-if's JSON (a recorded run's results) back."""
        models = data.get("models", {})
        return cls(
            scenario=data["scenario"],
            levers=tuple(data.get("levers", ())),
            overrides=dict(data.get("overrides", {})),
            draws=int(data["draws"]),
            seed=int(data["seed"]),
            issues={m: {k: Change.from_dict(c) for k, c in parts["issues"].items()} for m, parts in models.items()},
            outcomes={m: {k: Change.from_dict(c) for k, c in parts["outcomes"].items()} for m, parts in models.items()},
            agreement={m: Change.from_dict(parts["agreement"]) for m, parts in models.items() if "agreement" in parts},
            agreement_by_date={
                m: list(parts.get("agreement_by_date", [])) for m, parts in models.items() if "agreement" in parts
            },
            lever_intensity=dict(data.get("lever_intensity") or {}) or None,
        )


def _samples(mf: ModelForecast) -> np.ndarray:
    samples: np.ndarray = mf.samples if mf.samples is not None and len(mf.samples) else mf.point.outcome[None, :]
    return samples


def whatif(
    scenario: Scenario,
    models: Sequence[str],
    levers: Sequence[str] = (),
    overrides: Mapping[str, float] | None = None,
    draws: int = 1000,
    seed: int = 0,
    z: float = 1.96,
    intensity: Mapping[str, float] | None = None,
    baseline: Forecast | None = None,
    **forecast_options: Any,
) -> WhatIf:
    """Run baseline and variant with common random numbers and compare them. A ``progress(done, total)``
    in ``forecast_options`` counts the steps of both runs (the baseline's first). ``baseline``: the
    baseline already run with the same scenario, models, draws and seed (what-ifs of several levers share
    it; the result is the same as without it, since a forecast depends only on those and the seed)."""
    variant = variant_of(scenario, levers, overrides, intensity)
    progress = forecast_options.pop("progress", None)

    def half(k: int) -> Callable[[int, int], None] | None:  # run k of 2 reports its steps after the k runs before it
        return (lambda done, total: progress(k * total + done, 2 * total)) if progress else None

    if baseline is not None and (baseline.draws, baseline.seed, list(baseline.models)) != (draws, seed, list(models)):
        raise ValueError("the baseline given was run with other draws, seed or models")
    base = baseline or run_forecast(scenario, models, draws, seed, progress=half(0), **forecast_options)
    other = run_forecast(variant, models, draws, seed, progress=half(1), **forecast_options)
    issue_changes: dict[str, dict[str, Change]] = {}
    outcome_changes: dict[str, dict[str, Change]] = {}
    consent = scenario.consent is not None
    names = [o.id for o in scenario.outcomes] + [UNNAMED] + ([UNNAMED_NO_DEAL] if consent else [])
    codes = {UNNAMED: -1, UNNAMED_NO_DEAL: -2}
    agreement_changes: dict[str, Change] = {}
    curves: dict[str, list[dict[str, Any]]] = {}
    for m in base.models:
        b, v = _samples(base.models[m]), _samples(other.models[m])
        issue_changes[m] = {issue: paired_change(b[:, k], v[:, k], z) for k, issue in enumerate(base.issues)}
        ab, av = base.agreement.get(m), other.agreement.get(m)
        lb = model_labels(base.models[m], ab, consent, base.issues, scenario.outcomes)
        lv = model_labels(other.models[m], av, consent, base.issues, scenario.outcomes)
        outcome_changes[m] = {}
        for k, name in enumerate(names):
            label = codes.get(name, k)
            outcome_changes[m][name] = paired_change((lb == label).astype(float), (lv == label).astype(float), z)
        if ab is not None and av is not None:
            agreement_changes[m] = paired_change(ab.deal.astype(float), av.deal.astype(float), z)
            curves[m] = [
                {"date": d.isoformat(), "baseline": p0, "variant": p1, "change": p1 - p0}
                for (d, p0), (_, p1) in zip(ab.by_date, av.by_date)
            ]
    return WhatIf(
        scenario.id,
        tuple(levers),
        dict(overrides or {}),
        int(draws),
        int(seed),
        issue_changes,
        outcome_changes,
        agreement_changes,
        curves,
        dict(intensity or {}),
    )
