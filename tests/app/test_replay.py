"""As-of replay: only evidence published on or before the date, tested with dated documents."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backchannel.analysis.replay import as_of_scenario
from backchannel.scenario.formats import parse

DATED = """\
id: dated
as_of: 2025-03-01
actors:
  - {id: a}
  - {id: b}
  - {id: c}
issues:
  - {id: x}
positions:
  - actor: a
    issue: x
    position: 10
    salience: 1
    sources: [{document: early.txt, quote: "a wants 10"}]
  - actor: b
    issue: x
    position: 90
    salience: 1
    sources: [{document: late.txt, quote: "b wants 90"}]
  - actor: c
    issue: x
    position: 40
    salience: 1
    sources: [{document: late.txt, quote: "c wants 40"}, {document: undated.txt, quote: "c again"}]
"""
PUBLISHED = {"early.txt": dt.date(2025, 1, 10), "late.txt": dt.date(2025, 2, 20), "undated.txt": None}


@pytest.fixture()
def dated():
    return parse(DATED, "dated.yaml", "yaml")


def test_later_documents_are_left_out(dated):
    r = as_of_scenario(dated, PUBLISHED, dt.date(2025, 2, 1))
    # b rests only on late.txt; c keeps its undated source, dated by the scenario's as_of (2025-03-01) — also later
    assert r.dropped_positions == ("b.x", "c.x")
    assert [p.actor for p in r.scenario.positions] == ["a"]
    assert r.later_documents == ("late.txt", "undated.txt")


def test_on_the_publication_day_the_document_counts(dated):
    r = as_of_scenario(dated, PUBLISHED, dt.date(2025, 2, 20))
    assert r.dropped_positions == ()
    c = r.scenario.positions[2]
    assert [src.document for src in c.sources] == ["late.txt"]  # the undated source is still later
    r = as_of_scenario(dated, PUBLISHED, dt.date(2025, 3, 1))
    assert r.dropped_positions == () and r.scenario == dated


def test_a_stated_assumption_stands_without_its_later_source(dated):
    text = DATED.replace(
        '    sources: [{document: late.txt, quote: "b wants 90"}]',
        '    sources: [{document: late.txt, quote: "b wants 90"}]\n    assumption: known stance',
    )
    r = as_of_scenario(parse(text, "d.yaml", "yaml"), PUBLISHED, dt.date(2025, 2, 1))
    b = [p for p in r.scenario.positions if p.actor == "b"][0]
    assert b.sources == () and b.position == 90 and "b.x" not in r.dropped_positions


def test_forecast_as_of_uses_stored_publication_dates(cli, db_url, tmp_path):
    from backchannel.store import Store
    from backchannel.store.evidence import DocumentRow

    path = tmp_path / "dated.yaml"
    path.write_text(DATED)
    store = Store(db_url)
    with store.sessions.begin() as s:
        for k, (name, when) in enumerate(PUBLISHED.items()):
            s.add(
                DocumentRow(
                    content_hash=f"{k:064d}",
                    source=f"/news/{name}",
                    title=name,
                    text="…",
                    published=when.isoformat() if when else None,
                    created_at=dt.datetime.now(dt.timezone.utc),
                )
            )
    code, out, err = cli("forecast", str(path), "--as-of", "2025-02-01", "-n", "0", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"]["dropped_positions"] == ["b.x", "c.x"]
    assert data["models"]["compromise"]["outcome"]["x"] == pytest.approx(10.0)  # a alone
    code, out, _ = cli("forecast", str(path), "--as-of", "2025-02-20", "-n", "0", "--json")
    assert json.loads(out)["models"]["compromise"]["outcome"]["x"] == pytest.approx(140 / 3)  # (10 + 90 + 40) / 3
    run = json.loads(cli("runs", "show", str(data["run_id"]), "--json")[1])
    assert run["parameters"]["as_of"] == "2025-02-01"
    code, _, err = cli("forecast", str(path), "--as-of", "last week")
    assert code == 2 and "--as-of" in err
