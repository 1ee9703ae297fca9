"""As-of replay: the scenario as it could have been read on a date, without later news.

Until scenarios come in dated versions, a scenario's evidence is the sentences its positions cite.
A cited document counts on a date when it was published on or before it: its publication date is
the one given (from the store's ingested documents, matched by file name), else the scenario's own
``as_of`` (the date the analyst read undated articles), else unknown — and an undated document
never counts. A position keeps the sources that count; one left with none is dropped (nobody
could have known it yet) unless it states an analyst's assumption, which stands.

Once a scenario id has stored versions (made from reviewed evidence, each with the ``as_of`` of the newest
evidence it used), the replay starts from the version in force on the date — the newest whose ``as_of`` is
on or before it — and applies the rule above to that version; with none in force, to the scenario given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Mapping, Sequence

from pydantic import ValidationError

from ..scenario.errors import InputError
from ..scenario.schema import Position, Scenario

__all__ = ["Replay", "as_of_scenario", "version_in_force"]


@dataclass(frozen=True)
class Replay:
    """The scenario as of a date, and what was left out (as ``actor.issue`` and document names)."""

    scenario: Scenario
    date: dt.date
    dropped_positions: tuple[str, ...]
    later_documents: tuple[str, ...]
    version: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary of the replay."""
        return {
            "as_of": self.date.isoformat(),
            "dropped_positions": list(self.dropped_positions),
            "later_documents": list(self.later_documents),
            "version": self.version,
        }


def _name(document: str) -> str:
    return PurePath(document).name


def version_in_force(versions: Sequence[Mapping[str, Any]], date: dt.date) -> Mapping[str, Any] | None:
    """The version in force on ``date``: the newest ``as_of`` on or before it (the higher number on a tie);
    None if none is (versions without ``as_of`` never are)."""
    dated = [(dt.date.fromisoformat(v["as_of"]), int(v["number"]), v) for v in versions if v.get("as_of")]
    in_force = [d for d in dated if d[0] <= date]
    return max(in_force, key=lambda d: (d[0], d[1]))[2] if in_force else None


def as_of_scenario(
    scenario: Scenario, published: Mapping[str, dt.date | None], date: dt.date, *, version: str | None = None
) -> Replay:
    """The scenario keeping only evidence published on or before ``date`` (see the module's rule); ``version``
    names the stored version ``scenario`` is, if any."""
    dates = {_name(k): v for k, v in published.items()}

    def counts(document: str) -> bool:
        when = dates.get(_name(document)) or scenario.as_of
        return when is not None and when <= date

    kept: list[Position] = []
    dropped: list[str] = []
    later: set[str] = set()
    for p in scenario.positions:
        sources = tuple(src for src in p.sources if counts(src.document))
        later.update(_name(src.document) for src in p.sources if not counts(src.document))
        if p.sources and not sources and not p.assumption:
            dropped.append(f"{p.actor}.{p.issue}")
            continue
        kept.append(p if len(sources) == len(p.sources) else p.model_copy(update={"sources": sources}))
    try:
        replayed = Scenario.model_validate({**scenario.model_dump(), "positions": [k.model_dump() for k in kept]})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            "the scenario cannot be replayed on this date: " + str(first.get("msg")),
            field="--as-of",
            value=date.isoformat(),
            allowed="a date on which every lever's positions were already known",
        ) from None
    return Replay(replayed, date, tuple(dropped), tuple(sorted(later)), version)
