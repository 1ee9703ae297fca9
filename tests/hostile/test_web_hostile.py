"""The open web app (issue 14, items 8–10): Host allow-list, sign-in, bounded background forecasts."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from backchannel.web import create_app
from backchannel.web.api import MAX_SOLVES
from backchannel.web.jobs import MAX_PENDING
from backchannel.web.worker import NICENESS
from backchannel.web.security import SESSION_COOKIE, allowed_hosts


@pytest.fixture()
def web(store_url):
    with TestClient(create_app(store_url), base_url="http://localhost") as c:
        yield c


@pytest.fixture()
def guarded(store_url):
    with TestClient(create_app(store_url, token="s3cret"), base_url="http://localhost") as c:
        yield c


# -- 8. DNS rebinding ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.", "0.0.0.0", ""]
)
def test_an_unknown_host_is_refused_before_anything_is_read(web, host):
    for path in ("/api/runs", "/scenarios", "/api/scenarios/ukraine-2025"):
        r = web.get(path, headers={"host": host})
        assert r.status_code == 400 and "unknown Host header" in r.text and "runs" not in r.text.split(";")[0]
    r = web.post("/api/forecasts", json={"draws": 0}, headers={"host": host})
    assert r.status_code == 400


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_the_loopback_names_are_answered(web, host):
    assert web.get("/api/runs", headers={"host": host}).status_code == 200


def test_extra_names_are_answered_only_when_configured(store_url):
    hosts = allowed_hosts("127.0.0.1", ["bench.internal"])
    assert {"127.0.0.1", "localhost", "::1", "bench.internal"} <= hosts and "evil.example" not in hosts
    assert allowed_hosts("192.0.2.7") == {"192.0.2.7"}  # an address of its own: only that address
    with TestClient(create_app(store_url, hosts=hosts), base_url="http://bench.internal:8000") as c:
        assert c.get("/api/runs").status_code == 200
        assert c.get("/api/runs", headers={"host": "evil.example"}).status_code == 400
    with TestClient(create_app(store_url, hosts={"*"}), base_url="http://anything.example") as c:
        assert c.get("/api/runs").status_code == 200


def test_serve_passes_its_address_and_the_allow_host_option(monkeypatch):
    import uvicorn

    from backchannel.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(hosts=app.state.hosts, **kw))
    with pytest.raises(SystemExit) as done:
        main(["serve", "--port", "8123", "--allow-host", "tunnel.example", "--db", "sqlite:///:memory:"])
    assert done.value.code in (0, None)
    assert seen["hosts"] >= {"127.0.0.1", "localhost", "tunnel.example"} and "evil.example" not in seen["hosts"]


# -- 9. Sign-in ------------------------------------------------------------------------------------
def _csrf(client) -> str:
    client.get("/login")
    return client.cookies.get("bc_csrf")


def test_login_needs_its_csrf_token(guarded):
    r = guarded.post("/login", data={"token": "s3cret"}, follow_redirects=False)
    assert r.status_code == 403 and SESSION_COOKIE not in r.cookies
    r = guarded.post("/login", data={"token": "s3cret", "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_login_refuses_another_origin(guarded):
    csrf = _csrf(guarded)
    for origin in ("http://evil.example", "null"):
        r = guarded.post(
            "/login", data={"token": "s3cret", "csrf": csrf}, headers={"origin": origin}, follow_redirects=False
        )
        assert r.status_code == 403 and "cross-origin" in r.text
    r = guarded.post(
        "/login", data={"token": "s3cret", "csrf": csrf}, headers={"origin": "http://localhost"}, follow_redirects=False
    )
    assert r.status_code == 303


def test_login_compares_in_constant_time(guarded, monkeypatch):
    import backchannel.web.security as security

    calls = []
    real = security.hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    csrf = _csrf(guarded)
    calls.clear()
    assert guarded.post("/login", data={"token": "s3creX", "csrf": csrf}).status_code == 401
    assert (b"s3creX", b"s3cret") in calls


def test_the_session_cookie_is_signed_expires_and_never_holds_the_token(guarded):
    csrf = _csrf(guarded)
    r = guarded.post("/login", data={"token": "s3cret", "csrf": csrf}, follow_redirects=False)
    header = r.headers["set-cookie"]
    cookie = r.cookies[SESSION_COOKIE]
    assert "s3cret" not in header and "Max-Age=43200" in header and "HttpOnly" in header
    assert "samesite=strict" in header.lower() and "secure" not in header.lower()  # plain HTTP on loopback
    expiry, nonce, signature = cookie.split(".")
    assert 43000 < int(expiry) - time.time() <= 43200 and len(signature) == 64
    assert guarded.get("/scenarios", follow_redirects=False).status_code == 200
    # a forged or altered cookie opens nothing
    for forged in (f"{int(expiry) + 1}.{nonce}.{signature}", f"{expiry}.{nonce}.{'0' * 64}", "s3cret"):
        guarded.cookies.clear()
        guarded.cookies.set(SESSION_COOKIE, forged)
        assert guarded.get("/scenarios", follow_redirects=False).status_code == 303


def test_an_expired_session_opens_nothing(guarded, monkeypatch):
    csrf = _csrf(guarded)
    guarded.post("/login", data={"token": "s3cret", "csrf": csrf})
    assert guarded.get("/scenarios", follow_redirects=False).status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 43201)
    assert guarded.get("/scenarios", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_secure_over_tls(store_url):
    with TestClient(create_app(store_url, token="s3cret"), base_url="https://localhost") as c:
        c.get("/login")
        r = c.post("/login", data={"token": "s3cret", "csrf": c.cookies.get("bc_csrf")}, follow_redirects=False)
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()


def test_logout_ends_the_session_even_for_a_kept_copy(guarded):
    csrf = _csrf(guarded)
    guarded.post("/login", data={"token": "s3cret", "csrf": csrf})
    kept = guarded.cookies.get(SESSION_COOKIE)
    page = guarded.get("/scenarios")
    assert page.status_code == 200 and 'action="/logout"' in page.text
    assert guarded.post("/logout", data={"csrf": "forged"}).status_code == 403
    r = guarded.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    guarded.cookies.clear()
    guarded.cookies.set(SESSION_COOKIE, kept)
    assert guarded.get("/scenarios", follow_redirects=False).status_code == 303


# -- 10. Bounded background forecasts --------------------------------------------------------------
def test_api_forecasts_run_in_the_low_priority_worker_process(web, monkeypatch):
    from backchannel.web import worker

    seen = []
    real = worker.run_in_worker

    def spy(fn, progress=None, **kwargs):
        seen.append((fn.__name__, threading.current_thread().name))
        return real(fn, progress, **kwargs)

    monkeypatch.setattr(worker, "run_in_worker", spy)
    small = web.post("/api/forecasts", json={"scenario": "ukraine-2025", "draws": 10, "seed": 3})
    assert small.status_code == 200 and small.json()["run_id"] == 1 and seen == []  # small: in the job thread
    draws = worker.INLINE_SOLVES  # one solve more than INLINE_SOLVES with the point forecast
    r = web.post("/api/forecasts", json={"scenario": "ukraine-2025", "draws": draws, "seed": 3})
    assert r.status_code == 200 and r.json()["run_id"] == 2 and r.json()["draws"] == draws
    assert seen == [("compute_forecast", "backchannel-job_0")]
    assert worker.run_in_worker(worker.worker_niceness) == NICENESS  # the worker process runs at lower priority
    assert web.app.state.jobs.get(2).state == "finished" and web.app.state.jobs.pending == 0
    # the same inputs give the same numbers as a forecast in this process
    from backchannel.app.files import load_scenario
    from backchannel.app.service import Service

    local = Service().compute_forecast(load_scenario("ukraine-2025"), draws=draws, seed=3).to_dict()
    assert r.json()["models"] == local["models"] and r.json()["outcomes"] == local["outcomes"]


def test_a_request_past_the_cost_limit_is_refused(web):
    r = web.post("/api/forecasts", json={"models": ["compromise", "median", "bdm"], "draws": 20000})
    assert r.status_code == 422 and f"at most {MAX_SOLVES:,}" in r.json()["detail"]
    r = web.post("/api/whatifs", json={"models": ["compromise", "median"], "draws": 20000})
    assert r.status_code == 422 and "2 variants" in r.json()["detail"]
    assert web.app.state.jobs.pending == 0 and web.get("/api/runs").json() == []


def test_a_full_queue_answers_429_with_retry_after(web):
    release = threading.Event()
    jobs = web.app.state.jobs
    for k in range(MAX_PENDING):
        jobs.submit(f"blocker {k}", lambda progress: release.wait(30) and {})
    try:
        r = web.post("/api/forecasts", json={"draws": 0})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "queued or running" in r.json()["detail"]
        web.get("/scenarios/ukraine-2025")
        page = web.post(
            "/scenarios/ukraine-2025/forecast",
            data={"csrf": web.cookies.get("bc_csrf"), "draws": "0"},
            follow_redirects=False,
        )
        assert page.status_code == 429 and "retry-after" in page.headers
        assert web.get("/scenarios/ukraine-2025").status_code == 200  # pages keep answering
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while jobs.pending and time.monotonic() < deadline:
        time.sleep(0.02)
    assert web.post("/api/forecasts", json={"draws": 0}).status_code == 200


def test_a_forecast_error_in_the_job_is_the_usual_one_line(web, tmp_path):
    bad = "id: t\nactors: [{id: a}]\nissues: [{id: x}]\n"
    digest = web.post("/api/scenarios", json={"filename": "t.yaml", "content": bad}).json()["hash"]
    r = web.post("/api/forecasts", json={"scenario": digest, "models": ["compromise"], "draws": 0})
    assert r.status_code in (200, 400) and r.status_code < 500
    assert web.post("/api/forecasts", json={"scenario": "nope"}).status_code == 404
