"""The exchange model against the peer implementation (github foarsitter/decide-exchange-model).

Reference values: shared/models/exchange.md §4, from the peer's repository tests and from runs of
the peer (seed 42 and other tie-breaks) on shared/data/decide-sample.txt and decide-cop21.csv.
Tie-independent values are checked tightly: counts exactly, gains to 1e-9 (the notes give 12
decimals), moved positions to 1e-4 (the notes give 4 decimals). Outcomes after ten rounds depend
on how ties between equal gains are broken, which differs from the peer by design (see
docs/models.md#exchange), so they are checked as a distribution over seeds against the peer's
ranges.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.models.exchange.candidates import build_candidates
from backchannel.models.exchange.gain import equal_gain
from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.formats import parse

SAMPLE, COP21 = "decide-sample.txt", "decide-cop21.csv"


@lru_cache(maxsize=None)
def _scenario(path: str):
    text = Path(path).read_text(encoding="utf-8")
    scenario = parse(text, path.rsplit("/", 1)[-1], "decide")
    lo = np.array([0.0 if i.bounds is None else i.bounds[0] for i in scenario.issues])
    hi = np.array([100.0 if i.bounds is None else i.bounds[1] for i in scenario.issues])
    return to_arrays(scenario), lo, hi


@pytest.fixture(scope="module")
def load(data_dir):
    """(arrays, lower bounds, upper bounds) of a shared Decide file, actors and issues in file order."""
    return lambda name: _scenario(str(data_dir / name))


@lru_cache(maxsize=None)
def _run(path: str, seed: int | None, rounds: int = 10):
    arrays, lo, hi = _scenario(path)
    rng = None if seed is None else np.random.default_rng(seed)
    return get_model("exchange", rounds=rounds).solve(arrays, rng)


def _initial(arrays):
    lst = build_candidates(arrays.position, arrays.salience, arrays.capability, arrays.mask)
    with np.errstate(invalid="ignore", divide="ignore"):
        equal_gain(lst, np.arange(len(lst)))
    return lst


# exchange.md §4, "Round 1, tie-independent": listed / valid candidates
@pytest.mark.parametrize("name, listed, valid", [(SAMPLE, 240, 230), (COP21, 2094, 2051)])
def test_round1_candidate_and_valid_counts(data_dir, name, listed, valid):
    res = _run(str(data_dir / name), None, 1)
    assert res.diagnostics["candidates"] == [listed]
    assert res.diagnostics["valid"] == [valid]


# exchange.md §4: top-5 initial G (12 decimals given; checked to 1e-9)
@pytest.mark.parametrize(
    "name, top5",
    [
        (SAMPLE, [1.973684210526, 1.792636308765, 1.741486068111, 1.534365325077, 1.454293628809]),
        (COP21, [2.190721649485, 2.048232573505, 1.925409338993, 1.795604267475, 1.721704769969]),
    ],
)
def test_top5_initial_gains(load, name, top5):
    lst = _initial(load(name)[0])
    gains = np.sort(lst.gain[lst.valid])[::-1][:5]
    np.testing.assert_allclose(gains, top5, rtol=0, atol=1e-9)


# exchange.md §4: the repository test values for the first sample exchange, and its hand check
# ΔO_q = 75·0.6/3.42, ΔO_p = 10.388, m_B = 61.05, G = 75/38 (to 1e-12: closed forms)
def test_hand_check_first_sample_exchange(load):
    arrays = load(SAMPLE)[0]
    lst = _initial(arrays)
    a, b = arrays.actors.index("Willems"), arrays.actors.index("Wcentr")
    q, p = arrays.issues.index("extra-investering"), arrays.issues.index("tolheffing-binnenstad")
    row = np.flatnonzero((lst.act[:, 0] == a) & (lst.act[:, 1] == b) & (lst.sup[:, 0] == q) & (lst.sup[:, 1] == p))
    assert row.size == 1
    r = row[0]
    assert lst.shift[r, 0] == pytest.approx(75 * 0.6 / 3.42, abs=1e-12)
    assert lst.shift[r, 1] == pytest.approx(75 * 0.6 / 3.42 * 1.5 / 1.9, abs=1e-12)
    assert lst.shift[r, 1] == pytest.approx(10.38781, abs=1e-5)  # the peer's "dq"
    assert lst.last[r, 1] == pytest.approx(61.05117, abs=1e-5)  # the peer's "move"
    assert lst.last[r, 0] == pytest.approx(75.0, abs=1e-12)  # A moves all the way, 25 -> 100
    assert lst.gain[r] == pytest.approx(75 / 38, abs=1e-12)


# exchange.md §4, "realised #1 / #2" (positions to 1e-4, gain of #2 to 1e-9)
@pytest.mark.parametrize(
    "name, first, second, gain2",
    [
        (
            SAMPLE,
            [("Willems", "extra-investering", 25, 100), ("Wcentr", "tolheffing-binnenstad", 0, 61.0512)],
            [("Wcentr", "kleine-of-grote-ring", 100, 25), ("PvdA", "woonwerkverkeer", 100, 0.1488)],
            1.792636308765,
        ),
        (
            COP21,
            [("USA", "eaa", 100, 0), ("China", "finance_vol", 100, 10.7861)],
            [("USA", "finance_who", 80, 0), ("China", "differentiation", 80, 29.5148)],
            1.795604267475,
        ),
    ],
)
def test_first_two_realised_exchanges(data_dir, name, first, second, gain2):
    exchanges = _run(str(data_dir / name), None, 1).diagnostics["exchanges"][0]
    for got, want in zip(exchanges[:2], (first, second)):
        for side, (actor, issue, start, end) in zip(got["sides"], want):
            assert (side["actor"], side["issue"]) == (actor, issue)
            assert side["from"] == pytest.approx(start, abs=1e-4)
            assert side["to"] == pytest.approx(end, abs=1e-4)
    assert exchanges[1]["gain"] == pytest.approx(gain2, abs=1e-9)


# exchange.md §4: exchanges before the first tie (6; 33) and the sample's #3-#6 gains (6 decimals)
@pytest.mark.parametrize("name, before_tie", [(SAMPLE, 6), (COP21, 33)])
def test_exchanges_before_first_tie(data_dir, name, before_tie):
    for seed in (None, 1):
        assert _run(str(data_dir / name), seed, 1).diagnostics["first_tie"] == [before_tie]


def test_sample_gains_three_to_six(data_dir):
    exchanges = _run(str(data_dir / SAMPLE), None, 1).diagnostics["exchanges"][0]
    gains = [e["gain"] for e in exchanges[2:6]]
    np.testing.assert_allclose(gains, [1.534365, 1.157621, 0.947016, 0.906058], rtol=0, atol=5e-7)


# exchange.md §4: round-1 exchanges over tie-breaks, sample 38-39, COP21 124-126 in the peer's
# 4-5 runs. Our tie rule (uniform over all tied candidates, see docs) reaches 127 on COP21 in
# some draws, one beyond the peer's few runs.
@pytest.mark.parametrize("name, allowed", [(SAMPLE, {38, 39}), (COP21, {124, 125, 126, 127})])
def test_round1_exchange_count_over_tie_breaks(data_dir, name, allowed):
    counts = {_run(str(data_dir / name), seed).diagnostics["realised"][0] for seed in range(8)}
    assert counts <= allowed
    assert len(counts) > 1  # ties matter, so draws differ


# exchange.md §4, "Outcomes, seed 42": vote r1 and pref r2 (raw scale, 4 decimals given: 1e-4).
# Round 1 has one tie on the sample and eight on COP21; the peer's values come from its seed-42
# tie-breaks. Each of the peer's values must be reproduced by one of our tie-breaks (seeds 0-29),
# on the sample by one seed for all issues at once, and the notes' round-1 range for
# tolheffing-binnenstad (67.18-69.50) must be exactly the span of ours.
VOTE_R1 = {
    SAMPLE: [69.5017, 3.6590, 47.6104, 16.2347, 76.4620, 46.7727],
    COP21: [
        44.8475,
        55.9099,
        62.3434,
        75.2672,
        67.3522,
        37.4241,
        41.7957,
        69.6788,
        11.4310,
        44.0625,
        74.5134,
        94.3028,
        22.3447,
    ],
}
PREF_R2 = {
    SAMPLE: [52.6242, 2.5942, 51.0032, 45.1285, 57.2646, 56.4769],
    COP21: [
        47.7394,
        57.9698,
        59.6936,
        65.9969,
        62.5717,
        45.1101,
        37.6041,
        60.3770,
        35.2605,
        45.9020,
        70.2220,
        88.5430,
        45.8814,
    ],
}


@pytest.mark.parametrize("name", [SAMPLE, COP21])
def test_round1_outcomes_reproduce_the_peer_under_some_tie_break(data_dir, name):
    arrays, lo, hi = _scenario(str(data_dir / name))
    runs = [_run(str(data_dir / name), seed, 1) for seed in range(30)]
    vote = np.array([lo + r.diagnostics["voting_outcomes"][0] * (hi - lo) / 100 for r in runs])
    pref = np.array([lo + r.diagnostics["preference_outcomes"][1] * (hi - lo) / 100 for r in runs])
    hit_vote = np.abs(vote - VOTE_R1[name]) < 1e-4
    hit_pref = np.abs(pref - PREF_R2[name]) < 1e-4
    assert hit_vote.any(axis=0).all() and hit_pref.any(axis=0).all()
    if name == SAMPLE:
        assert (hit_vote.all(axis=1) & hit_pref.all(axis=1)).any()
        k = arrays.issues.index("tolheffing-binnenstad")
        assert (round(vote[:, k].min(), 2), round(vote[:, k].max(), 2)) == (67.18, 69.50)


# exchange.md §4, "Outcomes": round-10 voting outcome ranges (raw scale) over the peer's tie-breaks
RANGES = {
    SAMPLE: {
        "tolheffing-binnenstad": (68.87, 75.82),
        "tol-hoogte": (4.36, 4.62),
        "wanneer-tol": (39.73, 44.58),
        "woonwerkverkeer": (4.67, 11.50),
        "extra-investering": (76.01, 80.91),
        "kleine-of-grote-ring": (45.46, 48.35),
    },
    COP21: {
        "differentiation": (46.12, 50.57),
        "mrv": (58.14, 64.26),
        "legal": (42.63, 45.71),
        "adapt_legal": (79.54, 79.89),
        "adapt_inst": (66.35, 69.84),
        "finance_vol": (81.97, 85.39),
        "finance_who": (42.60, 48.33),
        "adapt_finance": (56.66, 65.88),
        "ld": (5.43, 11.23),
        "progress": (28.16, 35.35),
        "amb2050": (72.79, 76.15),
        "amb2100": (90.37, 94.38),
        "eaa": (13.42, 20.68),
    },
}


@pytest.mark.parametrize("name, seeds, peer_runs", [(SAMPLE, 24, 5), (COP21, 12, 4)])
def test_round10_voting_outcomes_match_peer_ranges(data_dir, name, seeds, peer_runs):
    """Per issue, the median over seeds lies inside the peer's range (no tolerance); and the share
    of single runs inside the ranges is near what a faithful re-run would give.

    The peer's range is the min..max of n runs (n = 5 sample, 4 COP21); a further run of the
    same process falls inside it with probability (n - 1) / (n + 1) = 2/3 and 3/5. Our ties are
    broken differently (uniformly over all tied candidates), so we allow 0.1 below that.
    """
    arrays, lo, hi = _scenario(str(data_dir / name))
    raw = np.array([lo + _run(str(data_dir / name), s).outcome * (hi - lo) / 100 for s in range(seeds)])
    inside = []
    for k, issue in enumerate(arrays.issues):
        low, high = RANGES[name][issue]
        assert low <= np.median(raw[:, k]) <= high, issue
        inside.append((raw[:, k] >= low) & (raw[:, k] <= high))
    assert np.mean(inside) >= (peer_runs - 1) / (peer_runs + 1) - 0.1


def test_seeded_runs_are_reproducible_and_ties_matter(load):
    arrays = load(SAMPLE)[0]
    model = get_model("exchange")
    a = model.solve(arrays, np.random.default_rng(7))
    b = model.solve(arrays, np.random.default_rng(7))
    np.testing.assert_array_equal(a.outcome, b.outcome)
    np.testing.assert_array_equal(a.final_positions, b.final_positions)
    outcomes = {tuple(np.round(model.solve(arrays, np.random.default_rng(s)).outcome, 9)) for s in range(4)}
    assert len(outcomes) > 1
    # tie_break="first" ignores the Generator: always the earliest-created tied candidate
    first = get_model("exchange", tie_break="first")
    np.testing.assert_array_equal(
        first.solve(arrays, np.random.default_rng(1)).outcome, first.solve(arrays, np.random.default_rng(2)).outcome
    )
