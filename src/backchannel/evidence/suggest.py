"""From claims to suggested positions: aggregate per actor and issue, diff against a scenario, apply.

A suggestion is the confidence-weighted mean of the positions the claims give for one actor on
one issue, with the sentences behind it. Applying suggestions returns a new scenario whose
positions cite those sentences as sources; the input scenario is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..scenario.schema import Position, Scenario, Source

__all__ = ["Suggestion", "suggest_positions", "apply_suggestions", "DEFAULT_SALIENCE"]

#: Salience given to a position that news suggests but the scenario lacks (news says little about salience).
DEFAULT_SALIENCE = 0.5


@dataclass
class Suggestion:
    """A suggested position for one actor on one issue, and the claims behind it."""

    actor: str
    issue: str
    current: float | None
    suggested: float
    weight: float
    sources: list[dict] = field(default_factory=list)  # {"document", "quote", "position", "confidence"}

    @property
    def change(self) -> float | None:
        """Suggested minus current position (None when the scenario has no position)."""
        return None if self.current is None else self.suggested - self.current

    def to_dict(self) -> dict:
        """A JSON record of the suggestion."""
        return {
            "actor": self.actor,
            "issue": self.issue,
            "current": self.current,
            "suggested": round(self.suggested, 1),
            "change": None if self.change is None else round(self.change, 1),
            "weight": round(self.weight, 2),
            "sources": self.sources,
        }


def suggest_positions(
    scenario: Scenario, claims: list[dict], min_confidence: float = 0.3, min_change: float = 5.0
) -> list[Suggestion]:
    """Suggestions for the scenario's actors and issues from claims (dicts with actor, issue, position,
    confidence, text, document), keeping new positions and changes of at least ``min_change``."""
    actors = {a.id for a in scenario.actors}
    issues = {i.id for i in scenario.issues}
    current = {(p.actor, p.issue): p.position for p in scenario.positions}
    grouped: dict[tuple[str, str], list[dict]] = {}
    for c in claims:
        if c.get("position") is None or c.get("confidence", 0) < min_confidence:
            continue
        if c["actor"] in actors and c["issue"] in issues:
            grouped.setdefault((c["actor"], c["issue"]), []).append(c)
    out = []
    for (actor, issue), group in sorted(grouped.items()):
        weight = sum(c["confidence"] for c in group)
        value = sum(c["position"] * c["confidence"] for c in group) / weight
        sources = [
            {
                "document": c.get("document") or "",
                "quote": c["text"],
                "position": c["position"],
                "confidence": c["confidence"],
            }
            for c in group
        ]
        s = Suggestion(actor, issue, current.get((actor, issue)), value, weight, sources)
        if s.current is None or abs(s.change) >= min_change:
            out.append(s)
    return out


def apply_suggestions(scenario: Scenario, suggestions: list[Suggestion]) -> Scenario:
    """A new scenario with the suggested positions and their sentences as sources."""
    by_pair = {(s.actor, s.issue): s for s in suggestions}
    positions = []
    for p in scenario.positions:
        s = by_pair.pop((p.actor, p.issue), None)
        if s is None:
            positions.append(p)
            continue
        value = round(s.suggested, 1)
        rng = p.range
        if rng is not None and not rng[0] <= value <= rng[1]:
            rng = (min(rng[0], value), max(rng[1], value))  # keep the old belief inside the uncertainty
        positions.append(
            p.model_copy(update={"position": value, "range": rng, "sources": _merge(p.sources, s.sources)})
        )
    for (actor, issue), s in sorted(by_pair.items()):
        positions.append(
            Position(
                actor=actor,
                issue=issue,
                position=round(s.suggested, 1),
                salience=DEFAULT_SALIENCE,
                sources=_merge((), s.sources),
                assumption=f"position suggested from news; salience {DEFAULT_SALIENCE} assumed",
            )
        )
    return scenario.model_copy(update={"positions": tuple(positions)})


def _merge(old: tuple[Source, ...], new: list[dict]) -> tuple[Source, ...]:
    seen = {(s.document, s.quote) for s in old}
    out = list(old)
    for src in new:
        key = (src["document"] or "unknown", src["quote"])
        if key not in seen and src["quote"].strip():
            seen.add(key)
            out.append(Source(document=key[0], quote=key[1]))
    return tuple(out)
