"""The exchange model's outputs pinned, exactly, to the implementation before the speed-ups of issue 15.

``tests/data/exchange_pinned.json`` was written by ``python tests/models/test_exchange_pinned.py`` with
the code at commit e614af6 (two scans of the candidate list per realised exchange, every touched row
recomputed). The speed-ups (one scan, only rows whose inputs changed recomputed, dead rows left alone)
were meant to change no bit, so the comparison is exact: a SHA-256 of the outputs' bytes per scenario
and tie rule, and the outcomes themselves for a readable failure.

Seed -1 is 300 draws of the built-in ukraine-2025 (about half its rounds have a tie). The others are seeded and random: 2–9 actors, 2–6 issues, missing positions, zero saliences,
positions on a coarse grid in half of them (so that gains tie and ties are drawn), both tie rules.
``solve`` is pinned through its realised exchanges (actors, issues, from, to, gain of every exchange of
every round, and the tie counts); ``solve_batch`` through outcome, final preferences and ``settled``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backchannel.models import get_model
from backchannel.scenario.arrays import ArrayBatch

PINNED = Path(__file__).resolve().parents[1] / "data" / "exchange_pinned.json"
N_SCENARIOS = 60
DRAWS = 5
SEEDS = [-1, *range(N_SCENARIOS)]


def scenario(seed: int) -> ArrayBatch:
    """A seeded random batch of ``DRAWS`` draws sharing one mask; seed -1: 300 draws of ukraine-2025."""
    if seed < 0:
        from backchannel.app.files import load_scenario
        from backchannel.ensemble import sample_batch

        return sample_batch(load_scenario("ukraine-2025"), 300, 5)
    gen = np.random.default_rng(10_000 + seed)
    n_actors, n_issues = int(gen.integers(2, 10)), int(gen.integers(2, 7))
    shape = (DRAWS, n_actors, n_issues)
    if seed % 2:
        position = gen.choice([0.0, 20.0, 40.0, 50.0, 60.0, 80.0, 100.0], size=shape)
        salience = gen.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=shape)
        capability = np.repeat(gen.choice([0.5, 1.0], size=(DRAWS, n_actors, 1)), n_issues, axis=2)
    else:
        position = gen.uniform(0, 100, size=shape)
        salience = np.where(gen.random(shape) < 0.08, 0.0, gen.uniform(0.05, 1, shape))
        capability = np.repeat(gen.uniform(0.1, 1, (DRAWS, n_actors, 1)), n_issues, axis=2)
    mask = gen.random((n_actors, n_issues)) > 0.12
    return ArrayBatch(
        tuple(f"a{k}" for k in range(n_actors)),
        tuple(f"i{k}" for k in range(n_issues)),
        np.where(mask, position, 0.0),
        np.where(mask, salience, 0.0),
        capability,
        mask,
        np.full(n_issues, np.nan),
    )


def _digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(np.ascontiguousarray(part).tobytes())
    return h.hexdigest()


def outputs(seed: int, tie_break: str) -> dict[str, Any]:
    """Digests of ``solve`` (draw 0, its realised exchanges) and ``solve_batch``, and the batch outcomes."""
    batch = scenario(seed)
    model = get_model("exchange", rounds=6, tie_break=tie_break)
    with np.errstate(invalid="ignore", divide="ignore"):
        single = model.solve(batch.draw(0), np.random.default_rng(abs(seed)))
        got = model.solve_batch(batch, np.random.default_rng(abs(seed)))
    d = single.diagnostics
    sides = [
        (ex["gain"], s["actor"], s["issue"], s["from"], s["to"])
        for exchanges in d["exchanges"]
        for ex in exchanges
        for s in ex["sides"]
    ]
    log = json.dumps(
        [[float(g).hex(), a, i, float(f).hex(), float(t).hex()] for g, a, i, f, t in sides]
        + [d["candidates"], d["valid"], d["ties"], d["first_tie"]]
    )
    return {
        "solve": _digest(np.frombuffer(log.encode(), dtype=np.uint8), single.outcome, single.final_positions),
        "batch": _digest(got.outcome, got.final_positions, got.converged),
        "outcome": [[float(v).hex() for v in row] for row in got.outcome[:DRAWS]],
        "exchanges": len(sides) // 2,
        "ties": int(sum(d["ties"])),
    }


def _all() -> dict[str, Any]:
    return {f"{seed}/{tb}": outputs(seed, tb) for seed in SEEDS for tb in ("random", "first")}


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    return json.loads(PINNED.read_text(encoding="utf-8"))


def test_pinned_cases_exercise_ties_and_exchanges(pinned):
    assert len(pinned) == 2 * len(SEEDS)
    assert sum(case["ties"] > 0 for case in pinned.values()) >= 10
    assert sum(case["exchanges"] for case in pinned.values()) >= 500


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("tie_break", ["random", "first"])
def test_outputs_match_the_implementation_before_the_speed_ups(pinned, seed, tie_break):
    want = pinned[f"{seed}/{tie_break}"]
    got = outputs(seed, tie_break)
    assert got["outcome"] == want["outcome"]
    assert (got["exchanges"], got["ties"]) == (want["exchanges"], want["ties"])
    assert got["solve"] == want["solve"]
    assert got["batch"] == want["batch"]


if __name__ == "__main__":  # regenerate only from the implementation the pins are meant to hold
    PINNED.write_text(json.dumps(_all(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    sys.exit(0)
