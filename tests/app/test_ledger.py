"""The question ledger: recording from forecast runs, resolutions with amendments, and hand-computed scores."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from backchannel.app.service import Service
from backchannel.store import Store
from backchannel.store.questions import NewRecord, add_records


def _add(cli, qid, outcome, scenario="toy"):
    return cli(
        "question",
        "add",
        qid,
        "--scenario",
        scenario,
        "--outcome",
        outcome,
        "--resolves-by",
        "2026-06-30",
        "--criteria",
        "as the toy says",
    )


def test_forecast_runs_record_every_model_for_open_questions(cli, toy):
    assert cli("forecast", str(toy), "-n", "0")[0] == 0  # stores the scenario; no draws, so nothing recorded
    assert _add(cli, "q-low", "low")[0] == 0
    assert _add(cli, "q-high", "high")[0] == 0
    assert cli("forecast", str(toy), "-n", "0")[0] == 0
    code, out, err = cli(
        "forecast", str(toy), "-n", "50", "-m", "compromise", "-m", "nash", "--json", "--as-of", "2026-01-05"
    )
    assert code == 0, err
    payload = json.loads(out)
    run_id = payload["run_id"]
    q = json.loads(cli("question", "show", "q-low", "--json")[1])
    # compromise lands on (2·0.5·10 + 1·1·70) / 2 = 40 in every draw (no ranges): P(low) = 1; the first model heads
    p_nash = payload["outcomes"]["nash"]["low"]
    got = {(r["model"], r["headline"], r["probability"], r["as_of"], r["run_id"]) for r in q["history"]}
    assert got == {("compromise", True, 1.0, "2026-01-05", run_id), ("nash", False, p_nash, "2026-01-05", run_id)}
    assert json.loads(cli("question", "show", "q-high", "--json")[1])["latest"]["probability"] == 0.0


def test_whatif_runs_record_nothing(db_url, toy):
    from backchannel.app.files import load_scenario

    svc = Service(Store(db_url))
    s = load_scenario(str(toy))
    svc.store.save_scenario(s)
    svc.ledger.add("q", "toy", "low", "2026-06-30", "c")
    svc.whatif(s, overrides={"a.x.position": 90.0}, draws=20)
    assert svc.ledger.question("q")["history"] == []


def test_resolution_needs_a_date_and_an_amendment_to_change(cli, toy):
    cli("forecast", str(toy), "-n", "0")
    _add(cli, "q", "low")
    code, _, err = cli("question", "resolve", "q", "--yes")
    assert code == 2 and "--on" in err
    assert cli("question", "resolve", "q", "--yes", "--on", "2026-02-01")[0] == 0
    code, _, err = cli("question", "resolve", "q", "--no", "--on", "2026-02-02")
    assert code == 2 and "already resolved" in err and "--amend" in err
    assert cli("question", "resolve", "q", "--no", "--on", "2026-02-03", "--amend", "misread the criteria")[0] == 0
    q = json.loads(cli("question", "show", "q", "--json")[1])
    assert [r["answer"] for r in q["resolutions"]] == ["yes", "no"]
    assert q["resolution"] == q["resolutions"][-1] and q["resolution"]["amend_reason"] == "misread the criteria"
    # a resolved question gets no more records
    cli("forecast", str(toy), "-n", "10")
    assert json.loads(cli("question", "show", "q", "--json")[1])["records"] == 0


@pytest.mark.parametrize(
    "args, field",
    [
        (
            ("add", "q", "--scenario", "nope", "--outcome", "low", "--resolves-by", "2026-01-01", "--criteria", "c"),
            "scenario",
        ),
        (
            (
                "add",
                "q",
                "--scenario",
                "ukraine-2025",
                "--outcome",
                "low",
                "--resolves-by",
                "2026-01-01",
                "--criteria",
                "c",
            ),
            "--outcome",
        ),
        (
            (
                "add",
                "q",
                "--scenario",
                "ukraine-2025",
                "--outcome",
                "frozen_conflict",
                "--resolves-by",
                "soon",
                "--criteria",
                "c",
            ),
            "--resolves-by",
        ),
        (("resolve", "ghost", "--yes", "--on", "2026-01-01"), "QID"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, field):
    code, _, err = cli("question", *args)
    assert code == 2 and field in err and len(err.strip().splitlines()) == 1


def test_score_of_hand_computed_questions(cli, toy, db_url):
    cli("forecast", str(toy), "-n", "0")
    for qid in ("q1", "q2", "q3"):
        _add(cli, qid, "low")
    run = json.loads(cli("forecast", str(toy), "-n", "0", "--json")[1])["run_id"]
    store = Store(db_url)
    d = dt.date.fromisoformat
    add_records(store, run, d("2026-01-01"), [NewRecord("q1", "compromise", True, 0.1, 3)])  # superseded below
    add_records(
        store,
        run,
        d("2026-01-10"),
        [
            NewRecord("q1", "compromise", True, 0.8, 3),
            NewRecord("q2", "compromise", True, 0.3, 3),
            NewRecord("q3", "compromise", True, 0.6, 3),
            NewRecord("q1", "nash", False, 0.5, 3),
        ],
    )
    add_records(store, run, d("2026-03-01"), [NewRecord("q1", "compromise", True, 0.0, 3)])  # after resolution
    cli("question", "resolve", "q1", "--yes", "--on", "2026-02-01")
    cli("question", "resolve", "q2", "--no", "--on", "2026-02-01")
    cli("question", "resolve", "q3", "--no", "--on", "2026-02-01")
    code, out, err = cli("question", "score", "--json")
    assert code == 0, err
    s = json.loads(out)
    assert set(s) == {"n", "brier", "log", "decomposition", "reliability", "models", "baselines"}
    assert s["n"] == 3
    # (0.8-1)² + 0.3² + 0.6² = 0.04 + 0.09 + 0.36 = 0.49, / 3
    assert s["brier"] == pytest.approx(0.49 / 3)
    assert s["log"] == pytest.approx(-(math.log(0.8) + math.log(0.7) + math.log(0.4)) / 3)
    assert s["models"]["nash"] == {"brier": pytest.approx(0.25), "log": pytest.approx(math.log(2))}
    assert s["models"]["compromise"]["brier"] == pytest.approx(0.49 / 3)
    # uniform: 1/3 each (two named outcomes plus the unnamed share): ((2/3)² + (1/3)² + (1/3)²) / 3
    assert s["baselines"]["uniform"]["brier"] == pytest.approx(6 / 27)
    # leave-one-out base rate: q1 sees 0 of 2 yes, q2 and q3 see 1 of 2: (1 + 0.25 + 0.25) / 3
    assert s["baselines"]["base_rate"]["brier"] == pytest.approx(0.5)
    assert s["baselines"]["base_rate"]["log"] == pytest.approx((-math.log(1e-3) + 2 * math.log(2)) / 3)
    dec = s["decomposition"]
    assert dec["uncertainty"] == pytest.approx(2 / 9)  # base rate 1/3
    assert [r["count"] for r in s["reliability"]] == [0, 0, 0, 1, 0, 0, 1, 0, 1, 0]
    assert {"bin", "forecast_mean", "observed", "count"} == set(s["reliability"][0])


def test_score_with_nothing_resolved_is_empty_not_an_error(cli):
    code, out, _ = cli("question", "score", "--json")
    assert code == 0 and json.loads(out)["n"] == 0 and json.loads(out)["brier"] is None


def test_report_draws_each_question_history(cli, toy, tmp_path):
    cli("forecast", str(toy), "-n", "0")
    _add(cli, "q-low", "low")
    cli("forecast", str(toy), "-n", "20", "--as-of", "2026-01-01")
    cli("forecast", str(toy), "-n", "20", "--as-of", "2026-02-01")
    cli("question", "resolve", "q-low", "--yes", "--on", "2026-03-01")
    out = tmp_path / "r.html"
    code, _, err = cli("report", str(toy), "-m", "compromise", "--draws", "20", "-o", str(out))
    assert code == 0, err
    html = out.read_text()
    assert "<h2>Questions</h2>" in html and "resolved yes 2026-03-01" in html
    assert html.count("<circle") >= 3  # two recorded runs and the resolution mark


def test_deal_questions_record_the_agreement_layers_probability(cli):
    code, _, err = cli(
        "question",
        "add",
        "d1",
        "--scenario",
        "ukraine-2025",
        "--outcome",
        "deal",
        "--resolves-by",
        "2026-06-30",
        "--criteria",
        "a signed settlement",
    )
    assert code == 0, err
    code, out, err = cli("forecast", "ukraine-2025", "-n", "200", "--json")
    payload = json.loads(out)
    q = json.loads(cli("question", "show", "d1", "--json")[1])
    assert [(r["model"], r["probability"], r["choices"]) for r in q["history"]] == [
        ("compromise", payload["agreement"]["compromise"]["p_deal"], 2)
    ]
