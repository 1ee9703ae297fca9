"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a live server."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def _wait(page, selector: str, timeout: float = 60000) -> None:
    """Wait for a selector; on time-out fail with the page's URL and text, to see what the user saw."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, timeout=timeout)
    except PlaywrightTimeout:
        pytest.fail(f"{selector} did not appear; page {page.url} shows: {page.inner_text('body')[:800]!r}")


def _api(base: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_upload_open_and_forecast_in_the_browser(live_server, browser_page, tmp_path, toy):
    page = browser_page
    f = tmp_path / "toy.yaml"
    f.write_text(toy)
    page.goto(live_server + "/scenarios")
    page.set_input_files("#file", str(f))
    page.click("#upload-button")
    _wait(page, "h1:has-text('Toy case')")
    assert page.locator("svg").count() >= 1
    page.click("#run-forecast")
    _wait(page, "#forecast-table")
    cell = page.locator("#forecast-table tbody tr td").nth(2).inner_text()
    run_id = int(page.url.rsplit("/", 1)[1])
    api = _api(live_server, f"/api/runs/{run_id}")
    assert float(cell.split()[0]) == pytest.approx(api["results"]["models"]["compromise"]["outcome"]["x"], abs=0.05)
    assert "40.0" in cell
    assert "compromise" in page.locator("#summary").inner_text()


def test_upload_error_is_shown_on_the_page(live_server, browser_page, tmp_path, toy):
    page = browser_page
    f = tmp_path / "broken.yaml"
    f.write_text(toy.replace("position: 70", "position: 170"))
    page.goto(live_server + "/scenarios")
    page.set_input_files("#file", str(f))
    page.click("#upload-button")
    alert = page.locator("[role=alert]").inner_text()
    assert "broken.yaml:10" in alert and "positions[1].position" in alert


def test_keyboard_reaches_the_forecast_button(live_server, browser_page, toy):
    digest = _api(live_server, "/api/scenarios", {"filename": "toy.yaml", "content": toy})["hash"]
    page = browser_page
    page.goto(f"{live_server}/scenarios/{digest}")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "run-forecast":
            break
    assert page.evaluate("document.activeElement.id") == "run-forecast"
    page.keyboard.press("Enter")
    _wait(page, "#forecast-table")


def test_citation_opens_the_article_with_the_sentence_highlighted(live_server, browser_page):
    from backchannel.files import load_scenario

    cited = next(p for p in load_scenario("ukraine-2025").positions if p.sources)
    page = browser_page
    page.goto(live_server + "/scenarios/ukraine-2025")
    row = page.locator(f"#pos-{cited.actor}-{cited.issue}")
    row.locator("blockquote a").first.click()
    _wait(page, "mark#hl")
    assert page.locator("mark#hl").inner_text() == cited.sources[0].quote
    assert cited.sources[0].document in page.url
    # The highlighted sentence is scrolled into the 1280×800 window.
    box = page.locator("mark#hl").bounding_box()
    assert box is not None and -1 <= box["y"] < 800
