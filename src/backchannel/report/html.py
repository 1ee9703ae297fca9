"""Rendering the report from a scenario and a forecast; same inputs give the same bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..analysis.whatif import WhatIf
from ..app.results import ForecastRun, MarketsResult
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from .history import history_chart
from .view import forecast_view, headline_view, heatmap_of, whatif_view

__all__ = ["render_report"]

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def render_report(
    scenario: Scenario,
    forecast: ForecastRun,
    whatifs: list[WhatIf] | None = None,
    markets: MarketsResult | None = None,
    provenance: dict[str, Any] | None = None,
    questions: list[dict[str, Any]] | None = None,
    headline: dict[str, Any] | None = None,
) -> str:
    """The report as one HTML string: scenario and citations, forecast charts, model comparison,
    outcome probabilities, market impacts, what-ifs and, given the ledger's ``question(qid)`` dictionaries, each
    question's probability over time. Deterministic: no clock, no randomness."""
    lever_text = {lv.id: lv.description for lv in scenario.levers}
    views = []
    for w in whatifs or []:
        view = whatif_view(scenario, w)
        view["description"] = " ".join(lever_text.get(k, "") or "" for k in w.levers).strip()
        views.append(view)
    return _ENV.get_template("report.html").render(
        s=scenario,
        hash=scenario_hash(scenario),
        version=__version__,
        heatmap=heatmap_of(scenario),
        whatifs=views,
        markets=markets,
        provenance=provenance or {},
        questions=[{**q, "chart": history_chart(q)} for q in questions or []],
        **forecast_view(scenario, forecast),
        **headline_view(scenario, headline),
    )
