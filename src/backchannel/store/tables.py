"""The store's tables (SQLAlchemy 2 ORM): scenarios by content hash, and runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..scenario.bounds import MAX_SEED

__all__ = ["Base", "MAX_SEED", "QuestionRecordRow", "QuestionResolutionRow", "QuestionRow", "RunRow", "ScenarioRow"]


class Base(DeclarativeBase):
    """Declarative base of every table; migrations in ``store/migrations`` mirror it."""


class ScenarioRow(Base):
    """One version of a scenario, keyed by the hash of its content."""

    __tablename__ = "scenarios"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """A finished (or failed) forecast: everything needed to reproduce it, and its results."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), default="forecast")
    scenario_hash: Mapped[str] = mapped_column(ForeignKey("scenarios.hash"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    models: Mapped[list[str]] = mapped_column(JSON)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))
    results: Mapped[dict[str, Any]] = mapped_column(JSON)


class QuestionRow(Base):
    """A resolvable question about a scenario: will a named outcome (or a deal) come true by a date."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    outcome: Mapped[str] = mapped_column(String(200))
    resolves_by: Mapped[dt.date] = mapped_column(Date)
    criteria: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class QuestionRecordRow(Base):
    """One model's probability of a question in one forecast run, dated by the run (or its as-of date).

    Written once when the run is recorded and never edited; ``choices`` is the number of named outcomes
    plus one (the unnamed share) of the scenario version run, which the uniform baseline needs.
    """

    __tablename__ = "question_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    model: Mapped[str] = mapped_column(String(100))
    headline: Mapped[bool] = mapped_column(Boolean)
    probability: Mapped[float] = mapped_column(Float)
    choices: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class QuestionResolutionRow(Base):
    """A question's resolution; a later row (an amendment, with its reason) supersedes earlier ones."""

    __tablename__ = "question_resolutions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    answer: Mapped[bool] = mapped_column(Boolean)
    resolved_on: Mapped[dt.date] = mapped_column(Date)
    amend_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
