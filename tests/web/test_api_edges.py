"""Edge cases met while fuzzing the API: each was a wrong answer once and is pinned here."""

from __future__ import annotations

import dataclasses

import pytest

from backchannel.scenario.errors import InputError


@pytest.mark.parametrize("ref", ["%", "_", "%25", "_%"])
def test_hash_prefix_is_not_a_sql_pattern(client, toy, ref):
    # LIKE wildcards once matched the only stored hash, so '%' opened the toy scenario
    assert client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).status_code == 201
    r = client.get(f"/api/scenarios/{ref}")
    assert r.status_code == 404, r.text


def test_an_empty_reference_names_no_scenario(client, toy):
    # an empty prefix once matched the only stored version, so {"scenario": ""} forecast it
    assert client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).status_code == 201
    r = client.post("/api/forecasts", json={"scenario": ""})
    assert r.status_code == 422 and r.json()["detail"].startswith("body.scenario:")
    with pytest.raises(InputError, match="no stored scenario"):
        client.app.state.service.store.scenario("")


def test_a_real_hash_prefix_still_finds_the_scenario(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    r = client.get(f"/api/scenarios/{digest[:6]}")
    assert r.status_code == 200 and r.json()["hash"] == digest


def test_seed_is_bounded_by_what_every_store_can_keep(client, toy):
    # runs.seed is a 32-bit INTEGER column: 2**31 - 1 is the largest seed PostgreSQL accepts
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    ok = client.post("/api/forecasts", json={"scenario": digest, "seed": 2**31 - 1})
    assert ok.status_code == 200 and client.get(f"/api/runs/{ok.json()['run_id']}").json()["seed"] == 2**31 - 1
    r = client.post("/api/forecasts", json={"scenario": digest, "seed": 2**31})
    assert r.status_code == 422 and r.json()["detail"].startswith("body.seed:")


def test_validation_errors_match_the_documented_body(client):
    # the app answers 422 with one line; the OpenAPI description must say so, not FastAPI's list of errors
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/api/runs"]["get"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert documented == {"$ref": "#/components/schemas/Problem"}
    assert spec["components"]["schemas"]["Problem"]["properties"]["detail"]["type"] == "string"
    body = client.get("/api/runs", params={"limit": 0}).json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str)


def test_the_model_list_is_described_as_an_enumeration(client):
    spec = client.get("/openapi.json").json()
    items = spec["components"]["schemas"]["ForecastRequest"]["properties"]["models"]["items"]
    assert items["enum"] == client.get("/api/models").json() and "compromise" in items["enum"]


def test_forecast_payload_keeps_every_field_the_service_returns(client, toy, monkeypatch):
    # the response models must not drop fields they do not name (extra="allow"), e.g. outcome probabilities
    svc = client.app.state.service
    plain = svc.forecast
    # the service returns a ForecastRun; a field it holds beyond the named ones is written by its to_dict()
    monkeypatch.setattr(
        svc,
        "forecast",
        lambda *a, **k: dataclasses.replace(plain(*a, **k), extra={"outcomes": {"compromise": {"low": 1.0}}}),
    )
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    body = client.post("/api/forecasts", json={"scenario": digest, "models": ["compromise"], "draws": 0}).json()
    assert set(body) == {"scenario", "seed", "draws", "models", "run_id", "outcomes", "consent", "agreement"}
    assert body["outcomes"] == {"compromise": {"low": 1.0}}
    # (2*0.5*10 + 1*1*70) / (1 + 1) = 40, as in test_api
    assert body["models"]["compromise"]["outcome"]["x"] == pytest.approx(40.0)
    assert body["models"]["compromise"]["converged"] is True


@pytest.mark.parametrize(
    "path",
    ["/runs/9223372036854775808", "/runs/99999999999999999999", "/runs/2147483648", "/api/runs/2147483648", "/runs/-1"],
)
def test_run_ids_beyond_the_column_are_404(client, path):
    # SQLite raised OverflowError (a 500) for ids past 64 bits; PostgreSQL's INTEGER ends at 2**31 - 1
    r = client.get(path)
    assert r.status_code == 404 and "no run" in r.json()["detail"]


def test_article_page_highlights_the_cited_sentence(client):
    # render()'s own parameter was called 'name', so the page's 'name' variable made every article a 500
    q = "Washington and Moscow seem to be inching toward a deal"
    r = client.get("/articles/000_us_russia_secret_talks.txt", params={"q": q})
    assert r.status_code == 200 and f'<mark id="hl" tabindex="-1">{q}</mark>' in r.text
    missing = client.get("/articles/000_us_russia_secret_talks.txt", params={"q": "not in the article"})
    assert missing.status_code == 200 and "was not found in this article" in missing.text


def test_job_page_decides_and_renders_from_one_snapshot(client):
    # the worker can finish between the handler's check and the template: the page then said "finished"
    # without its refresh and never opened the run (seen in the Chromium test under load)
    from backchannel.web.jobs import Job

    class FinishingJob(Job):
        """A job that finishes right after its state is first read."""

        reads = 0

        @property
        def state(self):
            FinishingJob.reads += 1
            return "running" if FinishingJob.reads == 1 else "finished"

        @state.setter
        def state(self, value):
            pass

    client.app.state.jobs._jobs[99] = FinishingJob(id=99, label="racing", run_id=5)
    r = client.get("/jobs/99", follow_redirects=False)
    assert r.status_code == 200 and "running" in r.text and '<meta http-equiv="refresh" content="1">' in r.text


def test_a_body_that_is_not_utf8_is_the_documented_422(client):
    r = client.post("/api/suggest", content=b"\xff\xfe{\x00\x00", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json() == {"detail": "body: not valid JSON (UTF-8 text)"}
