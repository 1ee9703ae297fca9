"""Reviewing claims before they move a position: list, accept or reject, apply; versions and diffs.

Every interface (CLI, web) calls these. A claim is a proposal until someone accepts it; ``apply``
runs the update rule (``evidence/update.py``) on the accepted claims not yet used by an earlier
version of the scenario, and stores the result as the next version of the scenario id.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from ..evidence.update import Rule, apply_evidence
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from ..store import Store
from ..store.review import (
    claims_with_decisions,
    record_decisions,
    record_version,
    version_row,
    versions,
)

__all__ = [
    "accept_all_and_apply",
    "apply_reviewed",
    "decide",
    "default_reviewer",
    "diff_versions",
    "history",
    "pending",
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


def decide(
    store: Store,
    claim_ids: list[int],
    decision: str,
    *,
    position: float | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> list[int]:
    """Accept or reject claims (all or none); ``position`` confirms the position an accepted claim states."""
    if not claim_ids:
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
    return record_decisions(store, claim_ids, decision, position=position, reason=reason, by=by or default_reviewer())


def _used_claims(store: Store, scenario_id: str) -> set[int]:
    used: set[int] = set()
    for v in versions(store, scenario_id):
        for ch in v["changes"]:
            used.update(int(c) for c in ch.get("claims", []))
    return used


def apply_reviewed(
    store: Store, scenario: Scenario, *, rule: Rule | None = None, by: str | None = None, note: str | None = None
) -> tuple[Scenario, dict[str, Any]]:
    """The next version of a scenario from its accepted claims not used before; stored. (scenario, version)."""
    rule = rule or Rule()
    used = _used_claims(store, scenario.id)
    accepted = [c for c in _claims(store, scenario) if c["decision"] == "accepted" and c["id"] not in used]
    new, changes = apply_evidence(scenario, accepted, rule)
    new = Scenario.model_validate(new.model_dump())  # the rule's output passes the same checks as a file
    version = record_version(
        store,
        new,
        scenario,
        rule=rule.to_dict(),
        changes=[c.to_dict() for c in changes],
        by=by or default_reviewer(),
        note=note,
    )
    version["accepted_claims"] = len(accepted)
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
    if row_a is not None and row_b is not None and row_a["scenario"] == row_b["scenario"]:
        lo, hi = sorted((row_a["number"], row_b["number"]))
        for v in versions(store, row_b["scenario"]):
            if lo < v["number"] <= hi:
                for ch in v["changes"]:
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
    }


def version_names(store: Store) -> dict[str, str]:
    """Stored scenario hash -> its newest version name ("ukraine-2025@v2"), for lists that show many
    scenarios with the same title."""
    return {v["hash"]: v["name"] for v in versions(store)}
