"""Evidence in the store: documents (one row per content hash) and what was extracted from them.

Extraction depends on the scenario (its actors and issues), so every extracted item carries the
hash of the scenario it was linked to. Ingesting the same document for the same scenario again
changes nothing; a document and all its items are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .repository import MAX_ROW_ID, Store, ensure_scenario_row
from .tables import Base

__all__ = [
    "DocumentRow",
    "MentionRow",
    "QuoteRow",
    "ClaimRow",
    "DeadlineRow",
    "EventRow",
    "ExtractionRow",
    "save_extraction",
    "list_documents",
    "get_document",
    "stored_claims",
    "extracted_hashes",
]


class DocumentRow(Base):
    """An article, once per content hash (sha256 of body and metadata)."""

    __tablename__ = "evidence_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[str | None] = mapped_column(String(10), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ExtractionRow(Base):
    """That a document was read against a scenario (so a second ingest is a no-op)."""

    __tablename__ = "evidence_extractions"
    __table_args__ = (UniqueConstraint("document_id", "scenario_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("evidence_documents.id", ondelete="CASCADE"), index=True)
    scenario_hash: Mapped[str] = mapped_column(ForeignKey("scenarios.hash"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class _Item:
    """Columns every extracted item has: its document, its scenario and its span in the text."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    extraction_id: Mapped[int] = mapped_column(Integer, index=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    scenario_hash: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    # Named span_start/span_end in SQL: END is a reserved word in PostgreSQL.
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)


class MentionRow(_Item, Base):
    """A span naming an actor."""

    __tablename__ = "evidence_mentions"
    actor: Mapped[str] = mapped_column(String(200))


class QuoteRow(_Item, Base):
    """A direct quotation with its speaker."""

    __tablename__ = "evidence_quotes"
    speaker: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ClaimRow(_Item, Base):
    """An actor's position on an issue, with the sentence behind it."""

    __tablename__ = "evidence_claims"
    actor: Mapped[str] = mapped_column(String(200), index=True)
    issue: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[float | None] = mapped_column(Float, nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    # Only for claims from a local model (evidence/local_model.py): its name and the verbatim evidence span.
    method: Mapped[str | None] = mapped_column(String(40), nullable=True)
    evidence_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evidence_end: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DeadlineRow(_Item, Base):
    """A time limit."""

    __tablename__ = "evidence_deadlines"
    days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due: Mapped[str | None] = mapped_column(String(10), nullable=True)
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)


class EventRow(_Item, Base):
    """Something done or threatened."""

    __tablename__ = "evidence_events"
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)


_KINDS: dict[str, tuple[Any, tuple[str, ...]]] = {  # kind -> (its row class, its fields)
    "mentions": (MentionRow, ("actor", "text", "start", "end")),
    "quotes": (QuoteRow, ("text", "start", "end", "speaker", "actor")),
    "claims": (ClaimRow, ("actor", "issue", "position", "confidence", "text", "start", "end")),
    "deadlines": (DeadlineRow, ("text", "start", "end", "days", "due", "actor", "target")),
    "events": (EventRow, ("kind", "actor", "target", "text", "start", "end")),
}


# Fields an item has only sometimes (kept when set): a local model's claims carry their method and evidence span.
_OPTIONAL: dict[str, tuple[str, ...]] = {kind: () for kind in _KINDS} | {
    "claims": ("method", "evidence_start", "evidence_end")
}


def _item(row: Any, fields: tuple[str, ...], optional: tuple[str, ...], text: str) -> dict[str, Any]:
    """A stored item in the ``--json`` shape; a model's claim also gets its ``evidence`` text back."""
    out = {f: getattr(row, f) for f in fields}
    extra = {f: getattr(row, f) for f in optional if getattr(row, f) is not None}
    if "evidence_start" in extra and "evidence_end" in extra:
        extra["evidence"] = text[extra["evidence_start"] : extra["evidence_end"]]
    return out | extra


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def save_extraction(
    store: Store, record: dict[str, Any], content_hash: str, scenario: Scenario, version: str
) -> tuple[int, bool]:
    """Store a document's extraction record in one transaction; (document id, whether anything was added)."""
    with store.sessions.begin() as s:
        digest = ensure_scenario_row(s, scenario)
        doc = s.scalars(select(DocumentRow).where(DocumentRow.content_hash == content_hash)).first()
        if doc is None:
            doc = DocumentRow(
                content_hash=content_hash,
                source=record["source"],
                url=record["url"],
                title=record["title"],
                published=record["published"],
                text=record["text"],
                created_at=_now(),
            )
            s.add(doc)
            s.flush()
        elif (
            s.scalars(
                select(ExtractionRow).where(ExtractionRow.document_id == doc.id, ExtractionRow.scenario_hash == digest)
            ).first()
            is not None
        ):
            return doc.id, False
        ext = ExtractionRow(document_id=doc.id, scenario_hash=digest, version=version, created_at=_now())
        s.add(ext)
        s.flush()
        for kind, (row_type, fields) in _KINDS.items():
            for item in record[kind]:
                s.add(
                    row_type(
                        extraction_id=ext.id,
                        document_id=doc.id,
                        scenario_hash=digest,
                        **{f: item[f] for f in fields},
                        **{f: item[f] for f in _OPTIONAL[kind] if f in item},
                    )
                )
        return doc.id, True


