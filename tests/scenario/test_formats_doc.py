"""docs/formats.md documents every native field and every format in the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from backchannel.scenario import schema
from backchannel.scenario.formats import FORMATS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "model",
    [
        schema.Scenario,
        schema.Actor,
        schema.Issue,
        schema.Position,
        schema.Source,
        schema.Outcome,
        schema.Lever,
        schema.Consent,
        schema.QualifiedMajority,
        schema.OutsideOption,
        schema.Deadline,
    ],
)
def test_every_native_field_is_documented(model):
    missing = [name for name in model.model_fields if f"`{name}`" not in DOC]
    assert not missing, f"{model.__name__} fields missing from docs/formats.md: {missing}"


def test_every_format_is_documented():
    assert all(f"`{name}`" in DOC for name in FORMATS)
