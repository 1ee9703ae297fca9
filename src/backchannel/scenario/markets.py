"""Market assumptions of a scenario: variables, and for each named outcome the move expected of each.

These are an analyst's declared assumptions, each with its basis, not estimates made by the
program: ``backchannel markets`` only weights them by the outcome probabilities.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .bounds import MAX_MAGNITUDE, Bound

__all__ = ["MarketMove", "MarketVariable", "Markets"]


# The same id rule as schema.Id (no dots); repeated because schema imports this module.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^.]+$")]
Magnitude = Annotated[float, Bound(-MAX_MAGNITUDE, MAX_MAGNITUDE)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class MarketVariable(_Frozen):
    """A market price or index whose move the scenario's outcomes imply."""

    id: Id
    name: str = ""
    unit: str = Field(min_length=1, description="Unit of a move, e.g. '% change' or 'points per 100 face value'")
    horizon: str | None = Field(
        None, description="Over what time the move is meant, e.g. 'one month after the outcome is clear'"
    )
    basis: str | None = Field(None, description="What is measured and where it is quoted (the price source)")

    @model_validator(mode="after")
    def _default_name(self) -> "MarketVariable":
        if not self.name:
            object.__setattr__(self, "name", self.id)
        return self


class MarketMove(_Frozen):
    """The move of one variable expected if one outcome happens: a central value in a range."""

    expected: Magnitude
    range: tuple[Magnitude, Magnitude]
    basis: str = Field(min_length=1, description="Why this move: the precedent or source it rests on")

    @model_validator(mode="after")
    def _inside(self) -> "MarketMove":
        lo, hi = self.range
        if lo > hi:
            raise ValueError("range must be [low, high] with low <= high")
        if not lo <= self.expected <= hi:
            raise ValueError(f"range {list(self.range)} does not contain expected {self.expected}")
        return self


class Markets(_Frozen):
    """Variables and, per named outcome id, the expected moves.

    ``unnamed`` optionally says what to assume for draws that fall in no named outcome; without
    it such draws move nothing, within the widest range declared for the variable.
    """

    variables: tuple[MarketVariable, ...] = Field(min_length=1)
    moves: dict[str, dict[str, MarketMove]] = Field(default_factory=dict)
    unnamed: dict[str, MarketMove] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_variables(self) -> "Markets":
        ids = [v.id for v in self.variables]
        if len(set(ids)) != len(ids):
            raise ValueError("markets.variables: duplicate id")
        known = ", ".join(ids)
        for outcome, moves in self.moves.items():
            for var in moves:
                if var not in ids:
                    raise ValueError(f"markets.moves.{outcome}: unknown variable {var!r}; known: {known}")
        for var in self.unnamed:
            if var not in ids:
                raise ValueError(f"markets.unnamed: unknown variable {var!r}; known: {known}")
        return self

    def variable(self, var_id: str) -> MarketVariable:
        """The variable with this id."""
        for v in self.variables:
            if v.id == var_id:
                return v
        raise KeyError(var_id)
