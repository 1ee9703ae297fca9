"""The scenario model: actors, issues, positions, named outcomes and levers (immutable)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from typing import Annotated, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from .bounds import MAX_CAPABILITY, MAX_MAGNITUDE, Bound
from .markets import Markets

__all__ = [
    "Actor",
    "Consent",
    "Deadline",
    "OUTSIDE_FIELDS",
    "OutsideOption",
    "QualifiedMajority",
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
# Every number is bounded (scenario/bounds.py) so that no model can overflow; new fields reuse Bound.
Scale = Annotated[float, Bound(0.0, 100.0)]
Unit = Annotated[float, Bound(0.0, 1.0)]
Capability = Annotated[float, Bound(0.0, MAX_CAPABILITY)]
Magnitude = Annotated[float, Bound(-MAX_MAGNITUDE, MAX_MAGNITUDE)]

#: The fields a lever or a ``--set`` may override, with their allowed ranges.
LEVER_FIELDS: dict[str, tuple[float, float]] = {
    "position": (0.0, 100.0),
    "salience": (0.0, 1.0),
    "capability": (0.0, MAX_CAPABILITY),
}

#: the agreement fields a lever or a ``--set`` may override: ``actor.issue.outside`` (the actor's
#: outside-option point on the issue) and ``actor.cost_per_month``, with their allowed ranges
OUTSIDE_FIELDS: dict[str, tuple[float, float]] = {
    "outside": (0.0, 100.0),
    "cost_per_month": (0.0, 1.0),
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
    capability: Capability = Field(1.0, description="Clout; any non-negative scale up to 1e6 (0..1 by convention)")
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
    bounds: tuple[Magnitude, Magnitude] | None = Field(
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
    capability: Capability | None = Field(None, description="Capability on this issue, overriding the actor's")
    capability_range: tuple[Capability, Capability] | None = None
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
                raise ValueError(
                    f"{name}: {list(interval)} does not contain its value {value}; "
                    f"allowed: an interval [low, high] with low <= {value} <= high"
                )
        return self


class Outcome(_Frozen):
    """A named scenario: a box in the outcome space, issue -> [low, high], on the deal or the no-deal branch.

    A deal-branch outcome (the default) holds the draws whose settlement is agreed and lies in the box;
    a no-deal outcome holds the draws without a deal whose no-deal point lies in the box (an empty box:
    every no-deal draw not claimed by an earlier no-deal outcome).
    """

    id: Id
    name: str = ""
    description: str | None = None
    branch: Literal["deal", "no_deal"] = "deal"
    when: dict[str, tuple[Scale, Scale]] = Field(default_factory=dict)

    @field_validator("when")
    @classmethod
    def _boxes(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for issue, interval in value.items():
            _check_interval(interval, f"when.{issue}")
        return value

    @model_validator(mode="after")
    def _box_on_deal_branch(self) -> "Outcome":
        if self.branch == "deal" and not self.when:
            raise ValueError(
                "when: a deal-branch outcome needs a box; allowed: at least one issue: [low, high] (or branch: no_deal)"
            )
        return self

    def contains(self, outcome: dict[str, float]) -> bool:
        """Whether an outcome (issue -> value) lies in this region."""
        return all(lo <= outcome[issue] <= hi for issue, (lo, hi) in self.when.items())


def _cited(sources: tuple["Source", ...], assumption: str | None, what: str) -> None:
    if not sources and not assumption:
        raise ValueError(
            f"{what}: neither a source nor an assumption; allowed: sources (document + quote) "
            "or an assumption (one line)"
        )


class QualifiedMajority(_Frozen):
    """A package passes when the members accepting it hold at least ``threshold`` of the members' capability."""

    threshold: float = Field(gt=0.0, le=1.0, description="Share of the members' capability weights that must accept")
    members: tuple[Id, ...] | None = Field(None, description="Who votes (default: every actor)")


class Consent(_Frozen):
    """Who must accept a package for it to be a deal: veto players, or a qualified majority."""

    veto: tuple[Id, ...] | None = Field(None, description="Actors who must all accept")
    qualified_majority: QualifiedMajority | None = None
    sources: tuple[Source, ...] = ()
    assumption: str | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> "Consent":
        if (self.veto is None) == (self.qualified_majority is None):
            raise ValueError(
                "consent: give exactly one rule; allowed: veto: [actor ids] or "
                "qualified_majority: {threshold: 0..1, members: [actor ids]}"
            )
        if self.veto is not None and not self.veto:
            raise ValueError("veto: an empty list; allowed: at least one actor id")
        _cited(self.sources, self.assumption, "consent")
        return self

    def members(self, actors: tuple[str, ...]) -> tuple[str, ...]:
        """The actors whose acceptance counts."""
        if self.veto is not None:
            return self.veto
        assert self.qualified_majority is not None
        return self.qualified_majority.members or actors


