"""Bounds on every number a scenario holds, so that no model can overflow on valid input.

One place for every numeric field: a field declares its type as ``Annotated[float, Bound(low, high)]`` (or an alias
of it), and validation refuses a value outside ``low..high`` with one line naming the field, the
value and the whole allowed range. New numeric fields reuse :class:`Bound` with their own limits.

The limits keep the models' arithmetic far from float64's range (about 1.8e308): the models weight
positions on 0..100 by salience (0..1) and capability (at most :data:`MAX_CAPABILITY`), multiply such
terms pairwise and sum them over actors and issues, which stays below 1e20 here; values in a field's
own units (issue bounds, market moves) stay within :data:`MAX_MAGNITUDE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

__all__ = ["Bound", "MAX_CAPABILITY", "MAX_MAGNITUDE", "MAX_SEED", "OUT_OF_RANGE", "allowed_range", "format_limit"]

#: The largest capability (clout) of an actor; any scale up to this works (0..1 by convention).
MAX_CAPABILITY = 1e6
#: The largest absolute value of a number in a field's own units (issue bounds, market moves).
MAX_MAGNITUDE = 1e12
#: The largest seed a run can take and record: the store's ``runs.seed`` is a 32-bit INTEGER on SQLite and
#: PostgreSQL alike (the CLI, the web app and the store share this one bound).
MAX_SEED = 2**31 - 1
#: The pydantic error type of a bound violation; its context holds ``low`` and ``high``.
OUT_OF_RANGE = "out_of_range"


def format_limit(value: float) -> str:
    """A limit as shown to users: 100, 0.5, 1e+06."""
    return f"{value:g}"


def allowed_range(value: Any, low: float, high: float) -> str:
    """The ``allowed`` text of a bound violation: the side it crossed first, then the whole range."""
    whole = f"range {format_limit(low)}..{format_limit(high)}"
    try:  # the input as given: a number, or text such as '1e308' that YAML leaves a string
        value = float(value)
    except (TypeError, ValueError):
        value = math.nan
    if value < low:
        return f"a number >= {format_limit(low)} ({whole})"
    if value > high:
        return f"a number <= {format_limit(high)} ({whole})"
    return f"a number in {format_limit(low)}..{format_limit(high)}"


@dataclass(frozen=True)
class Bound:
    """``Annotated[float, Bound(low, high)]``: a finite float in ``low..high`` (JSON schema: minimum, maximum)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low <= self.high):
            raise ValueError("Bound needs finite limits with low <= high")

    def check(self, value: float) -> float:
        """The value, or a pydantic error of type :data:`OUT_OF_RANGE` carrying the range."""
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise PydanticCustomError(OUT_OF_RANGE, "out of range", {"low": self.low, "high": self.high})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        out = handler(schema)
        out.update(minimum=self.low, maximum=self.high)
        return out
