"""The evidence commands in-process: ingest, evidence list|show, suggest.

The commands are registered here the way the main CLI registers them (see docs/evidence.md).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import typer

from backchannel.scenario.errors import InputError

DATA = Path(__file__).resolve().parent / "data"
SCENARIO = str(DATA / "scenario.yaml")


@pytest.fixture(scope="module")
def app():
    pytest.importorskip("spacy")
    from backchannel.cli import evidence as evidence_cli
    from backchannel.cli import ingest, suggest

    a = typer.Typer(pretty_exceptions_enable=False)
    a.command()(ingest.ingest)
    a.add_typer(evidence_cli.app, name="evidence")
    a.command()(suggest.suggest)
    return a


@pytest.fixture()
def run(app, tmp_path, monkeypatch, capsys):
    """Run a command: (exit code, stdout, stderr), InputError shown as one line with exit 2 like main()."""
    monkeypatch.setenv("BACKCHANNEL_DB", f"sqlite:///{tmp_path / 'ev.db'}")

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


def _articles(tmp_path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("A_witkoff_moscow.txt", "D_alaska_summit.txt"):
        shutil.copy(DATA / "articles" / name, folder / name)
    return folder


def test_ingest_json_shape_and_idempotence(run, tmp_path):
    folder = _articles(tmp_path)
    code, out, err = run("ingest", str(folder), "--scenario", SCENARIO, "--json")
    assert code == 0, err
    data = json.loads(out)
    # additive: the documents first; the alias candidates (and the ingest summary) beside them
    assert list(data)[0] == "documents" and set(data) <= {"documents", "unmatched_names", "summary"}
    assert len(data["documents"]) == 2
    assert data["summary"] == {"stored": 2, "skipped_known": 0, "skipped_non_article": 0, "refused": []}
    doc = data["documents"][0]
    assert doc["source"] == str(folder / "A_witkoff_moscow.txt") and doc["published"] == "2025-08-06"
    for q in doc["quotes"]:
        assert doc["text"][q["start"] : q["end"]] == q["text"]

    code, out, _ = run("evidence", "list", "--json")
    before = json.loads(out)
    assert [d["source"].rsplit("/", 1)[-1] for d in before] == ["A_witkoff_moscow.txt", "D_alaska_summit.txt"]
    assert before[0]["quotes"] == len(doc["quotes"]) and before[0]["claims"] == len(doc["claims"])

    code, out, _ = run("ingest", str(folder), "--scenario", SCENARIO)
    assert code == 0 and out.count("unchanged") == 2
    _, out, _ = run("evidence", "list", "--json")
    assert json.loads(out) == before  # the second ingest changed nothing


def test_bad_files_are_reported_and_leave_the_store_unchanged(run, tmp_path):
    folder = _articles(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00\x01")
    code, out, err = run("ingest", str(folder), "--scenario", SCENARIO)
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 2 and any("empty.txt" in x for x in lines) and any("broken.md" in x for x in lines)
    _, out, _ = run("evidence", "list", "--json")
    assert len(json.loads(out)) == 2  # the good files were ingested, nothing of the bad ones


def test_evidence_show(run, tmp_path):
    folder = _articles(tmp_path)
    run("ingest", str(folder / "D_alaska_summit.txt"), "--scenario", SCENARIO)
    code, out, _ = run("evidence", "show", "1", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["title"] == "No deal in Alaska as Putin presses for Donbas"
    assert ("There's no deal until there's a deal,", "Trump", "usa") in {
        (q["text"], q["speaker"], q["actor"]) for q in doc["quotes"]
    }
    code, out, _ = run("evidence", "show", "1")
    assert code == 0 and "Nina Khrushcheva" in out
    code, _, err = run("evidence", "show", "99")
    assert code == 2 and "no stored document" in err


def test_suggest_diff_and_write_new_file(run, tmp_path):
    folder = _articles(tmp_path)
    run("ingest", str(folder), "--scenario", SCENARIO)
    code, out, err = run("suggest", SCENARIO, "--json")
    assert code == 0, err
    sug = {(x["actor"], x["issue"]): x for x in json.loads(out)["suggestions"]}
    # The fixture has no positions, so every suggestion is new; Russia's NATO demand lies above 50.
    assert sug[("russia", "nato")]["current"] is None and sug[("russia", "nato")]["suggested"] > 50
    assert sug[("ukraine", "ceasefire")]["suggested"] < 50
    assert all(s["sources"] for s in sug.values())

    target = tmp_path / "updated.yaml"
    code, _, err = run("suggest", SCENARIO, "--write", str(target))
    assert code == 0, err
    from backchannel.app.files import load_scenario

    updated = load_scenario(str(target))
    pos = {(p.actor, p.issue): p for p in updated.positions}
    assert pos[("russia", "nato")].position > 50
    assert pos[("russia", "nato")].sources[0].document.endswith(".txt")
    text = target.read_text(encoding="utf-8")

    code, _, err = run("suggest", SCENARIO, "--write", str(target))
    assert code == 2 and "never overwrites" in err
    assert target.read_text(encoding="utf-8") == text
    assert Path(SCENARIO).read_text(encoding="utf-8").count("positions:") == 0  # input untouched
