"""The JSON API offers the service's operations under the same names, and answers as the CLI's --json does."""

from __future__ import annotations

import json

OPERATIONS = {"forecast", "whatif", "sensitivity", "markets", "backtest", "evidence", "document", "ingest", "suggest"}
OPERATIONS |= {"review_list", "review_accept", "review_reject", "review_apply", "scenario_history", "scenario_diff"}


def test_every_operation_of_the_service_is_an_api_operation_of_the_same_name(client):
    from backchannel.app.service import Service

    ids = {op["operationId"] for path in client.get("/openapi.json").json()["paths"].values() for op in path.values()}
    assert OPERATIONS <= ids
    for name in OPERATIONS - {"evidence"}:  # the service's list of documents is `documents`
        assert callable(getattr(Service, name)), name


def test_markets_and_sensitivity_answer_as_the_cli_does(client, cli):
    code, out, err = cli("markets", "ukraine-2025", "--draws", "200", "--seed", "5", "--json")
    assert code == 0, err
    api = client.post("/api/markets", json={"scenario": "ukraine-2025", "draws": 200, "seed": 5})
    assert api.status_code == 200 and api.json() == json.loads(out)
    code, out, err = cli("sensitivity", "ukraine-2025", "--issue", "nato", "--actor", "ukraine", "--json")
    assert code == 0, err
    api = client.post("/api/sensitivity", json={"scenario": "ukraine-2025", "issue": "nato", "actor": "ukraine"})
    assert api.status_code == 200 and api.json() == json.loads(out)


def test_backtest_of_a_sent_table_matches_the_cli(client, cli, data_dir):
    path = data_dir / "deu3-dev.tsv"
    code, out, err = cli("backtest", str(path), "-m", "compromise", "-m", "median", "--boot", "200", "--json")
    assert code == 0, err
    api = client.post(
        "/api/backtests",
        json={
            "filename": path.name,
            "content": path.read_text(encoding="utf-8"),
            "models": ["compromise", "median"],
            "boot": 200,
        },
    )
    assert api.status_code == 200 and api.json() == json.loads(out)
    assert api.json()["models"]["compromise"]["mae"] == json.loads(out)["models"]["compromise"]["mae"]
    both = client.post("/api/backtests", json={"scenario": "ukraine-2025", "content": "x"})
    assert both.status_code == 422 and "either" in both.json()["detail"]


def test_ingest_then_suggest_through_the_api(client):
    text = "TITLE: t\n\nRussia will never accept NATO membership for Ukraine, Peskov told reporters on Monday.\n"
    first = client.post("/api/ingest", json={"scenario": "ukraine-2025", "filename": "a.txt", "content": text})
    assert first.status_code == 200
    claims = first.json()["documents"][0]["claims"]
    assert any(c["actor"] == "russia" and c["issue"] == "nato" for c in claims)
    assert len(client.get("/api/evidence").json()) == 1
    again = client.post("/api/ingest", json={"scenario": "ukraine-2025", "filename": "a.txt", "content": text})
    assert again.status_code == 200 and len(client.get("/api/evidence").json()) == 1  # stored once
    suggestions = client.post("/api/suggest", json={"scenario": "ukraine-2025", "min_change": 0}).json()
    assert any(s["actor"] == "russia" and s["issue"] == "nato" for s in suggestions["suggestions"])
    assert suggestions["written"] is None
    empty = client.post("/api/ingest", json={"scenario": "ukraine-2025", "content": "   "})
    assert empty.status_code == 400 and "no text" in empty.json()["detail"]