class OutsideOption(_Frozen):
    """What an actor expects if there is no deal (a point per issue), and what going on without one costs it.

    Issues left out of ``point`` take the issue's status quo (without one: the end of the scale farthest from
    the actor's position, its security level). ``cost_per_month`` is on the utility scale, where 0 is the
    actor's ideal package and −1 the farthest package on every issue.
    """

    actor: Id
    point: dict[str, Scale] = Field(default_factory=dict)
    range: dict[str, tuple[Scale, Scale]] = Field(
        default_factory=dict, description="Uncertainty of the point, sampled by Monte Carlo"
    )
    cost_per_month: float = Field(0.0, ge=0.0, le=1.0, description="Utility lost per month without a deal (0..1)")
    sources: tuple[Source, ...] = ()
    assumption: str | None = None

    @model_validator(mode="after")
    def _ranges(self) -> "OutsideOption":
        for issue, interval in self.range.items():
            _check_interval(interval, f"range.{issue}")
            if issue not in self.point:
                raise ValueError(
                    f"range.{issue}: a range without a point on that issue; allowed: issues in point "
                    f"({', '.join(self.point) or 'none'})"
                )
            if not interval[0] <= self.point[issue] <= interval[1]:
                raise ValueError(
                    f"range.{issue}: {list(interval)} does not contain its point {self.point[issue]}; "
                    f"allowed: an interval [low, high] with low <= {self.point[issue]} <= high"
                )
        _cited(self.sources, self.assumption, "outside option")
        return self


class Deadline(_Frozen):
    """A dated deadline or ultimatum: when ``due`` passes without a deal, the lever ``fires`` is applied."""

    sender: Id
    target: Id
    due: dt.date
    fires: Id | None = Field(None, description="Id of the lever applied once the deadline has passed")
    sources: tuple[Source, ...] = ()
    assumption: str | None = None

    @model_validator(mode="after")
    def _cite(self) -> "Deadline":
        _cited(self.sources, self.assumption, "deadline")
        return self


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
    consent: Consent | None = Field(None, description="Who must accept a package (absent: every draw is a deal)")
    outside_options: tuple[OutsideOption, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    horizon: dt.date | None = Field(None, description="Last date of the forecast of a deal over time")

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
        self._check_agreement(actors, issues)
        if self.markets is not None:
            named = [o.id for o in self.outcomes]
            for outcome in self.markets.moves:
                if outcome not in named:
                    raise ValueError(f"markets.moves: unknown outcome {outcome!r}; known: {', '.join(named) or 'none'}")
        return self

    def _check_agreement(self, actors: list[str], issues: list[str]) -> None:
        """Cross-references of the consent rule, outside options, deadlines and horizon."""
        known = ", ".join(actors)
        if self.consent is not None:
            qm = self.consent.qualified_majority
            ids = self.consent.veto if self.consent.veto is not None else (qm.members if qm and qm.members else ())
            where = "consent.veto" if self.consent.veto is not None else "consent.qualified_majority.members"
            for k, a in enumerate(ids):
                if a not in actors:
                    raise ValueError(f"{where}[{k}]: unknown actor {a!r}; known: {known}")
            if len(set(ids)) != len(ids):
                raise ValueError(f"{where}: an actor named twice; allowed: each actor once")
        seen: set[str] = set()
        for k, o in enumerate(self.outside_options):
            if o.actor not in actors:
                raise ValueError(f"outside_options[{k}].actor: unknown actor {o.actor!r}; known: {known}")
            if o.actor in seen:
                raise ValueError(
                    f"outside_options[{k}].actor: a second outside option for {o.actor!r}; allowed: one per actor"
                )
            seen.add(o.actor)
            for issue in o.point:
                if issue not in issues:
                    raise ValueError(f"outside_options[{k}].point.{issue}: unknown issue; known: {', '.join(issues)}")
        levers = [lv.id for lv in self.levers]
        for k, d in enumerate(self.deadlines):
            for name in ("sender", "target"):
                if getattr(d, name) not in actors:
                    raise ValueError(f"deadlines[{k}].{name}: unknown actor {getattr(d, name)!r}; known: {known}")
            if d.fires is not None and d.fires not in levers:
                raise ValueError(
                    f"deadlines[{k}].fires: unknown lever {d.fires!r}; known: {', '.join(levers) or 'none'}"
                )
        if self.horizon is not None:
            if self.as_of is None:
                raise ValueError(
                    "horizon: a horizon needs as_of (the date the forecast starts); allowed: set as_of, or drop horizon"
                )
            if not self.as_of < self.horizon <= self.as_of + dt.timedelta(days=3660):
                raise ValueError(
                    f"horizon: {self.horizon} is not after as_of {self.as_of} and within ten years; "
                    f"allowed: a date in {self.as_of + dt.timedelta(days=1)}..{self.as_of + dt.timedelta(days=3660)}"
                )

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


def check_override(
    key: str, value: float, actors: Collection[str], issues: Collection[str], where: str = "set"
) -> None:
    """Raise ValueError unless ``key=value`` is a valid override of a scenario field."""
    parts = key.split(".")
    if len(parts) == 2 and parts[1] in ("capability", "cost_per_month"):
        actor, fld = parts
    elif len(parts) == 3:
        actor, issue, fld = parts
        if issue not in issues:
            raise ValueError(f"{where}: {key!r} names unknown issue {issue!r}; known: {', '.join(issues)}")
    else:
        raise ValueError(
            f"{where}: {key!r} is not of the form actor.issue.field, actor.capability or actor.cost_per_month"
        )
    if actor not in actors:
        raise ValueError(f"{where}: {key!r} names unknown actor {actor!r}; known: {', '.join(actors)}")
    fields = {**LEVER_FIELDS, **OUTSIDE_FIELDS}
    if fld not in fields or (fld == "cost_per_month") != (len(parts) == 2 and fld != "capability"):
        raise ValueError(f"{where}: {key!r} sets unknown field {fld!r}; allowed: {', '.join(fields)}")
    lo, hi = fields[fld]
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
