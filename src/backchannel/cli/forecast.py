"""`backchannel forecast`: where the bargaining is likely to land, per issue and model."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer
from rich.panel import Panel
from rich.table import Table

from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models
from ..app.files import load_scenario
from ..app.results import ForecastRun
from ..app.service import Service
from ..ensemble import DISTRIBUTIONS, EXECUTORS
from ..models import model_names
from ..scenario.schema import Scenario
from .agreement import print_agreement
from .options import DbOption, JsonOption, RayAddressOption, ScenarioArgument, SeedOption, open_store
from .outcomes import outcomes_table
from .output import announce_compiles, console, fmt, print_json, progress_bar

ModelOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--model",
        "-m",
        help=f"A model to run; repeat for several (default: {HEADLINE_MODEL}). "
        "Models: " + ", ".join(model_names()) + ".",
    ),
]
DrawsOption = Annotated[
    int,
    typer.Option("--draws", "-n", min=0, help="Monte Carlo draws over the scenario's ranges (0: point forecast only)."),
]
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        help="Where draws are solved: " + ", ".join(EXECUTORS) + " (same results on each; ray needs the ray extra).",
    ),
]
DistributionOption = Annotated[
    str,
    typer.Option(
        "--distribution", help="How a range is sampled: " + ", ".join(DISTRIBUTIONS) + " (mode = the point value)."
    ),
]


def forecast(
    scenario: ScenarioArgument = "ukraine-2025",
    model: ModelOption = None,
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    executor: ExecutorOption = "serial",
    ray_address: RayAddressOption = None,
    distribution: DistributionOption = "pert",
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of",
            help="Replay on this date (YYYY-MM-DD): only evidence published on or before it (see docs/analysis.md).",
        ),
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Forecast the outcome of each issue with one or more models and record the run in the store.

    Examples: backchannel forecast; backchannel forecast my-case.yaml -m compromise -m nash --draws 10000 --json
    """
    s = load_scenario(scenario)
    service = Service(open_store(db))
    models = list(model or default_models())
    from ..app.ledger import parse_date  # the ledger module imports the store: loaded when the command runs

    date = parse_date(as_of, "--as-of") if as_of is not None else None
    kwargs: dict[str, Any] = dict(
        models=models, draws=draws, seed=seed, executor=executor, distribution=distribution, address=ray_address
    )
    announce_compiles(models)
    with progress_bar("Monte Carlo", enabled=bool(draws) and not json_) as progress:
        if date is not None:
            run = service.forecast_as_of(s, date, progress=progress, **kwargs)
        else:
            run = service.forecast(s, progress=progress, **kwargs)
    if json_:
        print_json(run.to_dict())
        return
    from ..report.narrative import headline_lines  # the report package is loaded when the command runs

    console.print(Panel("\n".join(headline_lines(s, service.headline(s, run))), title="Headline", title_align="left"))
    console.print(forecast_table(s, run))
    if "as_of" in run.extra:
        a = run.extra["as_of"]
        console.print(
            f"As of {a['as_of']}"
            + (f" (scenario version {a['version']})" if a.get("version") else "")
            + f": left out {len(a['dropped_positions'])} position(s) known only later"
            + (f" ({', '.join(a['dropped_positions'])})" if a["dropped_positions"] else ""),
            markup=False,
        )
    print_agreement(run.to_dict())
    if run.outcomes:
        console.print(outcomes_table(run.outcomes, s))


def forecast_table(s: Scenario, run: ForecastRun) -> Table:
    """Per issue: the status quo, then each model's point forecast and 5–95 % band side by side."""
    band = run.draws > 0
    title = f"Forecast: {s.title or s.id} (run {run.run_id}; 0–100 scale" + (
        f"; {run.draws:,} draws, seed {run.seed})" if band else ")"
    )
    table = Table(title=title)
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for name in run.models:
        table.add_column(name + (" [5–95 %]" if band else ""), justify="right")
    for issue in s.issues:
        row = [issue.id, fmt(issue.status_quo)]
        for m in run.models.values():
            cell = fmt(m.outcome[issue.id])
            d = m.band(issue.id) if band else None
            if d is not None:
                cell += "" if d["p05"] is None else f" [{fmt(d['p05'], 0)}–{fmt(d['p95'], 0)}]"
            row.append(cell)
        table.add_row(*row)
    return table
