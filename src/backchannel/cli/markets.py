"""`backchannel markets`: the scenario's declared market moves weighted by outcome probabilities."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from ..analysis.outcomes import UNNAMED
from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL
from ..app.files import load_scenario
from ..app.service import Service
from ..report.view import change_label
from .agreement import NO_VETO_NOTE
from .options import JsonOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, fmt, print_json
from .whatif import LeverOption, SetOption, parse_assignments, parse_levers, parse_sets

__all__ = ["markets", "parse_implied", "ImpliedOption"]

ImpliedOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--implied",
        help="A market-implied probability OUTCOME=P, e.g. from a prediction-market price (repeatable; "
        "outcomes left out share the rest in the model's proportions).",
    ),
]


def parse_implied(items: list[str]) -> dict[str, float]:
    """``["frozen_conflict=0.3", …]`` -> {outcome: probability}; bad items are one-line InputErrors (the range
    0..1 is checked where the implied probabilities are used)."""
    return parse_assignments(items, "--implied", "OUTCOME=P", "a named outcome (or unnamed) = a probability in 0..1")


def markets(
    scenario: ScenarioArgument = "ukraine-2025",
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model whose outcome probabilities weight the moves.")
    ] = HEADLINE_MODEL,
    draws: Annotated[int, typer.Option(min=1, help="Monte Carlo draws of the forecast.")] = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    lever: LeverOption = None,
    set_: SetOption = None,
    implied: ImpliedOption = None,
    json_: JsonOption = False,
) -> None:
    """Market moves implied by the named outcomes' probabilities: expected, 5–95 %, driver; with --implied,
    against what the market already prices in.

    A transparent scenario-weighting tool, not a price model: it weights the moves the scenario
    declares per named outcome. --lever and --set forecast a what-if variant first. --implied
    compares with a priced-in mixture: scenario arithmetic, not trading advice.
    Examples: backchannel markets --json; backchannel markets --lever secondary_tariffs=0.5 --implied frozen_conflict=0.3
    """
    s = load_scenario(scenario)
    (levers, intensity), sets = parse_levers(list(lever or [])), parse_sets(list(set_ or []))
    given = parse_implied(list(implied or []))
    announce_compiles([model])
    result = Service().compute_markets(
        s,
        model=model,
        draws=draws,
        seed=seed,
        levers=levers,
        overrides=sets,
        intensity=intensity,
        implied=given or None,
    )
    if json_:
        print_json(result.to_dict())
        return
    if result.agreement is not None:
        console.print(
            f"P(deal) under {model}: {result.agreement['p_deal']:.1%} ± {result.agreement['se']:.1%} "
            "(Monte Carlo s.e.)" + ("" if result.consent is not None else "; " + NO_VETO_NOTE)
        )
    versus = result.versus
    odds = ", ".join(f"{k} {v:.0%}" for k, v in result.probabilities.items())
    what = f" if {change_label(levers, sets, intensity)}" if levers or sets else ""
    table = Table(title=f"Market impacts under {model}{what} ({odds})", caption=result.disclaimer)
    cols = ["variable", "unit", "expected", "5 %", "95 %"] + (["priced in", "vs priced in"] if versus else [])
    for col in cols + ["driven by"]:
        table.add_column(col, justify="left" if col in ("variable", "unit", "driven by") else "right")
    for key, imp in result.variables.items():
        driver = "no named outcome" if imp.driver == UNNAMED else imp.driver
        extra = []
        if versus:
            v = versus["variables"][key]
            extra = [fmt(v["implied_expected"]), f"{v['move_vs_implied']:+.1f}"]
        table.add_row(imp.name, imp.unit, fmt(imp.expected), fmt(imp.p05), fmt(imp.p95), *extra, driver)
    console.print(table)
    if versus:
        gap = Table(title="Model against the priced-in probabilities", caption=versus["note"])
        for col in ("outcome", "model", "priced in", "gap (pp)"):
            gap.add_column(col, justify="left" if col == "outcome" else "right")
        for k, q in versus["implied"].items():
            mark = "" if k in given else " (share of the rest)"
            gap.add_row(
                k + mark,
                f"{100 * result.probabilities.get(k, 0.0):.1f} %",
                f"{100 * q:.1f} %",
                f"{100 * versus['gap'][k]:+.1f}",
            )
        console.print(gap)
