"""Opening the store: the database URL, the engine, and migrations to the current schema."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from ..scenario.errors import InputError

__all__ = ["default_url", "open_engine"]

MIGRATIONS = Path(__file__).with_name("migrations")
#: The key of the PostgreSQL advisory lock held while migrating (any fixed 64-bit number; "backchnl").
MIGRATION_LOCK_KEY = 0x6261636B63686E6C


def default_url() -> str:
    """``BACKCHANNEL_DB`` if set, else a SQLite file in the user's data folder."""
    env = os.environ.get("BACKCHANNEL_DB")
    if env:
        return env
    from platformdirs import user_data_dir  # only when no URL is given

    folder = Path(user_data_dir("backchannel", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'backchannel.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The code's schema version: the migration no other migration revises, read from the files in
    ``migrations/versions`` without importing Alembic ("" unless there is exactly one)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M):
            revisions.add(found.group(1))
        if found := re.search(r"^down_revision\s*=\s*(.+)$", source, re.M):
            revised.update(re.findall(r"['\"]([^'\"]+)['\"]", found.group(1)))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else ""


def stored_revision(engine: Engine) -> str | None:
    """The schema version recorded in the database (one query), or None without one."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):  # no table yet (or no server: the upgrade says so)
        return None


def _upgrade(engine: Engine) -> None:
    """Run Alembic's upgrade to the newest schema, under the migration lock (processes that open a new store
    at once migrate it one after another; each later one finds it at the head and does nothing)."""
    from alembic import command  # imported only when the stored schema is not the code's
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine), engine.begin() as conn:
        _lock_in_transaction(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(url: str | None = None) -> tuple[Engine, sessionmaker[Session]]:
    """An engine on ``url`` (default: :func:`default_url`) migrated to the latest schema.

    The migrations run (through Alembic) only when the stored schema version differs from the code's,
    which one query tells; a store already at the newest schema opens without importing Alembic."""
    url = url or default_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            parent = Path(url.removeprefix("sqlite:///")).expanduser().parent
            if not parent.exists():
                raise InputError(
                    "the database's folder does not exist",
                    field="db",
                    value=url,
                    allowed="a URL such as sqlite:///path/to/file.db or postgresql://user@host/db",
                )
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise InputError(
            f"cannot use this database URL: {exc}",
            field="db",
            value=url,
            allowed="sqlite:///path/to/file.db or postgresql://user:password@host/db",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if stored_revision(engine) != head_revision() or not head_revision():
            _upgrade(engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InputError(
            f"cannot open the database: {reason}",
            field="db",
            value=engine.url.render_as_string(),
            allowed="a reachable SQLite file or PostgreSQL server",
        ) from None
    return engine, sessionmaker(engine, expire_on_commit=False)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock while migrating a SQLite file, so that processes opening a new store at once migrate it one
    after another (each later one finds it at the head and does nothing): an exclusive ``flock`` on
    ``<file>.lock`` beside the database (POSIX; elsewhere, and in memory, nothing to hold)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own busy timeout is all there is
        yield
        return
    with open(Path(database).expanduser().with_name(Path(database).name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits for the process that migrates
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_in_transaction(conn: Connection) -> None:
    """On PostgreSQL, a transaction-scoped advisory lock: concurrent first opens wait for the one that
    migrates, then see its tables (released at commit or rollback)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
