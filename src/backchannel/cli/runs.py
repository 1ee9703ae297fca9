"""`backchannel runs …`: the recorded runs, with what is needed to reproduce each."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..app.service import Service
from .options import DbOption, JsonOption, open_store
from .output import console, fmt, print_json

app = typer.Typer(help="List and show recorded runs.", no_args_is_help=True)


@app.command("list")
def list_(
    db: DbOption = None,
    json_: JsonOption = False,
    limit: Annotated[int, typer.Option(min=1, help="How many of the newest runs.")] = 20,
) -> None:
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
        table.add_row(
            str(r["id"]),
            r["kind"],
            f"{r['scenario']} ({r['scenario_hash'][:8]})",
            ", ".join(r["models"]),
            str(r["seed"]),
            str(r["parameters"].get("draws", "")),
            r["version"],
            r["created_at"][:19],
            r["status"],
        )
    console.print(table)


@app.command()
def show(
    run_id: Annotated[int, typer.Argument(help="Run id from 'runs list'.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one run: scenario hash, models, parameters, seed, version and results.

    Example: backchannel runs show 3 --json
    """
    run = Service(open_store(db)).run(run_id)
    if json_:
        print_json(run)
        return
    for key in (
        "id",
        "kind",
        "scenario",
        "scenario_hash",
        "models",
        "parameters",
        "seed",
        "version",
        "created_at",
        "status",
    ):
        console.print(f"[bold]{key}[/bold]: {run[key]}")
    print_json(run["results"])


def _percent(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f} %"


@app.command()
def compare(
    a: Annotated[int, typer.Argument(help="The earlier run's id.")],
    b: Annotated[int, typer.Argument(help="The later run's id.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Show what changed from forecast run A to run B: inputs, per-issue forecasts and probabilities.

    Example: backchannel runs compare 3 7
    """
    c = Service(open_store(db)).compare_runs(a, b)
    if json_:
        print_json(c)
        return
    if c["settings"]:
        t = Table(title=f"Inputs that differ (run {a} → run {b})")
        for col in ("input", f"run {a}", f"run {b}"):
            t.add_column(col)
        for k, v in c["settings"].items():
            t.add_row(k, str(v["a"]), str(v["b"]))
        console.print(t)
    else:
        console.print(f"Runs {a} and {b} have the same inputs.", markup=False)
    if c["positions"]:
        t = Table(title="Scenario changes")
        for col in ("actor", "issue", "field", f"run {a}", f"run {b}"):
            t.add_column(col)
        for p in c["positions"]:
            t.add_row(p["actor"], p["issue"], p["field"], fmt(p["a"], 2), fmt(p["b"], 2))
        console.print(t)
    for m in c["models"]:
        t = Table(title=f"{m}: forecast per issue")
        for col in ("issue", f"run {a}", f"run {b}", "change"):
            t.add_column(col, justify="left" if col == "issue" else "right")
        for issue, row in c["issues"][m].items():
            p = row["point"]
            t.add_row(issue, fmt(p["a"]), fmt(p["b"]), "–" if p["change"] is None else f"{p['change']:+.1f}")
        console.print(t)
        if m in c["outcomes"]:
            t = Table(title=f"{m}: probabilities")
            for col in ("outcome", f"run {a}", f"run {b}", "change"):
                t.add_column(col, justify="left" if col == "outcome" else "right")
            for k, p in c["outcomes"][m].items():
                t.add_row(
                    k,
                    _percent(p["a"]),
                    _percent(p["b"]),
                    "–" if p["change"] is None else f"{100 * p['change']:+.1f} pts",
                )
            console.print(t)
