"""The what-if API and page, and the evidence API and pages, in-process.

Reference values are closed forms of the compromise model on the toy scenario (tests/web/conftest.py):
a (capability 2, salience 0.5, position 10, range [0, 20]) and b (capability 1, salience 1, position 70),
so x = (2·0.5·a + 1·1·b) / (2·0.5 + 1·1) = (a + b) / 2: 40 at the point values, and moving b to 90
(the lever push_b) adds exactly (90 − 70) / 2 = 10 in every draw.
"""

from __future__ import annotations

import re
import time
from html import escape

import pytest


def _run_of(client, response) -> str:
    """Follow the what-if form's answer (its background job's page) to the run it records; the run's path."""
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    job = response.headers["location"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = client.get(job, follow_redirects=False)
        if r.status_code == 303:
            return r.headers["location"]
        assert 'role="alert"' not in r.text, r.text
        time.sleep(0.05)
    pytest.fail(f"{job} did not finish")


@pytest.fixture()
def digest(client, toy):
    return client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]


def test_a_null_whatif_changes_nothing_exactly(client, digest):
    # common random numbers: the same draws for baseline and variant, so no change is exactly zero
    body = client.post("/api/whatifs", json={"scenario": digest, "draws": 200, "seed": 5}).json()
    cells = body["models"]["compromise"]
    for c in [*cells["issues"].values(), *cells["outcomes"].values()]:
        assert c["change"] == 0.0 and c["exceeds_noise"] is False
    assert cells["issues"]["x"]["baseline"] == pytest.approx(40.0, abs=1.0)  # mean of (a + 70)/2, a ~ PERT(0, 10, 20)


def test_a_lever_moves_the_forecast_by_its_closed_form(client, digest):
    body = client.post("/api/whatifs", json={"scenario": digest, "levers": ["push_b"], "draws": 300, "seed": 1}).json()
    x = body["models"]["compromise"]["issues"]["x"]
    assert x["change"] == pytest.approx(10.0, abs=1e-9)  # (90 − 70) / 2 in every draw
    assert x["stderr"] == pytest.approx(0.0, abs=1e-9) and x["exceeds_noise"] is True
    # P(low = x ≤ 45): baseline x = (a + 70)/2 ≤ 45 for every a ≤ 20; variant x = (a + 90)/2 > 45 unless a = 0
    low = body["models"]["compromise"]["outcomes"]["low"]
    assert low["baseline"] == 1.0 and low["variant"] == pytest.approx(0.0, abs=0.01)
    run = client.get(f"/api/runs/{body['run_id']}").json()
    assert run["kind"] == "whatif" and run["parameters"]["levers"] == ["push_b"] and run["seed"] == 1


def test_an_override_equals_the_lever_it_spells_out(client, digest):
    lever = client.post("/api/whatifs", json={"scenario": digest, "levers": ["push_b"], "draws": 100}).json()
    spelled = client.post(
        "/api/whatifs", json={"scenario": digest, "overrides": {"b.x.position": 90}, "draws": 100}
    ).json()
    assert spelled["models"] == lever["models"]


@pytest.mark.parametrize(
    "body, status, words",
    [
        ({"levers": ["no_such_lever"]}, 400, "no_such_lever"),
        ({"overrides": {"b.x.position": 150}}, 400, "150"),
        ({"overrides": {"zz.x.position": 50}}, 400, "zz"),
        ({"models": ["astrology"]}, 422, "astrology"),
        ({"draws": -1}, 422, "draws"),
    ],
)
def test_bad_whatifs_get_one_line(client, digest, body, status, words):
    r = client.post("/api/whatifs", json={"scenario": digest, **body})
    assert r.status_code == status, r.text
    assert words in r.json()["detail"] and "\n" not in r.json()["detail"]


def test_whatif_page_runs_and_shows_the_change(client, digest):
    page = client.get(f"/scenarios/{digest}/whatif")
    assert page.status_code == 200 and 'value="push_b"' in page.text
    csrf = client.cookies.get("bc_csrf")
    r = client.post(
        f"/scenarios/{digest}/whatif",
        follow_redirects=False,
        data={
            "csrf": csrf,
            "levers": "push_b",
            "models": "compromise",
            "draws": "100",
            "seed": "2",
            "set:a.x.position": "10",
            "set:b.x.position": "70",
        },
    )  # unchanged values are no overrides
    location = _run_of(client, r)
    row = re.search(r'<tr data-issue="x">.*?</tr>', client.get(location).text, re.S).group(0)
    assert "+10.0" in row and "sig" in row
    stored = client.get("/api/runs/" + location.rsplit("/", 1)[1]).json()
    assert stored["parameters"]["overrides"] == {} and stored["parameters"]["levers"] == ["push_b"]


