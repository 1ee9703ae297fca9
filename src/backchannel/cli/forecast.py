"""`backchannel forecast`: where the bargaining is likely to land, per issue."""
from __future__ import annotations

from rich.table import Table

from ..files import load_scenario
from ..service import Service
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
    payload = Service(Store(db)).forecast(s, seed=seed)
    if json_:
        print_json(payload)
        return
    models = list(payload["models"])
    table = Table(title=f"Forecast: {s.title or s.id} (run {payload['run_id']}; each issue on its 0–100 scale)")
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for name in models:
        table.add_column(name, justify="right")
    for issue in s.issues:
        table.add_row(issue.name, fmt(issue.status_quo),
                      *(fmt(payload["models"][m]["outcome"][issue.id]) for m in models))
    console.print(table)
