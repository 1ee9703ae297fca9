"""The update rule: accepted evidence moves a scenario's positions from a prior, by a stated rule.

For one actor on one issue, with accepted claims c_1..c_n (position x_i, confidence q_i, the date
d_i of the article) and the scenario's current position p0 with its range [lo, hi]:

- **Prior.** p0 counts as ``prior_weight`` sentences (2.0): news moves a considered position, it
  does not replace it. A pair the scenario lacks has no prior: the weighted mean of the evidence.
- **Weights.** w_i = q_i × recency_i × source_i: recency halves every ``half_life_days`` (90) of
  age before the newest evidence used; a local model's claims weigh ``model_source_weight`` (0.8),
  the rules' 1.0. A claim the reviewer confirmed with ``--position X`` takes x_i = X and weight
  ``confirmed_weight`` (3.0).
- **Mean.** m = (prior_weight × p0 + Σ w_i x_i) / (prior_weight + Σ w_i).
- **Cap.** Unless a reviewer confirmed a position, m moves at most ``cap_per_sentence`` (15)
  points from p0 per accepted sentence (so one sentence moves a position at most 15 points).
- **Range.** Half-width h = sqrt(h0² × prior_weight / (prior_weight + Σ w) + s²), with h0 the
  prior half-width (its range, else ``default_half_width`` 15) and s² the weighted variance of the
  evidence around m: agreeing evidence narrows the range, disagreeing evidence widens it; at least
  ``min_half_width`` (2), clipped to 0..100, and always containing m.
- **Salience.** A sentence that says how much the actor cares moves salience by ``salience_step``
  (0.05) each, at most ``max_salience_change`` (0.15) in total: up for "red line",
  "non-negotiable", "top priority", "will never", "at any cost"; down for "flexible", "open to",
  "secondary", "could live with", "room for compromise".

The new version's ``as_of`` is the newest article date among the evidence used (the scenario's
own when none is dated later). The input scenario is never changed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..scenario.schema import Position, Scenario, Source

__all__ = ["DEFAULT_SALIENCE", "Change", "Rule", "apply_evidence", "combine", "newest_date"]

#: Salience of a position that news adds to a scenario lacking it (news says little about salience).
DEFAULT_SALIENCE = 0.5

_CARES_MORE = re.compile(
    r"\b(red lines?|non-negotiable|not negotiable|top priority|highest priority|will never"
    r"|at any (cost|price)|under no circumstances|existential|paramount|core (demand|interest)s?)\b",
    re.IGNORECASE,
)
_CARES_LESS = re.compile(
    r"\b(flexible|flexibility|open to|secondary (issue|concern|priority|matter)|could live with|room for compromise"
    r"|not a priority|willing to discuss|(?<!non-)(?<!not )negotiable)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    """The parameters of the update rule (see the module's docstring)."""

    prior_weight: float = 2.0
    half_life_days: float = 90.0
    model_source_weight: float = 0.8
    confirmed_weight: float = 3.0
    cap_per_sentence: float = 15.0
    default_half_width: float = 15.0
    min_half_width: float = 2.0
    salience_step: float = 0.05
    max_salience_change: float = 0.15

    def to_dict(self) -> dict[str, float]:
        """The parameters as a record (stored with every version)."""
        return dict(self.__dict__)


@dataclass
class Change:
    """What the rule did to one actor's position on one issue, and the claims that did it."""

    actor: str
    issue: str
    before: dict[str, Any]
    after: dict[str, Any]
    claims: list[int] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON record of the change."""
        return {
            "actor": self.actor,
            "issue": self.issue,
            "before": self.before,
            "after": self.after,
            "claims": self.claims,
            "documents": self.documents,
            "capped": self.capped,
        }


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _weight(c: dict[str, Any], newest: dt.date | None, rule: Rule) -> float:
    if c.get("confirmed") is not None:
        return rule.confirmed_weight
    w = float(c.get("confidence") or 0.0)
    d = _date(c.get("published"))
    if newest is not None and d is not None:
        w *= 0.5 ** (max(0, (newest - d).days) / rule.half_life_days)
    if c.get("method"):
        w *= rule.model_source_weight
    return w


def _salience_shift(claims: list[dict[str, Any]], rule: Rule) -> float:
    shift = 0.0
    for c in claims:
        text = c.get("text") or ""
        shift += rule.salience_step * (bool(_CARES_MORE.search(text)) - bool(_CARES_LESS.search(text)))
    return max(-rule.max_salience_change, min(rule.max_salience_change, shift))


def _rounded(p: Position | None) -> dict[str, Any]:
    if p is None:
        return {}
    return {"position": p.position, "range": list(p.range) if p.range else None, "salience": p.salience}


def combine(
    p0: float | None,
    range0: tuple[float, float] | None,
    group: list[dict[str, Any]],
    newest: dt.date | None,
    rule: Rule,
) -> tuple[float, tuple[float, float], bool] | None:
    """The rule for one value (a position, or an outside-option point): prior ``p0`` with its range, and
    the accepted claims ``group`` on it; (mean, range, capped), or None when no claim weighs anything."""
    xs = [float(c["confirmed"] if c.get("confirmed") is not None else c["position"]) for c in group]
    ws = [_weight(c, newest, rule) for c in group]
    total = sum(ws)
    if total <= 0:
        return None
    confirmed = any(c.get("confirmed") is not None for c in group)
    if p0 is None:
        mean = sum(w * x for w, x in zip(ws, xs)) / total
        h0, w0 = rule.default_half_width, 0.0
        capped = False
    else:
        w0 = rule.prior_weight
        mean = (w0 * p0 + sum(w * x for w, x in zip(ws, xs))) / (w0 + total)
        cap = rule.cap_per_sentence * sum(1 for c in group if c.get("confirmed") is None)
        capped = not confirmed and abs(mean - p0) > cap
        if capped:
            mean = p0 + math.copysign(cap, mean - p0)
        h0 = (range0[1] - range0[0]) / 2 if range0 else rule.default_half_width
    spread = sum(w * (x - mean) ** 2 for w, x in zip(ws, xs)) / total
    half = max(rule.min_half_width, math.sqrt(h0**2 * (w0 / (w0 + total) if w0 else 1.0) + spread))
    mean = round(min(100.0, max(0.0, mean)), 1)
    return mean, (round(max(0.0, mean - half), 1), round(min(100.0, mean + half), 1)), capped


def newest_date(claims: list[dict[str, Any]]) -> dt.date | None:
    """The newest article date among claims (None if none is dated)."""
    dates = [d for d in (_date(c.get("published")) for c in claims) if d is not None]
    return max(dates) if dates else None


def apply_evidence(
    scenario: Scenario, claims: list[dict[str, Any]], rule: Rule | None = None
) -> tuple[Scenario, list[Change]]:
    """A new scenario version from accepted claims (dicts: id, actor, issue, position, confidence, text,
    document, published, method, confirmed), and the changes it made. Claims on actors or issues the
    scenario lacks, or without a position, are not used."""
    rule = rule or Rule()
    actors = {a.id for a in scenario.actors}
    issues = {i.id for i in scenario.issues}
    used = [
        c
        for c in claims
        if c["actor"] in actors
        and c["issue"] in issues
        and (c.get("confirmed") is not None or c.get("position") is not None)
    ]
    newest = newest_date(used)
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in used:
        grouped.setdefault((c["actor"], c["issue"]), []).append(c)
    current = {(p.actor, p.issue): p for p in scenario.positions}
    changes: list[Change] = []
    updated: dict[tuple[str, str], Position] = {}
    for key, group in sorted(grouped.items()):
        prior = current.get(key)
        moved = combine(
            None if prior is None else prior.position, None if prior is None else prior.range, group, newest, rule
        )
        if moved is None:
            continue
        mean, (lo, hi), capped = moved
        salience = prior.salience if prior is not None else DEFAULT_SALIENCE
        salience = round(min(1.0, max(0.0, salience + _salience_shift(group, rule))), 3)
        sources = list(prior.sources) if prior is not None else []
        seen = {(s.document, s.quote) for s in sources}
        for c in group:
            src = (c.get("document") or "unknown", c.get("text") or "")
            if src[1].strip() and src not in seen:
                seen.add(src)
                sources.append(Source(document=src[0], quote=src[1]))
        update: dict[str, Any] = {"position": mean, "range": (lo, hi), "salience": salience, "sources": tuple(sources)}
        if prior is not None:
            if prior.salience_range is not None and not prior.salience_range[0] <= salience <= prior.salience_range[1]:
                update["salience_range"] = (
                    min(prior.salience_range[0], salience),
                    max(prior.salience_range[1], salience),
                )
            new = prior.model_copy(update=update)
        else:
            new = Position(
                actor=key[0],
                issue=key[1],
                **update,
                assumption=f"position from reviewed news; salience {DEFAULT_SALIENCE} assumed",
            )
        updated[key] = new
        changes.append(
            Change(
                key[0],
                key[1],
                _rounded(prior),
                _rounded(new),
                [int(c["id"]) for c in group if c.get("id") is not None],
                sorted({c.get("document") or "unknown" for c in group}),
                capped,
            )
        )
    positions = [updated.pop((p.actor, p.issue), p) for p in scenario.positions]
    positions += [updated[k] for k in sorted(updated)]
    as_of = scenario.as_of
    if newest is not None and (as_of is None or newest > as_of):
        as_of = newest
    return scenario.model_copy(update={"positions": tuple(positions), "as_of": as_of}), changes
