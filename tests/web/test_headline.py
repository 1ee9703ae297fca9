"""One headline: the CLI, the API, the report and the run page give the same number for the same seed, with
the same defaults (1,000 draws, the headline model)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from backchannel.app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models
from backchannel.app.files import load_scenario
from backchannel.app.headline import headline_number
from backchannel.report.narrative import outcome_name


def _headline_text(html: str) -> str:
    block = re.search(r'<ul class="headline"[^>]*>(.*?)</ul>', html, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", "\n", block))


def test_cli_api_report_and_page_give_the_same_headline_number(cli, client, tmp_path):
    code, out, err = cli("forecast", "ukraine-2025", "--seed", "7", "--json")
    assert code == 0, err
    from_cli = json.loads(out)
    assert from_cli["draws"] == DEFAULT_DRAWS and list(from_cli["models"]) == default_models()
    number = headline_number(from_cli)
    assert number["model"] == HEADLINE_MODEL
    # the headline is the headline model's most likely named outcome
    probs = {k: v for k, v in from_cli["outcomes"][HEADLINE_MODEL].items()}
    assert number["probability"] == max(probs.values()) and probs[number["outcome"]] == number["probability"]

    from_api = client.post("/api/forecasts", json={"scenario": "ukraine-2025", "seed": 7}).json()
    assert from_api["draws"] == DEFAULT_DRAWS
    assert headline_number(from_api) == number

    html = tmp_path / "r.html"
    # the report runs every headline model by default; with the forecast's models it heads with the same number
    code, _, err = cli(
        "report", "ukraine-2025", "--seed", "7", "-o", str(html), *sum((["-m", m] for m in default_models()), [])
    )
    assert code == 0, err
    name = outcome_name(load_scenario("ukraine-2025"), number["outcome"])
    first = f"Most likely: {name}, {100 * number['probability']:.1f} %"
    assert first in _headline_text(html.read_text(encoding="utf-8"))

    page = client.get(f"/runs/{from_api['run_id']}").text
    assert first in _headline_text(page)


def test_headline_block_has_three_to_five_lines_and_compares_with_the_previous_run(client):
    first = client.post("/api/forecasts", json={"seed": 1, "models": ["compromise", "median"]}).json()
    second = client.post("/api/forecasts", json={"seed": 2, "models": ["compromise", "median"]}).json()
    lines = [ln for ln in _headline_text(client.get(f"/runs/{second['run_id']}").text).split("\n") if ln.strip()]
    assert 3 <= len(lines) <= 5
    assert lines[0].startswith("Most likely:") and "under compromise (1,000 draws)" in lines[0]
    assert lines[1].startswith(f"Since run {first['run_id']}:")
    assert "Swing actor:" in lines[2] and "strongest lever:" in lines[2]
    assert lines[3].startswith("The 2 models disagree:")
    # the first run of a scenario has nothing to compare with
    assert "No earlier run" in _headline_text(client.get(f"/runs/{first['run_id']}").text)


def test_run_page_ranks_levers_and_compares_with_priced_in(client):
    run = client.post("/api/forecasts", json={"seed": 3}).json()
    page = client.get(f"/runs/{run['run_id']}").text
    rows = re.findall(r'<table id="levers-table">.*?</table>', page, re.S)[0]
    changes = [abs(float(x)) for x in re.findall(r'class="num change[^"]*">([+-]?[\d.]+)<', rows)]
    assert len(changes) == len(load_scenario("ukraine-2025").levers) and changes == sorted(changes, reverse=True)
    page = client.get(f"/runs/{run['run_id']}", params={"implied:territorial_compromise_with_guarantees": "60"}).text
    table = re.search(r'<table id="gap-table">.*?</table>', page, re.S).group(0)
    gap = re.search(
        r'<tr data-outcome="territorial_compromise_with_guarantees">.*?class="num gap">([+-][\d.]+)<', table, re.S
    ).group(1)
    p = run["outcomes"]["compromise"]["territorial_compromise_with_guarantees"]
    assert float(gap) == pytest.approx(100 * p - 60, abs=0.051)
    assert "not trading advice" in page
    bad = client.get(f"/runs/{run['run_id']}", params={"implied:nowhere": "10"})
    assert bad.status_code == 400 and "unknown outcome" in bad.text
