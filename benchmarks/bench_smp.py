"""Benchmark of the smp model: KTAB's SOE-Pol-Comp and seeded synthetic scenarios of growing size.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_smp.py [--quick]``.
Prints, per scenario, the total time (median of repeats), the number of turns, the time per
turn, KTAB smpc's time (../shared/data/ktab/README.md) and the target; then the peak memory
of the largest run and the scaling exponent of time per turn against the number of actors.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc

import numpy as np

from backchannel.models.smp import smp_inputs
from backchannel.models.smp.run import SmpSettings, run_smp
from shared import shared_dir  # benchmarks/shared.py

# KTAB smpc, built -O2, 2 cores, median of 3 (../shared/data/ktab/README.md)
KTAB_SECONDS = {
    "SOE-Pol-Comp 13x2": 0.75,
    "synthetic 30x3": 3.5,
    "synthetic 60x3": 61.0,
    "synthetic 90x3": 220.0,
    "synthetic 120x3": 973.0,
}
TARGET_SECONDS = {"SOE-Pol-Comp 13x2": 0.05, "synthetic 60x3": 2.0, "synthetic 120x3": 15.0}


def synthetic(n_actors: int, n_dims: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random SMP scenario drawn the way KTAB's SMPActor::randomize does (positions, saliences, capabilities)."""
    rng = np.random.default_rng(seed)
    capability = rng.uniform(10.0, 200.0, n_actors)
    total = rng.uniform(0.75, 0.99, n_actors)
    parts = rng.uniform(0.1, 1.0, (n_actors, n_dims))
    salience = parts / parts.sum(axis=1, keepdims=True) * total[:, None]
    position = rng.uniform(0.0, 1.0, (n_actors, n_dims))
    return position, salience, capability


def soe_pol_comp() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KTAB's SOE-Pol-Comp example, read by the ktab format."""
    from backchannel.scenario.arrays import to_arrays
    from backchannel.scenario.formats import parse

    path = shared_dir() / "data" / "ktab" / "SOE-Pol-Comp.csv"
    position, salience, capability, _ = smp_inputs(to_arrays(parse(path.read_text(), str(path), "ktab")))
    return position, salience, capability


def timed(inputs, repeats: int) -> tuple[float, int]:
    """Median wall time of ``repeats`` runs and the number of turns."""
    times, turns = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        run = run_smp(*inputs, SmpSettings())
        times.append(time.perf_counter() - t0)
        turns = run.turns
    return statistics.median(times), turns


def main() -> None:
    """Print the benchmark table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one repeat, skip 120 actors")
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    sizes = [30, 60, 90] if args.quick else [30, 60, 90, 120]
    cases = [("SOE-Pol-Comp 13x2", soe_pol_comp(), 13, 1 if args.quick else 5)]
    cases += [(f"synthetic {n}x3", synthetic(n, 3, args.seed + n), n, 1 if args.quick or n >= 90 else 3) for n in sizes]

    print(f"{'scenario':<20}{'turns':>6}{'time s':>10}{'s/turn':>10}{'KTAB s':>9}{'target s':>10}  verdict")
    per_turn: list[tuple[int, float]] = []
    for name, inputs, n, repeats in cases:
        seconds, turns = timed(inputs, repeats)
        target = TARGET_SECONDS.get(name)
        verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
        ktab = KTAB_SECONDS.get(name, float("nan"))
        print(
            f"{name:<20}{turns:>6}{seconds:>10.3f}{seconds / turns:>10.4f}{ktab:>9.2f}"
            f"{'' if target is None else f'{target:.2f}':>10}  {verdict}"
        )
        if name.startswith("synthetic"):
            per_turn.append((n, seconds / turns))

    n_big = sizes[-1]
    inputs = synthetic(n_big, 3, args.seed + n_big)
    tracemalloc.start()
    run_smp(*inputs, SmpSettings(max_turns=3))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        f"\npeak traced memory, {n_big}x3 (3 turns): {peak / 2**20:.1f} MiB (target <= 500); "
        f"process max RSS {rss:.0f} MiB"
    )
    ns, ts = np.log([n for n, _ in per_turn]), np.log([t for _, t in per_turn])
    slope = np.polyfit(ns, ts, 1)[0]
    print(
        f"scaling of time per turn vs actors ({', '.join(str(n) for n, _ in per_turn)}): n^{slope:.2f} (expected <= 3)"
    )


if __name__ == "__main__":
    main()
