"""A question's probability over time as an SVG chart: one point per recorded run, the resolution marked."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, Sequence

from .charts import PALETTE

__all__ = ["history_chart"]


def history_chart(question: dict[str, Any], width: int = 640, height: int = 260) -> str:
    """Each model's recorded probabilities by date (the headline model drawn thicker), with a vertical line at
    the resolution date labelled yes or no. ``question`` is the ledger's ``question(qid)`` dictionary."""
    points: Sequence[dict[str, Any]] = question.get("history") or []
    res = question.get("resolution")
    title = f"P({question['outcome']}) over time — question {question['id']}"
    dates = [dt.date.fromisoformat(p["as_of"]) for p in points]
    if res:
        dates.append(dt.date.fromisoformat(res["resolved_on"]))
    left, right, top, bottom = 48, 130, 24, 36
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    pw, ph = width - left - right, height - top - bottom
    for k in range(0, 101, 25):
        y = top + ph * (1 - k / 100)
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k} %</text>'
        )
    if not dates:
        out.append(f'<text x="{left + 10}" y="{top + ph / 2:.0f}" fill="#555">no recorded runs yet</text></svg>')
        return "".join(out)
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def x_of(d: dt.date) -> float:
        return left + pw * ((d - first).days / span if last > first else 0.5)

    out.append(
        f'<text x="{left}" y="{height - 10}">{first.isoformat()}</text>'
        f'<text x="{left + pw}" y="{height - 10}" text-anchor="end">{last.isoformat()}</text>'
    )
    models = list(dict.fromkeys(p["model"] for p in points))
    for m_idx, model in enumerate(models):
        colour = PALETTE[m_idx % len(PALETTE)]
        mine = [p for p in points if p["model"] == model]
        xy = [(x_of(dt.date.fromisoformat(p["as_of"])), top + ph * (1 - p["probability"])) for p in mine]
        headline = any(p["headline"] for p in mine)
        if len(xy) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{3 if headline else 1.5}"/>'
            )
        for (x, y), p in zip(xy, mine):
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if headline else 3}" fill="{colour}">'
                f"<title>{escape(model)}, run {p['run_id']}, {p['as_of']}: {100 * p['probability']:.1f} %</title>"
                "</circle>"
            )
        ly = top + 14 * m_idx + 6
        out.append(
            f'<rect x="{left + pw + 10}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + pw + 24}" y="{ly + 1}">{escape(model)}{" (headline)" if headline else ""}</text>'
        )
    if res:
        x = x_of(dt.date.fromisoformat(res["resolved_on"]))
        y = top if res["answer"] == "yes" else top + ph
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" stroke="#222" stroke-dasharray="4 3"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="none" stroke="#222" stroke-width="2"/>'
            f'<text x="{x - 4:.1f}" y="{top - 8}" text-anchor="end">resolved {escape(res["answer"])} '
            f"{escape(res['resolved_on'])}</text>"
        )
    out.append("</svg>")
    return "".join(out)
