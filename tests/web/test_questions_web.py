"""The ledger, a probability's history and run comparison on the web: API and pages."""

from __future__ import annotations

import pytest


@pytest.fixture()
def client(tmp_path):
    from fastapi.testclient import TestClient

    from backchannel.web.app import create_app

    with TestClient(create_app(f"sqlite:///{tmp_path / 'web.db'}"), base_url="http://localhost") as c:
        yield c


def test_question_api_round_trip(client):
    r = client.post(
        "/api/questions",
        json={
            "id": "q1",
            "scenario": "ukraine-2025",
            "outcome": "frozen_conflict",
            "resolves_by": "2026-06-30",
            "criteria": "a ceasefire on the line",
        },
    )
    assert r.status_code == 201, r.text
    assert (
        client.post(
            "/api/questions",
            json={
                "id": "q2",
                "scenario": "ukraine-2025",
                "outcome": "nope",
                "resolves_by": "2026-06-30",
                "criteria": "x",
            },
        ).status_code
        == 400
    )
    f = client.post("/api/forecasts?as_of=2026-01-02", json={"scenario": "ukraine-2025", "draws": 200}).json()
    g = client.post("/api/forecasts", json={"scenario": "ukraine-2025", "draws": 200, "seed": 1}).json()
    q = client.get("/api/questions/q1").json()
    assert [h["run_id"] for h in q["history"]] == [f["run_id"], g["run_id"]]
    assert q["history"][0]["as_of"] == "2026-01-02"
    assert q["history"][1]["probability"] == g["outcomes"]["compromise"]["frozen_conflict"]
    assert client.get("/api/questions/ghost").status_code == 404
    r = client.post("/api/questions/q1/resolve", json={"answer": "no", "on": "2026-07-01"})
    assert r.status_code == 200 and r.json()["resolution"]["answer"] == "no"
    assert client.post("/api/questions/q1/resolve", json={"answer": "yes", "on": "2026-07-02"}).status_code == 400
    s = client.get("/api/questions/score").json()
    assert s["n"] == 1 and s["brier"] == pytest.approx(g["outcomes"]["compromise"]["frozen_conflict"] ** 2)
    c = client.get(f"/api/runs/{f['run_id']}/compare/{g['run_id']}").json()
    assert c["settings"]["seed"] == {"a": 0, "b": 1}
    page = client.get("/questions/q1")
    assert page.status_code == 200 and "<svg" in page.text and "resolved no 2026-07-01" in page.text
    assert client.get("/questions").status_code == 200
    assert "run " + str(g["run_id"]) in client.get(f"/compare?a={f['run_id']}&b={g['run_id']}").text
