"""The scenario model: actors, issues, positions, named outcomes and levers (immutable)."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from typing import Annotated, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from .markets import Markets

__all__ = [
    "Actor",
    "Issue",
    "Lever",
    "Outcome",
    "Position",
    "Scenario",
    "Source",
    "LEVER_FIELDS",
]

# Ids are used in dotted paths such as ``russia.nato.salience``, so they never contain a dot.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^.]+$")]
Scale = Annotated[float, Field(ge=0.0, le=100.0)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]

#: The fields a lever or a ``--set`` may override, with their allowed ranges.
LEVER_FIELDS: dict[str, tuple[float, float]] = {
    "position": (0.0, 100.0),
    "salience": (0.0, 1.0),
    "capability": (0.0, math.inf),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _check_interval(value: tuple[float, float] | None, name: str) -> tuple[float, float] | None:
    if value is not None and value[0] > value[1]:
        raise ValueError(f"{name} must be [low, high] with low <= high")
    return value


class Source(_Frozen):
    """A sentence in a document that supports a position."""

    document: str = Field(min_length=1, description="File name of the article, e.g. 002_putin_trump_exchanges.txt")
    quote: str = Field(min_length=1, description="The sentence, copied exactly from the document")


class Actor(_Frozen):
    """A party to the negotiation."""

    id: Id
    name: str = ""
    aliases: tuple[str, ...] = ()
    capability: NonNegative = Field(1.0, description="Clout; any non-negative scale (0..1 by convention)")
    description: str | None = None

    @model_validator(mode="after")
    def _default_name(self) -> "Actor":
        if not self.name:
            object.__setattr__(self, "name", self.id)
        return self


class Issue(_Frozen):
    """One dimension of the outcome space, scaled 0..100."""

    id: Id
    name: str = ""
    description: str | None = None
    scale: dict[Scale, str] = Field(default_factory=dict, description="Labelled points on 0..100")
    status_quo: Scale | None = None
    bounds: tuple[float, float] | None = Field(
        None, description="Original units of 0 and 100 when the data came on another scale"
    )
    actual: Scale | None = Field(None, description="The outcome actually reached (for backtests)")

    @model_validator(mode="after")
    def _defaults(self) -> "Issue":
        if not self.name:
            object.__setattr__(self, "name", self.id)
        if self.bounds is not None and not self.bounds[0] < self.bounds[1]:
            raise ValueError("bounds must be [low, high] with low < high")
        return self

    def to_units(self, value: float) -> float:
        """A 0..100 value in the issue's original units (identity without bounds)."""
        if self.bounds is None:
            return value
        lo, hi = self.bounds
        return lo + value * (hi - lo) / 100.0


class Position(_Frozen):
    """What one actor wants on one issue, how much it cares, and why we think so."""

    actor: Id
    issue: Id
    position: Scale
    salience: Unit
    range: tuple[Scale, Scale] | None = Field(None, description="Uncertainty of the position, sampled by Monte Carlo")
    salience_range: tuple[Unit, Unit] | None = None
    capability: NonNegative | None = Field(None, description="Capability on this issue, overriding the actor's")
    capability_range: tuple[NonNegative, NonNegative] | None = None
    sources: tuple[Source, ...] = ()
    assumption: str | None = Field(None, description="An analyst's one-line reason when no source is cited")

    @field_validator("range", "salience_range", "capability_range")
    @classmethod
    def _ordered(cls, value: tuple[float, float] | None, info: ValidationInfo) -> tuple[float, float] | None:
        return _check_interval(value, info.field_name or "range")

    @model_validator(mode="after")
    def _contains(self) -> "Position":
        checks = (
            ("range", self.range, self.position),
            ("salience_range", self.salience_range, self.salience),
            ("capability_range", self.capability_range, self.capability),
        )
        for name, interval, value in checks:
            if interval is not None and value is not None and not interval[0] <= value <= interval[1]:
                raise ValueError(f"{name}: {list(interval)} does not contain its value {value}; "
                                 f"allowed: an interval [low, high] with low <= {value} <= high")
        return self


