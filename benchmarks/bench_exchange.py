"""Benchmark of the exchange model: COP21 × 10 rounds, model only, median of 3 runs.

Run from the repository root: ``PYTHONPATH=src python benchmarks/bench_exchange.py``
(shared data is read from ``../shared`` or ``$BACKCHANNEL_SHARED``).
Target: ≤ 0.3 s. For comparison (exchange.md §5, 2 vCPU): the peer takes 10.9 s model-only, a
plain float64 Python re-implementation 2.86 s.

Then the batch kernel (``solve_batch``) on 10,000 sampled draws of the built-in ukraine-2025, model CPU
time, median of 3, against the interactive target of issue 15 (≤ 1 s for 10,000 draws on one core).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from backchannel.models import get_model
from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.formats import parse
from shared import shared_dir  # benchmarks/shared.py

ROOT = Path(__file__).resolve().parents[1]
DATA = shared_dir() / "data"
TARGET = 0.3
BATCH_DRAWS, BATCH_TARGET = 10_000, 1.0


def _arrays(name: str):
    path = DATA / name
    return to_arrays(parse(path.read_text(encoding="utf-8"), name, "decide"))


def _time(arrays, repeats: int = 3) -> tuple[float, list[float], float, object]:
    """Median wall time, the wall times, median CPU time (steadier on a shared machine), a result."""
    model = get_model("exchange", rounds=10)
    model.solve(arrays, np.random.default_rng(42))  # warm-up (imports, caches)
    times, cpu, result = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = model.solve(arrays, np.random.default_rng(42))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), times, statistics.median(cpu), result


def main() -> None:
    """Print the timings and per-round exchange counts."""
    for name in ("decide-cop21.csv", "decide-sample.txt"):
        arrays = _arrays(name)
        median, times, cpu, result = _time(arrays)
        d = result.diagnostics
        print(f"{name}: {len(arrays.actors)} actors x {len(arrays.issues)} issues, 10 rounds, seed 42")
        print(
            f"  runs (s): {', '.join(f'{t:.3f}' for t in times)}; median {median:.3f} s, CPU {cpu:.3f} s"
            + (
                f" (target <= {TARGET} s: {'met' if median <= TARGET else 'MISSED'})"
                if name == "decide-cop21.csv"
                else ""
            )
        )
        print(f"  candidates / valid in round 1: {d['candidates'][0]} / {d['valid'][0]}")
        print(f"  realised exchanges per round: {d['realised']} (total {sum(d['realised'])})")
        print(f"  ties per round: {d['ties']}")
    batch()


def batch() -> None:
    """Time ``solve_batch`` on 10,000 draws of ukraine-2025 (CPU time, median of 3, after a warm-up)."""
    from backchannel.app.files import load_scenario
    from backchannel.ensemble import sample_batch

    scenario = load_scenario("ukraine-2025")
    draws = sample_batch(scenario, BATCH_DRAWS, 1)
    model = get_model("exchange")
    model.solve_batch(sample_batch(scenario, 8, 1), np.random.default_rng(0))  # loads (or compiles) the kernel
    cpu = []
    for _ in range(3):
        start = time.process_time()
        model.solve_batch(draws, np.random.default_rng(1))
        cpu.append(time.process_time() - start)
    median = statistics.median(cpu)
    verdict = "met" if median <= BATCH_TARGET else "MISSED"
    print(f"ukraine-2025: {BATCH_DRAWS:,} draws, solve_batch, 10 rounds")
    print(
        f"  CPU (s): {', '.join(f'{t:.3f}' for t in cpu)}; median {median:.3f} s, "
        f"{1e6 * median / BATCH_DRAWS:.0f} µs a draw (target <= {BATCH_TARGET} s: {verdict})"
    )


if __name__ == "__main__":
    main()
