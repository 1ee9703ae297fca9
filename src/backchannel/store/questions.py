"""The question ledger in the store: questions, dated probabilities from forecast runs, resolutions.

Records and resolutions are only ever inserted: a record is never edited, and a second resolution
(an amendment) is a new row that supersedes the earlier ones, so the whole history stays readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..scenario.errors import InputError
from .repository import Store
from .tables import QuestionRecordRow, QuestionResolutionRow, QuestionRow

__all__ = [
    "NewRecord",
    "Question",
    "Record",
    "Resolution",
    "add_question",
    "add_records",
    "add_resolution",
    "get_question",
    "questions_for",
    "questions",
    "records",
    "resolutions",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Question:
    """A resolvable question about a scenario."""

    id: str
    scenario: str
    outcome: str
    resolves_by: dt.date
    criteria: str
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "scenario": self.scenario,
            "outcome": self.outcome,
            "resolves_by": self.resolves_by.isoformat(),
            "criteria": self.criteria,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class NewRecord:
    """A probability to record for a question in a run."""

    question: str
    model: str
    headline: bool
    probability: float
    choices: int


@dataclass(frozen=True)
class Record:
    """A recorded probability (never edited)."""

    id: int
    question: str
    run_id: int
    model: str
    headline: bool
    probability: float
    choices: int
    as_of: dt.date

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "question": self.question,
            "run_id": self.run_id,
            "model": self.model,
            "headline": self.headline,
            "probability": self.probability,
            "choices": self.choices,
            "as_of": self.as_of.isoformat(),
        }


@dataclass(frozen=True)
class Resolution:
    """A resolution entry; the newest entry of a question is the one in force."""

    id: int
    question: str
    answer: bool
    resolved_on: dt.date
    amend_reason: str | None
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "answer": "yes" if self.answer else "no",
            "resolved_on": self.resolved_on.isoformat(),
            "amend_reason": self.amend_reason,
            "created_at": self.created_at.isoformat(),
        }


def _question(r: QuestionRow) -> Question:
    return Question(r.id, r.scenario_id, r.outcome, r.resolves_by, r.criteria, r.created_at)


def add_question(store: Store, qid: str, scenario: str, outcome: str, resolves_by: dt.date, criteria: str) -> Question:
    """Insert a question; an InputError when the id is taken."""
    with store.sessions.begin() as s:
        if s.get(QuestionRow, qid) is not None:
            raise InputError(
                "a question with this id exists",
                field="QID",
                value=qid,
                allowed="a new id (see 'backchannel question list')",
            )
        row = QuestionRow(
            id=qid, scenario_id=scenario, outcome=outcome, resolves_by=resolves_by, criteria=criteria, created_at=_now()
        )
        s.add(row)
        s.flush()
        return _question(row)


def get_question(store: Store, qid: str) -> Question:
    """One question by id; an InputError naming the id when there is none."""
    with store.sessions() as s:
        row = s.get(QuestionRow, qid)
        if row is None:
            raise InputError(
                "no question with this id",
                field="QID",
                value=qid,
                allowed="an id listed by 'backchannel question list'",
            )
        return _question(row)


def questions(store: Store) -> list[Question]:
    """Every question, oldest first."""
    with store.sessions() as s:
        return [_question(r) for r in s.scalars(select(QuestionRow).order_by(QuestionRow.created_at, QuestionRow.id))]


def questions_for(store: Store, scenario: str) -> list[Question]:
    """The questions about a scenario id."""
    with store.sessions() as s:
        rows = s.scalars(select(QuestionRow).where(QuestionRow.scenario_id == scenario).order_by(QuestionRow.id))
        return [_question(r) for r in rows]


def add_records(store: Store, run_id: int, as_of: dt.date, new: list[NewRecord]) -> int:
    """Insert the probabilities of one run in one transaction; returns how many."""
    if not new:
        return 0
    with store.sessions.begin() as s:
        s.add_all(
            [
                QuestionRecordRow(
                    question_id=r.question,
                    run_id=run_id,
                    model=r.model,
                    headline=r.headline,
                    probability=float(r.probability),
                    choices=int(r.choices),
                    as_of=as_of,
                    created_at=_now(),
                )
                for r in new
            ]
        )
    return len(new)


def records(store: Store, qid: str | None = None) -> list[Record]:
    """Recorded probabilities (of one question, or all), in the order of their dates then runs."""
    with store.sessions() as s:
        q = select(QuestionRecordRow)
        if qid is not None:
            q = q.where(QuestionRecordRow.question_id == qid)
        rows = s.scalars(q.order_by(QuestionRecordRow.as_of, QuestionRecordRow.run_id, QuestionRecordRow.id))
        return [
            Record(r.id, r.question_id, r.run_id, r.model, r.headline, r.probability, r.choices, r.as_of) for r in rows
        ]


def add_resolution(store: Store, qid: str, answer: bool, on: dt.date, amend_reason: str | None) -> Resolution:
    """Insert a resolution entry (the caller checks whether an amendment is allowed)."""
    with store.sessions.begin() as s:
        row = QuestionResolutionRow(
            question_id=qid, answer=answer, resolved_on=on, amend_reason=amend_reason, created_at=_now()
        )
        s.add(row)
        s.flush()
        return Resolution(row.id, qid, row.answer, row.resolved_on, row.amend_reason, row.created_at)


def resolutions(store: Store, qid: str | None = None) -> list[Resolution]:
    """Resolution entries (of one question, or all), oldest first; the last one per question is in force."""
    with store.sessions() as s:
        q = select(QuestionResolutionRow)
        if qid is not None:
            q = q.where(QuestionResolutionRow.question_id == qid)
        rows = s.scalars(q.order_by(QuestionResolutionRow.id))
        return [Resolution(r.id, r.question_id, r.answer, r.resolved_on, r.amend_reason, r.created_at) for r in rows]
