"""Timings of the analysis commands' cores on a real scenario (COP21, 15 actors × 13 issues).

Usage: PYTHONPATH=src python benchmarks/bench_analysis.py   (BACKCHANNEL_SHARED to find ../shared)
Prints seconds for: a what-if with common random numbers, named-outcome counting, a tornado by
closed form and by perturbation, who-to-work-on by search, and the market mixture.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from backchannel.analysis.markets import market_impacts
from backchannel.analysis.outcomes import outcome_probabilities
from backchannel.analysis.sensitivity import tornado, who_to_work_on
from backchannel.analysis.whatif import whatif
from backchannel.app.files import load_scenario
from backchannel.models import get_model
from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.schema import Scenario

SHARED = Path(os.environ.get("BACKCHANNEL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def timed(label: str, fn):
    """Run fn once, print its wall time, return its value."""
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<58}{time.perf_counter() - t0:8.3f} s")
    return out


def main() -> None:
    """Print the timings."""
    base = load_scenario(SHARED / "data" / "decide-cop21.csv")
    issues = [i.id for i in base.issues]
    # Give every position a ±10 range and name two regions on the first two issues.
    data = base.model_dump()
    for p in data["positions"]:
        p["range"] = [max(0.0, p["position"] - 10), min(100.0, p["position"] + 10)]
    data["outcomes"] = [
        {"id": "low", "when": {issues[0]: [0, 50], issues[1]: [0, 50]}},
        {"id": "high", "when": {issues[0]: [50, 100]}},
    ]
    data["markets"] = {
        "variables": [{"id": "v", "unit": "%"}],
        "moves": {
            "low": {"v": {"expected": -5, "range": [-10, 0], "basis": "bench"}},
            "high": {"v": {"expected": 5, "range": [0, 10], "basis": "bench"}},
        },
    }
    sc = Scenario.model_validate(data)
    arrays = to_arrays(sc)
    a0 = sc.positions[0].actor
    w = timed(
        "whatif compromise, 10 000 draws x 2 runs",
        lambda: whatif(sc, ["compromise"], overrides={f"{a0}.{issues[0]}.salience": 0.1}, draws=10_000, seed=0),
    )
    print(
        f"  change on {issues[0]}: {w.issues['compromise'][issues[0]].change:+.3f} "
        f"(s.e. {w.issues['compromise'][issues[0]].stderr:.4f})"
    )
    from backchannel.ensemble import run_forecast

    fc = run_forecast(sc, ["compromise"], 100_000, 0)
    probs = timed(
        "named outcomes of 100 000 draws",
        lambda: outcome_probabilities(fc.models["compromise"].samples, fc.issues, sc.outcomes),
    )
    timed("markets mixture, 20 000 draws", lambda: market_impacts(probs.probability, sc))
    timed("tornado compromise (closed form, 13 issues)", lambda: tornado(arrays, get_model("compromise")))
    timed("tornado bdm (perturbation, one batch)", lambda: tornado(arrays, get_model("bdm")))
    timed(
        "who to work on, bdm (batched bisection)",
        lambda: who_to_work_on(arrays, get_model("bdm"), actor=a0, issue=issues[0], move=5.0),
    )


if __name__ == "__main__":
    main()
