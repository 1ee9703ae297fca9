"""run_forecast: shape of the result, reproducibility, executors bit-identical, progress."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backchannel.ensemble import forecast as forecast_module
from backchannel.ensemble import run_forecast, summarise
from backchannel.models import MODELS
from backchannel.models.base import Model, ModelResult
from backchannel.scenario.errors import InputError


def test_to_dict_has_exactly_the_documented_shape(scenario):
    out = run_forecast(scenario, ["compromise", "nash"], 300, 4).to_dict()
    assert set(out) == {"scenario", "seed", "draws", "models", "consent", "agreement"}
    assert (out["scenario"], out["seed"], out["draws"]) == ("synthetic", 4, 300)
    # no consent rule: no vetoes, every draw a deal unless the model itself finds none (nash here finds one)
    assert out["consent"] is None
    assert out["agreement"] == {m: {"p_deal": 1.0, "se": 0.0, "by_date": []} for m in ("compromise", "nash")}
    for name in ("compromise", "nash"):
        m = out["models"][name]
        assert set(m) == {"outcome", "distribution", "rounds", "converged", "diagnostics"}  # neither is dynamic
        assert m["converged"] is True and m["diagnostics"]["converged"] == 1.0
        assert set(m["outcome"]) == {"i0", "i1", "i2"}
        for stats in m["distribution"].values():
            assert set(stats) == {"mean", "p05", "p25", "p50", "p75", "p95"}
            assert stats["p05"] <= stats["p25"] <= stats["p50"] <= stats["p75"] <= stats["p95"]
    json.dumps(out, allow_nan=False)


def test_no_draws_no_distribution(scenario):
    out = run_forecast(scenario, ["compromise"], 0, 1).to_dict()
    assert set(out["models"]["compromise"]) == {"outcome", "rounds", "converged"}


def test_point_outcome_is_the_unperturbed_solve(scenario):
    from backchannel.scenario.arrays import to_arrays
    from backchannel.models import get_model

    f = run_forecast(scenario, ["compromise"], 100, 2)
    np.testing.assert_array_equal(
        f.models["compromise"].point.outcome, get_model("compromise").solve(to_arrays(scenario)).outcome
    )
    assert f.models["compromise"].samples.shape == (100, 3)


def test_same_seed_identical_dict_other_seed_differs(scenario):
    a = run_forecast(scenario, ["compromise", "nash"], 500, 9).to_dict()
    b = run_forecast(scenario, ["compromise", "nash"], 500, 9).to_dict()
    c = run_forecast(scenario, ["compromise", "nash"], 500, 10).to_dict()
    assert a == b
    assert a != c


class _Noisy(Model):
    """A stochastic test model: the compromise plus seeded noise (exercises per-chunk seeds)."""

    name = "_noisy_test"

    def solve(self, arrays, rng=None):
        """Compromise + N(0, 1) noise from rng."""
        from backchannel.models.compromise import weighted_mean

        return ModelResult(
            self.name,
            {},
            arrays.actors,
            arrays.issues,
            weighted_mean(arrays.position, arrays.weight) + rng.normal(size=arrays.n_issues),
        )


@pytest.fixture
def noisy():
    MODELS[_Noisy.name] = _Noisy  # registered only for this test; workers are forked and see it
    yield _Noisy.name
    del MODELS[_Noisy.name]


def test_serial_and_processes_are_bit_identical(scenario, noisy, monkeypatch):
    monkeypatch.setattr(forecast_module, "CHUNK_DRAWS", 250)  # 4 chunks of 250 draws
    runs = [
        run_forecast(scenario, ["compromise", "nash", noisy], 1000, 21, executor=ex, workers=2)
        for ex in ("serial", "processes")
    ]
    assert runs[0].to_dict() == runs[1].to_dict()
    for name in ("compromise", "nash", noisy):
        np.testing.assert_array_equal(runs[0].models[name].samples, runs[1].models[name].samples)
    # the stochastic model's chunks draw different noise (a seed per chunk, not one reused)
    noise = runs[0].models[noisy].samples - runs[0].models["compromise"].samples
    assert not np.allclose(noise[:250], noise[250:500])


def test_progress_reports_every_chunk(scenario, monkeypatch):
    monkeypatch.setattr(forecast_module, "CHUNK_DRAWS", 100)
    calls = []
    run_forecast(scenario, ["compromise", "nash"], 300, 1, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(k, 8) for k in range(1, 9)]  # 2 point solves, then 2 models x 3 chunks
    calls.clear()
    run_forecast(scenario, ["compromise", "nash"], 0, 1, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    "kwargs", [{"models": ["nope"]}, {"models": []}, {"executor": "ray-ish"}, {"distribution": "normal"}, {"draws": -5}]
)
def test_bad_arguments_are_input_errors(scenario, kwargs):
    args = {"models": ["compromise"], "draws": 10, "seed": 0, **kwargs}
    with pytest.raises(InputError):
        run_forecast(scenario, **args)


def test_summarise_quantiles():
    # 0, 1, ..., 100: numpy's linear quantiles are exactly 5, 25, 50, 75, 95; the mean is 50
    samples = np.stack([np.arange(101.0), np.full(101, np.nan)], axis=1)
    out = summarise(samples, ["x", "empty"])
    assert out["x"] == {"mean": 50.0, "p05": 5.0, "p25": 25.0, "p50": 50.0, "p75": 75.0, "p95": 95.0}
    assert set(out["empty"].values()) == {None}


@pytest.mark.parametrize("name", [n for n, cls in MODELS.items() if cls.dynamic and not n.startswith("_")])
def test_dynamic_models_report_final_positions(scenario, name):
    out = run_forecast(scenario, [name], 0, 1).to_dict()["models"][name]
    assert set(out) == {"outcome", "rounds", "converged", "final_positions"}
    assert set(out["final_positions"]) == {a.id for a in scenario.actors}
