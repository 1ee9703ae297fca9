"""The store on SQLite and (when CI provides one) a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from backchannel.scenario.errors import InputError
from backchannel.scenario.formats.native import parse_yaml
from backchannel.scenario.identity import scenario_hash
from backchannel.store import Store

SCENARIO = """
id: toy
title: Toy case
actors: [{id: a, capability: 2}, {id: b}]
issues: [{id: x, status_quo: 20}]
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5}
  - {actor: b, issue: x, position: 70, salience: 1}
"""


def _pg_url() -> str | None:
    return os.environ.get("BACKCHANNEL_TEST_PG_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        st = Store(f"sqlite:///{tmp_path / 'store.db'}")
        yield st
        st.close()
        return
    url = _pg_url()
    if not url:
        pytest.skip("BACKCHANNEL_TEST_PG_URL is not set (CI's .ci/run starts a PostgreSQL server and sets it)")
    # A schema of its own per test keeps runs independent on one server.
    schema = "t_" + uuid.uuid4().hex[:12]
    from sqlalchemy import create_engine

    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    st = Store(url + f"?options=-csearch_path%3D{schema}")
    yield st
    st.close()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_scenario_is_kept_once_by_content_hash(store):
    s = parse_yaml(SCENARIO, "toy.yaml")
    h1 = store.save_scenario(s)
    h2 = store.save_scenario(parse_yaml(SCENARIO, "again.yaml"))
    assert h1 == h2 == scenario_hash(s)
    assert len(h1) == 64
    assert [r["hash"] for r in store.scenarios()] == [h1]
    assert store.scenario("toy") == s
    assert store.scenario(h1[:10]) == s


def test_changed_scenario_is_a_new_version(store):
    s = parse_yaml(SCENARIO, "toy.yaml")
    t = parse_yaml(SCENARIO.replace("position: 70", "position: 71"), "toy.yaml")
    assert store.save_scenario(s) != store.save_scenario(t)
    assert len(store.scenarios()) == 2


def test_run_records_what_reproduces_it(store):
    from backchannel import __version__

    s = parse_yaml(SCENARIO, "toy.yaml")
    rid = store.record_run(
        s,
        models=["compromise"],
        parameters={"draws": 10},
        seed=7,
        results={"models": {"compromise": {"outcome": {"x": 50.0}}}},
    )
    run = store.run(rid)
    assert run["scenario_hash"] == scenario_hash(s)
    assert run["models"] == ["compromise"] and run["seed"] == 7 and run["parameters"] == {"draws": 10}
    assert run["version"] == __version__ and run["status"] == "ok"
    assert run["results"]["models"]["compromise"]["outcome"]["x"] == 50.0
    assert [r["id"] for r in store.runs()] == [rid]


def test_failed_write_leaves_no_partial_rows(store):
    s = parse_yaml(SCENARIO, "toy.yaml")

    class Unserialisable:
        pass

    with pytest.raises((StatementError, TypeError), match="not JSON serializable"):  # SQLAlchemy wraps it on SQLite
        store.record_run(s, models=["compromise"], parameters={}, seed=1, results={"bad": Unserialisable()})
    # The scenario row was part of the same transaction, so it is gone too.
    assert store.runs() == []
    assert store.scenarios() == []


def test_unknown_run_and_scenario_are_clear_errors(store):
    with pytest.raises(InputError, match="no run with this id"):
        store.run(12345)
    with pytest.raises(InputError, match="no stored scenario"):
        store.scenario("nope")


def test_bad_database_url_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="folder does not exist"):
        Store(f"sqlite:///{tmp_path}/missing/dir/x.db")
    with pytest.raises(InputError, match="cannot use this database URL"):
        Store("nosuchdb://x")


def test_previous_run_is_the_newest_forecast_of_the_scenario_before_a_run(store):
    s = parse_yaml(SCENARIO, "toy.yaml")
    other = parse_yaml(SCENARIO.replace("id: toy", "id: other"), "other.yaml")
    first = store.record_run(s, models=["compromise"], parameters={}, seed=1, results={"n": 1})
    store.record_run(other, models=["compromise"], parameters={}, seed=2, results={"n": 2})
    store.record_run(s, models=["compromise"], parameters={}, seed=3, results={"n": 3}, kind="whatif")
    third = store.record_run(s, models=["compromise"], parameters={}, seed=4, results={"n": 4})
    assert store.previous_run("toy", before=third)["id"] == first  # not the other scenario, not the what-if
    assert store.previous_run("toy")["results"] == {"n": 4}
    assert store.previous_run("toy", before=first) is None
    assert store.previous_run("nothing") is None


def test_question_ledger_round_trip(store):
    import datetime as dt

    from backchannel.store.questions import (
        NewRecord,
        add_question,
        add_records,
        add_resolution,
        questions,
        records,
        resolutions,
    )

    s = parse_yaml(SCENARIO, "toy.yaml")
    run = store.record_run(s, models=["compromise"], parameters={"draws": 10}, seed=0, results={})
    add_question(store, "q1", "toy", "low", dt.date(2026, 6, 30), "criteria")
    add_records(store, run, dt.date(2026, 1, 2), [NewRecord("q1", "compromise", True, 0.25, 3)])
    add_resolution(store, "q1", False, dt.date(2026, 7, 1), None)
    add_resolution(store, "q1", True, dt.date(2026, 7, 2), "misread")
    assert [q.id for q in questions(store)] == ["q1"]
    (r,) = records(store, "q1")
    assert (r.run_id, r.model, r.headline, r.probability, r.choices, r.as_of) == (
        run,
        "compromise",
        True,
        0.25,
        3,
        dt.date(2026, 1, 2),
    )
    assert [(x.answer, x.amend_reason) for x in resolutions(store, "q1")] == [(False, None), (True, "misread")]
