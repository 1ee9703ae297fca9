"""The scenario layer: schema, file formats, validation and the numeric view."""
from .arrays import ArrayBatch, ScenarioArrays, to_arrays
from .errors import InputError
from .schema import Actor, Issue, Lever, Outcome, Position, Scenario, Source

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
