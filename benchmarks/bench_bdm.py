"""Benchmark of the bdm and median models.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_bdm.py [--quick]``.
Prints: one bdm run of the 1994 emission case (median of repeats; target ≤ 5 ms); 10,000 draws ×
10 rounds of that case with positions jittered by up to ±1 (seeded; target ≤ 0.5 s on one core);
time per round and draw for random one-issue scenarios of 10, 20, 40 and 80 actors with the
fitted scaling exponent (target ≈ 3 or less); and 100,000 draws of ``median`` on a random
7 actors × 7 issues scenario (target ≤ 1 s). Wall and CPU times are both shown: on a shared
machine the CPU time is the one that measures the code.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from backchannel.models import get_model
from backchannel.scenario.arrays import ArrayBatch, ScenarioArrays, to_arrays
from backchannel.scenario.formats import parse
from shared import shared_dir  # benchmarks/shared.py


def emission() -> ScenarioArrays:
    """The emission case read by the table format."""
    path = shared_dir() / "data" / "emission-1994.csv"
    return to_arrays(parse(path.read_text(), str(path), "table"))


def jittered(arrays: ScenarioArrays, draws: int, rng: np.random.Generator) -> ArrayBatch:
    """Draws of a scenario with every position moved uniformly by up to ±1."""
    base = arrays.repeat(draws)
    pos = np.where(arrays.mask, base.position + rng.uniform(-1.0, 1.0, base.position.shape), 0.0)
    return ArrayBatch(arrays.actors, arrays.issues, pos, base.salience, base.capability, arrays.mask, arrays.status_quo)


def random_batch(n_actors: int, n_issues: int, draws: int, rng: np.random.Generator) -> ArrayBatch:
    """Draws of a random scenario: positions on 0..100, saliences and capabilities on 0..1."""
    shape = (draws, n_actors, n_issues)
    return ArrayBatch(
        tuple(f"a{k}" for k in range(n_actors)),
        tuple(f"i{k}" for k in range(n_issues)),
        rng.uniform(0, 100, shape),
        rng.random(shape),
        rng.random(shape),
        np.ones((n_actors, n_issues), bool),
        np.full(n_issues, np.nan),
    )


def timed(fn, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` calls (after one warm-up call)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    """Print the benchmark figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one repeat, fewer draws in the scaling runs")
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    repeats = 1 if args.quick else 3
    case = emission()

    print("bdm, emission case (10 actors, 1 issue)")
    for rounds in (8, 10):
        model = get_model("bdm", rounds=rounds)
        wall, cpu = timed(lambda model=model: model.solve(case), 20 if args.quick else 100)
        print(
            f"  single run, {rounds:2d} rounds        {wall * 1e3:8.2f} ms wall {cpu * 1e3:8.2f} ms cpu"
            "   target <= 5 ms"
        )
    batch = jittered(case, 10_000, rng)
    model = get_model("bdm", rounds=10)
    wall, cpu = timed(lambda: model.solve_batch(batch), repeats)
    print(f"  10,000 draws x 10 rounds    {wall:8.3f} s  wall {cpu:8.3f} s  cpu   target <= 0.5 s")

    print("bdm scaling, random one-issue scenarios, 10 rounds")
    sizes, per_round = [10, 20, 40, 80], []
    for n in sizes:
        # the same number of actor pairs per run, so that fixed per-call costs do not hide the scaling
        draws = max(1, (40_000 if args.quick else 200_000) // n**2)
        sample = random_batch(n, 1, draws, rng)
        wall, cpu = timed(lambda sample=sample: model.solve_batch(sample), repeats)
        per_round.append(cpu / draws / 10)
        print(
            f"  n = {n:3d}  draws = {draws:5d}  {wall:7.3f} s wall {cpu:7.3f} s cpu  "
            f"{per_round[-1] * 1e6:9.2f} us cpu per draw and round"
        )
    slope = np.polyfit(np.log(sizes), np.log(per_round), 1)[0]
    tail = np.log(per_round[-1] / per_round[-2]) / np.log(sizes[-1] / sizes[-2])
    print(f"  scaling exponent: {slope:.2f} over 10..80 actors, {tail:.2f} from 40 to 80   target <= 3")

    print("median, random 7 actors x 7 issues")
    draws = random_batch(7, 7, 100_000, rng)
    median = get_model("median")
    wall, cpu = timed(lambda: median.solve_batch(draws), repeats)
    print(f"  100,000 draws               {wall:8.3f} s  wall {cpu:8.3f} s  cpu   target <= 1 s")


if __name__ == "__main__":
    main()
