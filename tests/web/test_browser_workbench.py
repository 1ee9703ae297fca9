"""In Chromium: the first-run page leads to a forecast whose run page opens with the headline block, ranks the
levers, compares with priced-in probabilities, and names every model in its charts."""

from __future__ import annotations

import json
import urllib.request

import pytest

from backchannel.app.defaults import HEADLINE_MODEL

pytestmark = pytest.mark.browser


def _api(base: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def test_first_run_page_to_a_forecast_with_its_headline(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/")
    steps = page.locator("#first-steps > li")
    assert steps.count() == 4
    text = page.locator("#first-steps").inner_text()
    for words in ("Open the built-in scenario", "Run a forecast", "Upload a scenario", "backchannel ingest"):
        assert words in text
    page.click("#first-forecast")
    page.wait_for_selector("#headline", timeout=120000)
    lines = page.locator("#headline li").all_inner_texts()
    assert 3 <= len(lines) <= 5
    run_id = int(page.url.rsplit("/", 1)[1])
    from backchannel.app.headline import headline_number

    number = headline_number(_api(live_server, f"/api/runs/{run_id}")["results"])
    assert f"{100 * number['probability']:.1f} %" in lines[0] and f"under {HEADLINE_MODEL}" in lines[0]
    assert page.locator("#issues-table tbody tr").count() == 7
    assert page.locator("#levers-table tbody tr").count() == 4
    # the priced-in form: one outcome at 60 %, the gap appears with the note
    page.fill("#implied-territorial_compromise_with_guarantees", "60")
    page.click("#compare-implied")
    page.wait_for_selector("#gap-table")
    assert "not trading advice" in page.inner_text("body")
    # back home, the run is listed
    page.goto(live_server + "/")
    assert f"Run {run_id}" in page.locator("#latest-runs").inner_text()


def test_every_model_is_named_in_the_run_pages_charts(live_server, browser_page):
    from backchannel.models import model_names

    run = _api(live_server, "/api/forecasts", {"models": model_names(), "draws": 100, "seed": 1})
    page = browser_page
    page.goto(f"{live_server}/runs/{run['run_id']}")
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg')].filter(s => s.querySelector('text.legend'))
        .map(svg => { const vb = svg.viewBox.baseVal;
          return {w: vb.width, h: vb.height, labels: [...svg.querySelectorAll('text.legend')].map(t => {
            const b = t.getBBox(); return {name: t.textContent, r: b.x + b.width, b: b.y + b.height, x: b.x}; })}; })""")
    assert len(boxes) == 3  # the per-issue chart, the named-outcome chart and the deal-by-date curve
    for svg in boxes:
        assert sorted(lab["name"] for lab in svg["labels"]) == sorted(model_names())
        assert all(0 <= lab["x"] and lab["r"] <= svg["w"] and lab["b"] <= svg["h"] for lab in svg["labels"])
