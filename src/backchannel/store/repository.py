"""The store's operations: keep scenarios by content hash, record and read runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from .. import __version__
from ..scenario.errors import InputError
from ..scenario.formats.native import to_plain
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from ..scenario.validation import build_scenario
from .database import open_engine
from .tables import RunRow, ScenarioRow

__all__ = ["Store", "ensure_scenario_row"]

MAX_ROW_ID = (
    2**31 - 1
)  # every id column is a 32-bit INTEGER; larger ids overflow the drivers instead of matching nothing
PARSED_KEPT = 256  # validated scenarios kept per Store (a few hundred kB each at most)
# Built once so SQLAlchemy reuses their compiled form (the pages run them on every view).
_HASH_EXISTS = select(ScenarioRow.hash).where(ScenarioRow.hash == bindparam("ref"))
_RUN_SUMMARY = select(*(c for c in RunRow.__table__.c if c.name != "results")).where(RunRow.id == bindparam("id"))


def _no_run(run_id: int) -> InputError:
    return InputError(
        "no run with this id", field="run", value=run_id, allowed="an id listed by 'backchannel runs list'"
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def ensure_scenario_row(session: Session, scenario: Scenario) -> str:
    """Add the scenario's row in this transaction unless its content is stored already; return its hash."""
    digest = scenario_hash(scenario)
    if session.get(ScenarioRow, digest) is None:
        values = {
            "hash": digest,
            "scenario_id": scenario.id,
            "title": scenario.title,
            "content": to_plain(scenario),
            "created_at": _now(),
        }
        dialect = session.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            # another process may store the same content between the look-up and the insert (several forecasts
            # of one scenario at once): the row is then there, which is all this needs
            # each dialect's insert is imported here: a command on SQLite never loads the PostgreSQL dialect
            if dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                session.execute(pg_insert(ScenarioRow).values(**values).on_conflict_do_nothing(index_elements=["hash"]))
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                session.execute(
                    sqlite_insert(ScenarioRow).values(**values).on_conflict_do_nothing(index_elements=["hash"])
                )
        else:
            session.add(ScenarioRow(**values))
            session.flush()
    return digest


class Store:
    """Scenarios and runs in a SQLite file (default) or PostgreSQL (by URL)."""

    def __init__(self, url: str | None = None) -> None:
        self.engine, self.sessions = open_engine(url)
        self._parsed: dict[str, Scenario] = {}  # hash -> validated scenario, oldest first

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- scenarios --------------------------------------------------------------------------
    def save_scenario(self, scenario: Scenario) -> str:
        """Store a scenario (once per content) and return its hash."""
        with self.sessions.begin() as s:
            return ensure_scenario_row(s, scenario)

    def scenario(self, ref: str) -> Scenario:
        """A stored scenario by hash (or unique hash prefix), or the newest version of an id."""
        return self.scenario_version(ref)[1]

    def scenario_version(self, ref: str) -> tuple[str, Scenario]:
        """(hash, scenario) of a stored scenario by hash, unique hash prefix, or id (its newest version).

        Rows are content-addressed and never change, so each hash is validated once and kept: a page that shows
        a scenario costs one indexed look-up of the hash, not a JSON decode and a validation of its content.
        """
        with self.engine.connect() as c:  # Core, not the ORM: these look-ups run on every page view
            digest = c.execute(_HASH_EXISTS, {"ref": ref}).scalar()
        with self.sessions() as s:
            hashes = select(ScenarioRow.hash)
            if digest is None and ref:  # an empty prefix would match every version
                prefixed = s.scalars(hashes.where(ScenarioRow.hash.startswith(ref, autoescape=True)).limit(2)).all()
                if len(prefixed) == 1:
                    digest = prefixed[0]
            if digest is None:
                digest = s.scalar(
                    hashes.where(ScenarioRow.scenario_id == ref).order_by(ScenarioRow.created_at.desc()).limit(1)
                )
            if digest is None:
                raise InputError("no stored scenario with this hash or id", field="scenario", value=ref)
            scenario = self._parsed.get(digest)
            if scenario is None:
                content = s.scalar(select(ScenarioRow.content).where(ScenarioRow.hash == digest))
                scenario = build_scenario(content, file=f"store:{digest[:12]}")
                if len(self._parsed) >= PARSED_KEPT:
                    del self._parsed[next(iter(self._parsed))]
                self._parsed[digest] = scenario
            return digest, scenario

    def scenarios(self) -> list[dict[str, Any]]:
        """Every stored scenario version: hash, id, title, time."""
        with self.sessions() as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at)).all()
            return [
                {"hash": r.hash, "id": r.scenario_id, "title": r.title, "created_at": r.created_at.isoformat()}
                for r in rows
            ]

    # -- runs -------------------------------------------------------------------------------
    def record_run(
        self,
        scenario: Scenario,
        *,
        models: list[str],
        parameters: dict[str, Any],
        seed: int,
        results: dict[str, Any],
        status: str = "ok",
        kind: str = "forecast",
    ) -> int:
        """Record a finished run and its scenario in one transaction; return the run id."""
        with self.sessions.begin() as s:
            digest = ensure_scenario_row(s, scenario)
            row = RunRow(
                kind=kind,
                scenario_hash=digest,
                scenario_id=scenario.id,
                models=list(models),
                parameters=parameters,
                seed=int(seed),
                version=__version__,
                created_at=_now(),
                status=status,
                results=results,
            )
            s.add(row)
            s.flush()
            return row.id

    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs, newest first (without their results)."""
        with self.sessions() as s:
            rows = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)).all()
            return [self._run_summary(r) for r in rows]

    def previous_run(
        self, scenario_id: str, before: int | None = None, kind: str = "forecast"
    ) -> dict[str, Any] | None:
        """The newest ``kind`` run of the scenario with this id (any version) older than run ``before``
        (the newest of all when None), with its results; None when there is none."""
        with self.sessions() as s:
            query = select(RunRow).where(RunRow.scenario_id == scenario_id, RunRow.kind == kind)
            if before is not None:
                query = query.where(RunRow.id < before)
            row = s.scalars(query.order_by(RunRow.id.desc()).limit(1)).first()
            return None if row is None else {**self._run_summary(row), "results": row.results}

    def run(self, run_id: int) -> dict[str, Any]:
        """One run with everything needed to reproduce it, and its results."""
        with self.sessions() as s:
            row = s.get(RunRow, run_id) if 0 <= run_id <= MAX_ROW_ID else None
            if row is None:
                raise _no_run(run_id)
            return {**self._run_summary(row), "results": row.results}

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """One run without its results: a cheap look-up (``created_at`` tells a cached copy is still this run)."""
        with self.engine.connect() as c:
            row = c.execute(_RUN_SUMMARY, {"id": run_id}).first() if 0 <= run_id <= MAX_ROW_ID else None
            if row is None:
                raise _no_run(run_id)
            return self._run_summary(row)

    @staticmethod
    def _run_summary(r: RunRow | Row[Any]) -> dict[str, Any]:
        return {
            "id": r.id,
            "kind": r.kind,
            "scenario": r.scenario_id,
            "scenario_hash": r.scenario_hash,
            "models": r.models,
            "parameters": r.parameters,
            "seed": r.seed,
            "version": r.version,
            "created_at": r.created_at.isoformat(),
            "status": r.status,
        }
