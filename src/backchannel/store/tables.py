"""The store's tables (SQLAlchemy 2 ORM): scenarios by content hash, and runs."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "MAX_SEED", "RunRow", "ScenarioRow"]

#: The largest seed a run can record: ``runs.seed`` is a 32-bit INTEGER on SQLite and PostgreSQL alike.
MAX_SEED = 2**31 - 1


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
