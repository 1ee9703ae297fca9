"""Proposals on the agreement layer from reviewed evidence: outside options and deadlines.

Positions say where an actor wants a deal to land; whether a deal happens turns on what each actor
expects without one (``outside_options``) and on the dated threats that change the game
(``deadlines``). News speaks to both, so the reviewed path proposes changes to them too. Each is a
proposal the reviewer accepts or rejects like a claim; ``review apply`` applies the accepted ones with
the same update rule as positions (``evidence/update.py``).

- **Outside option.** An accepted claim (actor A, issue I, position x) whose sentence says A expects
  to get x *without* a deal — by force or by fighting on ("one way or another", "by force", "by
  military means", "on the battlefield", "fight on", "until its goals are achieved") — proposes to
  move A's outside-option point on I toward x. The prior is the point the scenario gives (else the
  issue's status quo, else the end of the scale farthest from A's position, as the agreement layer
  fills it), with its range; the claim weighs as in the update rule, and the 15-point cap per
  sentence holds unless the reviewer confirmed the claim's position.
- **War aims.** A sentence of an ingested article saying that an actor will fight on until its goals are
  achieved ("continue the special military operation until its goals were achieved", "fight until
  victory"; the actor is the first one the sentence mentions) proposes, one proposal per issue the
  actor has a position on, to move its outside-option point on that issue toward its position: the
  actor says it expects to get there without a deal. The reviewer accepts the issues the actor can
  take by fighting and rejects the others (sanctions are not won on the battlefield). The sentence
  weighs ``GOAL_CONFIDENCE`` (0.5) × recency, as a claim of that confidence would; the prior and the cap
  are as above. It is the actor's own word about its alternative, which a party in a negotiation has
  reason to overstate: the cap of 15 points per sentence is what keeps one such sentence from deciding
  the forecast.
- **Deadline.** A stored deadline with a due date, whose sender and target are actors of the scenario,
  proposes a scenario deadline (sender, target, due). What fires is the scenario's lever whose name
  shares the most words with the deadline's sentence (at least one word that is not an actor's name or
  a common word); without one, nothing fires. A deadline due after the new version's ``as_of`` fires
  its lever in the forecast over time; one already passed is kept as a record and, by the agreement
  layer's rule, its effect is taken to be in the data (the accepted claims on positions) — its lever is
  not applied again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..scenario.schema import Deadline, OutsideOption, Scenario, Source
from .update import Rule, combine, newest_date

__all__ = [
    "FORCE_CUE",
    "GOAL_CONFIDENCE",
    "GOAL_CUE",
    "GOAL_WORDS",
    "apply_proposals",
    "deadline_proposals",
    "filled_point",
    "goal_proposals",
    "lever_for",
    "outside_option_proposals",
]

#: The sentence says the actor expects to get it without a deal.
FORCE_CUE = re.compile(
    r"\b(one way or (the )?other|one way or another|by force|by military means|militarily|on the battlefield"
    r"|fight(ing)? on|keep fighting|continue (the )?(war|fighting|special military operation)"
    r"|until (its|our|their|all( of)? (its|our|their)) goals (are|were|have been) (achieved|met))\b",
    re.IGNORECASE,
)

#: The sentence says the actor will fight on until it has what it wants.
GOAL_CUE = re.compile(
    r"\b(continue|pursue|press on with|keep up)\b[^.;]{0,60}\b(war|fighting|offensive|operation|campaign)\b[^.;]{0,20}"
    r"\buntil\b[^.;]{0,30}\b(goals|aims|objectives)\b[^.;]{0,30}\b(achieved|met|reached|fulfilled)\b"
    r"|\bfight(ing)? (on )?(until|to) (victory|the (end|last))\b",
    re.IGNORECASE,
)

#: A sentence matching GOAL_CUE holds one of these words (the store reads only documents that do).
GOAL_WORDS = ("until", "fight")

#: What a war-aims sentence weighs, as a claim of this confidence would (the local model's fixed confidence).
GOAL_CONFIDENCE = 0.5

_COMMON = frozenset(
    "a an and the of on in to for by with from at as or not no new us u.s. its it their his her would will "
    "be is was were are said says that this if did does do any all more than".split()
)
_WORD = re.compile(r"[a-z][a-z'.-]*[a-z]|[a-z]")


def _words(text: str) -> set[str]:
    return {w.strip(".'") for w in _WORD.findall(text.lower())} - _COMMON


def lever_for(scenario: Scenario, sentence: str) -> str | None:
    """The lever whose name shares the most words with the sentence (at least one that is neither a
    common word nor an actor's id or name); None without one or when two tie."""
    names = set()
    for a in scenario.actors:
        names |= _words(a.id.replace("_", " ")) | _words(a.name)
    words = _words(sentence) - names
    scores = sorted(
        ((len(_words(lv.name or lv.id.replace("_", " ")) & words), lv.id) for lv in scenario.levers), reverse=True
    )
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def outside_option_proposals(scenario: Scenario, accepted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Proposals to move outside-option points, one per accepted claim with a position whose sentence has
    a cue of getting it without a deal (dicts: kind, key, claim_id, payload)."""
    actors = {a.id for a in scenario.actors}
    out = []
    for c in accepted:
        position = c.get("confirmed") if c.get("confirmed") is not None else c.get("position")
        m = FORCE_CUE.search(c.get("text") or "")
        if m is None or position is None or c["actor"] not in actors:
            continue
        out.append(
            {
                "kind": "outside_option",
                "key": f"outside:{c['id']}:{c['actor']}:{c['issue']}",
                "claim_id": c["id"],
                "payload": {
                    "actor": c["actor"],
                    "issue": c["issue"],
                    "position": float(position),
                    "cue": m.group(0),
                    "text": c.get("text") or "",
                    "document": c.get("document"),
                    "published": c.get("published"),
                },
            }
        )
    return out


def goal_proposals(scenario: Scenario, sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Proposals to move an actor's outside-option points toward its positions, one per war-aims sentence
    (dicts: document_id, start, text, actor, document, published) and issue the actor has a position on
    whose outside-option point (as the agreement layer fills it) lies more than a point away."""
    out = []
    for sent in sentences:
        m = GOAL_CUE.search(sent["text"])
        if m is None:
            continue
        for pos in scenario.positions:
            if pos.actor != sent["actor"]:
                continue
            if abs(filled_point(scenario, pos.actor, pos.issue)[0] - pos.position) <= 1.0:
                continue
            out.append(
                {
                    "kind": "outside_option",
                    "key": f"goals:{sent['document_id']}:{sent['start']}:{pos.actor}:{pos.issue}",
                    "payload": {
                        "actor": pos.actor,
                        "issue": pos.issue,
                        "position": None,  # toward the actor's position in the version being made
                        "cue": m.group(0),
                        "text": sent["text"],
                        "document": sent.get("document"),
                        "published": sent.get("published"),
                    },
                }
            )
    return out


def deadline_proposals(scenario: Scenario, deadlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Proposals to add deadlines, one per stored deadline (dicts: id, sender, target, due, sentence,
    document, published) whose sender and target are different actors of the scenario; the same
    (sender, target, due, fires) proposed once."""
    actors = {a.id for a in scenario.actors}
    out, seen = [], set()
    for d in deadlines:
        if d.get("sender") not in actors or d.get("target") not in actors or d["sender"] == d["target"]:
            continue
        fires = lever_for(scenario, d.get("sentence") or "")
        what = (d["sender"], d["target"], d["due"], fires)
        if what in seen:
            continue
        seen.add(what)
        out.append(
            {
                "kind": "deadline",
                "key": f"deadline:{d['id']}",
                "deadline_id": d["id"],
                "payload": {
                    "sender": d["sender"],
                    "target": d["target"],
                    "due": d["due"],
                    "fires": fires,
                    "span": d.get("text"),
                    "text": d.get("sentence") or d.get("text") or "",
                    "document": d.get("document"),
                    "published": d.get("published"),
                },
            }
        )
    return out


def filled_point(scenario: Scenario, actor: str, issue: str) -> tuple[float, tuple[float, float] | None]:
    """The outside-option point the agreement layer uses for (actor, issue), and its range if given."""
    for o in scenario.outside_options:
        if o.actor == actor and issue in o.point:
            return float(o.point[issue]), o.range.get(issue)
    sq = next(i.status_quo for i in scenario.issues if i.id == issue)
    if sq is not None:
        return float(sq), None
    pos = next((p.position for p in scenario.positions if p.actor == actor and p.issue == issue), 50.0)
    return (100.0 if pos < 50.0 else 0.0), None


def apply_proposals(
    scenario: Scenario, proposals: list[dict[str, Any]], claims: dict[int, dict[str, Any]], rule: Rule | None = None
) -> tuple[Scenario, list[dict[str, Any]]]:
    """The scenario with the accepted proposals applied, and a record of each change (kind, what it
    changed before → after, the proposal and claim ids, documents). ``claims`` maps claim id -> the
    accepted claim (for its weight); a proposal whose claim is missing is skipped."""
    rule = rule or Rule()
    changes: list[dict[str, Any]] = []
    options = {o.actor: o for o in scenario.outside_options}
    order = [o.actor for o in scenario.outside_options]
    grouped: dict[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    current = {(q.actor, q.issue): q.position for q in scenario.positions}
    for p in proposals:
        if p["kind"] != "outside_option":
            continue
        if p.get("claim_id") is not None:
            if p["claim_id"] not in claims:
                continue
            basis = claims[p["claim_id"]]
        else:  # a war-aims sentence: toward the actor's position now, weighing as a claim of GOAL_CONFIDENCE
            basis = {"id": None, "confidence": GOAL_CONFIDENCE, "published": p.get("published"), "text": p["text"]}
        x = p["position"] if p.get("position") is not None else current.get((p["actor"], p["issue"]))
        if x is None:
            continue
        grouped.setdefault((p["actor"], p["issue"]), []).append(({**p, "position": x}, basis))
    newest = newest_date([c for group in grouped.values() for _, c in group])
    for (actor, issue), group in sorted(grouped.items()):
        p0, r0 = filled_point(scenario, actor, issue)
        # a reviewer's --position confirms the claim's position, not the outside option: it weighs as read
        moved = combine(p0, r0, [{**c, "position": p["position"], "confirmed": None} for p, c in group], newest, rule)
        if moved is None:
            continue
        mean, rng, capped = moved
        old = options.get(actor)
        sources = list(old.sources) if old is not None else []
        for p, _ in group:
            src = Source(document=p.get("document") or "unknown", quote=p["text"])
            if p["text"].strip() and src not in sources:
                sources.append(src)
        if old is None:
            new = OutsideOption(
                actor=actor,
                point={issue: mean},
                range={issue: rng},
                sources=tuple(sources),
                assumption="outside option from reviewed news; no cost of waiting assumed",
            )
            order.append(actor)
        else:
            new = old.model_copy(
                update={
                    "point": {**old.point, issue: mean},
                    "range": {**old.range, issue: rng},
                    "sources": tuple(sources),
                }
            )
        options[actor] = new
        changes.append(
            {
                "kind": "outside_option",
                "actor": actor,
                "issue": issue,
                "before": {"point": p0, "range": list(r0) if r0 else None},
                "after": {"point": mean, "range": list(rng)},
                "capped": capped,
                "proposals": [p["id"] for p, _ in group],
                "claims": [int(c["id"]) for _, c in group if c.get("id") is not None],
                "sentences": [{"text": p["text"], "document": p.get("document")} for p, _ in group],
                "documents": sorted({p.get("document") or "unknown" for p, _ in group}),
            }
        )
    deadlines = list(scenario.deadlines)
    have = {(d.sender, d.target, d.due, d.fires) for d in deadlines}
    for p in proposals:
        if p["kind"] != "deadline":
            continue
        due = dt.date.fromisoformat(p["due"])
        if (p["sender"], p["target"], due, p["fires"]) in have:
            continue
        have.add((p["sender"], p["target"], due, p["fires"]))
        deadlines.append(
            Deadline(
                sender=p["sender"],
                target=p["target"],
                due=due,
                fires=p["fires"],
                sources=(Source(document=p.get("document") or "unknown", quote=p["text"]),),
            )
        )
        changes.append(
            {
                "kind": "deadline",
                "sender": p["sender"],
                "target": p["target"],
                "due": p["due"],
                "fires": p["fires"],
                "proposals": [p["id"]],
                "claims": [],
                "sentences": [{"text": p["text"], "document": p.get("document")}],
                "documents": [p.get("document") or "unknown"],
            }
        )
    if not changes:
        return scenario, changes
    update: dict[str, Any] = {"outside_options": tuple(options[a] for a in order), "deadlines": tuple(deadlines)}
    return scenario.model_copy(update=update), changes
