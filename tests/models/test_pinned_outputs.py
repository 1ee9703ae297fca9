"""Outputs of bdm and nash pinned to the values of the implementation before the speed-ups.

Every figure below was computed with the code at commit 9440b34 (before the bdm pair-wise
logarithms and the nash draw chunking of branch ``perf``) and printed with ``repr``. The
speed-ups were meant to change no result, so the tolerance is 1e-12 (absolute, on a 0..100
scale): the bdm dynamics turn a last-bit difference into a different path within a few rounds,
so anything short of identical arithmetic shows up here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backchannel.ensemble import sample_batch
from backchannel.app.files import load_scenario
from backchannel.models import get_model
from backchannel.scenario.arrays import ArrayBatch, to_arrays
from backchannel.scenario.formats import parse

TOL = 1e-12

# bdm, 10 rounds of the emission case: per-round weighted median and mean (round 0 first)
BDM_MEDIAN = [
    7.0,
    8.415932315426765,
    9.61085913412019,
    9.961979590401318,
    9.961979590401318,
    9.961979590401318,
    7.472046361916344,
    8.824593855262457,
    9.671129769802063,
    9.671129769802063,
    7.0,
]
BDM_MEAN = [
    7.389955686853767,
    7.461314378277189,
    7.552500865855845,
    7.590144997451547,
    7.358130531334202,
    7.349173989675214,
    7.414877545372961,
    7.510457183677222,
    7.5724470975503,
    7.324989065683668,
    7.242130958473942,
]
# bdm, 1,000 draws of the emission case with positions jittered by U(-1, 1), seed 20250101:
# outcomes of draws 0, 1, 2, 499, 999 and the mean outcome
BDM_BATCH = {
    0: 9.03873931520466,
    1: 10.219358767261301,
    2: 8.818971153123567,
    499: 9.034068534112889,
    999: 9.799750637714004,
}
BDM_BATCH_MEAN = 8.70058302563322
# nash on 1,000 PERT draws of ukraine-2025 as frozen in tests/data (seed 1): draw 0 on every issue, issue 3 of draws
# 1, 500, 999, and the mean over every draw and issue
NASH = {
    2: (
        [
            49.82026774059649,
            53.51574694625526,
            29.826168067426497,
            34.132873023995295,
            40.13350887055263,
            25.909372124850787,
            52.28601227574595,
        ],
        [33.599462386777375, 34.46682370363766, 28.70431945372532],
        41.207654814261325,
    ),
    1: (
        [
            57.09073645826521,
            69.53999732111912,
            7.835118172556126,
            20.68463158630616,
            47.13264928219641,
            15.337881179495389,
            74.73288624760937,
        ],
        [15.565423945852384, 24.233366608281134, 10.812515510283735],
        41.552080613134166,
    ),
}


@pytest.fixture(scope="module")
def emission(data_dir: Path):
    """The emission case read by the table format."""
    path = data_dir / "emission-1994.csv"
    return to_arrays(parse(path.read_text(), str(path), "table"))


def test_bdm_single_run_is_unchanged(emission):
    r = get_model("bdm", rounds=10).solve(emission)
    np.testing.assert_allclose(r.diagnostics["median"][:, 0], BDM_MEDIAN, rtol=0, atol=TOL)
    np.testing.assert_allclose(r.diagnostics["mean"][:, 0], BDM_MEAN, rtol=0, atol=TOL)


def test_bdm_seeded_batch_is_unchanged(emission):
    rng = np.random.default_rng(20250101)
    base = emission.repeat(1000)
    pos = np.where(emission.mask, base.position + rng.uniform(-1.0, 1.0, base.position.shape), 0.0)
    batch = ArrayBatch(
        emission.actors, emission.issues, pos, base.salience, base.capability, emission.mask, emission.status_quo
    )
    out = get_model("bdm", rounds=10).solve_batch(batch).outcome[:, 0]
    for draw, value in BDM_BATCH.items():
        assert out[draw] == pytest.approx(value, abs=TOL)
    assert out.mean() == pytest.approx(BDM_BATCH_MEAN, abs=TOL)


@pytest.mark.parametrize("power", [2, 1])
def test_nash_seeded_batch_is_unchanged(power, frozen_ukraine):
    batch = sample_batch(load_scenario(frozen_ukraine), 1000, 1)
    out = get_model("nash", power=power).solve_batch(batch).outcome
    first, issue3, mean = NASH[power]
    np.testing.assert_allclose(out[0], first, rtol=0, atol=TOL)
    np.testing.assert_allclose(out[[1, 500, 999], 3], issue3, rtol=0, atol=TOL)
    assert np.nanmean(out) == pytest.approx(mean, abs=TOL)
