"""Fixtures for the web app: an in-process client and a real server on loopback for the browser."""

from __future__ import annotations

import socket
import threading
import time

import pytest

TOY = """\
id: toy
title: Toy case
actors:
  - {id: a, capability: 2}
  - {id: b}
issues:
  - {id: x, status_quo: 20, scale: {0: nothing, 100: everything}}
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5, range: [0, 20]}
  - {actor: b, issue: x, position: 70, salience: 1}
outcomes:
  - {id: low, when: {x: [0, 45]}}
  - {id: high, when: {x: [55, 100]}}
levers:
  - {id: push_b, set: {b.x.position: 90}}
"""


@pytest.fixture()
def toy() -> str:
    """A two-actor scenario in native YAML, with outcomes and a lever."""
    return TOY


@pytest.fixture()
def app(db_url):
    from backchannel.web import create_app

    return create_app(db_url)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://localhost") as c:  # the app answers loopback Host names only
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def live_server(db_url):
    """The app served by uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    import uvicorn

    from backchannel.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def browser_page():
    """A page in Debian's headless Chromium driven by Playwright (1280×800)."""
    import shutil

    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        yield page
        browser.close()
