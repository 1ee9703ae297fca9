"""The bdm model against Scholz, Calbert & Smith (2011) on the 1994 car-emission case.

Reference figures (shared/data/README.md and shared/models/bdm.md):
- Table 2 of Scholz et al. (2011), rounds 1–8, printed to one decimal: mean 7.4, 7.5, 7.6, 7.3,
  7.3, 7.4, 7.5, 7.6; median 8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6. Tolerance 0.1.
- Round 2's median is the documented residual: a careful re-implementation of Scholz's program
  gets 9.61 against the table's 9.9 and nobody has explained the gap; we get 9.611 too, and
  check that value (to 0.01) instead of the table's.
- Starting capability × salience weighted mean 7.39 (to 0.005, printed to 2 decimals) and
  starting median 7.0 (exact: an actor position).
- Round 1 of that re-implementation: Belgium compromises with France to 8.4159 (printed to 4
  decimals: tolerance 5e-5), Luxembourg and Ireland lose confrontations and move to 7.0 and 4.0
  (exact: they take the other actor's position); nobody else moves. Risk exponents after round 1,
  printed to 3 decimals (tolerance 0.001): NL 1.406, BE 0.754, LU 0.509, DE 1.406, FR 1.047,
  IT 1.047, UK 1.965, IE 0.5, DK 2.0, GR 1.112.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.models.bdm.rounds import COMPROMISE, CONFRONTATION, NO_OFFER
from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.formats import parse

TABLE2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
TABLE2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
RISK_AFTER_ROUND1 = {
    "Netherlands": 1.406,
    "Belgium": 0.754,
    "Luxembourg": 0.509,
    "Germany": 1.406,
    "France": 1.047,
    "Italy": 1.047,
    "UK": 1.965,
    "Ireland": 0.5,
    "Denmark": 2.0,
    "Greece": 1.112,
}


@pytest.fixture(scope="module")
def emission(data_dir: Path):
    """The emission case read by the table format (positions 4..10 kept as they are)."""
    path = data_dir / "emission-1994.csv"
    return to_arrays(parse(path.read_text(), str(path), "table"))


@pytest.fixture(scope="module")
def run(emission):
    """The default bdm run (Scholz's normaliser and ranking, 8 rounds)."""
    return get_model("bdm").solve(emission)


def test_start(run):
    assert run.diagnostics["mean"][0, 0] == pytest.approx(7.39, abs=0.005)
    assert run.diagnostics["median"][0, 0] == 7.0


@pytest.mark.parametrize("rnd", range(1, 9))
def test_table2_mean(run, rnd):
    assert run.diagnostics["mean"][rnd, 0] == pytest.approx(TABLE2_MEAN[rnd - 1], abs=0.1)


@pytest.mark.parametrize("rnd", [1, 3, 4, 5, 6, 7, 8])
def test_table2_median(run, rnd):
    assert run.diagnostics["median"][rnd, 0] == pytest.approx(TABLE2_MEDIAN[rnd - 1], abs=0.1)


def test_round2_median_documented_residual(run):
    # Table 2 says 9.9; Scholz's program as re-implemented gives 9.61 (unexplained residual).
    assert run.diagnostics["median"][2, 0] == pytest.approx(9.61, abs=0.01)


def test_outcome_is_the_last_round_median(run):
    assert run.rounds == 8
    assert run.outcome[0] == run.diagnostics["median"][8, 0]
    assert run.outcome[0] == pytest.approx(TABLE2_MEDIAN[-1], abs=0.1)


def test_round1_moves(run, emission):
    actors = list(emission.actors)
    before, after = run.trajectory[0, :, 0], run.trajectory[1, :, 0]
    kind, partner = run.diagnostics["offer"][0, :, 0], run.diagnostics["partner"][0, :, 0]
    be, lu, ie = actors.index("Belgium"), actors.index("Luxembourg"), actors.index("Ireland")
    assert after[be] == pytest.approx(8.4159, abs=5e-5)
    assert kind[be] == COMPROMISE and actors[partner[be]] == "France"
    assert after[lu] == 7.0 and kind[lu] == CONFRONTATION
    assert after[ie] == 4.0 and kind[ie] == CONFRONTATION
    others = [k for k in range(len(actors)) if k not in (be, lu, ie)]
    np.testing.assert_array_equal(after[others], before[others])
    assert (kind[others] == NO_OFFER).all()


def test_round1_risk_exponents(run, emission):
    risk = dict(zip(emission.actors, run.diagnostics["risk"][0, :, 0]))
    for actor, expected in RISK_AFTER_ROUND1.items():
        assert risk[actor] == pytest.approx(expected, abs=0.001), actor


def test_mean_forecast_option(emission):
    out = get_model("bdm", forecast="mean").solve(emission)
    assert out.outcome[0] == pytest.approx(TABLE2_MEAN[-1], abs=0.1)


def test_paper_normaliser_does_not_reproduce_table2(emission):
    # Documented in docs/models.md: the paper's per-pair normaliser makes most actors confront
    # in round 1 and the median sits at 7.0 from then on, far from Table 2's 8.4 after round 1.
    out = get_model("bdm", normaliser="paper").solve(emission)
    assert (out.diagnostics["offer"][0, :, 0] == CONFRONTATION).sum() >= 6
    assert out.diagnostics["median"][1, 0] == 7.0
