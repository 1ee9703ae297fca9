"""Load check of the web app on loopback: latency and throughput of the pages that read stored results.

Run from the repo root: ``PYTHONPATH=src python benchmarks/bench_web.py [--clients 20] [--requests 2000]``.
Stores a real scenario (COP21 from ../shared/data, 15 groups × 13 issues) and a forecast run with every registered
model in a temporary SQLite file, starts ``backchannel serve`` on 127.0.0.1 (a free port) in a separate process, and
sends the requests from concurrent clients (threads with keep-alive httpx clients), spread evenly over the scenario
page, the run page and the run's JSON. Stops at the request budget or the time limit, whichever comes first.
Prints, per target, requests, errors, p50/p95/max latency, throughput and the time of the first (uncached) view,
against the 200 ms p95 target.

With ``--heavy N`` (issue 14) it first sends N heavy API forecasts (every model, as many draws as the per-request
cost limit allows) from their own threads and measures while they run: the app runs them on its job queue one at a
time at low priority, so the pages should keep their p95; the figures then also say how many 5xx answers came back
and what each heavy request got (200, 429 when the queue was full, or still running when the load ended).
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
    proc = subprocess.Popen(
        [sys.executable, "-m", "backchannel", "serve", "--host", HOST, "--port", str(port), "--db", url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
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


def heavy_forecasts(base: str, digest: str, count: int) -> tuple[list[threading.Thread], list[str]]:
    """Start ``count`` heavy API forecasts (every model, the most draws the cost limit allows), one thread each;
    returns the threads and a list each fills with its outcome ("200", "429", ...)."""
    from backchannel.web.api import MAX_SOLVES

    models = model_names()
    body = {"scenario": digest, "models": models, "draws": MAX_SOLVES // len(models) - 1, "seed": 7}
    outcomes: list[str] = []

    def post() -> None:
        try:
            with httpx.Client(base_url=base, timeout=600) as client:
                outcomes.append(str(client.post("/api/forecasts", json=body).status_code))
        except httpx.HTTPError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=post, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
        time.sleep(0.05)  # in order, so the first one runs and the others queue
    return threads, outcomes


def wait_running(base: str, seconds: float = 30) -> bool:
    """Whether a background job is running within ``seconds`` (the heavy forecasts have started)."""
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=5) as client:
        while time.monotonic() < deadline:
            r = client.get("/api/jobs/1")
            if r.status_code == 200 and r.json()["state"] in ("running", "finished"):
                return True
            time.sleep(0.1)
    return False


def load(base: str, targets: list[str], clients: int, budget: int, seconds: float) -> tuple[dict, float]:
    """Send up to ``budget`` requests from ``clients`` threads for at most ``seconds``; latencies per target."""
    lock = threading.Lock()
    issued = [0]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    server_errors: dict[str, int] = defaultdict(int)
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
                    status = client.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                dt = time.perf_counter() - t0
                with lock:
                    latencies[path].append(dt)
                    errors[path] += status != 200
                    server_errors[path] += status >= 500

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {p: (latencies[p], errors[p], server_errors[p]) for p in targets}, time.perf_counter() - t0


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
    ap.add_argument("--heavy", type=int, default=0, help="heavy API forecasts running during the load (issue 14: 4)")
    ap.add_argument(
        "--pages",
        choices=["all", "scenario"],
        default="all",
        help="which pages to load: all three targets, or only the scenario page",
    )
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
            if args.pages == "scenario":
                targets = targets[:1]
            cold = {}
            with httpx.Client(base_url=base) as c:  # first view of each: store read, validation, charts, template
                for p in targets:
                    t0 = time.perf_counter()
                    r = c.get(p)
                    cold[p] = (time.perf_counter() - t0) * 1000
                    if r.status_code != 200:
                        raise RuntimeError(f"{p} answered {r.status_code}: {r.text[:200]}")
            heavy: list[str] = []
            if args.heavy:
                _, heavy = heavy_forecasts(base, digest, args.heavy)
                if not wait_running(base):
                    raise RuntimeError("the heavy forecasts did not start")
            cpu0, own0 = cpu_seconds(server.pid), time.process_time()
            results, wall = load(base, targets, args.clients, args.requests, args.seconds)
            cpu1, own1 = cpu_seconds(server.pid), time.process_time()
            with httpx.Client(base_url=base, timeout=5) as c:
                jobs = [c.get(f"/api/jobs/{k}").json().get("state", "?") for k in range(1, args.heavy + 1)]
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # uvicorn waits for the heavy requests still running
                server.kill()
                server.wait(timeout=10)

    total = sum(len(lat) for lat, _, _ in results.values())
    print(
        f"scenario {args.scenario.name}, models {', '.join(model_names())}; {args.clients} clients, "
        f"{total} requests in {wall:.1f} s ({total / wall:.0f} req/s overall), loopback {HOST}"
    )
    print(
        f"{'target':<30} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} {'first ms':>9}  p95 target"
    )
    if cpu0 is not None and cpu1 is not None:
        print(
            f"CPU per request: server {(cpu1 - cpu0) / total * 1000:.2f} ms, clients {(own1 - own0) / total * 1000:.2f} ms "
            f"(load average before the run: {load_before:.1f} on {os.cpu_count()} cores)"
        )
    if args.heavy:
        print(
            f"during the load: {args.heavy} heavy API forecasts ({len(model_names())} models each, at the cost "
            f"limit); their jobs at the end: {', '.join(jobs)}; answers received: {', '.join(heavy) or 'none yet'}"
        )
    print(f"5xx answers: {sum(e for _, _, e in results.values()) + sum(h.startswith('5') for h in heavy)}")
    names = dict(zip(targets, ["scenario page", "run page", "run JSON"]))
    for path, (lat, err, _) in results.items():
        ms = [x * 1000 for x in lat]
        p95 = percentile(ms, 95)
        verdict = "ok" if p95 <= TARGET_P95_MS else "MISSED"
        print(
            f"{names[path]:<30} {len(ms):>5} {err:>4} {statistics.median(ms):>8.1f} {p95:>8.1f} {max(ms):>8.1f} "
            f"{len(ms) / wall:>7.1f} {cold[path]:>9.1f}  ≤ {TARGET_P95_MS:.0f} ms {verdict}"
        )


if __name__ == "__main__":
    main()
