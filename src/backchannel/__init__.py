"""backchannel: from the news about a negotiation to a model of it, and to a forecast you can check."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backchannel")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

from .scenario import InputError, Scenario, ScenarioArrays, to_arrays  # noqa: E402

__all__ = ["InputError", "Scenario", "ScenarioArrays", "__version__", "to_arrays"]
