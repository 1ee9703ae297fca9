"""Reviews and versions in the store: decisions on claims, and scenario versions made from them.

A decision row is never changed: deciding a claim again adds a row, and the newest one counts, so
the store keeps who decided what, when and why. A decision may re-assign a misread claim's actor or
issue (``actor``/``issue`` of the decision); the extraction itself is never changed, so the store keeps
what was read and what the reviewer made of it. A proposal (``review_proposals``) is a change to the
agreement layer drawn from reviewed evidence (an outside option, a deadline), decided the same way. A version row names a stored scenario (by hash) as
version N of its scenario id, with its parent, the rule's parameters and the changes it made (each
with the claims that made it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import (
    JSON,
    or_,
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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .evidence import ClaimRow, DeadlineRow, DocumentRow, MentionRow
from .repository import MAX_ROW_ID, ensure_scenario_row
from .tables import Base

__all__ = [
    "DECISIONS",
    "ProposalDecisionRow",
    "ProposalRow",
    "ReviewRow",
    "VersionRow",
    "claims_with_decisions",
    "cue_sentences",
    "deadline_rows",
    "proposals_with_decisions",
    "record_decisions",
    "record_proposal_decisions",
    "store_proposals",
    "record_version",
    "version_row",
    "versions",
]

DECISIONS = ("accepted", "rejected")

#: a sentence ends at . ! or ? (and a closing quote) followed by one space and a capital or an opening quote
_SENTENCE_END = re.compile(r"(?<=[.!?][\"”’]) (?=[A-Z\"“])|(?<=[.!?]) (?=[A-Z\"“])")


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
    # the actor and issue the reviewer gave a misread claim (None: as extracted)
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    issue: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ProposalRow(Base):
    """A proposed change to a scenario's agreement layer, drawn from a reviewed claim or a stored deadline.

    ``key`` identifies what it proposes (kind, the evidence row, and what it changes), so drawing the
    proposals again stores each once; ``payload`` holds the change (see ``evidence/proposals.py``).
    """

    __tablename__ = "review_proposals"
    __table_args__ = (UniqueConstraint("scenario_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_claims.id", ondelete="CASCADE"), nullable=True)
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_deadlines.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ProposalDecisionRow(Base):
    """One decision on one proposal (never changed; the newest counts)."""

    __tablename__ = "review_proposal_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("review_proposals.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
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
    document, the text around it and its newest decision (``decision`` None while pending). ``actor`` and
    ``issue`` are the reviewer's where a decision re-assigned them; ``extracted`` keeps what was read."""
    with store.sessions() as s:
        latest = select(ReviewRow.claim_id, func.max(ReviewRow.id).label("rid")).group_by(ReviewRow.claim_id).subquery()
        q = (
            select(ClaimRow, DocumentRow, ReviewRow)
            .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
            .outerjoin(latest, latest.c.claim_id == ClaimRow.id)
            .outerjoin(ReviewRow, ReviewRow.id == latest.c.rid)
            .where(
                or_(ClaimRow.actor.in_(sorted(actors)), ReviewRow.actor.in_(sorted(actors))),
                or_(ClaimRow.issue.in_(sorted(issues)), ReviewRow.issue.in_(sorted(issues))),
            )
            .order_by(ClaimRow.id)
        )
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, str, str, int]] = set()
        for claim, doc, review in s.execute(q).all():
            key = (claim.document_id, claim.actor, claim.issue, claim.start)
            if key in seen:
                continue
            seen.add(key)
            actor = review.actor if review is not None and review.actor else claim.actor
            issue = review.issue if review is not None and review.issue else claim.issue
            if actor not in actors or issue not in issues:
                continue
            lo = max(0, doc.text.rfind("\n", 0, max(0, claim.start - 1)) + 1)
            hi = doc.text.find("\n", claim.end)
            out.append(
                {
                    "id": claim.id,
                    "actor": actor,
                    "issue": issue,
                    "extracted": {"actor": claim.actor, "issue": claim.issue, "position": claim.position},
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
    store: Any,
    claim_ids: list[int],
    decision: str,
    *,
    position: float | None,
    reason: str | None,
    by: str,
    actor: str | None = None,
    issue: str | None = None,
) -> list[int]:
    """Store one decision per claim in one transaction (all or none); the ids decided. ``actor``/``issue``
    re-assign the claims (checked by the caller against the scenario)."""
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
                    claim_id=cid,
                    decision=decision,
                    position=position,
                    reason=reason,
                    decided_by=by,
                    decided_at=now,
                    actor=actor,
                    issue=issue,
                )
            )
    return claim_ids


def store_proposals(store: Any, scenario_id: str, proposals: list[dict[str, Any]]) -> None:
    """Store the proposals not stored yet (by ``key``); each dict: kind, key, payload, claim_id, deadline_id.
    Another process storing the same ones at the same time is no error: theirs are kept."""
    try:
        _store_new(store, scenario_id, proposals)
    except IntegrityError:  # the unique (scenario_id, key) was taken meanwhile: store what is still missing
        _store_new(store, scenario_id, proposals)


def _store_new(store: Any, scenario_id: str, proposals: list[dict[str, Any]]) -> None:
    with store.sessions.begin() as s:
        known = set(s.scalars(select(ProposalRow.key).where(ProposalRow.scenario_id == scenario_id)).all())
        now = _now()
        for p in proposals:
            if p["key"] in known:
                continue
            known.add(p["key"])
            s.add(
                ProposalRow(
                    scenario_id=scenario_id,
                    kind=p["kind"],
                    key=p["key"],
                    payload=p["payload"],
                    claim_id=p.get("claim_id"),
                    deadline_id=p.get("deadline_id"),
                    created_at=now,
                )
            )


