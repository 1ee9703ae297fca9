"""`backchannel forecast`: where the bargaining is likely to land, per issue and model."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.panel import Panel
from rich.table import Table

from ..ensemble import DISTRIBUTIONS, EXECUTORS
from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models
from ..app.files import load_scenario
from ..models import get_model, model_names
from ..scenario.errors import InputError
from ..app.service import Service
from ..store import Store
from ..report.narrative import headline_lines
from .outcomes import outcomes_table, probabilities_from_payload
from .options import DbOption, JsonOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, err_console, fmt, print_json

ModelOption = Annotated[
    Optional[list[str]],
    typer.Option("--model", "-m", help=f"A model to run; repeat for several (default: {HEADLINE_MODEL}). "
                 "Models: " + ", ".join(model_names()) + "."),
]
DrawsOption = Annotated[int, typer.Option(
    "--draws", "-n", min=0, help="Monte Carlo draws over the scenario's ranges (0: point forecast only).")]
ExecutorOption = Annotated[str, typer.Option("--executor", help="Where draws are solved: " + ", ".join(EXECUTORS)
                                             + " (same results either way).")]
DistributionOption = Annotated[str, typer.Option("--distribution", help="How a range is sampled: "
                                                 + ", ".join(DISTRIBUTIONS) + " (mode = the point value).")]


def forecast(
    scenario: ScenarioArgument = "ukraine-2025",
    model: ModelOption = None,
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    executor: ExecutorOption = "serial",
    distribution: DistributionOption = "pert",
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Forecast the outcome of each issue with one or more models and record the run in the store.

    Examples: backchannel forecast; backchannel forecast my-case.yaml -m compromise -m nash --draws 10000 --json
    """
    s = load_scenario(scenario)
    service = Service(Store(db))
    models = list(model or default_models())
    for name in models:  # bad names fail here, before a progress bar is drawn
        get_model(name)
    check_choice("executor", executor, EXECUTORS)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    kwargs = dict(models=models, draws=draws, seed=seed, executor=executor, distribution=distribution)
    announce_compiles(models)
    if draws and not json_:
        columns = (TextColumn("Monte Carlo"), BarColumn(), MofNCompleteColumn(), TextColumn("solves"),
                   TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("draws", total=None)
            payload = service.forecast(s, progress=lambda done, total: bar.update(task, completed=done, total=total),
                                       **kwargs)
    else:
        payload = service.forecast(s, **kwargs)
    if json_:
        print_json(payload)
        return
    console.print(Panel("\n".join(headline_lines(s, service.headline(s, payload, run_id=payload["run_id"]))),
                        title="Headline", title_align="left"))
    console.print(forecast_table(s, payload))
    if payload.get("outcomes"):
        console.print(outcomes_table(probabilities_from_payload(payload), s))


def check_choice(field: str, value: str, allowed) -> None:
    """An InputError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise InputError(f"unknown {field}", field=field, value=value, allowed=", ".join(allowed))


def forecast_table(s, payload) -> Table:
    """Per issue: the status quo, then each model's point forecast and 5–95 % band side by side."""
    names = list(payload["models"])
    band = payload["draws"] > 0
    title = (f"Forecast: {s.title or s.id} (run {payload['run_id']}; 0–100 scale"
             + (f"; {payload['draws']:,} draws, seed {payload['seed']})" if band else ")"))
    table = Table(title=title)
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for name in names:
        table.add_column(name + (" [5–95 %]" if band else ""), justify="right")
    for issue in s.issues:
        row = [issue.id, fmt(issue.status_quo)]
        for name in names:
            m = payload["models"][name]
            cell = fmt(m["outcome"][issue.id])
            if band:
                d = m["distribution"][issue.id]
                cell += "" if d["p05"] is None else f" [{fmt(d['p05'], 0)}–{fmt(d['p95'], 0)}]"
            row.append(cell)
        table.add_row(*row)
    return table
