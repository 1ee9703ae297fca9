"""In Chromium: every model's legend label, as the browser draws it, lies inside its chart's viewBox."""

from __future__ import annotations

import pytest

from backchannel.models import model_names
from backchannel.report import charts

pytestmark = pytest.mark.browser

TEN = list(
    dict.fromkeys(model_names() + ["combined", "a_much_longer_model_name", "another_long_model", "x", "y", "z"])
)[:10]


def test_legend_labels_are_inside_the_view_box_as_drawn(browser_page, tmp_path):
    series = {m: {"a": {"point": 5.0 * k}} for k, m in enumerate(TEN)}
    page_html = (
        "<!doctype html><html><body>"
        + charts.interval_chart(["a"], series)
        + charts.bar_chart(["deal"], {m: {"deal": 1.0} for m in TEN})
        + "</body></html>"
    )
    f = tmp_path / "charts.html"
    f.write_text(page_html, encoding="utf-8")
    browser_page.goto(f.as_uri())
    boxes = browser_page.evaluate("""() => [...document.querySelectorAll('svg')].map(svg => {
        const vb = svg.viewBox.baseVal;
        return {w: vb.width, h: vb.height, labels: [...svg.querySelectorAll('text.legend')].map(t => {
            const b = t.getBBox(); return {name: t.textContent, x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height};
        })};
    })""")
    assert len(boxes) == 2
    for svg in boxes:
        assert sorted(lab["name"] for lab in svg["labels"]) == sorted(TEN)
        for lab in svg["labels"]:
            assert 0 <= lab["x"] and lab["r"] <= svg["w"], lab
            assert 0 <= lab["y"] and lab["b"] <= svg["h"], lab
