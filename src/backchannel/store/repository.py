"""The store's operations: keep scenarios by content hash, record and read runs."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from .. import __version__
from ..scenario.errors import InputError
from ..scenario.formats.native import to_plain
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from ..scenario.validation import build_scenario
from .database import open_engine
from .tables import RunRow, ScenarioRow

__all__ = ["Store"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Store:
    """Scenarios and runs in a SQLite file (default) or PostgreSQL (by URL)."""

    def __init__(self, url: str | None = None) -> None:
        self.engine, self.sessions = open_engine(url)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- scenarios --------------------------------------------------------------------------
    def save_scenario(self, scenario: Scenario) -> str:
        """Store a scenario (once per content) and return its hash."""
        digest = scenario_hash(scenario)
        with self.sessions.begin() as s:
            if s.get(ScenarioRow, digest) is None:
                s.add(ScenarioRow(hash=digest, scenario_id=scenario.id, title=scenario.title,
                                  content=to_plain(scenario), created_at=_now()))
        return digest

    def scenario(self, ref: str) -> Scenario:
        """A stored scenario by hash (or unique hash prefix), or the newest version of an id."""
        with self.sessions() as s:
            row = s.get(ScenarioRow, ref)
            if row is None:
                rows = s.scalars(select(ScenarioRow).where(ScenarioRow.hash.startswith(ref, autoescape=True))).all()
                if len(rows) == 1:
                    row = rows[0]
            if row is None:
                row = s.scalars(select(ScenarioRow).where(ScenarioRow.scenario_id == ref)
                                .order_by(ScenarioRow.created_at.desc())).first()
            if row is None:
                raise InputError("no stored scenario with this hash or id", field="scenario", value=ref)
            return build_scenario(row.content, file=f"store:{row.hash[:12]}")

    def scenarios(self) -> list[dict[str, Any]]:
        """Every stored scenario version: hash, id, title, time."""
        with self.sessions() as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at)).all()
            return [{"hash": r.hash, "id": r.scenario_id, "title": r.title,
                     "created_at": r.created_at.isoformat()} for r in rows]

    # -- runs -------------------------------------------------------------------------------
    def record_run(self, scenario: Scenario, *, models: list[str], parameters: dict[str, Any], seed: int,
                   results: dict[str, Any], status: str = "ok", kind: str = "forecast") -> int:
        """Record a finished run and its scenario in one transaction; return the run id."""
        digest = scenario_hash(scenario)
        with self.sessions.begin() as s:
            if s.get(ScenarioRow, digest) is None:
                s.add(ScenarioRow(hash=digest, scenario_id=scenario.id, title=scenario.title,
                                  content=to_plain(scenario), created_at=_now()))
                s.flush()
            row = RunRow(kind=kind, scenario_hash=digest, scenario_id=scenario.id, models=list(models),
                         parameters=parameters, seed=int(seed), version=__version__, created_at=_now(),
                         status=status, results=results)
            s.add(row)
            s.flush()
            return row.id

    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs, newest first (without their results)."""
        with self.sessions() as s:
            rows = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)).all()
            return [self._run_summary(r) for r in rows]

    def run(self, run_id: int) -> dict[str, Any]:
        """One run with everything needed to reproduce it, and its results."""
        with self.sessions() as s:
            row = s.get(RunRow, run_id)
            if row is None:
                raise InputError("no run with this id", field="run", value=run_id,
                                 allowed="an id listed by 'backchannel runs list'")
            return {**self._run_summary(row), "results": row.results}

    @staticmethod
    def _run_summary(r: RunRow) -> dict[str, Any]:
        return {"id": r.id, "kind": r.kind, "scenario": r.scenario_id, "scenario_hash": r.scenario_hash,
                "models": r.models, "parameters": r.parameters, "seed": r.seed, "version": r.version,
                "created_at": r.created_at.isoformat(), "status": r.status}