def proposals_with_decisions(store: Any, scenario_id: str) -> list[dict[str, Any]]:
    """The stored proposals of a scenario id, oldest first, each with its sentence and newest decision."""
    with store.sessions() as s:
        latest = (
            select(ProposalDecisionRow.proposal_id, func.max(ProposalDecisionRow.id).label("rid"))
            .group_by(ProposalDecisionRow.proposal_id)
            .subquery()
        )
        q = (
            select(ProposalRow, ProposalDecisionRow)
            .outerjoin(latest, latest.c.proposal_id == ProposalRow.id)
            .outerjoin(ProposalDecisionRow, ProposalDecisionRow.id == latest.c.rid)
            .where(ProposalRow.scenario_id == scenario_id)
            .order_by(ProposalRow.id)
        )
        out = []
        for p, d in s.execute(q).all():
            out.append(
                {
                    "id": f"p{p.id}",
                    "kind": p.kind,
                    "key": p.key,
                    **p.payload,
                    "claim_id": p.claim_id,
                    "deadline_id": p.deadline_id,
                    "decision": d.decision if d else None,
                    "reason": d.reason if d else None,
                    "decided_by": d.decided_by if d else None,
                    "decided_at": d.decided_at.isoformat() if d else None,
                }
            )
        return out


def record_proposal_decisions(
    store: Any, proposal_ids: list[int], decision: str, *, reason: str | None, by: str
) -> list[int]:
    """Store one decision per proposal in one transaction (all or none); the ids decided."""
    if decision not in DECISIONS:
        raise InputError("unknown decision", field="decision", value=decision, allowed=", ".join(DECISIONS))
    with store.sessions.begin() as s:
        for pid in proposal_ids:
            if not 0 < pid <= MAX_ROW_ID or s.get(ProposalRow, pid) is None:
                raise InputError(
                    "no stored proposal with this id",
                    field="proposal",
                    value=f"p{pid}",
                    allowed="a p-id from 'review list'",
                )
        now = _now()
        for pid in proposal_ids:
            s.add(ProposalDecisionRow(proposal_id=pid, decision=decision, reason=reason, decided_by=by, decided_at=now))
    return proposal_ids


def deadline_rows(store: Any, actors: set[str]) -> list[dict[str, Any]]:
    """Stored deadlines with a due date whose sender is one of ``actors`` (the same span stored for
    several scenarios counts once), with their sentence's document and date."""
    with store.sessions() as s:
        q = (
            select(DeadlineRow, DocumentRow)
            .join(DocumentRow, DocumentRow.id == DeadlineRow.document_id)
            .where(DeadlineRow.actor.in_(sorted(actors)), DeadlineRow.due.is_not(None))
            .order_by(DeadlineRow.id)
        )
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, int]] = set()
        for d, doc in s.execute(q).all():
            if (d.document_id, d.start) in seen:
                continue
            seen.add((d.document_id, d.start))
            lo = doc.text.rfind("\n", 0, d.start) + 1
            hi = doc.text.find("\n", d.end)
            paragraph = doc.text[lo : hi if hi >= 0 else len(doc.text)]
            at = d.start - lo
            sentence = paragraph
            offset = 0
            for part in _SENTENCE_END.split(paragraph):
                if offset <= at < offset + len(part) + 1:
                    sentence = part
                    break
                offset += len(part) + 1
            out.append(
                {
                    "id": d.id,
                    "text": d.text,
                    "sender": d.actor,
                    "target": d.target,
                    "due": d.due,
                    "sentence": sentence.strip(),
                    "document": doc.source,
                    "published": doc.published,
                }
            )
        return out


def _sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of every sentence of a text, paragraph by paragraph."""
    out: list[tuple[int, str]] = []
    at = 0
    for paragraph in text.split("\n"):
        offset = at
        for part in _SENTENCE_END.split(paragraph):
            if part.strip():
                out.append((offset, part))
            offset += len(part) + 1
        at += len(paragraph) + 1
    return out


def cue_sentences(
    store: Any, cue: re.Pattern[str], actors: set[str], words: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The sentences of the stored documents that match ``cue`` and whose first actor mention (stored by
    the extraction) is one of ``actors``: dicts document_id, start, text, actor, document, published.
    ``words``: only documents holding one of them are read (a cheap filter in SQL for a cue that needs one)."""
    with store.sessions() as s:
        q = select(DocumentRow.id, DocumentRow.text, DocumentRow.source, DocumentRow.published)
        if words:
            q = q.where(or_(*(DocumentRow.text.ilike(f"%{w}%") for w in words)))
        docs = s.execute(q).all()
        out: list[dict[str, Any]] = []
        for doc_id, text, source, published in docs:
            hits = [(start, sent) for start, sent in _sentences(text) if cue.search(sent)]
            if not hits:
                continue
            mentions = sorted(
                {
                    (m.start, m.actor)
                    for m in s.scalars(select(MentionRow).where(MentionRow.document_id == doc_id)).all()
                }
            )
            for start, sent in hits:
                inside = [a for at, a in mentions if start <= at < start + len(sent)]
                if inside and inside[0] in actors:
                    out.append(
                        {
                            "document_id": doc_id,
                            "start": start,
                            "text": sent.strip(),
                            "actor": inside[0],
                            "document": source,
                            "published": published,
                        }
                    )
        return out


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
