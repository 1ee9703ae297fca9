"""Plain-language summaries written from a forecast's numbers (for the web page and the report)."""

from __future__ import annotations

import math
from typing import Any

from ..analysis.outcomes import UNNAMED
from ..app.results import Band, ForecastRun
from ..scenario.schema import Issue, Scenario

__all__ = ["nearest_label", "forecast_summary", "headline_lines", "issue_rows", "outcome_name"]


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
    out = (
        f"Across {len(names)} model{'s' if len(names) > 1 else ''} ({', '.join(names)}): " + "; ".join(sentences) + "."
    )
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


def outcome_name(scenario: Scenario, outcome: str) -> str:
    """A named outcome as a person reads it: its name, else its id with spaces."""
    found = next((o for o in scenario.outcomes if o.id == outcome), None)
    return found.name if found and found.name else outcome.replace("_", " ")


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


def headline_lines(scenario: Scenario, h: dict[str, Any]) -> list[str]:
    """The headline block, 3–5 lines: the answer (and P(no deal)), what moved since the previous run, the swing
    actor and strongest lever, and how much the models disagree (``h`` from ``app.headline.build_headline``)."""
    model, n = h["model"], h.get("number")
    lines = []
    if n:
        first = (
            f"Most likely: {outcome_name(scenario, n['outcome'])}, {_pct(n['probability'])}"
            + (f" ± {100 * n['stderr']:.1f}" if n.get("stderr") is not None else "")
            + f" under {model} ({n['draws']:,} draws)"
        )
        if n.get("p_no_deal") is not None:
            first += f"; P(no deal) {_pct(n['p_no_deal'])}"
        lines.append(first + ".")
    else:
        lines.append(f"No named-outcome probabilities under {model}: run with draws on a scenario with named outcomes.")
    since = h.get("since")
    if since is None:
        lines.append("No earlier run of this scenario to compare with.")
    else:
        ref = f"run {since['run_id']}" if since.get("run_id") is not None else "the previous run"
        parts = []
        if since.get("outcome"):
            o = since["outcome"]
            parts.append(
                f"P({outcome_name(scenario, o['id'])}) {_pct(o['before'])} → {_pct(o['after'])} "
                f"({100 * o['change']:+.1f} pp)"
            )
        if since.get("issue"):
            i = since["issue"]
            parts.append(f"{i['id']} {i['before']:.1f} → {i['after']:.1f} ({i['change']:+.1f} points)")
        lines.append(f"Since {ref}: " + ("; ".join(parts) if parts else f"no change under {model}") + ".")
    third = []
    if h.get("swing"):
        w = h["swing"]
        third.append(
            f"Swing actor: {w['actor']} (its {w['field']} on {w['issue']}, moved {w.get('step', '')}, swings "
            f"the {model} forecast {w['swing']:.1f} points)".replace(", moved ,", ",")
        )
    levers = [r for r in h.get("levers") or [] if r.get("change") is not None]
    if levers:
        r = levers[0]
        third.append(
            f"strongest lever: {' + '.join(r['levers']) or 'overrides'} "
            f"({100 * r['change']:+.1f} pp ± {100 * (r['stderr'] or 0.0):.1f} on P({outcome_name(scenario, r['outcome'])}))"
        )
    if third:
        lines.append("; ".join(third) + ".")
    d = h.get("disagreement")
    if d is None:
        lines.append(f"One model ran ({model}); add models to see how far they disagree.")
    else:
        parts = []
        if d.get("outcome"):
            o = d["outcome"]
            parts.append(
                f"P({outcome_name(scenario, o['id'])}) from {_pct(o['low'])} ({o['low_model']}) "
                f"to {_pct(o['high'])} ({o['high_model']})"
            )
        if d.get("issue"):
            i = d["issue"]
            parts.append(f"widest on {i['id']}, {i['low']:.0f}–{i['high']:.0f}")
        lines.append(f"The {d['models']} models disagree: " + "; ".join(parts) + ".")
    return lines


def issue_rows(scenario: Scenario, run: ForecastRun) -> list[dict[str, str]]:
    """Per issue, for a table: where the models land (range), the nearest scale label, the move from the
    status quo and the widest 90 % band."""
    rows = []
    for issue in scenario.issues:
        points = [
            p for p in (m.outcome.get(issue.id) for m in run.models.values()) if p is not None and not math.isnan(p)
        ]
        if not points:
            continue
        lo, hi = min(points), max(points)
        mid = sum(points) / len(points)
        widths = [
            hi95 - lo05
            for b in (m.band(issue.id) for m in run.models.values())
            if b
            for lo05, hi95 in [(b.get("p05"), b.get("p95"))]
            if lo05 is not None and hi95 is not None
        ]
        delta = None if issue.status_quo is None else mid - issue.status_quo
        rows.append(
            {
                "issue": issue.name,
                "id": issue.id,
                "forecast": f"{mid:.0f}" if hi - lo < 5 else f"{lo:.0f}–{hi:.0f}",
                "label": nearest_label(issue, mid) or "–",
                "vs_status_quo": "–" if delta is None else f"{delta:+.0f}",
                "band": f"{max(widths):.0f}" if widths else "–",
            }
        )
    return rows
