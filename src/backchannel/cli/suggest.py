"""`backchannel suggest SCENARIO`: stored claims as suggested position changes, shown as a diff."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.service import Service
from .options import DbOption, JsonOption, ScenarioArgument
from .output import console, fmt, print_json

__all__ = ["suggest"]


def suggest(
    scenario: ScenarioArgument = "ukraine-2025",
    write: Annotated[
        Optional[str],
        typer.Option(
            "--write",
            help="Accept every pending claim, apply the update "
            "rule as 'review apply' does, store the new version "
            "and write it to this NEW file (never overwrites).",
        ),
    ] = None,
    min_change: Annotated[float, typer.Option("--min-change", min=0, help="Smallest change worth suggesting.")] = 5.0,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Preview the stored claims as suggested positions per actor and issue, as a diff (read-only).

    With --write, every pending claim is accepted (as 'review accept' would, reason "accepted by
    suggest --write") and the update rule of 'review apply' makes, stores and writes the new version.

    Examples: backchannel suggest; backchannel suggest ukraine-2025 --write ukraine-updated.yaml
    """
    from .review import scenario_ref

    service = Service(url=db)
    s = scenario_ref(service.store, scenario)
    result = service.suggest(s, min_change=min_change, write=write)
    if json_:
        print_json(result.to_dict())
        return
    suggestions, target = result.suggestions, result.written
    table = Table(title=f"Suggested positions for {s.id} from {result.claims} stored claims")
    for col in ("actor", "issue", "current", "suggested", "change", "sentences", "strongest evidence"):
        table.add_column(col)
    for x in suggestions:
        best = max(x.sources, key=lambda src: src["confidence"])
        change = "new" if x.change is None else f"{x.change:+.1f}"
        table.add_row(
            x.actor,
            x.issue,
            fmt(x.current),
            fmt(x.suggested),
            change,
            str(len(x.sources)),
            f"{best['quote'][:90]} ({best['document']})",
        )
    console.print(table)
    if target is not None and result.version is not None:
        console.print(
            f"accepted {result.accepted} pending claim(s) and applied the update rule of 'review apply': "
            f"stored {result.version['name']}; wrote {target}",
            markup=False,
        )
