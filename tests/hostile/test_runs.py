"""Runs with numbers that are not finite, and seeds past the column (issue 14, items 1 and 5), on both stores."""

from __future__ import annotations

import json
import math

import pytest

from backchannel.app.files import load_scenario
from backchannel.app.service import Service
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats.native import render_yaml
from backchannel.store import Store
from backchannel.store.tables import MAX_SEED


@pytest.fixture()
def run_cli(store_url, capsys, monkeypatch):
    """The CLI in-process on the store: (exit code, stdout, stderr)."""
    from backchannel.cli import main

    monkeypatch.setenv("BACKCHANNEL_DB", store_url)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _runs(url: str) -> list:
    store = Store(url)
    try:
        return store.runs()
    finally:
        store.close()


def test_the_overflow_repro_is_refused_before_anything_is_stored(run_cli, store_url, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(render_yaml(load_scenario("ukraine-2025")).replace("  capability: 1\n", "  capability: 1e308\n", 1))
    for extra in ((), ("--json",)):
        code, out, err = run_cli("forecast", str(path), "--draws", "10", *extra)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert "actors[0].capability" in err and "range 0..1e+06" in err
    assert _runs(store_url) == []


def test_a_result_that_is_not_finite_is_never_stored(store_url, monkeypatch):
    real = Service.compute_forecast

    def poisoned(self, *args, **kwargs):  # what an overflowing model would return
        run = real(self, *args, **kwargs)
        run.models["compromise"].outcome["ceasefire"] = math.inf
        return run

    monkeypatch.setattr(Service, "compute_forecast", poisoned)
    svc = Service(Store(store_url))
    with pytest.raises(InputError) as caught:
        svc.forecast(load_scenario("ukraine-2025"), draws=0)
    assert "not a finite number, so the run was not recorded" in str(caught.value)
    assert caught.value.field == "models.compromise.outcome.ceasefire"
    assert svc.runs() == []


def _bad_run(store_url: str, results: dict) -> int:
    store = Store(store_url)
    try:
        return store.record_run(
            load_scenario("ukraine-2025"), models=["compromise"], parameters={"draws": 0}, seed=0, results=results
        )
    finally:
        store.close()


def _damaged_results(store_url: str) -> list[dict]:
    """Results an older version could leave: NaN (SQLite keeps it; PostgreSQL refuses it), a wrong shape."""
    point = Service(Store(store_url)).compute_forecast(load_scenario("ukraine-2025")).to_dict()
    nan = json.loads(json.dumps(point))
    nan["models"]["compromise"]["outcome"]["ceasefire"] = math.nan
    wrong = json.loads(json.dumps(point))
    wrong["models"]["compromise"]["outcome"] = "lost"
    return ([nan] if store_url.startswith("sqlite") else []) + [wrong, {"no": "models"}]


def test_every_reader_of_a_damaged_run_says_so_in_one_line(run_cli, store_url, tmp_path):
    from fastapi.testclient import TestClient

    from backchannel.web import create_app

    for results in _damaged_results(store_url):
        run_id = _bad_run(store_url, results)
        code, out, err = run_cli("runs", "show", str(run_id))
        code_json, _, err_json = run_cli("runs", "show", str(run_id), "--json")
        if "models" in results and isinstance(results["models"]["compromise"]["outcome"], str):
            # the shape is only wrong where a view reads it: 'runs show' prints it as stored
            assert code == 0 and code_json == 0
        else:
            assert (code, code_json) == (2, 2) and err.count("\n") == 1 and f"run {run_id} cannot be shown" in err
        code, out, err = run_cli("report", f"run:{run_id}", "-o", str(tmp_path / "r.html"))
        assert code == 2 and err.count("\n") == 1 and "cannot be" in err, err
        assert not (tmp_path / "r.html").exists()
        with TestClient(create_app(store_url), base_url="http://localhost") as client:
            page = client.get(f"/runs/{run_id}", headers={"accept": "text/html"})
            assert page.status_code == 400 and f"run {run_id} cannot be shown" in page.text
            if "models" not in results or not isinstance(results["models"]["compromise"]["outcome"], str):
                api = client.get(f"/api/runs/{run_id}")
                assert api.status_code == 400 and f"run {run_id} cannot be shown" in api.json()["detail"]
        assert run_cli("runs", "list")[0] == 0


@pytest.mark.parametrize("seed", [str(MAX_SEED + 1), "9223372036854775808", "-1"])
def test_a_seed_past_the_column_is_one_line(run_cli, store_url, seed):
    code, out, err = run_cli("forecast", "--draws", "5", "--seed", seed)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"allowed: a whole number in 0..{MAX_SEED}" in err
    assert _runs(store_url) == []


def test_the_largest_seed_is_recorded_and_read_back(run_cli, store_url):
    code, out, _ = run_cli("forecast", "--draws", "5", "--seed", str(MAX_SEED), "--json")
    assert code == 0 and json.loads(out)["seed"] == MAX_SEED
    assert _runs(store_url)[0]["seed"] == MAX_SEED
