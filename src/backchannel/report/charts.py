"""Server-side SVG charts shared by the web app and the HTML report (no scripts, no network)."""

from __future__ import annotations

import math
from html import escape
from typing import Any, Mapping, Sequence

__all__ = [
    "heatmap",
    "interval_chart",
    "bar_chart",
    "deal_curve",
    "legend",
    "legend_height",
    "text_width",
    "PALETTE",
    "MAX_SERIES",
]

#: Ten colours told apart with the common colour-vision deficiencies: the eight of Okabe & Ito,
#: "Color Universal Design" (2008, https://jfly.uni-koeln.de/color/), darkest first and yellow last
#: (it is faint on white), then wine and olive from Paul Tol's colour-blind-safe "muted" scheme
#: (https://personal.sron.nl/~pault/). Up to ten series each get their own colour.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255", "#999933", "#F0E442"]
MAX_SERIES = len(PALETTE)
#: A safe upper bound of a character's width at font-size 12 in a sans-serif face ("m" and "w" are
#: about 10 px, most letters 6–7): labels are laid out with it so they never run past the chart.
CHAR_PX = 7.5
_SWATCH, _GAP, _LINE = 14, 18, 18


def text_width(text: str) -> float:
    """An upper bound of the drawn width of ``text`` at font-size 12 (see ``CHAR_PX``)."""
    return CHAR_PX * len(text)


def _legend_rows(names: Sequence[str], x0: float, width: float) -> list[list[tuple[str, float]]]:
    """Legend entries placed left to right, wrapping to a new row before one would pass ``width``."""
    rows: list[list[tuple[str, float]]] = [[]]
    x = x0
    for name in names:
        w = _SWATCH + text_width(name)
        if rows[-1] and x + w > width:
            rows.append([])
            x = x0
        rows[-1].append((name, x))
        x += w + _GAP
    return rows


def legend_height(names: Sequence[str], x0: float, width: float) -> int:
    """The height the legend of ``names`` needs when it wraps inside ``x0..width``."""
    return _LINE * len(_legend_rows(names, x0, width)) if names else 0


def legend(names: Sequence[str], x0: float, y0: float, width: float) -> str:
    """A legend that wraps inside ``x0..width``: a colour swatch and the name of every series, row by row."""
    out = []
    for r, row in enumerate(_legend_rows(names, x0, width)):
        y = y0 + _LINE * r
        for name, x in row:
            k = list(names).index(name)
            out.append(
                f'<rect x="{x:.0f}" y="{y:.0f}" width="10" height="10" fill="{PALETTE[k % MAX_SERIES]}"/>'
                f'<text x="{x + _SWATCH:.0f}" y="{y + 9:.0f}" class="legend">{escape(name)}</text>'
            )
    return "".join(out)


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


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    value: Mapping[tuple[str, str], float],
    salience: Mapping[tuple[str, str], float],
    row_note: Mapping[str, str] | None = None,
    title: str = "Positions",
) -> str:
    """Actors × issues: cell colour = position (0 blue … 100 red), inner square size = salience."""
    # column labels run up and to the right at 30°: room above for the longest (≈ 7 px a character)
    longest = max((len(c) for c in cols), default=0)
    cw, ch, left, top = 92, 34, 170, 24 + int(3.5 * longest)
    width, height = left + cw * len(cols) + 10 + int(6.1 * longest), top + ch * len(rows) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for j, c in enumerate(cols):
        x = left + j * cw + cw / 2 - 12
        out.append(
            f'<text x="{x:.0f}" y="{top - 8}" text-anchor="start" transform="rotate(-30 {x:.0f} {top - 8})">'
            f"{escape(c)}</text>"
        )
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
            out.append(
                f"<g><title>{escape(r)} on {escape(c)}: position {v:.0f}, salience {s:.2f}</title>"
                f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{_color(v)}"/>'
                f'<rect x="{x + 4}" y="{y + (ch - 2 - side) / 2:.1f}" width="{side:.1f}" height="{side:.1f}" '
                f'fill="none" stroke="#333" stroke-width="1"/>'
                f'<text x="{x + cw - 8}" y="{y + ch / 2 + 4:.0f}" text-anchor="end">{v:.0f}</text></g>'
            )
    out.append(
        f'<text x="{left}" y="{height - 8}" fill="#555">colour: position (0 blue, 50 white, 100 red); '
        f"square: salience</text></svg>"
    )
    return "".join(out)


