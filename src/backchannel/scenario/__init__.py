"""The scenario layer: schema, file formats, validation and the numeric view.

The names below are loaded from their modules on first use (PEP 562): ``scenario.errors`` alone
(all the CLI needs to start) does not import NumPy or pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Actor",
    "ArrayBatch",
    "InputError",
    "Issue",
    "Lever",
    "Outcome",
    "Position",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "to_arrays",
]

_WHERE = {
    "ArrayBatch": "arrays",
    "ScenarioArrays": "arrays",
    "to_arrays": "arrays",
    "InputError": "errors",
    **{name: "schema" for name in ("Actor", "Issue", "Lever", "Outcome", "Position", "Scenario", "Source")},
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
