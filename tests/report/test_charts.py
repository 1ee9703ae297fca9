"""Charts name every series inside their visible area, for up to ten models, in distinct colours."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from backchannel.models import model_names
from backchannel.report import charts

SVG = "{http://www.w3.org/2000/svg}"
# The registered models, then made-up longer names up to ten (a wider legend than any real one).
TEN = list(
    dict.fromkeys(model_names() + ["combined", "a_much_longer_model_name", "another_long_model", "x", "y", "z"])
)[:10]


def _view_box(svg: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in svg.get("viewBox", "").split())
    return w, h


def _names_inside(svg_text: str, names: list[str]) -> None:
    root = ET.fromstring(svg_text)
    width, height = _view_box(root)
    texts = {t.text: t for t in root.iter(SVG + "text") if t.get("class") == "legend"}
    for name in names:
        assert name in texts, f"{name} not drawn"
        t = texts[name]
        x, y = float(t.get("x")), float(t.get("y"))
        assert t.get("text-anchor", "start") == "start"
        assert 0 <= x and x + charts.text_width(name) <= width, (name, x, width)
        assert 12 <= y <= height, (name, y, height)


def _interval(names: list[str]) -> str:
    series = {m: {"a": {"point": 10.0 * k, "p05": 1, "p25": 2, "p75": 3, "p95": 4}} for k, m in enumerate(names)}
    return charts.interval_chart(["a", "b"], series, {"a": 50.0, "b": None})


def _bars(names: list[str]) -> str:
    return charts.bar_chart(["deal", "no_deal"], {m: {"deal": 0.9, "no_deal": 0.1} for m in names})


def _deal(names: list[str]) -> str:
    return charts.deal_curve({m: [("2025-12-15", 0.0), ("2026-03-01", 0.3), ("2026-06-30", 0.5)] for m in names})


@pytest.mark.parametrize("n", range(1, 11))
@pytest.mark.parametrize("chart", [_interval, _bars, _deal])
def test_every_model_is_named_inside_the_view_box(chart, n):
    _names_inside(chart(TEN[:n]), TEN[:n])


def test_ten_series_get_ten_different_colours():
    assert len(set(c.lower() for c in charts.PALETTE)) == charts.MAX_SERIES >= 10
    svg = _interval(TEN)
    assert all(c in svg for c in charts.PALETTE)


def test_ten_long_names_wrap_onto_more_rows_and_the_chart_grows():
    one, ten = ET.fromstring(_interval(TEN[:1])), ET.fromstring(_interval(TEN))
    rows = {t.get("y") for t in ten.iter(SVG + "text") if t.get("class") == "legend"}
    assert len(rows) >= 2
    # the plot rows grow by 16 px a model; the legend adds 18 px a legend row on top of that
    assert _view_box(ten)[1] - _view_box(one)[1] == 2 * 16 * 9 + 18 * (len(rows) - 1)