def interval_chart(
    issues: Sequence[str],
    series: Mapping[str, Mapping[str, Mapping[str, Any]]],
    status_quo: Mapping[str, float | None] | None = None,
    title: str = "Forecast",
) -> str:
    """Per issue, per model: the point forecast (dot), the 25–75 % box and the 5–95 % whiskers on 0..100.

    ``series[model][issue]`` has ``point`` and optionally ``p05, p25, p75, p95``.
    """
    models = list(series)
    row_h = 16 * max(1, len(models)) + 12
    left, right, top = 190, 30, 40
    plot_w = 520
    width = left + plot_w + right
    key_h = legend_height(models, 10, width - 10)
    height = top + row_h * len(issues) + 22 + key_h

    def xpos(v: float) -> float:
        return left + plot_w * max(0.0, min(100.0, v)) / 100.0

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, 101, 25):
        x = xpos(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row_h * len(issues)}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#555">{tick}</text>'
        )
    out.append(legend(models, 10, top + row_h * len(issues) + 12, width - 10))
    for i, issue in enumerate(issues):
        y0 = top + i * row_h
        out.append(f'<text x="{left - 8}" y="{y0 + row_h / 2 + 4:.0f}" text-anchor="end">{escape(issue)}</text>')
        sq = (status_quo or {}).get(issue)
        if sq is not None and not math.isnan(sq):
            x = xpos(sq)
            out.append(
                f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + row_h - 6}" stroke="#777" '
                f'stroke-dasharray="3,2"><title>status quo {sq:.1f}</title></line>'
            )
        for k, m in enumerate(models):
            d = series[m].get(issue)
            if not d or d.get("point") is None:
                continue
            y = y0 + 8 + 16 * k
            c = PALETTE[k % MAX_SERIES]
            tip = f"{m} on {issue}: {d['point']:.1f}"
            if d.get("p05") is not None:
                tip += f" (5–95 %: {d['p05']:.1f}–{d['p95']:.1f})"
                out.append(
                    f'<line x1="{xpos(d["p05"]):.1f}" y1="{y}" x2="{xpos(d["p95"]):.1f}" y2="{y}" stroke="{c}"/>'
                )
                out.append(
                    f'<rect x="{xpos(d["p25"]):.1f}" y="{y - 4}" width="{max(1.0, xpos(d["p75"]) - xpos(d["p25"])):.1f}" '
                    f'height="8" fill="{c}" fill-opacity="0.35" stroke="{c}"/>'
                )
            out.append(
                f'<circle cx="{xpos(d["point"]):.1f}" cy="{y}" r="4" fill="{c}"><title>{escape(tip)}</title></circle>'
            )
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Mapping[str, float]],
    title: str = "Probability",
    maximum: float = 1.0,
    percent: bool = True,
) -> str:
    """Grouped horizontal bars: ``series[name][label]`` (e.g. outcome probabilities per model)."""
    names = list(series)
    row_h = 14 * max(1, len(names)) + 10
    left, plot_w, top = 250, 360, 20
    width = left + plot_w + 70
    key_h = legend_height(names, 10, width - 10)
    height = top + row_h * len(labels) + 14 + key_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
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
            out.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="11" fill="{PALETTE[k % MAX_SERIES]}">'
                f"<title>{escape(n)}: {text}</title></rect>"
                f'<text x="{left + w + 4:.1f}" y="{y + 10}">{text}</text>'
            )
    out.append(legend(names, 10, top + row_h * len(labels) + 6, width - 10))
    out.append("</svg>")
    return "".join(out)


def deal_curve(series: Mapping[str, Sequence[tuple[str, float]]], title: str = "Cumulative P(deal) by date") -> str:
    """Per model, the cumulative probability of a deal at each date (ISO strings, in order; the first is as_of)."""
    names = [n for n in series if series[n]]
    dates = list(next(iter(series[n] for n in names), []))
    left, top, plot_w, plot_h = 60, 24, 520, 200
    width = left + plot_w + 30
    height = top + plot_h + 40 + legend_height(names, 10, width - 10)
    n = max(1, len(dates) - 1)

    def xy(k: int, p: float) -> tuple[float, float]:
        return left + plot_w * k / n, top + plot_h * (1.0 - max(0.0, min(1.0, p)))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        _, y = xy(0, tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{100 * tick:.0f} %</text>'
        )
    for k in sorted({0, n // 2, n}):
        if k < len(dates):
            x, _ = xy(k, 0.0)
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#555">'
                f"{escape(dates[k][0])}</text>"
            )
    for j, name in enumerate(names):
        c = PALETTE[j % MAX_SERIES]
        pts = " ".join(f"{xy(k, p)[0]:.1f},{xy(k, p)[1]:.1f}" for k, (_, p) in enumerate(series[name]))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
        for k, (d, p) in enumerate(series[name]):
            x, y = xy(k, p)
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{c}"><title>{escape(name)}: '
                f"{100 * p:.1f} % by {escape(d)}</title></circle>"
            )
    out.append(legend(names, 10, top + plot_h + 30, width - 10))
    out.append("</svg>")
    return "".join(out)
