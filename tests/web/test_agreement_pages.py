"""The web run page shows P(deal) per model with its standard error, and the deal-by-date curve."""

from __future__ import annotations

from pathlib import Path

SMALL = (Path(__file__).resolve().parents[1] / "data" / "agreement-small.yaml").read_text(encoding="utf-8")


def test_run_page_shows_p_deal_and_the_curve(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "small.yaml", "content": SMALL}).json()["hash"]
    body = client.post(
        "/api/forecasts", json={"scenario": digest, "models": ["compromise", "nash_outside"], "draws": 200, "seed": 1}
    ).json()
    assert body["consent"] == {"veto": ["a", "b"], "assumption": "both must sign"}
    page = client.get(f"/runs/{body['run_id']}").text
    assert 'id="agreement-table"' in page and "Cumulative P(deal) by date" in page
    for model, a in body["agreement"].items():
        assert f"{100 * a['p_deal']:.1f} % ± {100 * a['se']:.1f}" in page, model
        assert len(a["by_date"]) == 15 and a["by_date"][-1]["date"] == "2025-07-01"
    assert "no vetoes assumed" not in page


def test_without_a_consent_rule_the_page_says_no_vetoes_are_assumed(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    body = client.post("/api/forecasts", json={"scenario": digest, "models": ["compromise"], "draws": 50}).json()
    assert body["consent"] is None and body["agreement"]["compromise"] == {"p_deal": 1.0, "se": 0.0, "by_date": []}
    page = client.get(f"/runs/{body['run_id']}").text
    assert page.count("no vetoes assumed") == 1
