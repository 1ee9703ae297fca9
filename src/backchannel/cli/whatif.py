"""`backchannel whatif`: what changes if a lever is pulled, compared with common random numbers."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models
from ..app.files import load_scenario
from ..ensemble.levers import check_intensity
from ..report.view import change_label
from ..scenario.errors import InputError
from ..app.service import Service
from .agreement import NO_VETO_NOTE
from .options import DbOption, ExecutorOption, JsonOption, RayAddressOption, ScenarioArgument, SeedOption
from .output import announce_compiles, console, fmt, print_json

__all__ = ["whatif", "parse_assignments", "parse_sets", "parse_levers", "LeverOption", "SetOption"]

ModelOption = Annotated[
    Optional[list[str]], typer.Option("--model", "-m", help=f"Model (repeatable); default {HEADLINE_MODEL}.")
]
DrawsOption = Annotated[
    int, typer.Option("--draws", min=0, help="Monte Carlo draws per run (0: point forecasts only).")
]


def parse_assignments(items: list[str], option: str, shape: str, allowed: str) -> dict[str, float]:
    """``["KEY=NUMBER", …]`` of a repeatable ``option`` -> {key: number}; a bad item is a one-line InputError
    (``shape``: how an item must look; ``allowed``: what the key and number may be)."""
    out: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"a {option} must look like {shape}", field=option, value=item, allowed=allowed)
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise InputError(f"the value of a {option} must be a number", field=key.strip(), value=value) from None
    return out


def parse_sets(items: list[str]) -> dict[str, float]:
    """``["russia.nato.salience=0.9", …]`` -> {key: value}; bad items are one-line InputErrors."""
    return parse_assignments(
        items,
        "--set",
        "actor.issue.field=value",
        "actor.issue.position|salience|capability=NUMBER or actor.capability=NUMBER",
    )


def parse_levers(items: list[str]) -> tuple[list[str], dict[str, float]]:
    """``["secondary_tariffs=0.5", "us_aid_suspended"]`` -> (lever ids in order, {id: intensity} of those given
    one); an intensity must be a number in 0..1 (one-line InputError otherwise)."""
    levers: list[str] = []
    intensity: dict[str, float] = {}
    for item in items:
        lever_id, sep, value = item.partition("=")
        lever_id = lever_id.strip()
        levers.append(lever_id)
        if sep:
            intensity[lever_id] = check_intensity(lever_id, value.strip())
    return levers, intensity


LeverOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--lever",
        "-l",
        help="A lever of the scenario (repeatable, applied in order); ID=F applies it at a fraction "
        "F in 0..1 of its full effect (each value it sets moves F of the way from the scenario's).",
    ),
]
SetOption = Annotated[
    Optional[list[str]], typer.Option("--set", help="An override actor.issue.field=value (repeatable).")
]


def whatif(
    scenario: ScenarioArgument = "ukraine-2025",
    lever: LeverOption = None,
    set_: SetOption = None,
    model: ModelOption = None,
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    executor: ExecutorOption = "serial",
    ray_address: RayAddressOption = None,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What changes if levers are pulled: per issue and named outcome, beyond Monte Carlo noise?

    Runs the scenario and a variant with the levers and overrides applied on the same random
    numbers (so a lever that changes nothing shows exactly zero), and records it as a what-if run
    (`backchannel report run:ID` makes a report of it).

    Examples: backchannel whatif --lever secondary_tariffs; backchannel whatif --lever secondary_tariffs=0.5;
    backchannel whatif --set russia.nato.salience=0.6 --json
    """
    s = load_scenario(scenario)
    (levers, intensity), sets = parse_levers(list(lever or [])), parse_sets(list(set_ or []))
    if not levers and not sets:
        raise InputError(
            "nothing to change",
            field="--lever/--set",
            allowed="one or more --lever of: "
            + (", ".join(lv.id for lv in s.levers) or "none")
            + ", or --set actor.issue.field=value",
        )
    names = list(dict.fromkeys(model or default_models()))
    announce_compiles(names)
    run = Service(url=db).whatif(
        s,
        levers=levers,
        overrides=sets,
        models=names,
        draws=draws,
        seed=seed,
        executor=executor,
        address=ray_address,
        intensity=intensity,
    )
    if json_:
        print_json(run.to_dict())
        return
    change = change_label(levers, sets, intensity)
    for name in names:
        table = Table(
            title=f"What if {change}? {name}, {draws} draws, seed {seed} (common random numbers; run {run.run_id})"
        )
        for col in ("", "baseline", "variant", "change", "± s.e.", "beyond noise"):
            table.add_column(col, justify="left" if not col else "right")
        for issue, c in run.whatif.issues[name].items():
            table.add_row(
                s.issue(issue).name,
                fmt(c.baseline),
                fmt(c.variant),
                fmt(c.change, 2),
                fmt(c.stderr, 2),
                "yes" if c.exceeds_noise else "no",
            )
        for outcome, c in run.whatif.outcomes[name].items():
            table.add_row(
                f"P({outcome})",
                fmt(c.baseline, 3),
                fmt(c.variant, 3),
                fmt(c.change, 3),
                fmt(c.stderr, 3),
                "yes" if c.exceeds_noise else "no",
            )
        if name in run.whatif.agreement:
            c = run.whatif.agreement[name]
            table.add_row(
                "P(deal)",
                fmt(c.baseline, 3),
                fmt(c.variant, 3),
                fmt(c.change, 3),
                fmt(c.stderr, 3),
                "yes" if c.exceeds_noise else "no",
            )
            curve = run.whatif.agreement_by_date.get(name) or []
            picks = sorted({len(curve) // 3, 2 * len(curve) // 3, len(curve) - 1}) if curve else []
            for point in (curve[k] for k in picks):
                table.add_row(
                    f"P(deal by {point['date']})",
                    fmt(point["baseline"], 3),
                    fmt(point["variant"], 3),
                    fmt(point["change"], 3),
                    "",
                    "",
                )
        console.print(table)
    if s.consent is None:
        console.print(NO_VETO_NOTE)
