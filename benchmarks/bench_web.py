"""Load check of the web app on loopback: latency and throughput of the pages that read stored results.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_web.py [--clients 20] [--requests 2000]``.
Stores a real scenario (COP21 from ../shared/data, 15 groups × 13 issues) and a forecast run with every registered
model in a temporary SQLite file, starts ``backchannel serve`` on 127.0.0.1 (a free port) in a separate process, and
sends the requests from concurrent clients (threads with keep-alive httpx clients), spread evenly over the scenario
page, the run page and the run's JSON. Stops at the request budget or the time limit, whichever comes first.
Prints, per target, requests, errors, p50/p95/max latency, throughput and the time of the first (uncached) view,
against the 200 ms p95 target.
Traffic goes only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from backchannel.models import model_names
from backchannel.app.service import Service
from backchannel.store import Store
from shared import shared_dir  # benchmarks/shared.py

TARGET_P95_MS = 200.0
HOST = "127.0.0.1"


def seed_store(url: str, scenario_file: Path) -> tuple[str, int]:
    """Store the scenario and one forecast run with every model; return (scenario hash, run id)."""
    store = Store(url)
    try:
        svc = Service(store)
        digest, scenario = svc.upload(scenario_file.name, scenario_file.read_bytes())
        run = svc.forecast(scenario, models=model_names(), draws=0, seed=1)
        return digest, run["run_id"]
    finally:
        store.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    """``backchannel serve`` on loopback in its own process, once it answers /healthz."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    env.pop("BACKCHANNEL_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "backchannel", "serve", "--host", HOST, "--port", str(port),
                             "--db", url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not answer /healthz within 30 s")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(base: str, targets: list[str], clients: int, budget: int, seconds: float) -> tuple[dict, float]:
    """Send up to ``budget`` requests from ``clients`` threads for at most ``seconds``; latencies per target."""
    lock = threading.Lock()
    issued = [0]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if issued[0] >= budget:
                        return
                    path = targets[issued[0] % len(targets)]
                    issued[0] += 1
                t0 = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                dt = time.perf_counter() - t0
                with lock:
                    latencies[path].append(dt)
                    errors[path] += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {p: (latencies[p], errors[p]) for p in targets}, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between order statistics."""
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> None:
    """Seed, serve, load, report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="total request budget")
    ap.add_argument("--seconds", type=float, default=60.0, help="stop sending after this long")
    ap.add_argument("--scenario", type=Path, default=shared_dir() / "data" / "decide-cop21.csv")
    args = ap.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        digest, run_id = seed_store(url, args.scenario)
        port = free_port()
        server = start_server(url, port)
        try:
            base = f"http://{HOST}:{port}"
            targets = [f"/scenarios/{digest}", f"/runs/{run_id}", f"/api/runs/{run_id}"]
            cold = {}
            with httpx.Client(base_url=base) as c:  # first view of each: store read, validation, charts, template
                for p in targets:
                    t0 = time.perf_counter()
                    r = c.get(p)
                    cold[p] = (time.perf_counter() - t0) * 1000
                    if r.status_code != 200:
                        raise RuntimeError(f"{p} answered {r.status_code}: {r.text[:200]}")
            cpu0, own0 = cpu_seconds(server.pid), time.process_time()
            results, wall = load(base, targets, args.clients, args.requests, args.seconds)
            cpu1, own1 = cpu_seconds(server.pid), time.process_time()
        finally:
            server.terminate()
            server.wait(timeout=10)

    total = sum(len(lat) for lat, _ in results.values())
    print(f"scenario {args.scenario.name}, models {', '.join(model_names())}; {args.clients} clients, "
          f"{total} requests in {wall:.1f} s ({total / wall:.0f} req/s overall), loopback {HOST}")
    print(f"{'target':<30} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} {'first ms':>9}  p95 target")
    if cpu0 is not None and cpu1 is not None:
        print(f"CPU per request: server {(cpu1 - cpu0) / total * 1000:.2f} ms, clients {(own1 - own0) / total * 1000:.2f} ms "
              f"(load average before the run: {load_before:.1f} on {os.cpu_count()} cores)")
    names = {targets[0]: "scenario page", targets[1]: "run page", targets[2]: "run JSON"}
    for path, (lat, err) in results.items():
        ms = [x * 1000 for x in lat]
        p95 = percentile(ms, 95)
        verdict = "ok" if p95 <= TARGET_P95_MS else "MISSED"
        print(f"{names[path]:<30} {len(ms):>5} {err:>4} {statistics.median(ms):>8.1f} {p95:>8.1f} {max(ms):>8.1f} "
              f"{len(ms) / wall:>7.1f} {cold[path]:>9.1f}  ≤ {TARGET_P95_MS:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
