"""`backchannel markets`: the scenario's declared market moves weighted by outcome probabilities."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..analysis.markets import DISCLAIMER, market_impacts
from ..analysis.outcomes import UNNAMED, forecast_outcomes
from ..ensemble import run_forecast
from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL
from ..app.files import load_scenario
from .options import JsonOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, fmt, print_json

__all__ = ["markets"]


def markets(
    scenario: ScenarioArgument = "ukraine-2025",
    model: Annotated[str, typer.Option("--model", "-m", help="Model whose outcome probabilities weight the moves.")]
    = HEADLINE_MODEL,
    draws: Annotated[int, typer.Option(min=1, help="Monte Carlo draws of the forecast.")] = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    json_: JsonOption = False,
) -> None:
    """Market moves implied by the named outcomes' probabilities: expected, 5–95 %, driver.

    A transparent scenario-weighting tool, not a price model: it weights the moves the scenario
    declares per named outcome. Example: backchannel markets --json
    """
    s = load_scenario(scenario)
    announce_compiles([model])
    fc = run_forecast(s, [model], draws, seed)
    probs = forecast_outcomes(fc, s)[model]
    impacts = market_impacts(probs.probability, s, seed=seed)
    if json_:
        print_json({"scenario": s.id, "model": model, "draws": draws, "seed": seed, "disclaimer": DISCLAIMER,
                    "outcomes": probs.probability, "variables": {k: v.to_dict() for k, v in impacts.items()}})
        return
    odds = ", ".join(f"{k} {v:.0%}" for k, v in probs.probability.items())
    table = Table(title=f"Market impacts under {model} ({odds})", caption=DISCLAIMER)
    for col in ("variable", "unit", "expected", "5 %", "95 %", "driven by"):
        table.add_column(col, justify="right" if col in ("expected", "5 %", "95 %") else "left")
    for imp in impacts.values():
        driver = "no named outcome" if imp.driver == UNNAMED else imp.driver
        table.add_row(imp.name, imp.unit, fmt(imp.expected), fmt(imp.p05), fmt(imp.p95), driver)
    console.print(table)
