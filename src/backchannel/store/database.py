"""Opening the store: the database URL, the engine, and migrations to the current schema."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..scenario.errors import InputError

__all__ = ["default_url", "open_engine"]

MIGRATIONS = Path(__file__).with_name("migrations")


def default_url() -> str:
    """``BACKCHANNEL_DB`` if set, else a SQLite file in the user's data folder."""
    env = os.environ.get("BACKCHANNEL_DB")
    if env:
        return env
    folder = Path(user_data_dir("backchannel", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'backchannel.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def open_engine(url: str | None = None) -> tuple[Engine, sessionmaker[Session]]:
    """An engine on ``url`` (default: :func:`default_url`) migrated to the latest schema."""
    url = url or default_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            parent = Path(url.removeprefix("sqlite:///")).expanduser().parent
            if not parent.exists():
                raise InputError("the database's folder does not exist", field="db", value=url,
                                 allowed="a URL such as sqlite:///path/to/file.db or postgresql://user@host/db")
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise InputError(f"cannot use this database URL: {exc}", field="db", value=url,
                         allowed="sqlite:///path/to/file.db or postgresql://user:password@host/db") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InputError(f"cannot open the database: {reason}", field="db", value=engine.url.render_as_string(),
                         allowed="a reachable SQLite file or PostgreSQL server") from None
    return engine, sessionmaker(engine, expire_on_commit=False)
