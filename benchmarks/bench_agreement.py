"""Benchmark of the agreement layer: what deciding deals (and their curve to the horizon) adds to a forecast.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_agreement.py [--draws N] [--repeat R]``.
Prints, per model, the median wall time of ``run_forecast`` on ukraine-2025 without the agreement layer
(``agreement=False``) and with it. With it, the flagship's one deadline fires a lever within the horizon,
so the models are solved on a second lever state (about twice the model time), and every one of the
16 steps to the horizon is judged by the consent rule.
"""

from __future__ import annotations

import argparse
import statistics
import time

from backchannel.app.files import load_scenario
from backchannel.ensemble import run_forecast


def main() -> None:
    """Time the forecasts and print one line per model."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", action="append", default=None)
    args = parser.parse_args()
    scenario = load_scenario("ukraine-2025")
    for model in args.model or ["compromise", "nash", "nash_outside"]:
        run_forecast(scenario, [model], 10, 0)  # compile and warm up
        times = {}
        for layer in (False, True):
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run_forecast(scenario, [model], args.draws, 0, agreement=layer)
                runs.append(time.perf_counter() - start)
            times[layer] = statistics.median(runs)
        print(
            f"{model:14s} {args.draws:>8,} draws: without the layer {times[False]:6.2f} s, with it {times[True]:6.2f} s"
        )


if __name__ == "__main__":
    main()
