"""The report's agreement section: P(deal) ± s.e. as forecast, the curve with a horizon, outcomes unconditional."""

from __future__ import annotations

import json


def test_report_shows_the_forecasts_p_deal_and_curve(cli, tmp_path):
    out = tmp_path / "r.html"
    code, _, err = cli("report", "ukraine-2025", "-m", "compromise", "--draws", "200", "--seed", "1", "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    code, stdout, _ = cli("forecast", "ukraine-2025", "-m", "compromise", "--draws", "200", "--seed", "1", "--json")
    payload = json.loads(stdout)
    a = payload["agreement"]["compromise"]
    assert f"{100 * a['p_deal']:.1f} % ± {100 * a['se']:.1f}" in html
    assert "Cumulative P(deal) by date" in html and a["by_date"][-1]["date"] == "2026-06-30"
    # unconditional outcomes: named (both branches) + unnamed + unnamed no deal = 1
    detail = payload["outcomes_detail"]["compromise"]
    total = sum(payload["outcomes"]["compromise"].values()) + detail["unnamed"] + detail["unnamed_no_deal"]
    assert abs(total - 1.0) < 1e-12
    assert "unnamed_no_deal" in html
