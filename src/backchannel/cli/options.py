"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..scenario.bounds import MAX_SEED
from ..scenario.errors import InputError

__all__ = [
    "DbOption",
    "ExecutorOption",
    "JsonOption",
    "RayAddressOption",
    "SeedOption",
    "ScenarioArgument",
    "open_store",
]

DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="BACKCHANNEL_DB",
        show_envvar=True,
        help="Database URL (sqlite:///file.db or postgresql://…); default: a SQLite file in your data folder.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of tables.")]


def _seed(value: int) -> int:
    """The seed, or one line and exit 2 past what a run can record (the web app's bound too)."""
    if not 0 <= value <= MAX_SEED:
        raise InputError("seed out of range", field="seed", value=value, allowed=f"a whole number in 0..{MAX_SEED}")
    return value


SeedOption = Annotated[
    int, typer.Option("--seed", callback=_seed, help=f"Seed of the random number generator (0..{MAX_SEED}).")
]
ScenarioArgument = Annotated[
    str, typer.Argument(help="A built-in scenario id (see 'scenario list') or a scenario file in any supported format.")
]
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        help="Where the work runs: serial, processes (this machine's cores) or ray (a Ray cluster; "
        "the ray extra). Same results on each.",
    ),
]
RayAddressOption = Annotated[
    Optional[str],
    typer.Option(
        "--ray-address",
        envvar="RAY_ADDRESS",
        show_envvar=True,
        help="The Ray cluster for --executor ray (e.g. ray://head:10001 or head:6379); default: a local cluster.",
    ),
]


def open_store(db: str | None):  # -> backchannel.store.Store, imported here only when a command opens a store
    """The store at ``db`` (default: ``BACKCHANNEL_DB`` or the user's SQLite file), opened now, so that a bad
    URL fails before any work. SQLAlchemy is imported only by the commands that use a store."""
    from ..store import Store

    return Store(db)
