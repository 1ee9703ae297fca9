"""Reviewing claims: decisions stored with who/when/why, apply through the update rule, versions, diff.

Runs on SQLite and (when BACKCHANNEL_TEST_PG_URL is set) on PostgreSQL; the CLI part ingests a real
article with the rules.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import typer

from backchannel.app import review
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Scenario
from backchannel.store import Store
from backchannel.store.evidence import save_extraction

DATA = Path(__file__).resolve().parent / "data"

SCENARIO = Scenario.model_validate(
    {
        "id": "toy-review",
        "title": "Toy",
        "as_of": "2026-01-01",
        "actors": [
            {"id": "usa", "name": "United States", "capability": 1},
            {"id": "russia", "name": "Russia", "capability": 1},
        ],
        "issues": [{"id": "sanctions", "name": "Sanctions", "scale": {"0": "kept", "100": "lifted"}, "status_quo": 0}],
        "positions": [
            {"actor": "usa", "issue": "sanctions", "position": 45, "salience": 0.5, "range": [30, 60]},
            {"actor": "russia", "issue": "sanctions", "position": 95, "salience": 0.9},
        ],
    }
)
TEXT = "Rubio said there would be no relief for Moscow. Moscow demands that all sanctions be lifted."


def _record(published: str) -> dict:
    return {
        "source": f"news-{published}.txt",
        "url": None,
        "title": "t",
        "published": published,
        "text": TEXT,
        "mentions": [],
        "quotes": [],
        "deadlines": [],
        "events": [],
        "claims": [
            {
                "actor": "usa",
                "issue": "sanctions",
                "position": 5.0,
                "confidence": 0.5,
                "text": TEXT[:47],
                "start": 0,
                "end": 47,
            },
            {
                "actor": "russia",
                "issue": "sanctions",
                "position": 95.0,
                "confidence": 0.75,
                "text": TEXT[48:],
                "start": 48,
                "end": len(TEXT),
            },
        ],
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'rev.db'}"
    else:
        url = os.environ.get("BACKCHANNEL_TEST_PG_URL")
        if not url:
            pytest.skip("BACKCHANNEL_TEST_PG_URL is not set (CI's .ci/run starts a PostgreSQL server and sets it)")
    st = Store(url)
    if request.param == "postgres":  # a clean slate on the shared test database
        from backchannel.store.evidence import _KINDS, DocumentRow, ExtractionRow
        from backchannel.store.review import ProposalDecisionRow, ProposalRow, ReviewRow, VersionRow

        with st.sessions.begin() as s:
            s.query(ProposalDecisionRow).delete()
            s.query(ProposalRow).delete()
            s.query(ReviewRow).delete()
            s.query(VersionRow).delete()
            for row_type, _ in _KINDS.values():
                s.query(row_type).delete()
            s.query(ExtractionRow).delete()
            s.query(DocumentRow).delete()
    yield st
    st.close()


def _ids(store: Store) -> dict[str, int]:
    return {c["actor"]: c["id"] for c in review.pending(store, SCENARIO)}


def test_decisions_are_stored_with_who_when_why_and_the_newest_counts(store):
    save_extraction(store, _record("2026-01-06"), "a" * 64, SCENARIO, "test")
    ids = _ids(store)
    assert set(ids) == {"usa", "russia"}
    review.decide(store, [ids["usa"]], "rejected", reason="not sure", by="alice")
    review.decide(store, [ids["usa"]], "accepted", reason="checked the wire", by="bob")
    rows = review.pending(store, SCENARIO, include_decided=True)
    usa = next(c for c in rows if c["actor"] == "usa")
    assert (usa["decision"], usa["decided_by"], usa["reason"]) == ("accepted", "bob", "checked the wire")
    assert usa["decided_at"] and usa["context"] == TEXT and usa["published"] == "2026-01-06"
    assert [c["actor"] for c in review.pending(store, SCENARIO)] == ["russia"]
    assert review.pending(store, SCENARIO, actor="russia")[0]["id"] == ids["russia"]


def test_bad_decisions_change_nothing(store):
    save_extraction(store, _record("2026-01-06"), "a" * 64, SCENARIO, "test")
    ids = _ids(store)
    with pytest.raises(InputError, match="no stored claim"):
        review.decide(store, [ids["usa"], 999999], "accepted", by="x")
    assert len(review.pending(store, SCENARIO)) == 2  # all or none
    with pytest.raises(InputError, match="0..100"):
        review.decide(store, [ids["usa"]], "accepted", position=120, by="x")
    with pytest.raises(InputError, match="accept only"):
        review.decide(store, [ids["usa"]], "rejected", position=10, by="x")
    with pytest.raises(InputError, match="unknown actor"):
        review.pending(store, SCENARIO, actor="nobody")


def test_apply_makes_the_next_version_and_diff_names_the_evidence(store):
    save_extraction(store, _record("2026-01-06"), "a" * 64, SCENARIO, "test")
    ids = _ids(store)
    review.decide(store, [ids["usa"]], "accepted", by="carol")
    review.decide(store, [ids["russia"]], "rejected", reason="restates the prior", by="carol")
    new, version = review.apply_reviewed(store, SCENARIO, by="carol")
    # prior 45 (weight 2) and one sentence at 5 (weight 0.5): 37.0 (under the 15-point cap)
    usa = next(p for p in new.positions if p.actor == "usa")
    assert usa.position == 37.0 and str(new.as_of) == "2026-01-06"
    assert version["name"] == "toy-review@v2" and version["changes"][0]["claims"] == [ids["usa"]]
    assert [v["name"] for v in review.history(store, "toy-review")] == ["toy-review@v1", "toy-review@v2"]
    d = review.diff_versions(store, "toy-review@v1", "toy-review@v2")
    assert d["as_of"] == {"before": "2026-01-01", "after": "2026-01-06"}
    row = d["changes"][0]
    assert (row["actor"], row["position"]) == ("usa", {"before": 45.0, "after": 37.0})
    assert row["evidence"][0]["sentences"][0]["text"] == TEXT[:47]
    # a second apply uses no claim twice: nothing accepted since, so v3 changes nothing
    newer, v3 = review.apply_reviewed(store, store.scenario(version["hash"]), by="carol")
    assert v3["name"] == "toy-review@v3" and v3["changes"] == [] and newer.positions == new.positions


def test_accept_all_and_apply_is_what_suggest_write_does(store):
    save_extraction(store, _record("2026-01-06"), "a" * 64, SCENARIO, "test")
    new, version, accepted = review.accept_all_and_apply(store, SCENARIO, by="dave")
    assert accepted == 2 and version["name"] == "toy-review@v2"
    rows = review.pending(store, SCENARIO, include_decided=True)
    assert {c["reason"] for c in rows} == {"accepted by suggest --write"}
    russia = next(p for p in new.positions if p.actor == "russia")
    assert russia.position == 95.0 and russia.range is not None  # agreeing evidence: no move, a range now


def test_accept_with_another_actor_or_issue_keeps_the_extraction(store):
    save_extraction(store, _record("2026-01-06"), "a" * 64, SCENARIO, "test")
    ids = _ids(store)
    with pytest.raises(InputError, match="unknown actor .*got 'rusia'.*allowed: usa, russia"):
        review.decide(store, [ids["usa"]], "accepted", actor="rusia", scenario=SCENARIO, by="x")
    with pytest.raises(InputError, match="--issue needs --position"):
        review.decide(store, [ids["usa"]], "accepted", issue="sanctions", scenario=SCENARIO, by="x")
    with pytest.raises(InputError, match="accept only"):
        review.decide(store, [ids["usa"]], "rejected", actor="russia", scenario=SCENARIO, by="x")
    assert len(review.pending(store, SCENARIO)) == 2  # nothing stored
    # Rubio's "no relief for Moscow" read as the US's: a reviewer gives it to Russia (for the test's sake)
    review.decide(store, [ids["usa"]], "accepted", actor="russia", reason="misread", by="erin", scenario=SCENARIO)
    row = next(c for c in review.pending(store, SCENARIO, include_decided=True) if c["id"] == ids["usa"])
    assert (row["actor"], row["issue"], row["decided_by"], row["reason"]) == ("russia", "sanctions", "erin", "misread")
    assert row["extracted"] == {"actor": "usa", "issue": "sanctions", "position": 5.0}
    new, version = review.apply_reviewed(store, SCENARIO, by="erin")
    # the claim (5, weight 0.5) now moves Russia's 95 (weight 2): (2·95 + 0.5·5)/2.5 = 77.0, 18 points, so
    # the cap of 15 per sentence stops it at 80.0; the US's position is untouched
    pos = {p.actor: p.position for p in new.positions}
    assert pos == {"usa": 45.0, "russia": 80.0}
    assert [(c["actor"], c["claims"], c["capped"]) for c in version["changes"]] == [("russia", [ids["usa"]], True)]


# -- the CLI -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app():
    pytest.importorskip("spacy")
    from backchannel.cli import ingest, review as review_cli, scenario as scenario_cli, suggest

    a = typer.Typer(pretty_exceptions_enable=False)
    a.command()(ingest.ingest)
    a.command()(suggest.suggest)
    a.add_typer(review_cli.app, name="review")
    a.add_typer(scenario_cli.app, name="scenario")
    return a


@pytest.fixture()
def run(app, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BACKCHANNEL_DB", f"sqlite:///{tmp_path / 'cli.db'}")

    def go(*args: str):
        capsys.readouterr()
        try:
            app(args=list(args), prog_name="backchannel", standalone_mode=False)
            code = 0
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            code = 2
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_review_commands_end_to_end(run, tmp_path):
    article = DATA / "classes" / "J_wire_treasury_deadline.txt"
    assert run("ingest", str(article))[0] == 0
    code, out, err = run("review", "list", "--actor", "usa", "--issue", "sanctions", "--json")
    assert code == 0, err
    claims = json.loads(out)["claims"]
    assert claims and {c["actor"] for c in claims} == {"usa"} and all(c["decision"] is None for c in claims)
    rubio = next(c for c in claims if "no relief" in c["text"])
    assert rubio["position"] < 50 and rubio["published"] == "2026-01-06"
    code, out, _ = run(
        "review", "accept", str(rubio["id"]), "--position", "5", "--reason", "on the record", "--by", "erin"
    )
    assert code == 0 and "accepted 1 claim(s)" in out and "erin" in out
    others = [str(c["id"]) for c in claims if c["id"] != rubio["id"]]
    assert run("review", "reject", *others, "--reason", "duplicate")[0] == 0
    target = tmp_path / "v2.yaml"
    code, out, err = run("review", "apply", "ukraine-2025", "-o", str(target), "--json")
    assert code == 0, err
    v = json.loads(out)
    assert v["name"] == "ukraine-2025@v2" and v["as_of"] == "2026-01-06" and v["written"] == str(target)
    ch = next(c for c in v["changes"] if (c["actor"], c["issue"]) == ("usa", "sanctions"))
    # confirmed at 5 (weight 3) against the prior 45 (weight 2): 21.0, no cap for a confirmed position
    assert ch["after"]["position"] == 21.0 and ch["before"]["position"] == 45.0 and not ch["capped"]
    code, out, _ = run("scenario", "history", "ukraine-2025", "--json")
    assert [r["name"] for r in json.loads(out)] == ["ukraine-2025@v1", "ukraine-2025@v2"]
    code, out, _ = run("scenario", "diff", "ukraine-2025@v1", "ukraine-2025@v2", "--json")
    row = json.loads(out)["changes"][0]
    assert (row["actor"], row["issue"], row["position"]) == ("usa", "sanctions", {"before": 45.0, "after": 21.0})
    assert "no relief for Moscow" in row["evidence"][0]["sentences"][0]["text"]
    code, out, _ = run("scenario", "diff", "ukraine-2025@v1", "ukraine-2025@v2")
    assert code == 0 and f"claim {rubio['id']})" in out
    code, _, err = run("review", "apply", "ukraine-2025", "-o", str(target))
    assert code == 2 and "never overwrites" in err
    code, _, err = run("review", "accept", "424242")
    assert code == 2 and "no stored claim" in err


def test_suggest_write_accepts_every_pending_claim_and_says_so(run, tmp_path):
    article = DATA / "classes" / "L_translated_statement.txt"
    assert run("ingest", str(article))[0] == 0
    code, out, _ = run("review", "list", "--json")
    pending = len(json.loads(out)["claims"])
    target = tmp_path / "s.yaml"
    code, out, err = run("suggest", "ukraine-2025", "--write", str(target), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["accepted"] == pending and data["version"]["name"] == "ukraine-2025@v2"
    assert json.loads(run("review", "list", "--json")[1])["claims"] == []
    code, out, _ = run("suggest", "ukraine-2025")  # read-only preview: stores nothing
    assert json.loads(run("scenario", "history", "ukraine-2025", "--json")[1])[-1]["name"] == "ukraine-2025@v2"
