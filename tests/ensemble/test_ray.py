"""The ``ray`` executor on a real local Ray cluster of two nodes (one CPU each, a small object store).

The cluster is started with Ray's own cluster utilities in a temporary directory and shut down by
them (only the processes they started). Every test compares with the serial executor on the same
seed: the results must be bit-identical, also after a worker process is killed in the middle of a
run. Marked ``ray`` (select with ``-m ray``); skipped where Ray is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")

from backchannel.analysis.backtest import run_backtest  # noqa: E402
from backchannel.analysis.sensitivity import tornado  # noqa: E402
from backchannel.app.files import load_scenario  # noqa: E402
from backchannel.ensemble import run_forecast  # noqa: E402
from backchannel.models import get_model, model_names  # noqa: E402
from backchannel.scenario.arrays import to_arrays  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.slow]

OBJECT_STORE = 80 * 1024 * 1024


@pytest.fixture(scope="module")
def cluster():
    """A head node and a worker node on this machine, one CPU each; workers import this checkout."""
    temp = tempfile.mkdtemp(prefix="bcray", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    src = str(Path(__import__("backchannel").__file__).resolve().parents[1])
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = src + (os.pathsep + old if old else "")
    c = cluster_utils.Cluster()
    try:
        c.add_node(num_cpus=1, object_store_memory=OBJECT_STORE, temp_dir=temp, include_dashboard=False)
        c.add_node(num_cpus=1, object_store_memory=OBJECT_STORE)
        c.wait_for_nodes()
        yield c
    finally:
        if ray.is_initialized():
            ray.shutdown()
        c.shutdown()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def ukraine():
    return load_scenario("ukraine-2025")


def _same(a, b) -> None:
    for name in a.models:
        np.testing.assert_array_equal(a.models[name].samples, b.models[name].samples)
        assert a.models[name].distribution == b.models[name].distribution
        assert a.models[name].point.to_dict() == b.models[name].point.to_dict()


def test_two_nodes_each_with_one_cpu(cluster):
    from backchannel.ensemble.ray_cluster import connect

    connect(cluster.address)
    alive = [n for n in ray.nodes() if n["Alive"]]
    assert len(alive) == 2
    assert ray.cluster_resources()["CPU"] == 2


def test_every_model_gives_the_serial_result(cluster, ukraine):
    # 10,200 draws: two chunks per model (10,000 and 200), so chunk seeds and boundaries both matter
    models = model_names()
    seen: list[tuple[int, int]] = []
    on_ray = run_forecast(
        ukraine,
        models,
        10_200,
        7,
        executor="ray",
        address=cluster.address,
        progress=lambda done, total: seen.append((done, total)),
    )
    _same(run_forecast(ukraine, models, 10_200, 7), on_ray)
    total = len(models) * 3  # point solves, then two chunks per model
    assert seen[-1] == (total, total) and [d for d, _ in seen] == list(range(1, total + 1))


def test_a_killed_worker_is_retried_and_the_result_is_unchanged(cluster, ukraine):
    """Kill the worker process running a chunk, mid-run; Ray runs the chunk again elsewhere."""
    from backchannel.ensemble.ray_cluster import connect

    connect(cluster.address)
    session = Path(ray._private.worker._global_node.get_session_dir_path())
    killed: list[int] = []

    def running_workers() -> list[int]:
        pids = []
        for log in (session / "logs").glob("python-core-worker-*.log"):
            pid = int(log.stem.rsplit("_", 1)[-1])
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::_call"):
                pids.append(pid)
        return pids

    def killer() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            pids = running_workers()
            if pids:
                time.sleep(0.3)  # well inside the chunk (about a second of smp)
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    on_ray = run_forecast(ukraine, ["smp"], 40_000, 11, executor="ray", address=cluster.address)
    thread.join()
    assert killed, "no worker was seen running a chunk"
    assert not Path(f"/proc/{killed[0]}").exists()
    _same(run_forecast(ukraine, ["smp"], 40_000, 11), on_ray)


def test_backtest_sensitivity_and_whatif_give_the_serial_result(cluster, ukraine, data_dir):
    from backchannel.analysis.backtest import cases_from_deu
    from backchannel.analysis.whatif import whatif
    from backchannel.scenario.formats.deu import parse_deu

    path = data_dir / "deu3-dev.tsv"
    cases = cases_from_deu(parse_deu(path.read_text(encoding="utf-8"), str(path), capability="equal"))
    models = [get_model(m) for m in ("compromise", "median", "nash", "exchange")]
    serial = run_backtest(cases, models, seed=3, n_boot=200)
    remote = run_backtest(cases, models, seed=3, n_boot=200, executor="ray", address=cluster.address)
    assert serial.to_dict() == remote.to_dict()
    arrays = to_arrays(ukraine)
    for name in ("exchange", "smp"):
        a = tornado(arrays, get_model(name), seed=5, executor="serial")
        b = tornado(arrays, get_model(name), seed=5, executor="ray", address=cluster.address)
        assert {k: [x.to_dict() for x in v] for k, v in a.items()} == {
            k: [x.to_dict() for x in v] for k, v in b.items()
        }
    lever = ukraine.levers[0].id
    a = whatif(ukraine, ["bdm", "exchange"], levers=[lever], draws=500, seed=2)
    b = whatif(ukraine, ["bdm", "exchange"], levers=[lever], draws=500, seed=2, executor="ray", address=cluster.address)
    assert a.to_dict() == b.to_dict()


def test_cli_forecast_on_the_cluster_prints_the_serial_json(cluster, cli):
    import json

    args = ("forecast", "ukraine-2025", "-m", "nash", "-m", "exchange", "--draws", "300", "--seed", "4", "--json")
    code, serial, _ = cli(*args)
    code_ray, remote, err = cli(*args, "--executor", "ray", "--ray-address", cluster.address)
    assert code == 0 and code_ray == 0, err
    a, b = json.loads(serial), json.loads(remote)
    a.pop("run_id"), b.pop("run_id")
    assert a == b


def test_ingest_on_the_cluster_stores_what_serial_ingest_stores(cluster, tmp_path):
    """Articles extracted by one actor per CPU (models loaded once each), stored here in order."""
    from backchannel.app.service import Service
    from backchannel.store import Store

    articles = Path(__import__("backchannel").__file__).parent / "scenario" / "builtin" / "articles"
    paths = [str(p) for p in sorted(articles.glob("*.txt"))]
    scenario = load_scenario("ukraine-2025")
    stores = {ex: Store(f"sqlite:///{tmp_path / (ex + '.db')}") for ex in ("serial", "ray")}
    got = {
        ex: Service(store).ingest(scenario, paths=paths, executor=ex, address=cluster.address)
        for ex, store in stores.items()
    }
    assert got["serial"].records == got["ray"].records
    assert got["serial"].added == got["ray"].added == [True] * len(paths)

    def stored(store):
        service = Service(store)
        return [service.document(d["id"]) for d in service.documents()]

    assert stored(stores["serial"]) == stored(stores["ray"])
