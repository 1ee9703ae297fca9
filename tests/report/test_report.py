"""`backchannel report`: one self-contained HTML file, byte-identical for the same inputs and seed, whose
numbers are the forecast's own."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest

from backchannel.app.files import load_scenario

# the frozen copy of the flagship, so that these byte-level checks test the report, not the inputs
U = str(Path(__file__).resolve().parents[1] / "data" / "ukraine-2025-frozen.yaml")


@pytest.fixture()
def report(cli, tmp_path):
    def write(*args: str) -> str:
        out = tmp_path / f"r{len(list(tmp_path.iterdir()))}.html"
        code, stdout, err = cli("report", *args, "-o", str(out))
        assert code == 0, err
        assert f"wrote {out}" in stdout
        return out.read_text(encoding="utf-8")

    return write


def test_same_inputs_and_seed_give_the_same_bytes(report):
    a = report(U, "--draws", "200", "--seed", "4")
    b = report(U, "--draws", "200", "--seed", "4")
    assert a == b
    assert report(U, "--draws", "200", "--seed", "5") != a


def test_self_contained_no_scripts_no_network(report):
    html = report(U, "--draws", "100")
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert html.count("<svg") >= 3  # heat map, forecast chart, outcome chart, all inline


def test_numbers_are_the_forecasts(report, cli):
    html = report(U, "-m", "compromise", "-m", "bdm", "--draws", "300", "--seed", "2")
    code, out, _ = cli("forecast", U, "-m", "compromise", "-m", "bdm", "--draws", "300", "--seed", "2", "--json")
    payload = json.loads(out)
    for model in ("compromise", "bdm"):
        point = payload["models"][model]["outcome"]["territory"]
        band = payload["models"][model]["distribution"]["territory"]
        assert f"{point:.1f} [{band['p05']:.1f}–{band['p95']:.1f}]" in html
        p = payload["outcomes"][model]["territorial_compromise_with_guarantees"]
        assert f"{100 * p:.1f} %" in html


def test_scenario_citations_whatifs_and_markets_are_in_it(report):
    s = load_scenario(U)
    html = report(U, "--draws", "100")
    cited = [src.quote for p in s.positions for src in p.sources]
    assert cited and all(escape(q) in html for q in cited)
    assert sum(1 for p in s.positions if p.assumption) == html.count("<em>Assumption:</em>")
    for lever in s.levers:  # one what-if per lever
        assert f"What if {lever.id}?" in html
    assert "Brent" in html and "not a price model" in html


def test_a_stored_run_makes_a_report(report, cli):
    code, out, _ = cli("forecast", U, "--draws", "100", "--json")
    run_id = json.loads(out)["run_id"]
    html = report(f"run:{run_id}")
    assert f"run {run_id}" in html


@pytest.mark.parametrize(
    "args, words",
    [
        (["run:x"], "run:x"),
        (["run:999"], "999"),
        (["no-such-scenario"], "no-such-scenario"),
        ([U, "-m", "astrology"], "astrology"),
    ],
)
def test_bad_sources_get_one_line_and_no_file(cli, tmp_path, args, words):
    out = tmp_path / "r.html"
    code, stdout, err = cli("report", *args, "-o", str(out))
    assert code == 2 and words in err and err.count("\n") == 1
    assert not out.exists()


def test_a_stored_whatif_run_makes_a_report_beside_its_baseline(report, cli):
    code, out, err = cli(
        "whatif", U, "--lever", "us_aid_suspended", "-m", "compromise", "--draws", "200", "--seed", "3", "--json"
    )
    assert code == 0, err
    whatif = json.loads(out)
    html = report(f"run:{whatif['run_id']}")
    assert f"run {whatif['run_id']}" in html and "What if us_aid_suspended?" in html
    assert "worked out again from the stored scenario" in html
    # the baseline is the forecast with the run's models, draws and seed: its numbers are in the report
    code, out, _ = cli("forecast", U, "-m", "compromise", "--draws", "200", "--seed", "3", "--json")
    forecast = json.loads(out)
    point = forecast["models"]["compromise"]["outcome"]["territory"]
    band = forecast["models"]["compromise"]["distribution"]["territory"]
    assert f"{point:.1f} [{band['p05']:.1f}–{band['p95']:.1f}]" in html
    # and the what-if's own change of P(territorial compromise) is shown as recorded
    change = whatif["models"]["compromise"]["outcomes"]["territorial_compromise_with_guarantees"]
    assert f"{100 * change['variant']:.1f}" in html
