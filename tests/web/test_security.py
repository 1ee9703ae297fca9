"""Access control: token beyond loopback, CSRF on forms, upload limits."""

from __future__ import annotations

import pytest


@pytest.fixture()
def guarded(db_url):
    from fastapi.testclient import TestClient

    from backchannel.web import create_app

    with TestClient(create_app(db_url, token="s3cret"), base_url="http://localhost") as c:
        yield c


def test_token_is_required_on_every_request(guarded):
    assert guarded.get("/api/runs").status_code == 401
    assert guarded.get("/api/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/api/runs", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    page = guarded.get("/scenarios", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"


def test_login_sets_a_cookie_that_opens_the_pages(guarded):
    guarded.get("/login")  # sets the CSRF cookie the sign-in form submits (issue 14)
    csrf = guarded.cookies.get("bc_csrf")
    assert guarded.post("/login", data={"token": "nope", "csrf": csrf}).status_code == 401
    r = guarded.post("/login", data={"token": "s3cret", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert guarded.get("/scenarios").status_code == 200


def test_forms_need_the_csrf_token(client, toy):
    files = {"file": ("toy.yaml", toy.encode(), "text/yaml")}
    r = client.post("/scenarios/upload", files=files, data={"csrf": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    client.get("/scenarios")  # sets the CSRF cookie
    token = client.cookies.get("bc_csrf")
    r = client.post("/scenarios/upload", files=files, data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/scenarios/")


def test_upload_form_shows_the_error_line_on_the_page(client, toy):
    client.get("/scenarios")
    token = client.cookies.get("bc_csrf")
    files = {"file": ("bad.yaml", toy.replace("{id: b}", "{id: a}").encode(), "text/yaml")}
    r = client.post("/scenarios/upload", files=files, data={"csrf": token})
    assert r.status_code == 400 and "duplicate id" in r.text and "bad.yaml" in r.text


def test_oversized_upload_is_refused(client):
    r = client.post("/api/scenarios", json={"filename": "big.yaml", "content": "#" * 2_100_000})
    assert r.status_code == 422


def test_serve_refuses_other_hosts_without_a_token(cli, monkeypatch):
    monkeypatch.delenv("BACKCHANNEL_TOKEN", raising=False)
    code, _, err = cli("serve", "--host", "0.0.0.0")
    assert code == 2 and "refusing to listen" in err and "BACKCHANNEL_TOKEN" in err
