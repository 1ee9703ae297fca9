"""Rendering the report from a scenario and a forecast payload; same inputs give the same bytes."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__, charts
from ..narrative import forecast_summary
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario

__all__ = ["render_report"]

_ENV = Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                   autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def _cell(point: float | None, band: dict[str, float] | None) -> str:
    if point is None or (isinstance(point, float) and math.isnan(point)):
        return "–"
    return f"{point:.1f}" + (f" [{band['p05']:.1f}–{band['p95']:.1f}]" if band else "")


def render_report(scenario: Scenario, payload: dict[str, Any], whatifs: list[dict[str, Any]] | None = None,
                  provenance: dict[str, Any] | None = None) -> str:
    """The report as one HTML string: scenario and citations, forecast charts, model comparison,
    outcome probabilities and what-ifs. Deterministic: no clock, no randomness."""
    models = list(payload.get("models", {}))
    issues = [i.id for i in scenario.issues]
    series = {m: {i: {"point": payload["models"][m]["outcome"].get(i),
                      **(payload["models"][m].get("distribution", {}).get(i) or {})} for i in issues}
              for m in models}
    forecast_chart = charts.interval_chart(issues, series, {i.id: i.status_quo for i in scenario.issues},
                                           title="Forecast per issue: dot = point forecast, box = 25–75 %, line = 5–95 %")
    heat = charts.heatmap([a.id for a in scenario.actors], issues,
                          {(p.actor, p.issue): p.position for p in scenario.positions},
                          {(p.actor, p.issue): p.salience for p in scenario.positions},
                          {a.id: f"cap {a.capability:.2f}" for a in scenario.actors})
    rows = [{"issue": i.name, "sq": "–" if i.status_quo is None else f"{i.status_quo:g}",
             "cells": [_cell(payload["models"][m]["outcome"].get(i.id),
                             payload["models"][m].get("distribution", {}).get(i.id)) for m in models]}
            for i in scenario.issues]
    outcomes = payload.get("outcomes") or {}
    labels = [o.id for o in scenario.outcomes] + (["unnamed"] if outcomes else [])
    outcome_chart = charts.bar_chart(labels, outcomes, title="Probability of each named outcome") if outcomes else ""
    context = {
        "s": scenario, "hash": scenario_hash(scenario), "version": __version__, "models": models, "rows": rows,
        "summary": forecast_summary(scenario, payload), "forecast_chart": forecast_chart, "heatmap": heat,
        "outcome_chart": outcome_chart, "outcomes": outcomes, "labels": labels, "whatifs": whatifs or [],
        "seed": payload.get("seed"), "draws": payload.get("draws", 0),
        "provenance": provenance or {},
    }
    return _ENV.get_template("report.html").render(**context)
