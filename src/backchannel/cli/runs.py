"""`backchannel runs …`: the recorded runs, with what is needed to reproduce each."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..app.service import Service
from .options import DbOption, JsonOption, open_store
from .output import console, print_json

app = typer.Typer(help="List and show recorded runs.", no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False,
          limit: Annotated[int, typer.Option(min=1, help="How many of the newest runs.")] = 20) -> None:
    """List the newest runs.

    Example: backchannel runs list --limit 5
    """
    runs = Service(open_store(db)).runs(limit)
    if json_:
        print_json(runs)
        return
    table = Table(title="Runs")
    for col in ("id", "kind", "scenario", "models", "seed", "draws", "version", "time", "status"):
        table.add_column(col)
    for r in runs:
        table.add_row(str(r["id"]), r["kind"], f"{r['scenario']} ({r['scenario_hash'][:8]})", ", ".join(r["models"]),
                      str(r["seed"]), str(r["parameters"].get("draws", "")), r["version"], r["created_at"][:19],
                      r["status"])
    console.print(table)


@app.command()
def show(run_id: Annotated[int, typer.Argument(help="Run id from 'runs list'.")],
         db: DbOption = None, json_: JsonOption = False) -> None:
    """Show one run: scenario hash, models, parameters, seed, version and results.

    Example: backchannel runs show 3 --json
    """
    run = Service(open_store(db)).run(run_id)
    if json_:
        print_json(run)
        return
    for key in ("id", "kind", "scenario", "scenario_hash", "models", "parameters", "seed", "version",
                "created_at", "status"):
        console.print(f"[bold]{key}[/bold]: {run[key]}")
    print_json(run["results"])