def test_whatif_page_edit_of_a_salience_is_an_override(client, digest):
    csrf = client.cookies.get("bc_csrf") or (client.get("/scenarios") and client.cookies.get("bc_csrf"))
    r = client.post(
        f"/scenarios/{digest}/whatif",
        follow_redirects=False,
        data={"csrf": csrf, "draws": "0", "set:b.x.salience": "0"},
    )
    stored = client.get("/api/runs/" + _run_of(client, r).rsplit("/", 1)[1]).json()
    # with b silent, x is a's position: 10, a change of 10 − 40 = −30
    assert stored["results"]["models"]["compromise"]["issues"]["x"]["change"] == pytest.approx(-30.0)


def test_whatif_page_refuses_an_out_of_range_edit_with_the_reason(client, digest):
    client.get("/scenarios")
    r = client.post(
        f"/scenarios/{digest}/whatif",
        data={"csrf": client.cookies.get("bc_csrf"), "draws": "0", "set:b.x.position": "150"},
    )
    assert r.status_code == 400 and "150" in r.text and 'role="alert"' in r.text


@pytest.fixture()
def ingested(cli, shared):
    """Two shared articles ingested into the test store with the built-in scenario."""
    code, _, err = cli(
        "ingest",
        str(shared / "articles" / "000_us_russia_secret_talks.txt"),
        str(shared / "articles" / "002_putin_trump_exchanges.txt"),
        "--scenario",
        "ukraine-2025",
    )
    assert code == 0, err


def test_evidence_api_gives_the_ingest_shape(client, ingested):
    docs = client.get("/api/evidence").json()
    assert [d["source"].rsplit("/", 1)[1] for d in docs] == [
        "000_us_russia_secret_talks.txt",
        "002_putin_trump_exchanges.txt",
    ]
    doc = client.get(f"/api/evidence/{docs[1]['id']}").json()
    assert len(doc["quotes"]) == docs[1]["quotes"] > 0 and len(doc["claims"]) == docs[1]["claims"]
    for kind in ("mentions", "quotes", "deadlines"):
        for item in doc[kind]:
            assert doc["text"][item["start"] : item["end"]] == item["text"]
    assert client.get("/api/evidence/999").status_code == 404
    assert client.get(f"/api/evidence/{2**40}").status_code == 404


def test_evidence_pages_filter_and_highlight(client, ingested):
    listing = client.get("/evidence")
    assert listing.status_code == 200 and "000_us_russia_secret_talks" in listing.text
    doc = client.get("/api/evidence/2").json()
    page = client.get("/evidence/2").text
    # each quote is a highlighted span of the text, listed with its speaker
    assert len(re.findall(r'<mark class="[^"]*quotes[^"]*"', page)) >= 1
    quote = doc["quotes"][0]
    assert escape(quote["text"]) in page and escape(quote["speaker"] or "–") in page
    # filtering by an actor keeps only the items about it
    russia = client.get("/evidence/2", params={"actor": "russia"}).text
    china = client.get("/evidence/2", params={"actor": "china"}).text
    assert russia.count("<mark") > china.count("<mark")
    titles = re.findall(r'<mark class="[^"]*" title="([^"]*)"', russia)
    assert titles and all("russia" in t for t in titles)  # each highlight is one of russia's items
    assert client.get(f"/evidence/{2**40}").status_code == 404


def test_half_a_lever_moves_the_forecast_half_as_far(client, digest):
    # push_b at 0.5 moves b from 70 half way to 90, to 80: x changes by (80 − 70) / 2 = 5 in every draw
    body = client.post(
        "/api/whatifs",
        json={"scenario": digest, "levers": ["push_b"], "lever_intensity": {"push_b": 0.5}, "draws": 100, "seed": 1},
    ).json()
    assert body["models"]["compromise"]["issues"]["x"]["change"] == pytest.approx(5.0, abs=1e-9)
    assert body["levers"] == ["push_b"] and body["lever_intensity"] == {"push_b": 0.5}
    bad = client.post("/api/whatifs", json={"scenario": digest, "levers": ["push_b"], "lever_intensity": {"push_b": 2}})
    assert bad.status_code == 400 and "0..1" in bad.json()["detail"]


def test_the_whatif_form_takes_a_lever_intensity(client, digest):
    client.get(f"/scenarios/{digest}/whatif")
    csrf = client.cookies.get("bc_csrf")
    r = client.post(
        f"/scenarios/{digest}/whatif",
        follow_redirects=False,
        data={
            "csrf": csrf,
            "levers": "push_b",
            "intensity:push_b": "0.25",
            "models": "compromise",
            "draws": "50",
            "seed": "2",
        },
    )
    run_id = int(_run_of(client, r).rsplit("/", 1)[1])
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["results"]["models"]["compromise"]["issues"]["x"]["change"] == pytest.approx(2.5, abs=1e-9)
    assert "push_b=0.25" in client.get(f"/runs/{run_id}").text
    bad = client.post(
        f"/scenarios/{digest}/whatif", data={"csrf": csrf, "levers": "push_b", "intensity:push_b": "-1", "draws": "0"}
    )
    assert bad.status_code == 400 and "0..1" in bad.text
