"""Options shared by several commands, declared once."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

__all__ = ["DbOption", "JsonOption", "SeedOption", "ScenarioArgument"]

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", envvar="BACKCHANNEL_DB", show_envvar=True,
                 help="Database URL (sqlite:///file.db or postgresql://…); default: a SQLite file in your data folder."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of tables.")]
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Seed of the random number generator.")]
ScenarioArgument = Annotated[
    str, typer.Argument(help="A built-in scenario id (see 'scenario list') or a scenario file in any supported format.")
]
