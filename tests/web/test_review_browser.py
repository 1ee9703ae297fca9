"""The review page end to end in headless Chromium: accept and reject claims, apply, history and diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTICLE = Path(__file__).resolve().parents[1] / "evidence" / "data" / "classes" / "J_wire_treasury_deadline.txt"


def _wait(page, selector: str, timeout: float = 60000) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, timeout=timeout)
    except PlaywrightTimeout:
        pytest.fail(f"{selector} did not appear; page {page.url} shows: {page.inner_text('body')[:800]!r}")


def test_review_accept_reject_apply_and_diff_in_the_browser(live_server, browser_page, cli):
    pytest.importorskip("spacy")
    code, _, err = cli("ingest", str(ARTICLE))
    assert code == 0, err
    code, out, _ = cli("review", "list", "--actor", "usa", "--issue", "sanctions", "--json")
    claims = json.loads(out)["claims"]
    rubio = next(c for c in claims if "no relief" in c["text"])
    others = [c["id"] for c in claims if c["id"] != rubio["id"]]

    page = browser_page
    page.goto(live_server + "/scenarios")
    page.click("nav >> text=Review")
    _wait(page, "#claims")
    page.select_option("#f-actor", "usa")
    page.select_option("#f-issue", "sanctions")
    page.click("form[action='/review'] button")
    _wait(page, f"tr[data-claim='{rubio['id']}']")
    assert page.locator("#claims tbody tr").count() == len(claims)
    # the sentence is shown highlighted in its paragraph
    assert "no relief for Moscow" in page.locator(f"tr[data-claim='{rubio['id']}'] mark").inner_text()
    page.check(f"#c{rubio['id']}")
    page.fill("#position", "5")
    page.fill("#reason", "on the record")
    page.fill("#by", "frank")
    page.click("#accept")
    _wait(page, "#done")
    assert "accepted 1" in page.locator("#done").inner_text()
    for cid in others:
        page.check(f"#c{cid}")
    page.fill("#reason", "duplicates")
    page.click("#reject")
    _wait(page, "#no-claims")

    code, out, _ = cli("review", "list", "--all", "--json")
    decided = {c["id"]: c for c in json.loads(out)["claims"]}
    assert (
        decided[rubio["id"]]["decision"],
        decided[rubio["id"]]["decided_by"],
        decided[rubio["id"]]["confirmed"],
    ) == ("accepted", "frank", 5.0)
    assert all(decided[c]["decision"] == "rejected" and decided[c]["reason"] == "duplicates" for c in others)

    page.click("#apply")
    _wait(page, "#diff")
    assert page.locator("#diff-title").inner_text() == "ukraine-2025@v1 → ukraine-2025@v2"
    row = page.locator("#diff tbody tr", has_text="sanctions")
    # confirmed at 5 (weight 3) against the prior 45 (weight 2): 21.0, as the CLI's diff says
    code, out, _ = cli("scenario", "diff", "ukraine-2025@v1", "ukraine-2025@v2", "--json")
    expected = json.loads(out)["changes"][0]
    assert expected["position"] == {"before": 45.0, "after": 21.0}
    assert "45.0 → 21.0" in row.inner_text() and "no relief for Moscow" in row.inner_text()

    page.goto(live_server + "/scenarios")
    assert page.locator("a", has_text="ukraine-2025@v2").count() == 1  # versions are named in the list
    page.click("a:has-text('ukraine-2025@v2')")
    _wait(page, "#versions")
    assert page.locator("#versions tbody tr").count() == 2


STALLED = (
    Path(__file__).resolve().parents[1] / "evidence" / "data" / "stalled" / "S1_kremlin_rejects_christmas_truce.txt"
)


def test_reassign_a_misread_actor_and_accept_proposals_in_the_browser(live_server, browser_page, cli):
    pytest.importorskip("spacy")
    code, _, err = cli("ingest", str(STALLED))
    assert code == 0, err
    code, out, _ = cli("review", "list", "--json")
    claims = json.loads(out)["claims"]
    misread = next(c for c in claims if "must leave all of Donetsk" in c["text"] and c["actor"] == "ukraine")
    force = next(c for c in claims if "one way or another" in c["text"] and c["issue"] == "territory")

    page = browser_page
    page.goto(live_server + "/review")
    _wait(page, "#claims")
    # a bad re-assignment is one line naming the field, the value and the ids allowed; nothing is stored
    page.check(f"#c{misread['id']}")
    page.select_option("#to-issue", "ceasefire")
    page.click("#accept")
    _wait(page, ".error, [role=alert]")
    assert "--position" in page.inner_text("body")
    page.goto(live_server + "/review")
    _wait(page, "#claims")
    page.check(f"#c{misread['id']}")
    page.check(f"#c{force['id']}")
    page.select_option("#to-actor", "russia")
    page.fill("#reason", "Moscow's words")
    page.click("#accept")
    _wait(page, "#done")
    code, out, _ = cli("review", "list", "--all", "--actor", "russia", "--json")
    got = {c["id"]: c for c in json.loads(out)["claims"]}
    assert got[misread["id"]]["actor"] == "russia" and got[misread["id"]]["extracted"]["actor"] == "ukraine"
    assert got[misread["id"]]["reason"] == "Moscow's words"
    # accepting Ushakov's "one way or another" proposes moving Russia's outside option on territory
    _wait(page, "#proposals")
    row = page.locator("#proposals tbody tr", has_text="outside option russia.territory")
    assert row.count() >= 1 and "one way or another" in row.first.inner_text()
    pid = row.first.get_attribute("data-proposal")
    page.check(f"#{pid}")
    page.click("#accept")
    _wait(page, "#done")
    page.click("#apply")
    _wait(page, "#diff")
    assert "outside option russia.territory: 60.0 →" in page.locator("#agreement").inner_text()
