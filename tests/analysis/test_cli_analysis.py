"""The analysis commands in-process: backtest, whatif, sensitivity, markets (JSON shapes, errors)."""

from __future__ import annotations

import csv
import json

import pytest

CASE = """\
id: case
actors:
  - {id: a, capability: 2}
  - {id: b}
  - {id: c}
issues:
  - {id: x, actual: 45}
  - {id: y}
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5, range: [0, 20]}
  - {actor: b, issue: x, position: 70, salience: 1}
  - {actor: c, issue: x, position: 90, salience: 0.5}
  - {actor: a, issue: y, position: 30, salience: 1}
  - {actor: b, issue: y, position: 60, salience: 0.5, range: [50, 70]}
outcomes:
  - {id: low, when: {x: [0, 45]}}
  - {id: high, when: {x: [45, 100]}}
levers:
  - {id: null_lever, set: {b.x.position: 70}}
  - {id: push, set: {b.x.salience: 0.2}}
markets:
  variables:
    - {id: oil, unit: "% change"}
  moves:
    low: {oil: {expected: -5, range: [-10, 0], basis: "test"}}
    high: {oil: {expected: 10, range: [0, 20], basis: "test"}}
"""


@pytest.fixture()
def case(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_text(CASE)
    return p


def test_backtest_json_contract_on_deu(cli, data_dir, tmp_path):
    rows = tmp_path / "rows.csv"
    code, out, err = cli(
        "backtest",
        str(data_dir / "deu3-dev.tsv"),
        "-m",
        "compromise",
        "-m",
        "focal",
        "--json",
        "--boot",
        "200",
        "--per-issue",
        str(rows),
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["n_issues"] == 242
    assert set(data["models"]) == {"compromise", "focal"}
    # the contracted point scores, and (issue 12) the distribution's scores next to them
    assert set(data["models"]["focal"]) == {
        "mae",
        "rmse",
        "median_ae",
        "n",
        "diff_vs_compromise",
        "crps",
        "coverage50",
        "coverage90",
        "interval_score90",
        "pit",
    }
    # shared/data/README.md: compromise MAE about 22.7 (salience weights, equal capability).
    assert data["models"]["compromise"]["mae"] == pytest.approx(22.7, abs=0.5)
    assert data["counts"]["issues_without_outcome"] == 6
    written = list(csv.DictReader(rows.open()))
    assert len(written) == 242 and {"issue", "cluster", "actual", "compromise", "focal"} <= set(written[0])


def test_backtest_scores_a_scenario_with_actual(cli, case):
    code, out, err = cli("backtest", str(case), "-m", "compromise", "--json", "--boot", "100")
    assert code == 0, err
    data = json.loads(out)
    # compromise on x: (2·0.5·10 + 70 + 0.5·90) / 2.5 = 50; |50 − 45| = 5.
    assert data["n_issues"] == 1 and data["models"]["compromise"]["mae"] == pytest.approx(5.0)


def test_backtest_bad_input_is_one_line(cli, case):
    code, _, err = cli("backtest", str(case), "--capability", "votes")
    assert code == 2 and "capability" in err


def test_whatif_null_lever_is_zero_and_push_is_not(cli, case):
    code, out, err = cli("whatif", str(case), "--lever", "null_lever", "--draws", "200", "--json")
    assert code == 0, err
    m = json.loads(out)["models"]["compromise"]
    assert all(v["change"] == 0 for v in m["issues"].values()) and all(v["change"] == 0 for v in m["outcomes"].values())
    code, out, _ = cli("whatif", str(case), "--set", "b.x.salience=0.2", "--draws", "200", "--json")
    assert json.loads(out)["models"]["compromise"]["issues"]["x"]["change"] < 0
    code, _, err = cli("whatif", str(case))
    assert code == 2 and "nothing to change" in err
    code, _, err = cli("whatif", str(case), "--set", "b.x.salience")
    assert code == 2 and "--set" in err


def test_sensitivity_json_and_who_to_work_on(cli, case):
    code, out, err = cli("sensitivity", str(case), "--issue", "x", "--actor", "a", "--move", "5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["method"] == "closed form"
    bars = data["tornado"]["x"]
    assert len(bars) == 9 and bars[0]["swing"] >= bars[-1]["swing"]
    best = data["who_to_work_on"]["issues"]["x"][0]
    assert best["feasible"] and best["forecast"] == pytest.approx(45.0)  # 50 moved 5 toward a (10)
    code, _, err = cli("sensitivity", str(case), "--issue", "z")
    assert code == 2 and "unknown issue" in err


def test_markets_json(cli, case):
    code, out, err = cli("markets", str(case), "--draws", "500", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert "not a price model" in data["disclaimer"]
    p = data["outcomes"]
    assert sum(p.values()) == pytest.approx(1.0)
    oil = data["variables"]["oil"]
    assert oil["expected"] == pytest.approx(-5 * p["low"] + 10 * p["high"])
    assert oil["p05"] <= oil["expected"] <= oil["p95"]
