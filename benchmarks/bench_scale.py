"""Benchmark of scaling out: Monte Carlo draws and article ingest on serial, processes and Ray.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_scale.py [--draws N] [--articles N]
[--ray-address ADDR] [--full]``. Prints

1. ``--draws`` draws of ukraine-2025 (default 100,000 on a shared machine; ``--full``: 1,000,000)
   with nash and with bdm on each executor: wall time, draws per second, and the cost per task
   (one task = one chunk of 10,000 draws) and the overhead per task of each executor, measured
   with tasks that do nothing;
2. ``--articles`` articles (default 16; ``--full``: 1,000) made by recombining the paragraphs of the
   project's own test articles with a seeded generator, ingested serially and on Ray;
3. the inputs of the scaling formula of docs/scaling.md.

Ray runs on ``--ray-address`` / ``RAY_ADDRESS`` or a local cluster with this machine's cores
(started once, before the timings; its start-up time is printed apart).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from backchannel.app.files import load_scenario
from backchannel.ensemble import run_forecast, run_tasks, sample_batch
from backchannel.ensemble.forecast import CHUNK_DRAWS
from backchannel.models import get_model

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_DIRS = (
    ROOT / "src" / "backchannel" / "scenario" / "builtin" / "articles",
    ROOT / "tests" / "evidence" / "data" / "articles",
)


def nothing(_shared: object, task: int) -> int:
    """A task that does no work: what remains of its time is the executor's overhead."""
    return task


def overhead(executor: str, tasks: int, address: str | None) -> float:
    """Seconds of executor overhead per task (median of three rounds of ``tasks`` empty tasks)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run_tasks(nothing, list(range(tasks)), executor, address=address)
        times.append((time.perf_counter() - start) / tasks)
    return statistics.median(times)


def paragraphs() -> list[str]:
    """The paragraphs of the project's own articles (built-in and held-out test articles), as plain text."""
    out = []
    for folder in ARTICLE_DIRS:
        for path in sorted(folder.iterdir()):
            text = path.read_text(encoding="utf-8")
            out.extend(p.strip() for p in text.split("\n\n") if len(p.strip()) > 80 and "<" not in p)
    return out


def make_articles(n: int, folder: Path, seed: int = 1) -> list[str]:
    """``n`` articles of 4–8 paragraphs drawn (seeded) from the project's own articles, written to ``folder``."""
    rng = random.Random(seed)
    paras = paragraphs()
    paths = []
    for k in range(n):
        body = "\n\n".join(rng.sample(paras, rng.randint(4, min(8, len(paras)))))
        path = folder / f"article_{k:04d}.txt"
        path.write_text(f"TITLE: Recombined article {k}\nDATE: 2025-11-{1 + k % 28:02d}\n\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def bench_draws(draws: int, address: str | None, executors: list[str]) -> None:
    """Part 1: draws per executor and model, with per-task cost and overhead."""
    scenario = load_scenario("ukraine-2025")
    tasks = -(-draws // CHUNK_DRAWS)
    print(f"\n1. {draws:,} draws of ukraine-2025 = {tasks} tasks of {CHUNK_DRAWS:,} draws per model")
    print(f"{'executor':<10} {'overhead/task':>14}")
    costs = {ex: overhead(ex, 2 * os.cpu_count(), address) for ex in executors}
    for ex, c in costs.items():
        print(f"{ex:<10} {1e3 * c:12.2f}ms")
    start = time.perf_counter()
    sample_batch(scenario, draws, 1)
    print(f"sampling the draws (in the driver, before any task): {time.perf_counter() - start:.2f}s")
    print(f"{'model':<6} {'executor':<10} {'wall':>8} {'draws/s':>10} {'per task':>10} {'speed-up':>9}")
    for name in ("nash", "bdm"):
        get_model(name).solve_batch(sample_batch(scenario, 4, 0))  # load the kernels before timing
        serial = None
        for ex in executors:
            start = time.perf_counter()
            run_forecast(scenario, [name], draws, 1, executor=ex, address=address)
            wall = time.perf_counter() - start
            serial = serial or wall
            print(
                f"{name:<6} {ex:<10} {wall:7.2f}s {draws / wall:10,.0f} {1e3 * wall / tasks:8.1f}ms {serial / wall:8.2f}×"
            )


def bench_ingest(n: int, address: str | None) -> None:
    """Part 2: recombined articles ingested serially and on Ray (in-memory stores)."""
    from backchannel.app.service import Service
    from backchannel.store import Store

    scenario = load_scenario("ukraine-2025")
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_articles(n, Path(tmp))
        print(f"\n2. {n} articles recombined from {len(paragraphs())} paragraphs of the project's own articles")
        print(f"{'executor':<10} {'wall':>8} {'articles/s':>11}")
        records = {}
        for ex in ("serial", "ray"):
            start = time.perf_counter()
            result = Service(Store("sqlite://")).ingest(scenario, paths=paths, executor=ex, address=address)
            recs, added, errors = result.records, result.added, result.errors
            wall = time.perf_counter() - start
            records[ex] = recs
            print(
                f"{ex:<10} {wall:7.2f}s {n / wall:10.2f}  ({sum(added)} stored, {len(errors)} errors; "
                "model loading included)"
            )
        print("same records on both:", records["serial"] == records["ray"])


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=16)
    ap.add_argument("--full", action="store_true", help="1,000,000 draws and 1,000 articles (several minutes)")
    ap.add_argument("--ray-address", default=None)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    draws, articles = (1_000_000, 1_000) if args.full else (args.draws, args.articles)
    executors = ["serial", "processes"]
    try:
        from backchannel.ensemble.ray_cluster import connect

        start = time.perf_counter()
        ray = connect(args.ray_address)
        print(
            f"Ray {ray.__version__}: cluster with {ray.cluster_resources().get('CPU', 0):g} CPUs, "
            f"joined/started in {time.perf_counter() - start:.1f}s"
        )
        executors.append("ray")
    except Exception as exc:  # the extra is missing: show what can be measured
        print(f"ray: not measured ({exc})")
    print(f"this machine: {os.cpu_count()} cores")
    bench_draws(draws, args.ray_address, executors)
    if not args.skip_ingest and "ray" in executors:
        bench_ingest(articles, args.ray_address)


if __name__ == "__main__":
    main()
