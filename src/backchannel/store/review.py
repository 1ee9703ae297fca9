"""Reviews and versions in the store: decisions on claims, and scenario versions made from them.

A decision row is never changed: deciding a claim again adds a row, and the newest one counts, so
the store keeps who decided what, when and why. A version row names a stored scenario (by hash) as
version N of its scenario id, with its parent, the rule's parameters and the changes it made (each
with the claims that made it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .evidence import ClaimRow, DocumentRow
from .repository import MAX_ROW_ID, ensure_scenario_row
from .tables import Base

__all__ = [
    "DECISIONS",
    "ReviewRow",
    "VersionRow",
    "claims_with_decisions",
    "record_decisions",
    "record_version",
    "version_row",
    "versions",
]

DECISIONS = ("accepted", "rejected")


class ReviewRow(Base):
    """One decision on one claim."""

    __tablename__ = "evidence_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("evidence_claims.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    position: Mapped[float | None] = mapped_column(Float, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VersionRow(Base):
    """Version ``number`` of a scenario id: a stored scenario made from reviewed evidence."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(ForeignKey("scenarios.hash"), index=True)
    parent_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    as_of: Mapped[str | None] = mapped_column(String(10), nullable=True)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def claims_with_decisions(store: Any, actors: set[str], issues: set[str]) -> list[dict[str, Any]]:
    """Every stored claim on these actors and issues (the same sentence read twice counts once), with its
    document, the text around it and its newest decision (``decision`` None while pending)."""
    with store.sessions() as s:
        latest = select(ReviewRow.claim_id, func.max(ReviewRow.id).label("rid")).group_by(ReviewRow.claim_id).subquery()
        q = (
            select(ClaimRow, DocumentRow, ReviewRow)
            .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
            .outerjoin(latest, latest.c.claim_id == ClaimRow.id)
            .outerjoin(ReviewRow, ReviewRow.id == latest.c.rid)
            .where(ClaimRow.actor.in_(sorted(actors)), ClaimRow.issue.in_(sorted(issues)))
            .order_by(ClaimRow.id)
        )
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, str, str, int]] = set()
        for claim, doc, review in s.execute(q).all():
            key = (claim.document_id, claim.actor, claim.issue, claim.start)
            if key in seen:
                continue
            seen.add(key)
            lo = max(0, doc.text.rfind("\n", 0, max(0, claim.start - 1)) + 1)
            hi = doc.text.find("\n", claim.end)
            out.append(
                {
                    "id": claim.id,
                    "actor": claim.actor,
                    "issue": claim.issue,
                    "position": claim.position,
                    "confidence": claim.confidence,
                    "text": claim.text,
                    "start": claim.start,
                    "end": claim.end,
                    "method": claim.method,
                    "document": doc.source,
                    "document_id": doc.id,
                    "title": doc.title,
                    "published": doc.published,
                    "context": doc.text[lo : hi if hi >= 0 else len(doc.text)].strip(),
                    "decision": review.decision if review else None,
                    "confirmed": review.position if review else None,
                    "reason": review.reason if review else None,
                    "decided_by": review.decided_by if review else None,
                    "decided_at": review.decided_at.isoformat() if review else None,
                }
            )
        return out


def record_decisions(
    store: Any, claim_ids: list[int], decision: str, *, position: float | None, reason: str | None, by: str
) -> list[int]:
    """Store one decision per claim in one transaction (all or none); the ids decided."""
    if decision not in DECISIONS:
        raise InputError("unknown decision", field="decision", value=decision, allowed=", ".join(DECISIONS))
    with store.sessions.begin() as s:
        for cid in claim_ids:
            if not 0 < cid <= MAX_ROW_ID or s.get(ClaimRow, cid) is None:
                raise InputError(
                    "no stored claim with this id", field="claim", value=str(cid), allowed="an id from 'review list'"
                )
        now = _now()
        for cid in claim_ids:
            s.add(
                ReviewRow(
                    claim_id=cid, decision=decision, position=position, reason=reason, decided_by=by, decided_at=now
                )
            )
    return claim_ids


def record_version(
    store: Any,
    scenario: Scenario,
    parent: Scenario,
    *,
    rule: dict[str, Any],
    changes: list[dict[str, Any]],
    by: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Store a scenario as the next version of its id (the parent stored too, as version 1 if it is the
    first); the version record."""
    with store.sessions.begin() as s:
        parent_digest = ensure_scenario_row(s, parent)
        digest = ensure_scenario_row(s, scenario)
        s.flush()
        rows = s.scalars(
            select(VersionRow).where(VersionRow.scenario_id == scenario.id).order_by(VersionRow.number)
        ).all()
        if not rows:
            s.add(
                VersionRow(
                    scenario_id=parent.id,
                    number=1,
                    hash=parent_digest,
                    parent_hash=None,
                    as_of=parent.as_of.isoformat() if parent.as_of else None,
                    rule={},
                    changes=[],
                    note="the scenario before any reviewed evidence",
                    created_by=by,
                    created_at=_now(),
                )
            )
            number = 2
        else:
            number = rows[-1].number + 1
        row = VersionRow(
            scenario_id=scenario.id,
            number=number,
            hash=digest,
            parent_hash=parent_digest,
            as_of=scenario.as_of.isoformat() if scenario.as_of else None,
            rule=rule,
            changes=changes,
            note=note,
            created_by=by,
            created_at=_now(),
        )
        s.add(row)
        s.flush()
        return _version(row)


def _version(r: VersionRow) -> dict[str, Any]:
    return {
        "name": f"{r.scenario_id}@v{r.number}",
        "scenario": r.scenario_id,
        "number": r.number,
        "hash": r.hash,
        "parent": r.parent_hash,
        "as_of": r.as_of,
        "rule": r.rule,
        "changes": r.changes,
        "note": r.note,
        "created_by": r.created_by,
        "created_at": r.created_at.isoformat(),
    }


def versions(store: Any, scenario_id: str | None = None) -> list[dict[str, Any]]:
    """The versions of one scenario id (or of all), oldest first."""
    with store.sessions() as s:
        q = select(VersionRow).order_by(VersionRow.scenario_id, VersionRow.number)
        if scenario_id is not None:
            q = q.where(VersionRow.scenario_id == scenario_id)
        return [_version(r) for r in s.scalars(q).all()]


def version_row(store: Any, ref: str) -> dict[str, Any] | None:
    """A version by name ("ukraine-2025@v2") or by hash (or unique prefix of at least 6); None if none."""
    with store.sessions() as s:
        if "@v" in ref:
            sid, _, num = ref.rpartition("@v")
            if not num.isdigit():
                return None
            row = s.scalars(
                select(VersionRow).where(VersionRow.scenario_id == sid, VersionRow.number == int(num))
            ).first()
        elif len(ref) >= 6:
            rows = s.scalars(
                select(VersionRow)
                .where(VersionRow.hash.startswith(ref, autoescape=True))
                .order_by(VersionRow.number.desc())
            ).all()
            row = rows[0] if rows and len({r.hash for r in rows}) == 1 else None
        else:
            row = None
        return _version(row) if row is not None else None
