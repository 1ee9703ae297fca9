"""backchannel: from the news about a negotiation to a model of it, and to a forecast you can check.

The names below are loaded on first use (PEP 562), so that ``import backchannel`` and the CLI's
``--help`` do not import NumPy, pydantic or the package metadata.
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError", "Scenario", "ScenarioArrays", "__version__", "to_arrays"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("backchannel")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0.0.0+source"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in ("InputError", "Scenario", "ScenarioArrays", "to_arrays"):
        from . import scenario

        value = getattr(scenario, name)
    else:
        raise AttributeError(f"module 'backchannel' has no attribute {name!r}")
    globals()[name] = value
    return value
