"""Plain-language summaries written from a forecast's numbers (for the web page and the report)."""
from __future__ import annotations

import math
from ..analysis.outcomes import UNNAMED
from ..app.results import Band, ForecastRun
from ..scenario.schema import Issue, Scenario

__all__ = ["nearest_label", "forecast_summary"]


def nearest_label(issue: Issue, value: float) -> str | None:
    """The issue's labelled scale point closest to ``value``."""
    if not issue.scale:
        return None
    point = min(issue.scale, key=lambda k: abs(k - value))
    return issue.scale[point]


def _width(band: Band | None) -> float | None:
    """The 5–95 % width of an issue's distribution summary (None without one)."""
    if not band:
        return None
    high, low = band["p95"], band["p05"]
    return None if high is None or low is None else high - low


def forecast_summary(scenario: Scenario, run: ForecastRun) -> str:
    """One paragraph: per issue, where the models agree the outcome lands, how far from the status quo,
    how wide the uncertainty is, and the most likely named outcome."""
    models = run.models
    if not models:
        return "No model results."
    names = list(models)
    sentences = []
    for issue in scenario.issues:
        values = (models[m].outcome.get(issue.id) for m in names)
        points = [p for p in values if p is not None and not math.isnan(p)]
        if not points:
            continue
        lo, hi = min(points), max(points)
        mid = sum(points) / len(points)
        where = f"{mid:.0f}" if hi - lo < 5 else f"{lo:.0f}–{hi:.0f}"
        label = nearest_label(issue, mid)
        text = f"{issue.name}: {where}" + (f" (nearest label: “{label}”)" if label else "")
        if issue.status_quo is not None:
            delta = mid - issue.status_quo
            if abs(delta) >= 5:
                text += f", {abs(delta):.0f} points {'above' if delta > 0 else 'below'} the status quo"
            else:
                text += ", close to the status quo"
        widths = [w for w in (_width(models[m].band(issue.id)) for m in names) if w is not None]
        if widths:
            text += f"; 90 % band up to {max(widths):.0f} points wide"
        sentences.append(text)
    out = (f"Across {len(names)} model{'s' if len(names) > 1 else ''} ({', '.join(names)}): "
           + "; ".join(sentences) + ".")
    if run.outcomes:
        best = []
        for m, probs in run.outcomes.items():
            named = {k: v for k, v in probs.probability.items() if k != UNNAMED}
            if named:
                k = max(named, key=lambda key: named[key])
                best.append(f"{k.replace('_', ' ')} under {m} ({100 * named[k]:.0f} %)")
        if best:
            out += " Most likely named outcome: " + "; ".join(best) + "."
    return out
