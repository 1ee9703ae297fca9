"""Server-side SVG charts shared by the web app and the HTML report (no scripts, no network)."""
from __future__ import annotations

import math
from html import escape
from typing import Any, Mapping, Sequence

__all__ = ["heatmap", "interval_chart", "bar_chart", "deal_curve", "PALETTE"]

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]


def _color(value: float) -> str:
    """Blue (0) through white (50) to red (100): the issue scales' two ends."""
    t = max(0.0, min(1.0, value / 100.0))
    if t < 0.5:
        k = t / 0.5
        r, g, b = int(33 + k * (247 - 33)), int(102 + k * (247 - 102)), int(172 + k * (247 - 172))
    else:
        k = (t - 0.5) / 0.5
        r, g, b = int(247 - k * (247 - 178)), int(247 - k * (247 - 24)), int(247 - k * (247 - 43))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(rows: Sequence[str], cols: Sequence[str], value: Mapping[tuple[str, str], float],
            salience: Mapping[tuple[str, str], float], row_note: Mapping[str, str] | None = None,
            title: str = "Positions") -> str:
    """Actors × issues: cell colour = position (0 blue … 100 red), inner square size = salience."""
    # column labels run up and to the right at 30°: room above for the longest (≈ 7 px a character)
    longest = max((len(c) for c in cols), default=0)
    cw, ch, left, top = 92, 34, 170, 24 + int(3.5 * longest)
    width, height = left + cw * len(cols) + 10 + int(6.1 * longest), top + ch * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    for j, c in enumerate(cols):
        x = left + j * cw + cw / 2 - 12
        out.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="start" transform="rotate(-30 {x:.0f} {top - 8})">'
                   f"{escape(c)}</text>")
    for i, r in enumerate(rows):
        y = top + i * ch
        label = r + (f" ({row_note[r]})" if row_note and r in row_note else "")
        out.append(f'<text x="{left - 6}" y="{y + ch / 2 + 4:.0f}" text-anchor="end">{escape(label)}</text>')
        for j, c in enumerate(cols):
            x = left + j * cw
            if (r, c) not in value:
                out.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="#eee"/>')
                continue
            v, s = value[(r, c)], salience.get((r, c), 0.0)
            side = max(4.0, (ch - 6) * math.sqrt(max(0.0, min(1.0, s))))
            out.append(f'<g><title>{escape(r)} on {escape(c)}: position {v:.0f}, salience {s:.2f}</title>'
                       f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{_color(v)}"/>'
                       f'<rect x="{x + 4}" y="{y + (ch - 2 - side) / 2:.1f}" width="{side:.1f}" height="{side:.1f}" '
                       f'fill="none" stroke="#333" stroke-width="1"/>'
                       f'<text x="{x + cw - 8}" y="{y + ch / 2 + 4:.0f}" text-anchor="end">{v:.0f}</text></g>')
    out.append(f'<text x="{left}" y="{height - 8}" fill="#555">colour: position (0 blue, 50 white, 100 red); '
               f"square: salience</text></svg>")
    return "".join(out)


