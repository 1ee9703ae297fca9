"""What a person sees of a forecast or a what-if: tables, SVG charts and a summary, built once for
both the web pages and the HTML report."""

from __future__ import annotations

import math
from typing import Any

from ..analysis.outcomes import UNNAMED
from ..analysis.whatif import Change, WhatIf
from ..app.results import Band, ForecastRun
from ..scenario.schema import Scenario
from . import charts
from .narrative import forecast_summary, headline_lines, issue_rows, outcome_name

__all__ = [
    "NO_VETO_NOTE",
    "agreement_view",
    "change_label",
    "forecast_view",
    "headline_view",
    "heatmap_of",
    "outcome_shares",
    "whatif_view",
]

UNNAMED_NO_DEAL = "unnamed_no_deal"
#: said once wherever a forecast of a scenario without a consent rule is shown
NO_VETO_NOTE = (
    "No consent rule in this scenario: no vetoes assumed, so every settlement counts as a deal "
    "(P(deal) is below 1 only where a model itself finds no deal)."
)


def _cell(point: float | None, band: Band | None) -> str:
    if point is None or (isinstance(point, float) and math.isnan(point)):
        return "–"
    return f"{point:.1f}" + (f" [{band['p05']:.1f}–{band['p95']:.1f}]" if band and band.get("p05") is not None else "")


def heatmap_of(scenario: Scenario) -> str:
    """Actors × issues heat map of a scenario's positions and saliences."""
    return charts.heatmap(
        [a.id for a in scenario.actors],
        [i.id for i in scenario.issues],
        {(p.actor, p.issue): p.position for p in scenario.positions},
        {(p.actor, p.issue): p.salience for p in scenario.positions},
        {a.id: f"cap {a.capability:.2f}" for a in scenario.actors},
    )


def outcome_shares(run: ForecastRun) -> dict[str, dict[str, float]]:
    """Per model: each named outcome's probability and the unnamed share (they sum to 1)."""
    return {m: dict(p.probability) for m, p in run.outcomes.items()}


