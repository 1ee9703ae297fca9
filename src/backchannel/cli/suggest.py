"""`backchannel suggest SCENARIO`: stored claims as suggested position changes, shown as a diff."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.files import save_scenario
from ..scenario.errors import InputError
from ..store import Store
from .options import DbOption, JsonOption, ScenarioArgument
from .output import console, fmt, print_json

__all__ = ["suggest"]


def suggest(
    scenario: ScenarioArgument = "ukraine-2025",
    write: Annotated[Optional[str], typer.Option("--write", help="Accept every pending claim, apply the update "
                                                               "rule as 'review apply' does, store the new version "
                                                               "and write it to this NEW file (never overwrites).")] = None,
    min_change: Annotated[float, typer.Option("--min-change", min=0, help="Smallest change worth suggesting.")] = 5.0,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Preview the stored claims as suggested positions per actor and issue, as a diff (read-only).

    With --write, every pending claim is accepted (as 'review accept' would, reason "accepted by
    suggest --write") and the update rule of 'review apply' makes, stores and writes the new version.

    Examples: backchannel suggest; backchannel suggest ukraine-2025 --write ukraine-updated.yaml
    """
    from ..evidence.suggest import suggest_positions
    from ..store.evidence import stored_claims
    from .review import scenario_ref

    store = Store(db)
    s = scenario_ref(store, scenario)
    target = None
    if write:
        target = Path(write)
        if target.exists():
            raise InputError("file already exists; suggest writes a new file and never overwrites",
                             file=write, allowed="a path that does not exist yet")
    claims = stored_claims(store, {a.id for a in s.actors}, {i.id for i in s.issues})
    suggestions = suggest_positions(s, claims, min_change=min_change)
    version, accepted = None, 0
    if target is not None:
        from ..app.review import accept_all_and_apply

        new, version, accepted = accept_all_and_apply(store, s)
        save_scenario(new, target)
    said = (f"accepted {accepted} pending claim(s) and applied the update rule of 'review apply': "
            f"stored {version['name']}" if version else None)
    if json_:
        print_json({"scenario": s.id, "suggestions": [x.to_dict() for x in suggestions],
                    "written": str(target) if target else None,
                    "accepted": accepted if version else None, "version": version})
        return
    table = Table(title=f"Suggested positions for {s.id} from {len(claims)} stored claims")
    for col in ("actor", "issue", "current", "suggested", "change", "sentences", "strongest evidence"):
        table.add_column(col)
    for x in suggestions:
        best = max(x.sources, key=lambda src: src["confidence"])
        change = "new" if x.change is None else f"{x.change:+.1f}"
        table.add_row(x.actor, x.issue, fmt(x.current), fmt(x.suggested), change, str(len(x.sources)),
                      f"{best['quote'][:90]} ({best['document']})")
    console.print(table)
    if target is not None:
        console.print(f"{said}; wrote {target}", markup=False)
