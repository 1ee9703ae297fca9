"""The median model: hand-computed cases, the pairwise-vote definition, ties, masks, batches.

References: the weighted median is the position that beats every other in a capability ×
salience weighted pairwise vote (Black 1948; project notes shared/models/nash.md). Hand cases are
worked out in the comments; the emission case's starting median 7.0 is from Scholz, Calbert &
Smith (2011), Table 2 (exact: it is an actor position).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.models.weighted_median import weighted_median
from backchannel.scenario.arrays import ArrayBatch, ScenarioArrays, to_arrays
from backchannel.scenario.formats import parse


def one_issue(position, weight, mask=None) -> ScenarioArrays:
    """A one-issue scenario with capability = weight and salience 1."""
    position = np.asarray(position, dtype=float)[:, None]
    n = position.shape[0]
    mask = np.ones((n, 1), bool) if mask is None else np.asarray(mask, bool)[:, None]
    return ScenarioArrays(
        tuple(f"a{k}" for k in range(n)),
        ("x",),
        np.where(mask, position, 0.0),
        np.where(mask, 1.0, 0.0),
        np.asarray(weight, float)[:, None],
        mask,
        np.array([np.nan]),
    )


def brute_force(position, weight):
    """The lowest actor position that no other position beats in a weighted pairwise vote."""
    position = np.asarray(position, float)
    weight = np.asarray(weight, float)
    winners = [
        x
        for x in np.unique(position)
        if all(
            (weight * (np.abs(position - y) - np.abs(position - x))).sum() >= -1e-12 * weight.sum()
            for y in np.unique(position)
        )
    ]
    return min(winners)


def test_majority_actor_wins():
    # weights 3, 1, 1: the actor at 10 holds 3/5 of the weight, so every vote goes its way
    assert get_model("median").solve(one_issue([10, 50, 90], [3, 1, 1])).outcome[0] == 10.0


def test_equal_weights_take_the_middle_actor():
    # three equal voters at 10, 50, 90: 50 beats 10 (2 votes to 1) and 90 (2 to 1)
    assert get_model("median").solve(one_issue([90, 10, 50], [1, 1, 1])).outcome[0] == 50.0


def test_weighted_median_is_not_the_mean():
    # weights 1, 1, 2 at 0, 10, 100: left weight at 10 is 2 = half, right of 10 is 2 → 10 ties with 100;
    # 10 vs 100: voters at 0 and 10 (weight 2) against the one at 100 (weight 2) → tie, lowest wins
    assert get_model("median").solve(one_issue([0, 10, 100], [1, 1, 2])).outcome[0] == 10.0
    # with weight 2.5 at 100 it holds a majority on its own
    assert get_model("median").solve(one_issue([0, 10, 100], [1, 1, 2.5])).outcome[0] == 100.0


def test_tie_takes_the_lowest_winner():
    # four equal voters at 10, 20, 30, 40: 20 and 30 tie (2 votes each) and beat the rest
    pos, w = [40, 10, 30, 20], [1, 1, 1, 1]
    assert brute_force(pos, w) == 20.0
    assert get_model("median").solve(one_issue(pos, w)).outcome[0] == 20.0


def test_masked_actors_are_ignored():
    # a heavy actor without a position must not pull the median to its (placeholder) position 0
    arrays = one_issue([10, 50, 90, 0], [1, 1, 1, 100], mask=[True, True, True, False])
    assert get_model("median").solve(arrays).outcome[0] == 50.0


def test_no_position_gives_nan():
    arrays = one_issue([10, 50], [1, 1], mask=[False, False])
    assert np.isnan(get_model("median").solve(arrays).outcome[0])


def test_zero_weights_are_an_all_way_tie():
    assert get_model("median").solve(one_issue([30, 70, 50], [0, 0, 0])).outcome[0] == 30.0


@pytest.mark.parametrize("seed", range(20))
def test_matches_the_pairwise_vote_definition(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    pos = rng.choice([0.0, 12.5, 25.0, 50.0, 75.0, 100.0], size=n)  # repeated positions on purpose
    w = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0], size=n)
    got = get_model("median").solve(one_issue(pos, w)).outcome[0]
    assert got == brute_force(pos, w)  # all-zero weights: every position ties, the lowest wins


@pytest.mark.parametrize("seed", range(10))
def test_permutation_invariant(seed):
    rng = np.random.default_rng(100 + seed)
    n = 7
    pos = rng.choice([10.0, 20.0, 35.0, 60.0], size=n)
    w = rng.choice([0.1, 0.2, 0.3], size=n)  # decimal weights: sums depend on order in the last bit
    base = weighted_median(pos[:, None], w[:, None], True)[0]
    for _ in range(10):
        p = rng.permutation(n)
        assert weighted_median(pos[p, None], w[p, None], True)[0] == base


def test_emission_starting_median(data_dir: Path):
    path = data_dir / "emission-1994.csv"
    arrays = to_arrays(parse(path.read_text(), str(path), "table"))
    assert get_model("median").solve(arrays).outcome[0] == 7.0  # Scholz et al. 2011, Table 2, start


def test_batch_equals_loop():
    rng = np.random.default_rng(7)
    b, a, i = 200, 7, 7
    mask = rng.random((a, i)) > 0.2
    batch = ArrayBatch(
        tuple(f"a{k}" for k in range(a)),
        tuple(f"i{k}" for k in range(i)),
        np.where(mask, rng.uniform(0, 100, (b, a, i)), 0.0),
        np.where(mask, rng.random((b, a, i)), 0.0),
        rng.random((b, a, i)),
        mask,
        np.full(i, np.nan),
    )
    model = get_model("median")
    out = model.solve_batch(batch).outcome
    loop = np.stack([model.solve(batch.draw(k)).outcome for k in range(b)])
    np.testing.assert_allclose(out, loop, rtol=0, atol=1e-12)
