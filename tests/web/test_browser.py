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
    from backchannel.app.files import load_scenario

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


def test_forecast_then_toggle_a_lever_on_the_builtin_scenario(live_server, browser_page):
    # ukraine-2025 under the compromise model: suspending US aid (lever us_aid_suspended) moves the named
    # outcomes beyond Monte Carlo noise (P(frozen_conflict) 0 → about 0.17 with 300 draws, seed 0, by the CLI's
    # `whatif --json`); the page must show the API's numbers
    page = browser_page
    page.goto(live_server + "/scenarios/ukraine-2025")
    page.fill("#draws", "200")
    page.click("#run-forecast")
    _wait(page, "#outcomes-table")
    forecast = _api(live_server, f"/api/runs/{int(page.url.rsplit('/', 1)[1])}")["results"]["outcomes"]["compromise"]
    cell = page.locator(
        "#outcomes-table td[data-model='compromise'][data-outcome='territorial_compromise_with_guarantees']"
    )
    assert float(cell.inner_text().split()[0].rstrip("%")) == pytest.approx(
        100 * forecast["territorial_compromise_with_guarantees"], abs=0.05
    )
    page.goto(live_server + "/scenarios/ukraine-2025")
    page.click("#whatif-link")
    _wait(page, "#whatif-form")
    page.check("#lever-us_aid_suspended")
    page.fill("#draws", "200")
    page.click("#run-whatif")
    _wait(page, ".whatif-table")
    stored = _api(live_server, f"/api/runs/{int(page.url.rsplit('/', 1)[1])}")["results"]["models"]["compromise"]
    moved = 0
    for outcome, c in stored["outcomes"].items():
        # the compromise model's table (the form also ticks the headline model, combined, by default)
        row = page.locator(f".whatif-table[data-model='compromise'] tr[data-outcome='{outcome}']")
        base, variant = (float(row.locator(k).inner_text().rstrip(" %")) for k in (".baseline", ".variant"))
        assert base == pytest.approx(100 * c["baseline"], abs=0.05)
        assert variant == pytest.approx(100 * c["variant"], abs=0.05)
        moved += base != variant
    assert moved >= 2 and stored["outcomes"]["frozen_conflict"]["variant"] > 0.05
    frozen = page.locator(".whatif-table[data-model='compromise'] tr[data-outcome='frozen_conflict'] .change")
    assert "sig" in frozen.get_attribute("class")


def test_evidence_page_leads_from_a_document_to_its_highlighted_quotes(live_server, browser_page, shared, cli):
    code, _, err = cli("ingest", str(shared / "articles" / "002_putin_trump_exchanges.txt"))
    assert code == 0, err
    doc = _api(live_server, "/api/evidence/1")
    page = browser_page
    page.goto(live_server + "/scenarios")
    page.click("nav >> text=Evidence")
    _wait(page, "#documents")
    page.locator("#documents a").first.click()
    _wait(page, "article mark.quotes")
    shown = page.locator("article mark.quotes").all_inner_texts()
    # each highlighted quote is the stored quote's span of the text (quote marks included or not)
    assert len(shown) >= len(doc["quotes"]) > 0
    assert all(any(q["text"] in s or s in q["text"] for q in doc["quotes"]) for s in shown)
    # the actor filter leaves only that actor's items highlighted: every highlight's tooltip names it
    unfiltered = page.locator("article mark").count()
    page.goto(f"{live_server}/evidence/1?actor=russia")
    titles = page.locator("article mark").evaluate_all("marks => marks.map(m => m.title)")
    assert titles and all("russia" in t for t in titles)
    assert len(titles) < unfiltered
