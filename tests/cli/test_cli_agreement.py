"""The CLI's agreement output: the JSON contract, the point case, the terminal table and the no-veto note."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = str(DATA / "agreement-small.yaml")
FROZEN = str(DATA / "ukraine-2025-frozen.yaml")


def test_point_forecast_gives_zero_or_one_and_no_error(cli):
    code, out, err = cli("forecast", SMALL, "-m", "compromise", "-m", "nash_outside", "--draws", "0", "--json")
    assert code == 0, err
    payload = json.loads(out)
    for a in payload["agreement"].values():
        assert a["p_deal"] in (0.0, 1.0) and a["se"] == 0.0 and len(a["by_date"]) == 15


def test_without_horizon_by_date_is_empty_and_outcomes_sum_to_one(cli, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(Path(SMALL).read_text().replace("horizon: 2025-07-01\n", ""))
    code, out, err = cli("forecast", str(path), "-m", "compromise", "--draws", "300", "--json")
    assert code == 0, err
    payload = json.loads(out)
    a = payload["agreement"]["compromise"]
    assert a["by_date"] == [] and 0.0 <= a["p_deal"] <= 1.0
    assert a["se"] == (a["p_deal"] * (1 - a["p_deal"]) / 300) ** 0.5
    detail = payload["outcomes_detail"]["compromise"]
    assert (
        abs(sum(payload["outcomes"]["compromise"].values()) + detail["unnamed"] + detail["unnamed_no_deal"] - 1) < 1e-12
    )


def test_terminal_shows_p_deal_and_the_note_once_without_a_consent_rule(cli):
    code, out, _ = cli("forecast", FROZEN, "-m", "compromise", "--draws", "100")
    assert code == 0
    assert "P(deal)" in out and out.count("no vetoes assumed") == 1
    code, out, _ = cli("forecast", SMALL, "-m", "compromise", "--draws", "100")
    assert "veto of a, b" in " ".join(out.split()) and "no vetoes assumed" not in out


def test_a_bad_veto_is_one_line_and_exit_2(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(Path(SMALL).read_text().replace("veto: [a, b]", "veto: [a, nobody]"))
    code, out, err = cli("forecast", str(path), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "nobody" in err and "consent.veto[1]" in err
