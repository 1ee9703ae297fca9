"""The headline's numbers from hand-made payloads: each value is arithmetic that can be checked by eye."""

from __future__ import annotations

import pytest

from backchannel.app.headline import headline_number, lever_ranking, model_disagreement, since_previous


def _payload(p_a: float, x: float, extra_model: dict | None = None) -> dict:
    models = {"compromise": {"outcome": {"x": x, "y": 10.0}}}
    outcomes = {"compromise": {"a": p_a, "b": 0.9 - p_a}}
    detail = {"compromise": {"unnamed": 0.1, "stderr": {"a": 0.01, "b": 0.02}}}
    if extra_model:
        models["median"] = {"outcome": extra_model["outcome"]}
        outcomes["median"] = extra_model["outcomes"]
    return {"seed": 0, "draws": 500, "models": models, "outcomes": outcomes, "outcomes_detail": detail}


def test_headline_number_is_the_headline_models_most_likely_outcome():
    n = headline_number(_payload(0.6, 40.0))
    assert n == {
        "model": "compromise",
        "outcome": "a",
        "probability": 0.6,
        "stderr": 0.01,
        "draws": 500,
        "p_no_deal": None,
    }
    with_agreement = {**_payload(0.3, 40.0), "agreement": {"compromise": {"p_deal": 0.75}}}
    n = headline_number(with_agreement)
    assert n["outcome"] == "b" and n["probability"] == pytest.approx(0.6) and n["p_no_deal"] == pytest.approx(0.25)


def test_biggest_change_since_the_previous_run():
    since = since_previous(_payload(0.6, 40.0), _payload(0.5, 43.5), previous_id=4)
    assert since["run_id"] == 4
    # a: 0.5 -> 0.6 and b: 0.4 -> 0.3 move alike; the first in order wins the tie
    assert since["outcome"]["id"] == "a" and since["outcome"]["change"] == pytest.approx(0.1)
    assert since["issue"] == {"id": "x", "before": 43.5, "after": 40.0, "change": -3.5}
    same = since_previous(_payload(0.6, 40.0), _payload(0.6, 40.0))
    assert same["outcome"] is None and same["issue"] is None


def test_disagreement_names_the_lowest_and_highest_model():
    p = _payload(0.6, 40.0, {"outcome": {"x": 70.0, "y": 12.0}, "outcomes": {"a": 0.2, "b": 0.7}})
    d = model_disagreement(p, "a")
    assert d["outcome"] == {"id": "a", "low_model": "median", "low": 0.2, "high_model": "compromise", "high": 0.6}
    assert d["issue"] == {"id": "x", "low": 40.0, "high": 70.0}
    assert model_disagreement(_payload(0.6, 40.0), "a") is None  # one model: nothing to compare


def test_levers_rank_by_the_size_of_their_effect():
    def w(lever: str, change: float) -> dict:
        c = {"baseline": 0.5, "variant": 0.5 + change, "change": change, "stderr": 0.01, "exceeds_noise": True}
        return {
            "levers": [lever],
            "lever_intensity": {lever: 1.0},
            "overrides": {},
            "models": {"compromise": {"issues": {}, "outcomes": {"a": c}}},
        }

    rows = lever_ranking([w("small", 0.02), w("big", -0.3), w("mid", 0.1)], "compromise", "a")
    with_deal = w("deal", 0.05)
    with_deal["models"]["compromise"]["agreement"] = {
        "baseline": 0.6,
        "variant": 0.5,
        "change": -0.1,
        "stderr": 0.02,
        "exceeds_noise": True,
    }
    assert lever_ranking([with_deal], "compromise", "a")[0]["deal_change"] == -0.1
    assert [r["levers"][0] for r in rows] == ["big", "mid", "small"]
    assert rows[0]["change"] == -0.3 and rows[0]["stderr"] == 0.01 and rows[0]["deal_change"] is None
