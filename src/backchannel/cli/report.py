"""`backchannel report`: one self-contained HTML file to send to colleagues."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, headline_model
from ..app.files import atomic_write_text, load_scenario
from ..models import model_names
from ..report import render_report
from ..scenario.errors import InputError
from ..app.service import Service
from ..store import Store
from .options import DbOption, SeedOption
from .output import announce_compiles, console


def report(
    source: Annotated[str, typer.Argument(help="A scenario (built-in id or file) or 'run:ID' for a recorded run.")] = "ukraine-2025",
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path("report.html"),
    model: Annotated[list[str], typer.Option("--model", "-m", help="Model(s) to run (for a scenario).")] = [HEADLINE_MODEL],
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws (for a scenario).")] = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report (inline CSS and SVG, no scripts); same inputs and seed give the same bytes.

    For a scenario it runs the forecast, one what-if per lever of the scenario, and the market impacts
    (when the scenario declares markets), all with the given models, draws and seed. For a recorded
    forecast run it reports that run; for a recorded what-if run, that what-if beside the baseline
    forecast worked out again with the run's models, draws and seed.

    Examples: backchannel report ukraine-2025 -o report.html; backchannel report run:3 -o run3.html
    """
    service = Service(Store(db))
    if source.startswith("run:"):
        try:
            run_id = int(source.removeprefix("run:"))
        except ValueError:
            raise InputError("bad run reference", field="source", value=source, allowed="run:ID with a number") from None
        run = service.run(run_id)
        if run["kind"] not in ("forecast", "whatif"):
            raise InputError("this run does not make a report", field="source", value=source,
                             allowed="run:ID of a forecast or what-if run (see 'backchannel runs list')")
        scenario = service.store.scenario(run["scenario_hash"])
        if run["kind"] == "forecast":
            payload, whatifs, provenance = run["results"], [], {"run_id": run_id}
        else:
            # A what-if run keeps the changes, not the baseline forecast: that is worked out again
            # from the stored scenario, models, draws and seed (the same inputs give the same numbers).
            announce_compiles(run["models"])
            payload = service.compute_forecast(scenario, models=run["models"], draws=run["parameters"]["draws"],
                                               seed=run["seed"])
            whatifs, provenance = [run["results"]], {"run_id": run_id, "baseline_recomputed": True}
    else:
        for m in model:
            if m not in model_names():
                raise InputError("unknown model", field="model", value=m, allowed=", ".join(model_names()))
        scenario = load_scenario(source)
        announce_compiles(model)
        payload = service.compute_forecast(scenario, models=model, draws=draws, seed=seed)
        whatifs = [service.compute_whatif(scenario, levers=[lv.id], models=model, draws=draws, seed=seed)
                   for lv in scenario.levers]
        provenance = {}
    markets = None
    if scenario.markets is not None and payload.get("outcomes"):
        markets = service.markets(scenario, payload, headline_model(payload["outcomes"]), seed=payload.get("seed", 0))
    html = render_report(scenario, payload, whatifs=whatifs, markets=markets, provenance=provenance)
    atomic_write_text(output, html)
    console.print(f"wrote {output} ({len(html.encode('utf-8')):,} bytes)", markup=False)
