"""`backchannel markets`: the scenario's declared market moves weighted by outcome probabilities."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..analysis.outcomes import UNNAMED
from ..app.files import load_scenario
from ..app.service import Service
from .agreement import NO_VETO_NOTE
from .options import JsonOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, fmt, print_json

__all__ = ["markets"]


def markets(
    scenario: ScenarioArgument = "ukraine-2025",
    model: Annotated[str, typer.Option("--model", "-m", help="Model whose outcome probabilities weight the moves.")]
    = "compromise",
    draws: Annotated[int, typer.Option(min=1, help="Monte Carlo draws of the forecast.")] = 2000,
    seed: SeedOption = 0,
    json_: JsonOption = False,
) -> None:
    """Market moves implied by the named outcomes' probabilities: expected, 5–95 %, driver.

    A transparent scenario-weighting tool, not a price model: it weights the moves the scenario
    declares per named outcome. Example: backchannel markets --json
    """
    s = load_scenario(scenario)
    announce_compiles([model])
    result = Service().compute_markets(s, model=model, draws=draws, seed=seed)
    if json_:
        print_json(result.to_dict())
        return
    if result.agreement is not None:
        console.print(f"P(deal) under {model}: {result.agreement['p_deal']:.1%} ± {result.agreement['se']:.1%} "
                      "(Monte Carlo s.e.)" + ("" if result.consent is not None else "; " + NO_VETO_NOTE))
    odds = ", ".join(f"{k} {v:.0%}" for k, v in result.probabilities.items())
    table = Table(title=f"Market impacts under {model} ({odds})", caption=result.disclaimer)
    for col in ("variable", "unit", "expected", "5 %", "95 %", "driven by"):
        table.add_column(col, justify="right" if col in ("expected", "5 %", "95 %") else "left")
    for imp in result.variables.values():
        driver = "no named outcome" if imp.driver == UNNAMED else imp.driver
        table.add_row(imp.name, imp.unit, fmt(imp.expected), fmt(imp.p05), fmt(imp.p95), driver)
    console.print(table)