def agreement_view(payload: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    """P(deal) ± s.e. per model, the deal-by-date curve (SVG) when the scenario has a horizon, and the
    no-veto note when it has no consent rule (from a forecast's JSON)."""
    agreement = payload.get("agreement") or {}
    draws = payload.get("draws", 0)
    rows = [
        (m, f"{100 * a['p_deal']:.1f} %" + (f" ± {100 * a['se']:.1f}" if draws else " (point)"))
        for m, a in agreement.items()
    ]
    curves = {
        m: [(as_of or "as of", a["p_deal"])] + [(d["date"], d["p_deal"]) for d in a["by_date"]]
        for m, a in agreement.items()
        if a["by_date"]
    }
    return {
        "agreement_rows": rows,
        "deal_chart": charts.deal_curve(curves, title="Cumulative P(deal) by date (first point: now)")
        if curves
        else "",
        "consent_note": NO_VETO_NOTE if "agreement" in payload and payload.get("consent") is None else "",
    }


def forecast_view(scenario: Scenario, run: ForecastRun) -> dict[str, Any]:
    """Chart, models-side-by-side rows, outcome probabilities and summary of a forecast."""
    models = list(run.models)
    issues = [i.id for i in scenario.issues]
    series = {m: {i: {"point": r.outcome.get(i), **(r.band(i) or {})} for i in issues} for m, r in run.models.items()}
    chart = charts.interval_chart(
        issues,
        series,
        {i.id: i.status_quo for i in scenario.issues},
        title="Forecast per issue: dot = point forecast, box = 25–75 %, line = 5–95 %",
    )
    rows = [
        {
            "issue": i.name,
            "sq": "–" if i.status_quo is None else f"{i.status_quo:g}",
            "cells": [_cell(r.outcome.get(i.id), r.band(i.id)) for r in run.models.values()],
        }
        for i in scenario.issues
    ]
    shares = outcome_shares(run)
    labels = [o.id for o in scenario.outcomes] + [UNNAMED]
    if any(UNNAMED_NO_DEAL in v for v in shares.values()):
        labels.append(UNNAMED_NO_DEAL)
    outcome_rows = (
        [
            (
                k,
                [
                    f"{100 * shares[m].get(k, 0.0):.1f} % ± {100 * run.outcomes[m].stderr.get(k, 0.0):.1f}"
                    for m in shares
                ],
            )
            for k in labels
        ]
        if shares
        else []
    )
    return {
        "models": models,
        "chart": chart,
        "rows": rows,
        "summary": forecast_summary(scenario, run),
        "outcome_models": list(shares),
        "outcome_rows": outcome_rows,
        "outcome_shares": shares,
        "outcome_chart": charts.bar_chart(labels, shares, title="Probability of each named outcome") if shares else "",
        "draws": run.draws,
        "seed": run.seed,
        "issue_rows": issue_rows(scenario, run),
        "outcomes_view": (
            "Unconditional: the deal-branch outcomes, the no-deal outcomes, “unnamed” (a deal in no "
            "named region) and “unnamed_no_deal” sum to 1."
            if UNNAMED_NO_DEAL in labels
            else ""
        ),
        **agreement_view(run.to_dict(), scenario.as_of.isoformat() if scenario.as_of else None),
    }


def headline_view(scenario: Scenario, headline: dict[str, Any] | None) -> dict[str, Any]:
    """The headline block's lines and the levers ranked by effect, as shown on the run page and in the report."""
    if not headline:
        return {"headline": None, "lever_rows": [], "lever_outcome": None, "lever_deal": False}
    rows = []
    for r in headline.get("levers") or []:

        def pp(v: float | None, sign: bool = True) -> str:
            return "–" if v is None else (f"{100 * v:+.1f}" if sign else f"{100 * v:.1f}")

        rows.append(
            {
                "lever": change_label(r["levers"], r["overrides"], r["intensity"]),
                "change": pp(r["change"]),
                "stderr": pp(r["stderr"], sign=False),
                "exceeds": r["exceeds_noise"],
                "deal_change": pp(r["deal_change"]),
                "deal_stderr": pp(r["deal_stderr"], sign=False),
            }
        )
    outcome = (headline.get("number") or {}).get("outcome")
    return {
        "headline": {
            "lines": headline_lines(scenario, headline),
            "model": headline["model"],
            "lever_draws": headline.get("lever_draws", 0),
        },
        "lever_rows": rows,
        "lever_outcome": outcome_name(scenario, outcome) if outcome else None,
        "lever_deal": any(r["deal_change"] is not None for r in headline.get("levers") or []),
    }


def change_label(levers, overrides, intensity=None) -> str:
    """What a what-if changes, as shown: levers in order (``id=F`` when at a fraction F of the full effect),
    then the overrides; "nothing" for neither."""
    shown = [lv if (intensity or {}).get(lv, 1.0) == 1.0 else f"{lv}={intensity[lv]:g}" for lv in levers]
    return " + ".join([*shown, *(f"{k}={v:g}" for k, v in overrides.items())]) or "nothing"


def whatif_view(scenario: Scenario, whatif: WhatIf) -> dict[str, Any]:
    """Per model, baseline and variant side by side for each issue and named outcome."""
    change = change_label(whatif.levers, whatif.overrides, whatif.lever_intensity)
    tables = []
    for model, issues in whatif.issues.items():
        rows = []
        for issue, c in issues.items():
            rows.append(_whatif_row(scenario.issue(issue).name, c, digits=1, percent=False, kind="issue", key=issue))
        for outcome, c in whatif.outcomes[model].items():
            rows.append(_whatif_row(f"P({outcome})", c, digits=1, percent=True, kind="outcome", key=outcome))
        if model in whatif.agreement:
            rows.append(
                _whatif_row("P(deal)", whatif.agreement[model], digits=1, percent=True, kind="agreement", key="p_deal")
            )
        tables.append({"model": model, "rows": rows})
    return {"change": change, "tables": tables, "draws": whatif.draws, "seed": whatif.seed}


def _whatif_row(name: str, c: Change, digits: int, percent: bool, kind: str, key: str) -> dict[str, Any]:
    scale = 100.0 if percent else 1.0
    unit = " %" if percent else ""

    def show(v: float | None) -> str:
        return "–" if v is None else f"{scale * v:.{digits}f}{unit}"

    delta = c.change
    return {
        "name": name,
        "kind": kind,
        "key": key,
        "baseline": show(c.baseline),
        "variant": show(c.variant),
        "change": "–" if delta is None else f"{scale * delta:+.{digits}f}{unit}",
        "stderr": show(c.stderr),
        "exceeds": c.exceeds_noise,
        "direction": "up" if (delta or 0) > 0 else ("down" if (delta or 0) < 0 else ""),
    }
