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


VERSIONED = """\
id: versioned
as_of: {as_of}
actors:
  - {{id: a}}
  - {{id: b}}
  - {{id: c}}
issues:
  - {{id: x}}
positions:
  - {{actor: a, issue: x, position: 10, salience: 1}}
  - {{actor: b, issue: x, position: {b}, salience: 1}}
  - {{actor: c, issue: x, position: {c}, salience: 1}}
"""


def _versioned(as_of: str, b: float, c: float):
    return parse(VERSIONED.format(as_of=as_of, b=b, c=c), "versioned.yaml", "yaml")


def test_version_in_force_is_the_newest_dated_on_or_before():
    from backchannel.analysis.replay import version_in_force

    rows = [
        {"name": "s@v1", "number": 1, "as_of": None},
        {"name": "s@v2", "number": 2, "as_of": "2025-02-01"},
        {"name": "s@v3", "number": 3, "as_of": "2025-01-15"},  # a version may rest on older evidence
        {"name": "s@v4", "number": 4, "as_of": "2025-02-01"},
    ]
    assert version_in_force(rows, dt.date(2025, 1, 14)) is None
    assert version_in_force(rows, dt.date(2025, 1, 15))["name"] == "s@v3"
    assert version_in_force(rows, dt.date(2025, 1, 31))["name"] == "s@v3"
    assert version_in_force(rows, dt.date(2025, 2, 1))["name"] == "s@v4"  # same as_of: the later version


def test_forecast_as_of_takes_the_version_in_force(cli, db_url, tmp_path):
    from backchannel.store import Store
    from backchannel.store.review import record_version

    store = Store(db_url)
    v1 = _versioned("2025-01-01", 90, 40)  # compromise (10 + 90 + 40) / 3
    v2 = _versioned("2025-02-01", 90, 70)  # (10 + 90 + 70) / 3
    v3 = _versioned("2025-03-01", 60, 70)  # (10 + 60 + 70) / 3
    record_version(store, v2, v1, rule={}, changes=[], by="test")
    record_version(store, v3, v2, rule={}, changes=[], by="test")
    path = tmp_path / "versioned.yaml"
    path.write_text(VERSIONED.format(as_of="2025-04-01", b=20, c=20))  # the file given: (10 + 20 + 20) / 3
    expected = {
        "2024-12-31": (None, 50 / 3),  # no version in force yet: the file, by the document-date rule
        "2025-01-20": ("versioned@v1", 140 / 3),
        "2025-02-01": ("versioned@v2", 170 / 3),
        "2025-02-28": ("versioned@v2", 170 / 3),
        "2025-03-01": ("versioned@v3", 140 / 3),
    }
    for date, (version, x) in expected.items():
        code, out, err = cli("forecast", str(path), "--as-of", date, "-n", "0", "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["as_of"]["version"] == version, date
        assert data["models"]["compromise"]["outcome"]["x"] == pytest.approx(x), date
    code, out, err = cli("forecast", str(path), "--as-of", "2025-02-15", "-n", "0")
    assert code == 0, err
    assert "scenario version versioned@v2" in out
