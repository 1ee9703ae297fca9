"""Reviewing claims before they move a position: list, accept or reject, apply; versions and diffs.

Every interface (CLI, web) calls these. A claim is a proposal until someone accepts it; ``apply``
runs the update rule (``evidence/update.py``) on the accepted claims not yet used by an earlier
version of the scenario, then the accepted proposals on the agreement layer (outside options and
deadlines, ``evidence/proposals.py``) with the same rule, and stores the result as the next version of
the scenario id. Ids: a claim is a number ("12"), a proposal a number after "p" ("p3").
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from ..evidence.proposals import (
    GOAL_CUE,
    GOAL_WORDS,
    apply_proposals,
    filled_point,
    deadline_proposals,
    goal_proposals,
    outside_option_proposals,
)
from ..evidence.update import Rule, apply_evidence
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from ..store import Store
from ..store.review import (
    claims_with_decisions,
    cue_sentences,
    deadline_rows,
    proposals_with_decisions,
    record_decisions,
    record_proposal_decisions,
    record_version,
    store_proposals,
    version_row,
    versions,
)

__all__ = [
    "accept_all_and_apply",
    "apply_reviewed",
    "decide",
    "default_reviewer",
    "describe_proposal",
    "diff_versions",
    "history",
    "parse_ids",
    "pending",
    "pending_proposals",
    "resolve_version",
    "version_names",
]


def default_reviewer() -> str:
    """The login name of the user (``--by`` defaults to it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


def _claims(store: Store, scenario: Scenario) -> list[dict[str, Any]]:
    return claims_with_decisions(store, {a.id for a in scenario.actors}, {i.id for i in scenario.issues})


def pending(
    store: Store,
    scenario: Scenario,
    *,
    actor: str | None = None,
    issue: str | None = None,
    include_decided: bool = False,
) -> list[dict[str, Any]]:
    """The claims on the scenario's actors and issues still to be decided (or all of them), ordered by
    actor and issue, each with its sentence in context."""
    for name, value, known in (
        ("actor", actor, [a.id for a in scenario.actors]),
        ("issue", issue, [i.id for i in scenario.issues]),
    ):
        if value is not None and value not in known:
            raise InputError(
                f"unknown {name} for scenario {scenario.id}", field=name, value=value, allowed=", ".join(known)
            )
    rows = [
        c
        for c in _claims(store, scenario)
        if (include_decided or c["decision"] is None)
        and (actor is None or c["actor"] == actor)
        and (issue is None or c["issue"] == issue)
    ]
    return sorted(rows, key=lambda c: (c["actor"], c["issue"], c["id"]))


def parse_ids(values: list[str]) -> tuple[list[int], list[int]]:
    """Claim ids ("12") and proposal ids ("p3") from the command line or a form; one line, exit 2 on another."""
    claims: list[int] = []
    proposals: list[int] = []
    for v in values:
        text = str(v).strip().lower()
        if text.isdigit():
            claims.append(int(text))
        elif text[:1] == "p" and text[1:].isdigit():
            proposals.append(int(text[1:]))
        else:
            raise InputError(
                "not a claim or proposal id",
                field="CLAIM_ID",
                value=str(v),
                allowed="a claim id (12) or a proposal id (p3) from 'review list'",
            )
    return claims, proposals


def _check_known(scenario: Scenario | None, name: str, value: str | None) -> None:
    if value is None:
        return
    if scenario is None:
        raise InputError(f"--{name} needs the scenario", field=f"--{name}", value=value, allowed="--scenario REF")
    known = [a.id for a in scenario.actors] if name == "actor" else [i.id for i in scenario.issues]
    if value not in known:
        raise InputError(
            f"unknown {name} for scenario {scenario.id}", field=f"--{name}", value=value, allowed=", ".join(known)
        )


def decide(
    store: Store,
    claim_ids: list[int],
    decision: str,
    *,
    position: float | None = None,
    reason: str | None = None,
    by: str | None = None,
    actor: str | None = None,
    issue: str | None = None,
    scenario: Scenario | None = None,
    proposal_ids: list[int] | None = None,
) -> list[int]:
    """Accept or reject claims and proposals (all or none); ``position`` confirms the position an accepted
    claim states; ``actor``/``issue`` re-assign a misread claim before accepting it (checked against
    ``scenario``; a new issue needs ``position``, since the extracted one is on the other issue's scale).
    The extraction is kept as read; the decision stores who, when, why and the re-assignment."""
    proposal_ids = proposal_ids or []
    if not claim_ids and not proposal_ids:
        raise InputError("no claim ids given", field="CLAIM_ID", allowed="one or more ids from 'review list'")
    if position is not None:
        if decision != "accepted":
            raise InputError(
                "--position goes with accept only",
                field="--position",
                value=str(position),
                allowed="review accept ID --position X",
            )
        if not 0 <= position <= 100:
            raise InputError("position out of range", field="--position", value=str(position), allowed="0..100")
    if actor is not None or issue is not None:
        if decision != "accepted":
            raise InputError(
                "--actor and --issue go with accept only",
                field="--actor" if actor is not None else "--issue",
                value=str(actor if actor is not None else issue),
                allowed="review accept ID --actor A [--issue I --position X]",
            )
        _check_known(scenario, "actor", actor)
        _check_known(scenario, "issue", issue)
        if issue is not None and position is None:
            raise InputError(
                "--issue needs --position: the extracted position is on the other issue's scale",
                field="--position",
                value="none",
                allowed="0..100 on the new issue's scale",
            )
    if (position is not None or actor is not None or issue is not None) and proposal_ids:
        raise InputError(
            "--position, --actor and --issue apply to claims, not proposals",
            field="CLAIM_ID",
            value=", ".join(f"p{p}" for p in proposal_ids),
            allowed="decide proposals in a separate accept or reject",
        )
    by = by or default_reviewer()
    if claim_ids:
        record_decisions(store, claim_ids, decision, position=position, reason=reason, by=by, actor=actor, issue=issue)
    if proposal_ids:
        record_proposal_decisions(store, proposal_ids, decision, reason=reason, by=by)
    return claim_ids + proposal_ids


def describe_proposal(p: dict[str, Any], scenario: Scenario) -> str:
    """One line saying what a proposal would change."""
    if p["kind"] == "deadline":
        fires = f", fires {p['fires']}" if p["fires"] else ", fires nothing (no lever matches)"
        passed = scenario.as_of is not None and p["due"] <= scenario.as_of.isoformat()
        return f"deadline {p['sender']} → {p['target']} due {p['due']}{fires}" + (
            " (already passed at as_of)" if passed else ""
        )
    now, _ = filled_point(scenario, p["actor"], p["issue"])
    position = next((q.position for q in scenario.positions if (q.actor, q.issue) == (p["actor"], p["issue"])), None)
    if p["position"] is not None:
        toward = f"{p['position']:g}"
    else:
        toward = f"its position ({position:g})" if position is not None else "its position"
    basis = f"claim {p['claim_id']}" if p["claim_id"] is not None else "war aims"
    return f'outside option {p["actor"]}.{p["issue"]}: {now:g} toward {toward} ("{p["cue"]}", {basis})'


def _derive_proposals(store: Store, scenario: Scenario) -> set[str]:
    """Draw the proposals from the accepted claims and the stored deadlines, store the new ones; their keys."""
    accepted = [c for c in _claims(store, scenario) if c["decision"] == "accepted"]
    drawn = outside_option_proposals(scenario, accepted) + deadline_proposals(
        scenario, deadline_rows(store, {a.id for a in scenario.actors})
    )
    actors = {a.id for a in scenario.actors}
    drawn += goal_proposals(scenario, cue_sentences(store, GOAL_CUE, actors, GOAL_WORDS))
    store_proposals(store, scenario.id, drawn)
    return {p["key"] for p in drawn}


def pending_proposals(
    store: Store,
    scenario: Scenario,
    *,
    actor: str | None = None,
    issue: str | None = None,
    include_decided: bool = False,
) -> list[dict[str, Any]]:
    """The proposals on the scenario's agreement layer still to be decided (or all of them): outside-option
    moves drawn from accepted claims, and deadlines; each with its sentence. A proposal whose claim is no
    longer accepted (or was re-assigned) is not listed."""
    live = _derive_proposals(store, scenario)
    return [
        p
        for p in proposals_with_decisions(store, scenario.id)
        if p["key"] in live
        and (include_decided or p["decision"] is None)
        and (actor is None or actor in (p.get("actor"), p.get("sender"), p.get("target")))
        and (issue is None or p.get("issue") == issue)
    ]


def _used(store: Store, scenario_id: str, what: str) -> set[Any]:
    used: set[Any] = set()
    for v in versions(store, scenario_id):
        for ch in v["changes"]:
            used.update(ch.get(what, []))
    return used


def apply_reviewed(
    store: Store, scenario: Scenario, *, rule: Rule | None = None, by: str | None = None, note: str | None = None
) -> tuple[Scenario, dict[str, Any]]:
    """The next version of a scenario from its accepted claims and proposals not used before; stored.
    (scenario, version)."""
    rule = rule or Rule()
    used = {int(c) for c in _used(store, scenario.id, "claims")}
    claims = _claims(store, scenario)
    accepted = [c for c in claims if c["decision"] == "accepted" and c["id"] not in used]
    new, changes = apply_evidence(scenario, accepted, rule)
    live = _derive_proposals(store, scenario)
    used_p = _used(store, scenario.id, "proposals")
    chosen = [
        p
        for p in proposals_with_decisions(store, scenario.id)
        if p["key"] in live and p["decision"] == "accepted" and p["id"] not in used_p
    ]
    support = {c["id"]: c for c in claims if c["decision"] == "accepted"}
    new, agreement = apply_proposals(new, chosen, support, rule)
    new = Scenario.model_validate(new.model_dump())  # the rule's output passes the same checks as a file
    version = record_version(
        store,
        new,
        scenario,
        rule=rule.to_dict(),
        changes=[c.to_dict() for c in changes] + agreement,
        by=by or default_reviewer(),
        note=note,
    )
    version["accepted_claims"] = len(accepted)
    version["accepted_proposals"] = len(chosen)
    return new, version


def accept_all_and_apply(
    store: Store, scenario: Scenario, *, by: str | None = None, reason: str = "accepted by suggest --write"
) -> tuple[Scenario, dict[str, Any], int]:
    """``suggest --write``: accept every pending claim, then apply the update rule. (scenario, version, accepted)."""
    ids = [c["id"] for c in pending(store, scenario)]
    if ids:
        decide(store, ids, "accepted", reason=reason, by=by)
    new, version = apply_reviewed(store, scenario, by=by, note=reason)
    return new, version, len(ids)


def history(store: Store, scenario_id: str) -> list[dict[str, Any]]:
    """The versions of a scenario id, oldest first (empty if no reviewed version was made)."""
    return versions(store, scenario_id)


def resolve_version(store: Store, ref: str) -> tuple[dict[str, Any] | None, Scenario]:
    """A version (by name "id@vN" or hash) and its scenario; a stored scenario that is no version gives None."""
    row = version_row(store, ref)
    if row is not None:
        return row, store.scenario(row["hash"])
    return None, store.scenario(ref)


def diff_versions(store: Store, a: str, b: str) -> dict[str, Any]:
    """What changed from version a to version b (positions, ranges, saliences, as_of), and which evidence
    changed it: the changes recorded by the versions after a up to b."""
    row_a, sa = resolve_version(store, a)
    row_b, sb = resolve_version(store, b)
    before = {(p.actor, p.issue): p for p in sa.positions}
    after = {(p.actor, p.issue): p for p in sb.positions}
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = {}
    agreement: list[dict[str, Any]] = []
    if row_a is not None and row_b is not None and row_a["scenario"] == row_b["scenario"]:
        lo, hi = sorted((row_a["number"], row_b["number"]))
        for v in versions(store, row_b["scenario"]):
            if lo < v["number"] <= hi:
                for ch in v["changes"]:
                    if ch.get("kind"):
                        agreement.append({"version": v["name"], **ch})
                        continue
                    evidence.setdefault((ch["actor"], ch["issue"]), []).append(
                        {
                            "version": v["name"],
                            "claims": ch["claims"],
                            "documents": ch["documents"],
                            "capped": ch.get("capped", False),
                        }
                    )
    claim_text = {c["id"]: c for c in _claims(store, sb)} if evidence else {}
    rows = []
    for key in sorted(set(before) | set(after)):
        p, q = before.get(key), after.get(key)
        fields = {}
        for name in ("position", "range", "salience"):
            x = getattr(p, name) if p is not None else None
            y = getattr(q, name) if q is not None else None
            if x != y:
                fields[name] = {
                    "before": list(x) if isinstance(x, tuple) else x,
                    "after": list(y) if isinstance(y, tuple) else y,
                }
        if not fields:
            continue
        ev = evidence.get(key, [])
        for e in ev:
            e["sentences"] = [
                {"id": cid, "text": claim_text[cid]["text"], "document": claim_text[cid]["document"]}
                for cid in e["claims"]
                if cid in claim_text
            ]
        rows.append({"actor": key[0], "issue": key[1], **fields, "evidence": ev})
    return {
        "a": row_a["name"] if row_a else a,
        "b": row_b["name"] if row_b else b,
        "as_of": {
            "before": sa.as_of.isoformat() if sa.as_of else None,
            "after": sb.as_of.isoformat() if sb.as_of else None,
        },
        "changes": rows,
        "agreement": agreement,
    }


def version_names(store: Store) -> dict[str, str]:
    """Stored scenario hash -> its newest version name ("ukraine-2025@v2"), for lists that show many
    scenarios with the same title."""
    return {v["hash"]: v["name"] for v in versions(store)}
