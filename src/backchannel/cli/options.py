"""Options shared by several commands, declared once."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..scenario.errors import InputError
from ..store.tables import MAX_SEED

__all__ = ["DbOption", "JsonOption", "SeedOption", "ScenarioArgument"]

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", envvar="BACKCHANNEL_DB", show_envvar=True,
                 help="Database URL (sqlite:///file.db or postgresql://…); default: a SQLite file in your data folder."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of tables.")]


def _seed(value: int) -> int:
    """The seed, or one line and exit 2 past what a run can record (the web app's bound too)."""
    if not 0 <= value <= MAX_SEED:
        raise InputError("seed out of range", field="seed", value=value, allowed=f"a whole number in 0..{MAX_SEED}")
    return value


SeedOption = Annotated[int, typer.Option("--seed", callback=_seed,
                                         help=f"Seed of the random number generator (0..{MAX_SEED}).")]
ScenarioArgument = Annotated[
    str, typer.Argument(help="A built-in scenario id (see 'scenario list') or a scenario file in any supported format.")
]
