"""`backchannel forecast`: where the bargaining is likely to land, per issue."""
from __future__ import annotations

from rich.table import Table

from ..files import load_scenario
from ..models import get_model
from ..scenario.arrays import to_arrays
from ..store import Store
from .options import DbOption, JsonOption, ScenarioArgument, SeedOption
from .output import console, fmt, print_json


def forecast(
    scenario: ScenarioArgument = "ukraine-2025",
    seed: SeedOption = 0,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Forecast the outcome of each issue and record the run in the store.

    Examples: backchannel forecast; backchannel forecast my-case.yaml --json
    """
    s = load_scenario(scenario)
    arrays = to_arrays(s)
    models = ["compromise"]
    results = {name: get_model(name).solve(arrays).to_dict() for name in models}
    payload = {"scenario": s.id, "seed": seed, "models": results}
    run_id = Store(db).record_run(s, models=models, parameters={"draws": 0}, seed=seed, results=payload)
    payload["run_id"] = run_id
    if json_:
        print_json(payload)
        return
    table = Table(title=f"Forecast: {s.title or s.id} (run {run_id}; each issue on its 0–100 scale)")
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for name in models:
        table.add_column(name, justify="right")
    for issue in s.issues:
        table.add_row(issue.name if issue.name != issue.id else issue.id, fmt(issue.status_quo),
                      *(fmt(results[m]["outcome"][issue.id]) for m in models))
    console.print(table)