def list_documents(store: Store) -> list[dict[str, Any]]:
    """Every stored document with the number of items of each kind."""
    with store.sessions() as s:
        docs = s.scalars(select(DocumentRow).order_by(DocumentRow.id)).all()
        counts: dict[str, dict[int, int]] = {}
        for kind, (row_type, _) in _KINDS.items():
            rows = s.execute(select(row_type.document_id, func.count()).group_by(row_type.document_id)).all()
            counts[kind] = dict(rows)
        return [
            {
                "id": d.id,
                "hash": d.content_hash,
                "source": d.source,
                "title": d.title,
                "published": d.published,
                "url": d.url,
                **{k: counts[k].get(d.id, 0) for k in _KINDS},
            }
            for d in docs
        ]


def get_document(store: Store, ref: str | int) -> dict[str, Any]:
    """A stored document (by id or content-hash prefix) in the ``--json`` shape of ``ingest``."""
    with store.sessions() as s:
        doc = None
        if str(ref).isdigit() and int(ref) <= MAX_ROW_ID:
            doc = s.get(DocumentRow, int(ref))
        if doc is None and len(str(ref)) >= 4:
            rows = s.scalars(select(DocumentRow).where(DocumentRow.content_hash.startswith(str(ref)))).all()
            doc = rows[0] if len(rows) == 1 else None
        if doc is None:
            raise InputError(
                "no stored document with this id or hash",
                field="document",
                value=str(ref),
                allowed="an id or hash prefix from 'evidence list'",
            )
        out: dict[str, Any] = {
            "source": doc.source,
            "url": doc.url,
            "title": doc.title,
            "published": doc.published,
            "text": doc.text,
        }
        for kind, (row_type, fields) in _KINDS.items():
            rows = s.scalars(
                select(row_type).where(row_type.document_id == doc.id).order_by(row_type.extraction_id, row_type.id)
            ).all()
            out[kind] = [_item(r, fields, _OPTIONAL[kind], doc.text) for r in rows]
        out["id"] = doc.id
        out["hash"] = doc.content_hash
        return out


def stored_claims(store: Store, actors: set[str] | None = None, issues: set[str] | None = None) -> list[dict[str, Any]]:
    """Stored claims (optionally only these actors and issues), each with its document's source."""
    with store.sessions() as s:
        q = select(ClaimRow, DocumentRow.source).join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        out = []
        seen = set()
        for claim, source in s.execute(q.order_by(ClaimRow.id)).all():
            if actors is not None and claim.actor not in actors or issues is not None and claim.issue not in issues:
                continue
            # The same sentence read against two scenario versions counts once.
            key = (claim.document_id, claim.actor, claim.issue, claim.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "actor": claim.actor,
                    "issue": claim.issue,
                    "position": claim.position,
                    "confidence": claim.confidence,
                    "text": claim.text,
                    "start": claim.start,
                    "end": claim.end,
                    "document": source,
                }
            )
        return out


def extracted_hashes(store: Store, content_hashes: list[str], scenario_digest: str) -> set[str]:
    """The content hashes among ``content_hashes`` already stored with an extraction for this scenario version."""
    if not content_hashes:
        return set()
    found: set[str] = set()
    with store.sessions() as s:
        unique = sorted(set(content_hashes))
        for start in range(0, len(unique), 500):  # bounded IN lists
            q = (
                select(DocumentRow.content_hash)
                .join(ExtractionRow, ExtractionRow.document_id == DocumentRow.id)
                .where(
                    DocumentRow.content_hash.in_(unique[start : start + 500]),
                    ExtractionRow.scenario_hash == scenario_digest,
                )
            )
            found.update(s.scalars(q).all())
    return found
