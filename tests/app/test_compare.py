"""runs compare: inputs, per-issue forecasts and probabilities of two runs, with hand-computed changes."""

from __future__ import annotations

import json

import pytest


def test_compare_two_runs(cli, tmp_path, toy_text):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(toy_text)
    b.write_text(toy_text.replace("position: 70", "position: 100"))
    ra = json.loads(cli("forecast", str(a), "-n", "20", "--json")[1])["run_id"]
    rb = json.loads(cli("forecast", str(b), "-n", "40", "--json")[1])["run_id"]
    code, out, err = cli("runs", "compare", str(ra), str(rb), "--json")
    assert code == 0, err
    c = json.loads(out)
    assert c["settings"]["parameters.draws"] == {"a": 20, "b": 40} and "scenario_hash" in c["settings"]
    assert c["positions"] == [{"actor": "b", "issue": "x", "field": "position", "a": 70.0, "b": 100.0, "change": 30.0}]
    # compromise: (1·10 + 1·70) / 2 = 40, then (1·10 + 1·100) / 2 = 55
    assert c["issues"]["compromise"]["x"]["point"] == {"a": 40.0, "b": 55.0, "change": 15.0}
    assert c["outcomes"]["compromise"]["low"] == {"a": 1.0, "b": 0.0, "change": -1.0}
    assert c["outcomes"]["compromise"]["high"]["change"] == pytest.approx(1.0)
    code, out, _ = cli("runs", "compare", str(ra), str(rb))
    assert code == 0 and "+15.0" in out


def test_compare_refuses_unknown_runs(cli):
    code, _, err = cli("runs", "compare", "1", "99")
    assert code == 2 and "run" in err
