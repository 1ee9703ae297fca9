"""The DEU reader and the backtest, checked against the figures in shared/data/README.md."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.analysis.backtest import cases_from_deu, cases_from_scenario, paired_interval, run_backtest
from backchannel.scenario.formats.deu import looks_like_deu, parse_deu
from backchannel.models.base import Model
from backchannel.scenario.errors import InputError
from backchannel.scenario.schema import Scenario


class UnweightedMedian(Model):
    """The plain median of the recorded positions (the README's second reference)."""

    name = "unweighted_median"

    def solve(self, arrays, rng=None):
        out = [np.median(arrays.position[arrays.mask[:, i], i]) for i in range(arrays.n_issues)]
        return self.result(arrays, np.array(out))


@pytest.fixture(scope="module")
def deu(deu_text):
    return parse_deu(deu_text, "deu3-dev.tsv", capability="equal")


def test_reader_counts_everything_it_could_not_use(deu):
    # Counted by hand from the file (awk over the columns): 248 issue rows from 94 proposals,
    # 6 blank outcomes, 79 blank reference points, 10 positions with a blank salience.
    assert deu.counts["issues"] == 248
    assert len({i.proposal for i in deu.issues}) == 94
    assert deu.counts["issues_without_outcome"] == 6
    assert deu.counts["issues_without_reference_point"] == 79
    assert deu.counts["blank_saliences"] == 10
    assert deu.counts["missing_positions"] == 248 * 30 - sum(i.arrays.n_actors for i in deu.issues)
    assert len(deu.scored) == 242


def test_reader_reads_one_issue_exactly(deu):
    # First issue row of the file (d00060i1, 'buses'): Commission 100 with salience 80,
    # Parliament 50/80, reference point blank, outcome 50; QMV under codecision.
    first = deu.issues[0]
    assert first.issue == "d00060i1" and first.proposal == "d00060"
    assert first.voting_rule == "QMV" and first.codecision and not first.unanimity
    a = first.arrays
    assert a.actors[:2] == ("com", "ep")
    assert a.position[0, 0] == 100 and a.salience[0, 0] == pytest.approx(0.8)
    assert a.position[1, 0] == 50 and np.isnan(a.status_quo[0])
    assert first.has_outcome and first.outcome == 50


def test_gdp_capability_comes_from_the_second_row(deu_text):
    data = parse_deu(deu_text, capability="gdp")
    # Row 2 of deu3-dev.tsv: Germany 4.1, Malta 0.02; the Commission and Parliament 4.1.
    assert data.gdp["de"] == 4.1 and data.gdp["mt"] == 0.02 and data.gdp["com"] == 4.1
    a = data.issues[0].arrays
    assert a.capability[a.actors.index("de"), 0] == 4.1


def test_compromise_and_median_reproduce_the_readme(deu):
    # shared/data/README.md: on deu3-dev.tsv, salience as weight, equal capabilities, blank
    # salience = 50, the compromise model's MAE is "about 22.7" and the unweighted median's
    # "about 26.5". Tolerance 0.5 (the README rounds; the issue sets 0.5).
    bt = run_backtest(cases_from_deu(deu), ["compromise", UnweightedMedian()], n_boot=200)
    assert bt.scores["compromise"].n == 242
    assert bt.scores["compromise"].mae == pytest.approx(22.7, abs=0.5)
    assert bt.scores["unweighted_median"].mae == pytest.approx(26.5, abs=0.5)
    lo, hi = bt.scores["unweighted_median"].diff_vs_compromise
    assert lo < 26.52 - 22.70 < hi and lo > 0  # the median is reliably worse on this split
    assert bt.scores["compromise"].diff_vs_compromise == (0.0, 0.0)


def test_proposal_grouping_gives_the_same_compromise_forecasts(deu):
    by_issue = run_backtest(cases_from_deu(deu, by="issue"), n_boot=10)
    by_prop = run_backtest(cases_from_deu(deu, by="proposal"), n_boot=10)
    a = dict(zip(by_issue.issues, by_issue.predictions["compromise"]))
    b = dict(zip(by_prop.issues, by_prop.predictions["compromise"]))
    assert a.keys() == b.keys()
    assert all(a[k] == pytest.approx(b[k]) for k in a)


def test_paired_interval_is_seeded_and_clustered():
    err = np.array([1.0, 1.0, 5.0, 5.0])
    ref = np.zeros(4)
    # Two clusters with mean differences 1 and 5: every resample mean lies in [1, 5].
    lo, hi = paired_interval(err, ref, ["a", "a", "b", "b"], n_boot=500, seed=3)
    assert 1.0 <= lo <= hi <= 5.0
    assert (lo, hi) == paired_interval(err, ref, ["a", "a", "b", "b"], n_boot=500, seed=3)


def test_scenario_with_actual_outcomes_is_scored():
    sc = Scenario.model_validate(
        {
            "id": "t",
            "actors": [{"id": "a"}, {"id": "b"}],
            "issues": [{"id": "x", "actual": 40}, {"id": "y"}],
            "positions": [
                {"actor": "a", "issue": "x", "position": 0, "salience": 0.5},
                {"actor": "b", "issue": "x", "position": 100, "salience": 0.5},
                {"actor": "a", "issue": "y", "position": 10, "salience": 1},
            ],
        }
    )
    bt = run_backtest(cases_from_scenario(sc), n_boot=10)
    assert bt.issues == ("x",)
    assert bt.scores["compromise"].mae == pytest.approx(10.0)  # forecast 50, actual 40


def test_scenario_without_actual_is_an_input_error():
    sc = Scenario.model_validate({"id": "t", "actors": [{"id": "a"}], "issues": [{"id": "x"}]})
    with pytest.raises(InputError, match="actual"):
        cases_from_scenario(sc)


def test_bad_cells_are_one_line_errors(deu_text):
    lines = deu_text.split("\n")
    cells = lines[2].split("\t")
    cells[-1] = "abc"
    bad = "\n".join(lines[:2] + ["\t".join(cells)] + lines[3:])
    with pytest.raises(InputError, match=r"deu\.tsv:3: field 'out': not a number"):
        parse_deu(bad, "deu.tsv")
    with pytest.raises(InputError, match="capability"):
        parse_deu(deu_text, capability="votes")
    assert looks_like_deu(deu_text) and not looks_like_deu("id: x\n")
