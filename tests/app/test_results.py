"""The service's typed results: one to_dict() per result, the forecast JSON unchanged, recorded runs read back."""

from __future__ import annotations

import dataclasses
import json

import pytest

from backchannel.analysis.outcomes import UNNAMED
from backchannel.app.files import load_scenario
from backchannel.app.results import ForecastRun
from backchannel.app.service import Service
from backchannel.ensemble import run_forecast
from backchannel.store import Store


@pytest.fixture(scope="module")
def ukraine():
    return load_scenario("ukraine-2025")


@pytest.fixture()
def service(db_url):
    store = Store(db_url)
    yield Service(store)
    store.close()


def test_forecast_json_is_the_ensembles_json_plus_the_named_outcomes(ukraine, service):
    run = service.compute_forecast(ukraine, models=["compromise", "median"], draws=200, seed=4)
    payload = run.to_dict()
    plain = run_forecast(ukraine, ["compromise", "median"], 200, 4).to_dict()
    assert list(payload) == [
        "scenario",
        "seed",
        "draws",
        "models",
        "outcomes",
        "outcomes_detail",
        "outcomes_given_deal",
        "consent",
        "agreement",
    ]
    assert json.dumps({k: payload[k] for k in plain}) == json.dumps(plain)  # same values, same key order
    for model, p in run.outcomes.items():
        assert sum(p.probability.values()) == pytest.approx(1.0)
        assert payload["outcomes_detail"][model][UNNAMED] == p.probability[UNNAMED]
        assert UNNAMED not in payload["outcomes"][model]


def test_a_point_forecast_has_no_outcome_fields(ukraine, service):
    payload = service.compute_forecast(ukraine, models=["compromise"], draws=0).to_dict()
    assert list(payload) == ["scenario", "seed", "draws", "models", "consent", "agreement"]
    assert "distribution" not in payload["models"]["compromise"]
    assert payload["agreement"]["compromise"]["se"] == 0.0 and payload["agreement"]["compromise"]["p_deal"] in (0, 1)


def test_reading_a_payload_back_gives_the_same_json(ukraine, service):
    run = service.compute_forecast(ukraine, models=["compromise", "bdm"], draws=100, seed=2)
    back = ForecastRun.from_dict(json.loads(json.dumps(run.to_dict())))
    assert json.dumps(back.to_dict()) == json.dumps(run.to_dict())
    assert back.outcomes == run.outcomes
    assert back.models["bdm"].band("nato") == run.to_dict()["models"]["bdm"]["distribution"]["nato"]


def test_fields_a_later_version_adds_are_kept_in_order(ukraine, service):
    payload = service.compute_forecast(ukraine, models=["compromise"], draws=50, seed=1).to_dict()
    payload["agreement"] = {"compromise": {"p_deal": 0.4}}
    payload["models"]["compromise"]["later_field"] = [1, 2]
    assert json.dumps(ForecastRun.from_dict(payload).to_dict()) == json.dumps(payload)


def test_a_recorded_forecast_carries_its_run_id_and_the_store_holds_its_json(ukraine, service):
    run = service.forecast(ukraine, models=["compromise"], draws=50, seed=3)
    assert run.run_id is not None
    stored = service.run(run.run_id)["results"]
    assert stored == dataclasses.replace(run, run_id=None).to_dict()
    assert run.to_dict()["run_id"] == run.run_id


def test_markets_read_the_forecasts_probabilities(ukraine, service):
    run = service.compute_forecast(ukraine, models=["compromise"], draws=300, seed=3)
    result = service.markets(ukraine, run, "compromise")
    assert result.probabilities == run.outcomes["compromise"].probability
    assert result.to_dict() == service.compute_markets(ukraine, model="compromise", draws=300, seed=3).to_dict()
    with pytest.raises(Exception, match="no outcome probabilities"):
        service.markets(ukraine, run, "median")
