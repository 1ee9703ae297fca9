"""`backchannel sensitivity`: which inputs move each issue's forecast most, and whom to work on."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.defaults import HEADLINE_MODEL
from ..app.files import load_scenario
from ..app.service import Service
from .options import ExecutorOption, JsonOption, RayAddressOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, fmt, print_json, stages

__all__ = ["sensitivity"]


def sensitivity(
    scenario: ScenarioArgument = "ukraine-2025",
    model: Annotated[
        str,
        typer.Option(
            "--model", "-m", help="Model to analyse (closed form for compromise, perturbation for the others)."
        ),
    ] = HEADLINE_MODEL,
    issue: Annotated[Optional[str], typer.Option(help="Only this issue.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Bars shown per issue in the table (JSON has all).")] = 8,
    actor: Annotated[
        Optional[str],
        typer.Option(
            help="Whom to work on: the cheapest shifts of other actors that move the forecast toward this actor."
        ),
    ] = None,
    move: Annotated[float, typer.Option(help="How many points to move the forecast toward --actor.")] = 5.0,
    seed: SeedOption = 0,
    executor: ExecutorOption = "serial",
    ray_address: RayAddressOption = None,
    json_: JsonOption = False,
) -> None:
    """Which inputs move each issue's forecast most (tornado), and whom to work on.

    Each actor's position (±10 points), salience (±0.1) and capability (±20 %), and how far each
    moves the forecast; with --actor, the cheapest shifts that move it toward that actor.

    Examples: backchannel sensitivity; backchannel sensitivity --issue nato --actor ukraine --move 5 --json
    """
    s = load_scenario(scenario)
    announce_compiles([model])
    with stages(disable=json_) as bar:
        bar.stage(f"tornado ({model})" + (f" and who to work on toward {actor}" if actor else ""))
        result = Service().sensitivity(
            s, model=model, issue=issue, actor=actor, move=move, seed=seed, executor=executor, address=ray_address
        )
    if json_:
        print_json(result.to_dict())
        return
    method, who = result.method, result.who
    for i, bars in result.tornado.items():
        t = Table(title=f"{s.issue(i).name}: what moves the {result.model} forecast ({method})")
        for col in ("actor", "input", "now", "low → forecast", "high → forecast", "swing"):
            t.add_column(col, justify="left" if col in ("actor", "input") else "right")
        for b in bars[:top]:
            d = 2 if b.field == "salience" else 1
            t.add_row(
                b.actor,
                b.field,
                fmt(b.value, d),
                f"{fmt(b.low, d)} → {fmt(b.forecast_low)}",
                f"{fmt(b.high, d)} → {fmt(b.forecast_high)}",
                fmt(b.swing, 2),
            )
        console.print(t)
        if i in who and not who[i]:
            console.print(
                f"Who to work on ({i}): nothing to do or nothing that works — the forecast already "
                f"sits at {actor}'s position, or no single position or salience shift gets it there."
            )
        elif i in who:
            w = Table(title=f"Who to work on: moving {i} {move:g} points toward {actor}")
            for col in ("actor", "input", "now", "needed", "forecast then", "feasible"):
                w.add_column(col, justify="left" if col in ("actor", "input") else "right")
            for x in who[i][:top]:
                d = 2 if x.field == "salience" else 1
                w.add_row(
                    x.actor,
                    x.field,
                    fmt(x.value, d),
                    fmt(x.new_value, d),
                    fmt(x.forecast),
                    "yes" if x.feasible else "no (at the limit)",
                )
            console.print(w)
