"""Benchmark of start-up: whole commands as a ratio to ``python -c "import numpy"`` measured in the same run.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_startup.py [--repeat N]``. Each command
runs in a fresh process (``python -m backchannel …``, the console script's entry point), interleaved
with the numpy baseline, ``--repeat`` times; the median wall time of each is printed with its ratio to
the baseline's median and the target. The store is a temporary SQLite file, created and migrated
before the timings; the forecast runs once untimed first, so Numba's cache, Python's bytecode cache and the
OS file cache are warm (compromise has no compiled kernel, but the command must not pay for those of others).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--help": 3.0, "scenario list": 5.0, "forecast ukraine-2025 -m compromise --draws 1000": 8.0}


def wall(argv: list[str], env: dict[str, str]) -> float:
    """Seconds one process takes from start to exit (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return took


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BACKCHANNEL_DB": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        # as an installed package runs: its bytecode cached (pip compiles it at install; the warm-up run writes
        # it for an editable install), also where the shell sets PYTHONDONTWRITEBYTECODE, which would make
        # every run recompile backchannel's ~80 modules while NumPy's bytecode was compiled at install
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cli = [sys.executable, "-m", "backchannel"]
        commands = {name: cli + name.split() for name in TARGETS}
        for argv in commands.values():  # warm: creates and migrates the store, fills the caches
            wall(argv, env)
        baseline = [sys.executable, "-c", "import numpy"]
        times: dict[str, list[float]] = {"import numpy": [], **{name: [] for name in commands}}
        for _ in range(args.repeat):
            times["import numpy"].append(wall(baseline, env))
            for name, argv in commands.items():
                times[name].append(wall(argv, env))
    base = statistics.median(times["import numpy"])
    print(f"median of {args.repeat} runs each, interleaved; baseline python -c 'import numpy': {base:.3f}s")
    print(f"{'command':<52} {'median':>8} {'min':>7} {'ratio':>6} {'target':>7}")
    for name, ts in times.items():
        if name == "import numpy":
            continue
        ratio = statistics.median(ts) / base
        verdict = "ok" if ratio <= TARGETS[name] else "over target"
        print(
            f"backchannel {name:<40} {statistics.median(ts):7.3f}s {min(ts):6.3f}s {ratio:5.1f}× "
            f"{TARGETS[name]:5.0f}×  {verdict}"
        )


if __name__ == "__main__":
    main()
