"""The JSON API in-process: the same operations as the CLI, with 4xx and clear messages on bad input."""

from __future__ import annotations

import pytest


def test_upload_then_forecast_then_run(client, toy):
    r = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy})
    assert r.status_code == 201, r.text
    digest = r.json()["hash"]
    assert len(digest) == 64 and r.json()["actors"] == 2
    r = client.post("/api/forecasts", json={"scenario": digest, "models": ["compromise"], "draws": 0, "seed": 4})
    assert r.status_code == 200, r.text
    body = r.json()
    # (2*0.5*10 + 1*1*70) / (1 + 1) = 40
    assert body["models"]["compromise"]["outcome"]["x"] == pytest.approx(40.0)
    run = client.get(f"/api/runs/{body['run_id']}").json()
    assert run["seed"] == 4 and run["scenario_hash"] == digest
    assert [r["id"] for r in client.get("/api/runs").json()] == [body["run_id"]]


def test_invalid_upload_is_400_with_the_one_line_error(client, toy):
    r = client.post(
        "/api/scenarios", json={"filename": "toy.yaml", "content": toy.replace("salience: 1}", "salience: 3}")}
    )
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "toy.yaml:10" in detail and "positions[1].salience" in detail and "3" in detail


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/runs/424242", 404),
        ("/api/scenarios/nothing-here", 404),
        ("/api/jobs/77", 404),
        ("/runs/999", 404),
    ],
)
def test_missing_things_are_404(client, path, status):
    r = client.get(path)
    assert r.status_code == status and "detail" in r.json()


def test_unknown_model_and_bad_numbers_are_422(client):
    assert client.post("/api/forecasts", json={"models": ["astrology"]}).status_code == 422
    assert client.post("/api/forecasts", json={"draws": -1}).status_code == 422
    assert client.post("/api/forecasts", json={"seed": "x"}).status_code == 422


def test_openapi_describes_every_operation(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in (
        "/api/scenarios",
        "/api/scenarios/{ref}",
        "/api/forecasts",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/models",
    ):
        assert p in paths, p


def test_pages_render(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    page = client.get(f"/scenarios/{digest}")
    assert page.status_code == 200 and "<svg" in page.text and "Run forecast" in page.text
    assert client.get("/scenarios").status_code == 200
    assert client.get("/runs").status_code == 200


def test_article_page_highlights_the_quote(client):
    from backchannel.app.files import load_scenario

    src = next(p for p in load_scenario("ukraine-2025").positions if p.sources).sources[0]
    page = client.get(f"/articles/{src.document}", params={"q": src.quote})
    assert page.status_code == 200
    assert f'<mark id="hl" tabindex="-1">{src.quote}' in page.text.replace("&#39;", "'").replace("&#34;", '"')
    missing = client.get(f"/articles/{src.document}", params={"q": "a sentence that is not there"})
    assert missing.status_code == 200 and "not found in this article" in missing.text
    assert client.get("/articles/nope.txt").status_code == 404


def test_nothing_is_loaded_from_elsewhere(client, toy):
    # FastAPI's /docs and /redoc pull Swagger/ReDoc scripts from a CDN; the app serves neither
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    for path in ("/scenarios", f"/scenarios/{digest}", f"/scenarios/{digest}/whatif", "/evidence", "/runs"):
        html = client.get(path).text
        assert "<script" not in html and 'src="http' not in html and "@import" not in html, path
