"""Shared fixtures of the ensemble tests: a small synthetic scenario with ranges."""

from __future__ import annotations

import numpy as np
import pytest

from backchannel.scenario.schema import Scenario


def synthetic_scenario(n_actors: int = 5, n_issues: int = 3, seed: int = 0) -> Scenario:
    """A scenario with random positions; most positions carry position/salience ranges."""
    rng = np.random.default_rng(seed)
    actors = [{"id": f"a{k}", "capability": round(float(rng.uniform(0.2, 1.0)), 3)} for k in range(n_actors)]
    issues = [{"id": f"i{k}", "status_quo": round(float(rng.uniform(0, 100)), 1)} for k in range(n_issues)]
    positions = []
    for a in range(n_actors):
        for i in range(n_issues):
            pos = round(float(rng.uniform(10, 90)), 1)
            sal = round(float(rng.uniform(0.2, 0.9)), 2)
            entry = {"actor": f"a{a}", "issue": f"i{i}", "position": pos, "salience": sal}
            if (a + i) % 3:
                entry["range"] = [max(0.0, pos - 10), min(100.0, pos + 5)]
            if (a + i) % 2:
                entry["salience_range"] = [round(sal - 0.1, 2), round(sal + 0.1, 2)]
            positions.append(entry)
    levers = [{"id": "push", "set": {"a0.i0.position": 95.0, "a1.capability": 2.0}}]
    return Scenario.model_validate(
        {"id": "synthetic", "actors": actors, "issues": issues, "positions": positions, "levers": levers}
    )


@pytest.fixture
def scenario() -> Scenario:
    """5 actors x 3 issues with ranges."""
    return synthetic_scenario()
