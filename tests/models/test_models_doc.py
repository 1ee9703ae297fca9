"""docs/models.md has a section for every registered model, naming each of its parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backchannel.models import MODELS, model_names

#: models whose section is still to be written, with who writes it (strict xfail: remove when done)
PENDING: dict[str, str] = {}

DOC = (Path(__file__).resolve().parents[2] / "docs" / "models.md").read_text(encoding="utf-8")


def _section(name: str) -> str:
    match = re.search(rf"^## {re.escape(name)}\s*$(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=[pytest.mark.xfail(reason=PENDING[n], strict=True)] if n in PENDING else [])
        for n in model_names()
        if not n.startswith("_")
    ],
)
def test_every_model_and_parameter_is_documented(name):
    section = _section(name)
    assert section, f"docs/models.md has no '## {name}' section"
    missing = [p for p in MODELS[name].defaults if f"`{p}`" not in section]
    assert not missing, f"parameters of {name} missing from its section: {missing}"


def test_ensembles_section_names_the_distributions_and_executors():
    from backchannel.ensemble import DISTRIBUTIONS, EXECUTORS

    section = _section("ensembles")
    for word in (*DISTRIBUTIONS, *EXECUTORS):
        assert f"`{word}`" in section, word
