"""Benchmark of Monte Carlo forecasts: 10,000 draws of ukraine-2025 with every registered model.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_ensemble.py [--draws N] [--executor E]
[--model M ...]``. Prints the sampling time, then per model the time of ``run_forecast`` (sampling
included) and of the model alone (``solve_batch`` on the sampled draws), against the target of 1 s
per model for 10,000 draws, the interactive what-if (median of ``--repeat`` runs): the model
alone is judged on CPU time (what it costs on an uncontended core), the whole forecast on wall
time (what the analyst waits; sampling runs on every core; when the scenario declares consent, as
ukraine-2025 does, the forecast also solves the no-deal state for its agreement figures, so the total
holds the model about twice). A warm-up run of each model first loads (or compiles) its kernels. The
last line names the models whose time alone misses the target. Until
the built-in ``ukraine-2025`` scenario exists, a seeded synthetic 8-actor x 7-issue scenario
with ranges on most positions stands in (the output says which).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from backchannel.ensemble import run_forecast, sample_batch
from backchannel.app.files import builtin_ids, load_scenario
from backchannel.models import get_model, model_names
from backchannel.scenario.schema import Scenario

TARGET_SECONDS = 1.0
TARGET_DRAWS = 10_000


def synthetic_scenario(seed: int = 2025) -> Scenario:
    """8 actors x 7 issues, status quo on every issue, ranges on position (most) and salience (some)."""
    rng = np.random.default_rng(seed)
    actors = [{"id": f"actor{k}", "capability": round(float(rng.uniform(0.2, 1.0)), 2)} for k in range(8)]
    issues = [{"id": f"issue{k}", "status_quo": float(round(float(rng.uniform(10, 90))))} for k in range(7)]
    positions = []
    for a in range(8):
        for i in range(7):
            pos, sal = float(round(float(rng.uniform(0, 100)))), round(float(rng.uniform(0.2, 1.0)), 2)
            entry = {"actor": f"actor{a}", "issue": f"issue{i}", "position": pos, "salience": sal}
            if (a + i) % 4:
                entry["range"] = [max(0.0, pos - 15), min(100.0, pos + 10)]
            if (a * i) % 3 == 1:
                entry["salience_range"] = [max(0.0, sal - 0.15), min(1.0, sal + 0.1)]
            positions.append(entry)
    return Scenario.model_validate({"id": "synthetic-8x7", "actors": actors, "issues": issues, "positions": positions})


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over ``repeat`` calls.

    CPU time is shown because the machine is shared: it is what the work costs when the cores
    are not contended (with the serial executor; worker processes are not counted).
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=TARGET_DRAWS)
    ap.add_argument("--model", action="append", help="a model to time (default: every registered model)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--executor", default="serial")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    if "ukraine-2025" in builtin_ids():
        scenario, label = load_scenario("ukraine-2025"), "ukraine-2025 (built-in)"
    else:
        scenario, label = synthetic_scenario(), "synthetic 8x7 (ukraine-2025 not built in yet)"
    n_ranges = sum(
        (p.range is not None) + (p.salience_range is not None) + (p.capability_range is not None)
        for p in scenario.positions
    )
    print(
        f"scenario: {label}: {len(scenario.actors)} actors x {len(scenario.issues)} issues, "
        f"{n_ranges} uncertain inputs; draws {args.draws:,}; executor {args.executor}; "
        f"median of {args.repeat}"
    )
    sampling, sampling_cpu = timed(lambda: sample_batch(scenario, args.draws, args.seed), args.repeat)
    print(f"{'sampling (pert)':<14} {sampling:8.3f}s wall {sampling_cpu:8.3f}s cpu")
    target = TARGET_SECONDS * args.draws / TARGET_DRAWS
    print(
        f"{'model':<14} {'total wall':>10} {'total cpu':>10} {'model cpu':>10} {'per draw':>9} {'target':>7}  "
        "model alone (cpu) / with sampling (wall)"
    )
    batch, warm_up = sample_batch(scenario, args.draws, args.seed), sample_batch(scenario, 8, args.seed)
    names, missed = args.model or model_names(), []
    for name in names:
        model = get_model(name)
        model.solve_batch(warm_up, np.random.default_rng(0))
        wall, cpu = timed(
            lambda name=name: run_forecast(scenario, [name], args.draws, args.seed, executor=args.executor), args.repeat
        )
        _, alone_cpu = timed(
            lambda model=model: model.solve_batch(batch, np.random.default_rng(args.seed)), args.repeat
        )
        alone = "ok" if alone_cpu <= target else "over target"
        if alone_cpu > target:
            missed.append(f"{name} {alone_cpu:.2f} s")
        whole = "ok" if wall <= target else "over target"
        print(
            f"{name:<14} {wall:9.3f}s {cpu:9.3f}s {alone_cpu:9.3f}s {1e6 * alone_cpu / max(args.draws, 1):7.1f}µs "
            f"{target:>6.2f}s  {alone} / {whole}"
        )
    print(
        f"{len(names)} models; model alone over {target:.2f} s: {', '.join(missed)}"
        if missed
        else f"{len(names)} models; every model alone within {target:.2f} s"
    )


if __name__ == "__main__":
    main()
