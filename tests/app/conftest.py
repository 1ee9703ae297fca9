"""Shared fixtures of the application-layer tests: a toy scenario with two named outcomes."""

from __future__ import annotations

import pytest

TOY = """\
id: toy
title: Toy case
actors:
  - {id: a, capability: 2}
  - {id: b}
issues:
  - {id: x, status_quo: 20}
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5}
  - {actor: b, issue: x, position: 70, salience: 1}
outcomes:
  - {id: low, when: {x: [0, 50]}}
  - {id: high, when: {x: [50.5, 100]}}
"""


@pytest.fixture()
def toy(tmp_path):
    p = tmp_path / "toy.yaml"
    p.write_text(TOY)
    return p


@pytest.fixture()
def toy_text() -> str:
    """The toy scenario's YAML text."""
    return TOY
