"""`backchannel forecast` with several models, Monte Carlo draws, executors and distributions."""

from __future__ import annotations

import json

import pytest

from backchannel.ensemble import run_forecast
from backchannel.app.files import load_scenario

CASE = """\
id: mc
title: Monte Carlo case
actors:
  - {id: a, capability: 2}
  - {id: b}
  - {id: c}
issues:
  - {id: x, status_quo: 20}
  - {id: y}
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5, range: [0, 30]}
  - {actor: b, issue: x, position: 70, salience: 1}
  - {actor: c, issue: x, position: 50, salience: 1, salience_range: [0.5, 1]}
  - {actor: a, issue: y, position: 30, salience: 0.5, range: [20, 40]}
  - {actor: b, issue: y, position: 90, salience: 0.7}
"""


@pytest.fixture()
def case(tmp_path):
    p = tmp_path / "mc.yaml"
    p.write_text(CASE)
    return p


def test_json_per_model_with_distribution_equals_the_library(cli, case):
    code, out, err = cli(
        "forecast", str(case), "-m", "compromise", "-m", "nash", "--draws", "500", "--seed", "7", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    expected = run_forecast(load_scenario(case), ["compromise", "nash"], 500, 7).to_dict()
    assert data["run_id"] >= 1
    del data["run_id"]
    assert data == expected
    assert set(data["models"]["nash"]["distribution"]["x"]) == {"mean", "p05", "p25", "p50", "p75", "p95"}


def test_processes_executor_gives_the_same_json(cli, case):
    outs = []
    for ex in ("serial", "processes"):
        code, out, err = cli("forecast", str(case), "-m", "nash", "--draws", "300", "--executor", ex, "--json")
        assert code == 0, err
        data = json.loads(out)
        data.pop("run_id")
        outs.append(data)
    assert outs[0] == outs[1]


def test_table_shows_point_and_band_side_by_side(cli, case):
    code, out, _ = cli("forecast", str(case), "-m", "compromise", "-m", "nash", "--draws", "200")
    assert code == 0
    assert "nash" in out and "5–95 %" in out and "200 draws" in out


def test_run_records_draws_and_distribution(cli, case):
    cli("forecast", str(case), "--draws", "100", "--distribution", "uniform", "--seed", "4")
    code, out, _ = cli("runs", "list", "--json")
    run = json.loads(out)[0]
    code, out, _ = cli("runs", "show", str(run["id"]), "--json")
    shown = json.loads(out)
    assert shown["parameters"]["draws"] == 100 and shown["parameters"]["distribution"] == "uniform"
    assert "distribution" in shown["results"]["models"]["compromise"]


@pytest.mark.parametrize(
    "args, expected",
    [
        (("-m", "nope"), "unknown model"),
        (("--executor", "threads"), "unknown executor"),
        (("--distribution", "normal"), "unknown distribution"),
    ],
)
def test_bad_choices_are_one_line_errors(cli, case, args, expected):
    code, out, err = cli("forecast", str(case), *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and expected in err


def test_ray_executor_without_the_extra_is_one_line_and_exit_2():
    """With Ray not importable, --executor ray names the extra in one line and exits 2."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from backchannel.cli import main\n"
        "main(['forecast', 'ukraine-2025', '--draws', '10', '--executor', 'ray', '--db', 'sqlite://'])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "pip install 'backchannel[ray]'" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