def interval_chart(issues: Sequence[str], series: Mapping[str, Mapping[str, Mapping[str, Any]]],
                   status_quo: Mapping[str, float | None] | None = None, title: str = "Forecast") -> str:
    """Per issue, per model: the point forecast (dot), the 25–75 % box and the 5–95 % whiskers on 0..100.

    ``series[model][issue]`` has ``point`` and optionally ``p05, p25, p75, p95``.
    """
    models = list(series)
    row_h = 16 * max(1, len(models)) + 12
    left, right, top = 190, 30, 40
    plot_w = 520
    width, height = left + plot_w + right, top + row_h * len(issues) + 40

    def xpos(v: float) -> float:
        return left + plot_w * max(0.0, min(100.0, v)) / 100.0

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    for tick in range(0, 101, 25):
        x = xpos(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 34}" stroke="#ddd"/>'
                   f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#555">{tick}</text>')
    for k, m in enumerate(models):
        out.append(f'<rect x="{left + 110 * k}" y="{height - 22}" width="10" height="10" fill="{PALETTE[k % 8]}"/>'
                   f'<text x="{left + 110 * k + 14}" y="{height - 13}">{escape(m)}</text>')
    for i, issue in enumerate(issues):
        y0 = top + i * row_h
        out.append(f'<text x="{left - 8}" y="{y0 + row_h / 2 + 4:.0f}" text-anchor="end">{escape(issue)}</text>')
        sq = (status_quo or {}).get(issue)
        if sq is not None and not math.isnan(sq):
            x = xpos(sq)
            out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + row_h - 6}" stroke="#777" '
                       f'stroke-dasharray="3,2"><title>status quo {sq:.1f}</title></line>')
        for k, m in enumerate(models):
            d = series[m].get(issue)
            if not d or d.get("point") is None:
                continue
            y = y0 + 8 + 16 * k
            c = PALETTE[k % 8]
            tip = f"{m} on {issue}: {d['point']:.1f}"
            if d.get("p05") is not None:
                tip += f" (5–95 %: {d['p05']:.1f}–{d['p95']:.1f})"
                out.append(f'<line x1="{xpos(d["p05"]):.1f}" y1="{y}" x2="{xpos(d["p95"]):.1f}" y2="{y}" stroke="{c}"/>')
                out.append(f'<rect x="{xpos(d["p25"]):.1f}" y="{y - 4}" width="{max(1.0, xpos(d["p75"]) - xpos(d["p25"])):.1f}" '
                           f'height="8" fill="{c}" fill-opacity="0.35" stroke="{c}"/>')
            out.append(f'<circle cx="{xpos(d["point"]):.1f}" cy="{y}" r="4" fill="{c}"><title>{escape(tip)}</title></circle>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(labels: Sequence[str], series: Mapping[str, Mapping[str, float]], title: str = "Probability",
              maximum: float = 1.0, percent: bool = True) -> str:
    """Grouped horizontal bars: ``series[name][label]`` (e.g. outcome probabilities per model)."""
    names = list(series)
    row_h = 14 * max(1, len(names)) + 10
    left, plot_w, top = 250, 360, 20
    width, height = left + plot_w + 70, top + row_h * len(labels) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    for i, label in enumerate(labels):
        y0 = top + i * row_h
        out.append(f'<text x="{left - 8}" y="{y0 + row_h / 2 + 4:.0f}" text-anchor="end">{escape(label)}</text>')
        for k, n in enumerate(names):
            v = series[n].get(label)
            if v is None:
                continue
            w = plot_w * max(0.0, min(maximum, v)) / maximum
            y = y0 + 4 + 14 * k
            text = f"{100 * v:.1f} %" if percent else f"{v:.2f}"
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="11" fill="{PALETTE[k % 8]}">'
                       f"<title>{escape(n)}: {text}</title></rect>"
                       f'<text x="{left + w + 4:.1f}" y="{y + 10}">{text}</text>')
    for k, n in enumerate(names):
        out.append(f'<rect x="{left + 110 * k}" y="{height - 18}" width="10" height="10" fill="{PALETTE[k % 8]}"/>'
                   f'<text x="{left + 110 * k + 14}" y="{height - 9}">{escape(n)}</text>')
    out.append("</svg>")
    return "".join(out)


def deal_curve(series: Mapping[str, Sequence[tuple[str, float]]], title: str = "Cumulative P(deal) by date") -> str:
    """Per model, the cumulative probability of a deal at each date (ISO strings, in order; the first is as_of)."""
    names = [n for n in series if series[n]]
    dates = list(next(iter(series[n] for n in names), []))
    left, top, plot_w, plot_h = 60, 24, 520, 200
    width, height = left + plot_w + 30, top + plot_h + 70
    n = max(1, len(dates) - 1)

    def xy(k: int, p: float) -> tuple[float, float]:
        return left + plot_w * k / n, top + plot_h * (1.0 - max(0.0, min(1.0, p)))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        _, y = xy(0, tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{100 * tick:.0f} %</text>')
    for k in sorted({0, n // 2, n}):
        if k < len(dates):
            x, _ = xy(k, 0.0)
            out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#555">'
                       f"{escape(dates[k][0])}</text>")
    for j, name in enumerate(names):
        c = PALETTE[j % 8]
        pts = " ".join(f"{xy(k, p)[0]:.1f},{xy(k, p)[1]:.1f}" for k, (_, p) in enumerate(series[name]))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
        for k, (d, p) in enumerate(series[name]):
            x, y = xy(k, p)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{c}"><title>{escape(name)}: '
                       f"{100 * p:.1f} % by {escape(d)}</title></circle>")
        out.append(f'<rect x="{left + 110 * j}" y="{height - 22}" width="10" height="10" fill="{c}"/>'
                   f'<text x="{left + 110 * j + 14}" y="{height - 13}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)
