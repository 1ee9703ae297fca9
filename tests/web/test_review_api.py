"""The review operations through the JSON API: the same answers as the CLI's --json, the same errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STALLED = Path(__file__).resolve().parents[1] / "evidence" / "data" / "stalled"


@pytest.fixture()
def ingested(cli):
    pytest.importorskip("spacy")
    code, _, err = cli("ingest", str(STALLED / "S1_kremlin_rejects_christmas_truce.txt"))
    assert code == 0, err


def _claim(rows: list[dict], words: str, actor: str, issue: str) -> dict:
    return next(c for c in rows if words in c["text"] and (c["actor"], c["issue"]) == (actor, issue))


def test_review_list_answers_as_the_cli_does(client, cli, ingested):
    code, out, err = cli("review", "list", "--actor", "ukraine", "--json")
    assert code == 0, err
    api = client.get("/api/review", params={"actor": "ukraine"})
    assert api.status_code == 200 and api.json() == json.loads(out)
    assert api.json()["claims"] and {c["actor"] for c in api.json()["claims"]} == {"ukraine"}
    bad = client.get("/api/review", params={"issue": "tarrifs"})
    assert bad.status_code == 400 and "tarrifs" in bad.json()["detail"] and "sanctions" in bad.json()["detail"]
    missing = client.get("/api/review", params={"scenario": "nosuch-scenario"})
    assert missing.status_code == 404


def test_accept_with_a_new_actor_keeps_the_extraction_and_stores_who_and_why(client, ingested):
    rows = client.get("/api/review").json()["claims"]
    # Ushakov's demand that Ukrainian forces leave Donetsk, read as Kyiv's position
    misread = _claim(rows, "Ukrainian forces must leave all of Donetsk", "ukraine", "territory")
    wrong = client.post("/api/review/accept", json={"ids": [misread["id"]], "actor": "rusia"})
    assert wrong.status_code == 400
    detail = wrong.json()["detail"]
    assert "--actor" in detail and "rusia" in detail and "russia" in detail and "ukraine" in detail
    no_pos = client.post("/api/review/accept", json={"ids": [misread["id"]], "issue": "ceasefire"})
    assert no_pos.status_code == 400 and "--position" in no_pos.json()["detail"]
    ok = client.post(
        "/api/review/accept",
        json={"ids": [misread["id"]], "actor": "russia", "reason": "Ushakov's demand", "by": "grace"},
    )
    assert ok.status_code == 200
    assert ok.json() | {"proposals": []} == {
        "decision": "accepted",
        "claims": [misread["id"]],
        "proposals": [],
        "by": "grace",
        "position": None,
        "actor": "russia",
        "issue": None,
        "reason": "Ushakov's demand",
    }
    every = client.get("/api/review", params={"all": True}).json()["claims"]
    now = next(c for c in every if c["id"] == misread["id"])
    assert (now["actor"], now["issue"], now["decision"], now["decided_by"]) == (
        "russia",
        "territory",
        "accepted",
        "grace",
    )
    assert now["extracted"] == {"actor": "ukraine", "issue": "territory", "position": misread["position"]}
    assert all(
        c["id"] != misread["id"] for c in client.get("/api/review", params={"actor": "ukraine"}).json()["claims"]
    )
    # a batch is all or none: one unknown id, nothing decided
    pending = [c["id"] for c in client.get("/api/review").json()["claims"]]
    bad = client.post("/api/review/reject", json={"ids": [pending[0], 999999]})
    assert bad.status_code == 400 and "999999" in bad.json()["detail"]
    assert [c["id"] for c in client.get("/api/review").json()["claims"]] == pending
    junk = client.post("/api/review/reject", json={"ids": ["x7"]})
    assert junk.status_code == 400 and "x7" in junk.json()["detail"]


def test_proposals_accept_and_apply_make_a_version_with_its_agreement_changes(client, ingested):
    rows = client.get("/api/review").json()["claims"]
    force = _claim(rows, "one way or another", "russia", "territory")
    assert client.post("/api/review/accept", json={"ids": [force["id"]]}).status_code == 200
    proposals = client.get("/api/review").json()["proposals"]
    outside = next(p for p in proposals if p["kind"] == "outside_option" and p["claim_id"] == force["id"])
    assert (outside["actor"], outside["issue"], outside["position"]) == ("russia", "territory", force["position"])
    deadline = next(p for p in proposals if p["kind"] == "deadline")
    # "until Monday" in an article of Thursday 18 December 2025; the sentence names the secondary tariffs
    assert (deadline["sender"], deadline["target"], deadline["due"], deadline["fires"]) == (
        "usa",
        "russia",
        "2025-12-22",
        "secondary_tariffs",
    )
    mixed = client.post("/api/review/accept", json={"ids": [outside["id"]], "position": 80})
    assert mixed.status_code == 400 and "proposals" in mixed.json()["detail"]
    done = client.post("/api/review/accept", json={"ids": [outside["id"], deadline["id"]], "by": "grace"})
    assert done.status_code == 200 and done.json()["proposals"] == [outside["id"], deadline["id"]]
    v = client.post("/api/review/apply", json={"scenario": "ukraine-2025", "by": "grace"})
    assert v.status_code == 200
    version = v.json()
    assert version["name"] == "ukraine-2025@v2" and version["as_of"] == "2025-12-18"
    kinds = {c.get("kind") for c in version["changes"]}
    assert {"outside_option", "deadline"} <= kinds
    moved = next(c for c in version["changes"] if c.get("kind") == "outside_option")
    # prior 60 (weight 2) and one sentence at 90: the point moves toward 90, by at most the cap of 15
    assert moved["before"]["point"] == 60.0 and 60.0 < moved["after"]["point"] <= 75.0
    history = client.get("/api/scenarios/ukraine-2025/history").json()
    assert [h["name"] for h in history] == ["ukraine-2025@v1", "ukraine-2025@v2"]
    diff = client.get("/api/versions/diff", params={"a": "ukraine-2025@v1", "b": "ukraine-2025@v2"}).json()
    assert any("one way or another" in s["text"] for ch in diff["agreement"] for s in ch["sentences"])
    # applied proposals are not applied again
    again = client.post("/api/review/apply", json={"scenario": "ukraine-2025"}).json()
    assert again["name"] == "ukraine-2025@v3" and not [c for c in again["changes"] if c.get("kind")]
