"""Tornado tables and 'who to work on': the compromise model's closed form against re-solving."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from backchannel.analysis.sensitivity import compromise_gradient, tornado, who_to_work_on
from backchannel.models import get_model
from backchannel.scenario.arrays import ScenarioArrays
from backchannel.scenario.errors import InputError


@pytest.fixture(scope="module")
def emission(shared_data) -> ScenarioArrays:
    """The EC car-emission case (shared/data/emission-1994.csv), years 4..10 put on 0..100."""
    rows = list(csv.DictReader(open(shared_data / "emission-1994.csv", encoding="utf-8")))
    n = len(rows)
    pos = np.array([[(float(r["position"]) - 4) / 6 * 100] for r in rows])
    sal = np.array([[float(r["salience"])] for r in rows])
    cap = np.array([[float(r["capability"])] for r in rows])
    return ScenarioArrays(
        tuple(r["actor"] for r in rows), ("emission",), pos, sal, cap, np.ones((n, 1), bool), np.array([np.nan])
    )


def test_starting_weighted_mean_is_the_papers(emission):
    # Scholz et al. 2011 (shared/data/README.md): starting capability×salience weighted mean 7.39 years.
    f = get_model("compromise").solve(emission).outcome[0]
    assert 4 + f / 100 * 6 == pytest.approx(7.39, abs=0.005)


def test_closed_form_tornado_matches_perturbation(emission):
    m = get_model("compromise")
    closed = tornado(emission, m, method="closed")["emission"]
    perturbed = tornado(emission, m, method="perturb")["emission"]
    assert [(b.actor, b.field) for b in closed] == [(b.actor, b.field) for b in perturbed]
    for c, p in zip(closed, perturbed):
        assert c.forecast_low == pytest.approx(p.forecast_low, abs=1e-9)
        assert c.forecast_high == pytest.approx(p.forecast_high, abs=1e-9)
    assert len(closed) == 30 and closed[0].swing >= closed[-1].swing


def test_gradient_matches_finite_differences(emission):
    grad = compromise_gradient(emission)
    m = get_model("compromise")
    h = 1e-6
    for field in ("position", "salience", "capability"):
        for a in range(emission.n_actors):
            up_arr, down_arr = np.array(getattr(emission, field)), np.array(getattr(emission, field))
            up_arr[a, 0] += h
            down_arr[a, 0] -= h
            up = m.solve(emission.replace(**{field: up_arr})).outcome[0]
            down = m.solve(emission.replace(**{field: down_arr})).outcome[0]
            assert grad[field][a, 0] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-7)


def test_who_to_work_on_closed_form_hits_the_target_and_matches_search(emission):
    m = get_model("compromise")
    base = m.solve(emission).outcome[0]  # 56.5 on 0..100
    closed = who_to_work_on(emission, m, actor="Germany", issue="emission", move=5.0, method="closed")
    search = who_to_work_on(emission, m, actor="Germany", issue="emission", move=5.0, method="perturb")
    feasible = [s for s in closed if s.feasible]
    assert feasible, "some actor can move the forecast by 5 points"
    for s in feasible:
        assert s.forecast == pytest.approx(base - 5.0, abs=1e-9)  # Germany sits at 0: downward
    by_key = {(s.actor, s.field): s for s in search}
    for s in feasible:
        assert by_key[(s.actor, s.field)].new_value == pytest.approx(s.new_value, abs=1e-6)
    # Hand check: Germany-aligned Denmark (w = 0.05) needs no position move (it is at 0);
    # the UK (w = 0.144, at 100) moving its position by Δ changes F by 0.144 Δ / Σw.
    w = emission.weight[:, 0]
    uk = by_key[("UK", "position")]
    assert uk.new_value - 100 == pytest.approx(-5.0 * w.sum() / w[emission.actors.index("UK")], rel=1e-6)
    assert closed[0].cost <= closed[1].cost


def test_who_to_work_on_checks_its_input(emission):
    m = get_model("compromise")
    with pytest.raises(InputError, match="unknown actor"):
        who_to_work_on(emission, m, actor="Spain", issue="emission", move=5)
    with pytest.raises(InputError, match="positive"):
        who_to_work_on(emission, m, actor="UK", issue="emission", move=0)


def test_perturbation_works_for_another_model(emission):
    bars = tornado(emission, get_model("focal"))["emission"]
    assert all(np.isfinite(b.forecast_low) and np.isfinite(b.forecast_high) for b in bars)


def test_who_to_work_on_by_search_reaches_the_target_for_bdm(emission):
    m = get_model("bdm")
    base = m.solve(emission).outcome[0]
    shifts = who_to_work_on(emission, m, actor="UK", issue="emission", move=3.0)
    assert shifts, "some actor can move bdm's forecast 3 points toward the UK"
    for s in shifts:
        assert s.feasible
        assert s.forecast >= base + 3.0 - 1e-6  # the UK sits at 100: upward
    # The batched search equals solving the found input directly.
    s = shifts[0]
    arr = np.array(getattr(emission, s.field))
    arr[emission.actors.index(s.actor), 0] = s.new_value
    assert m.solve(emission.replace(**{s.field: arr})).outcome[0] == pytest.approx(s.forecast)
