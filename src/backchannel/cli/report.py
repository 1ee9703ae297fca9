"""`backchannel report`: one self-contained HTML file to send to colleagues."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..analysis.whatif import WhatIf
from ..app.defaults import DEFAULT_DRAWS, headline_model
from ..app.files import atomic_write_text, load_scenario
from ..app.results import ForecastRun
from ..app.service import Service
from ..models.combined import headline_models
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .markets import ImpliedOption, parse_implied
from .options import DbOption, SeedOption
from .output import Stages, announce_compiles, console, stages


#: the default models of a scenario report: the headline models
_HEADLINE = list(headline_models())


def report(
    source: Annotated[
        str, typer.Argument(help="A scenario (built-in id or file) or 'run:ID' for a recorded run.")
    ] = "ukraine-2025",
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path("report.html"),
    model: Annotated[
        list[str],
        typer.Option(
            "--model",
            "-m",
            help="Model(s) to run (for a scenario); default: the "
            "headline models (combined, compromise when combined qualifies).",
        ),
    ] = _HEADLINE,  # noqa: B006 -- Typer copies it
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws (for a scenario).")] = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    implied: ImpliedOption = None,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report (inline CSS and SVG, no scripts); same inputs and seed give the same bytes.

    For a scenario it runs the forecast, one what-if per lever of the scenario, and the market impacts
    (when the scenario declares markets), all with the given models, draws and seed. For a recorded
    forecast run it reports that run; for a recorded what-if run, that what-if beside the baseline
    forecast worked out again with the run's models, draws and seed.

    It opens with the headline (the most likely outcome, what moved since the previous run, the swing
    actor, the strongest lever, how far the models disagree) and ranks the levers by effect; --implied
    compares the market impacts with what is priced in.

    Examples: backchannel report ukraine-2025 -o report.html; backchannel report run:3 -o run3.html
    """
    service = Service(url=db)
    given = parse_implied(list(implied or []))
    try:  # a recorded run's results are read back here: damaged ones (an older version's) are one line
        with stages() as bar:
            scenario, forecast, whatifs, provenance = _inputs(service, source, model, draws, seed, bar)
            markets = None
            if scenario.markets is not None and forecast.outcomes:
                bar.stage("market impacts")
                markets = service.markets(scenario, forecast, headline_model(forecast.outcomes), implied=given or None)
            bar.stage("headline: swing actor and levers")
            headline = service.headline(scenario, forecast, whatifs=whatifs)
        from ..report import render_report  # Jinja2 is imported when a report is made

        questions = service.ledger.questions_about(scenario.id)
        html = render_report(
            scenario,
            forecast,
            whatifs=whatifs,
            markets=markets,
            provenance=provenance,
            questions=questions,
            headline=headline,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        if not source.startswith("run:"):
            raise
        raise InputError(
            f"this run cannot be reported: its stored results are damaged ({type(exc).__name__})",
            field="source",
            value=source,
            allowed="a run recorded by this version; forecast again",
        ) from None
    atomic_write_text(output, html)
    console.print(f"wrote {output} ({len(html.encode('utf-8')):,} bytes)", markup=False)


def _inputs(
    service: Service, source: str, model: list[str], draws: int, seed: int, bar: Stages
) -> tuple[Scenario, ForecastRun, list[WhatIf], dict[str, Any]]:
    """(scenario, forecast, what-ifs, provenance) of a scenario or a recorded run, with progress."""
    if source.startswith("run:"):
        try:
            run_id = int(source.removeprefix("run:"))
        except ValueError:
            raise InputError(
                "bad run reference", field="source", value=source, allowed="run:ID with a number"
            ) from None
        run = service.run(run_id)
        if run["kind"] not in ("forecast", "whatif"):
            raise InputError(
                "this run does not make a report",
                field="source",
                value=source,
                allowed="run:ID of a forecast or what-if run (see 'backchannel runs list')",
            )
        scenario = service.store.scenario(run["scenario_hash"])
        if run["kind"] == "forecast":
            return scenario, ForecastRun.from_dict(run["results"]).recorded(run_id), [], {"run_id": run_id}
        # A what-if run keeps the changes, not the baseline forecast: that is worked out again
        # from the stored scenario, models, draws and seed (the same inputs give the same numbers).
        announce_compiles(run["models"])
        bar.stage("baseline forecast")
        forecast = service.compute_forecast(
            scenario, models=run["models"], draws=run["parameters"]["draws"], seed=run["seed"], progress=bar
        )
        return scenario, forecast, [WhatIf.from_dict(run["results"])], {"run_id": run_id, "baseline_recomputed": True}
    scenario = load_scenario(source)
    announce_compiles(model)
    bar.stage("forecast")
    forecast = service.compute_forecast(scenario, models=model, draws=draws, seed=seed, progress=bar)
    whatifs: list[WhatIf] = []
    for lv in scenario.levers:
        bar.stage(f"what if {lv.id}?")
        whatifs.append(
            service.compute_whatif(scenario, levers=[lv.id], models=model, draws=draws, seed=seed, progress=bar)
        )
    return scenario, forecast, whatifs, {}