class Outcome(_Frozen):
    """A named scenario: a box in the outcome space, issue -> [low, high]."""

    id: Id
    name: str = ""
    description: str | None = None
    when: dict[str, tuple[Scale, Scale]] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _boxes(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for issue, interval in value.items():
            _check_interval(interval, f"when.{issue}")
        return value

    def contains(self, outcome: dict[str, float]) -> bool:
        """Whether an outcome (issue -> value) lies in this region."""
        return all(lo <= outcome[issue] <= hi for issue, (lo, hi) in self.when.items())


class Lever(_Frozen):
    """A what-if: overrides applied to the scenario before a run.

    Keys are ``actor.issue.field`` (field: position, salience or capability) or
    ``actor.capability``.
    """

    id: Id
    name: str = ""
    description: str | None = None
    set: dict[str, float] = Field(min_length=1)


class Scenario(_Frozen):
    """A whole negotiation: who, on what, wanting what."""

    id: Id
    title: str = ""
    description: str | None = None
    as_of: dt.date | None = None
    source: str | None = Field(None, description="Where the data comes from (provenance)")
    actors: tuple[Actor, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = Field(min_length=1)
    positions: tuple[Position, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    levers: tuple[Lever, ...] = ()
    markets: Markets | None = Field(None, description="Expected market moves per named outcome (analyst's assumptions)")

    @model_validator(mode="after")
    def _references(self) -> "Scenario":
        actors = _unique([a.id for a in self.actors], "actors")
        issues = _unique([i.id for i in self.issues], "issues")
        _unique([o.id for o in self.outcomes], "outcomes")
        _unique([lv.id for lv in self.levers], "levers")
        seen: set[tuple[str, str]] = set()
        for k, p in enumerate(self.positions):
            if p.actor not in actors:
                raise ValueError(f"positions[{k}].actor: unknown actor {p.actor!r}; known: {', '.join(actors)}")
            if p.issue not in issues:
                raise ValueError(f"positions[{k}].issue: unknown issue {p.issue!r}; known: {', '.join(issues)}")
            if (p.actor, p.issue) in seen:
                raise ValueError(f"positions[{k}]: duplicate position for {p.actor}.{p.issue}")
            seen.add((p.actor, p.issue))
        for o in self.outcomes:
            for issue in o.when:
                if issue not in issues:
                    raise ValueError(f"outcomes.{o.id}.when: unknown issue {issue!r}; known: {', '.join(issues)}")
        for lever in self.levers:
            for key, value in lever.set.items():
                check_override(key, value, actors, issues, where=f"levers.{lever.id}.set")
        if self.markets is not None:
            named = [o.id for o in self.outcomes]
            for outcome in self.markets.moves:
                if outcome not in named:
                    raise ValueError(f"markets.moves: unknown outcome {outcome!r}; known: {', '.join(named) or 'none'}")
        return self

    # -- look-ups -------------------------------------------------------------------------
    def actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        return _find(self.actors, actor_id, "actor")

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id."""
        return _find(self.issues, issue_id, "issue")

    def lever(self, lever_id: str) -> Lever:
        """The lever with this id."""
        return _find(self.levers, lever_id, "lever")

    def position(self, actor_id: str, issue_id: str) -> Position | None:
        """The position of an actor on an issue, or None when it has none."""
        for p in self.positions:
            if p.actor == actor_id and p.issue == issue_id:
                return p
        return None


def check_override(key: str, value: float, actors: Collection[str], issues: Collection[str], where: str = "set") -> None:
    """Raise ValueError unless ``key=value`` is a valid override of a scenario field."""
    parts = key.split(".")
    if len(parts) == 2 and parts[1] == "capability":
        actor, fld = parts
    elif len(parts) == 3:
        actor, issue, fld = parts
        if issue not in issues:
            raise ValueError(f"{where}: {key!r} names unknown issue {issue!r}; known: {', '.join(issues)}")
    else:
        raise ValueError(f"{where}: {key!r} is not of the form actor.issue.field or actor.capability")
    if actor not in actors:
        raise ValueError(f"{where}: {key!r} names unknown actor {actor!r}; known: {', '.join(actors)}")
    if fld not in LEVER_FIELDS:
        raise ValueError(f"{where}: {key!r} sets unknown field {fld!r}; allowed: {', '.join(LEVER_FIELDS)}")
    lo, hi = LEVER_FIELDS[fld]
    if not (isinstance(value, (int, float)) and math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{where}: {key}={value!r} is out of range; allowed: {lo:g}..{hi:g}")


def _unique(ids: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for k, i in enumerate(ids):
        if i in seen:
            # Named by full path so the error points at the repeated entry's line.
            raise ValueError(f"{what}[{k}].id: duplicate id {i!r}")
        seen.add(i)
    return ids


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _find(items: Sequence[_Item], item_id: str, what: str) -> _Item:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in items) or "none"
    from .errors import InputError

    raise InputError(f"unknown {what}", field=what, value=item_id, allowed=known)
