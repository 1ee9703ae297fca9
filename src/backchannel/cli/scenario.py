"""`backchannel scenario …`: list, show, validate, convert and describe scenario files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.files import load_scenario, save_scenario
from ..scenario.errors import InputError
from ..scenario.formats import FORMATS
from ..scenario.formats.native import to_plain
from ..scenario.schema import Scenario
from ..app.service import Service
from .options import DbOption, JsonOption, ScenarioArgument, open_store
from .output import console, err_console, fmt, print_json

app = typer.Typer(help="Work with scenario files: list, show, validate, convert, schema.", no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False) -> None:
    """List the built-in scenarios and the scenarios kept in the store.

    Example: backchannel scenario list
    """
    rows = Service(open_store(db)).scenario_list()
    if json_:
        print_json(rows)
        return
    table = Table(title="Scenarios")
    for col in ("id", "title", "where", "hash"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["title"], r["where"], r["hash"][:12])
    console.print(table)


@app.command()
def show(scenario: ScenarioArgument, json_: JsonOption = False) -> None:
    """Show a scenario: its actors, issues, positions (with sources), outcomes and levers.

    Examples: backchannel scenario show ukraine-2025; backchannel scenario show my.yaml --json
    """
    s = load_scenario(scenario)
    if json_:
        print_json(to_plain(s))
        return
    _show_tables(s)


def _show_tables(s: Scenario) -> None:
    console.print(f"[bold]{s.title or s.id}[/bold]  ({s.id}" + (f", as of {s.as_of}" if s.as_of else "") + ")")
    actors = Table(title="Actors")
    for col in ("id", "name", "capability", "aliases"):
        actors.add_column(col)
    for a in s.actors:
        actors.add_row(a.id, a.name, fmt(a.capability, 2), ", ".join(a.aliases))
    console.print(actors)
    issues = Table(title="Issues (0..100)")
    for col in ("id", "name", "status quo", "scale"):
        issues.add_column(col)
    for i in s.issues:
        scale = "; ".join(f"{k:g}: {v}" for k, v in sorted(i.scale.items()))
        issues.add_row(i.id, i.name, fmt(i.status_quo), scale)
    console.print(issues)
    pos = Table(title="Positions")
    for col in ("actor", "issue", "position", "range", "salience", "basis"):
        pos.add_column(col)
    for p in s.positions:
        rng = f"{p.range[0]:g}–{p.range[1]:g}" if p.range else ""
        basis = (
            f"{len(p.sources)} source(s): “{p.sources[0].quote[:60]}…”"
            if p.sources
            else (f"assumption: {p.assumption}" if p.assumption else "")
        )
        pos.add_row(p.actor, p.issue, fmt(p.position), rng, fmt(p.salience, 2), basis)
    console.print(pos)
    for o in s.outcomes:
        box = ", ".join(f"{k} {lo:g}–{hi:g}" for k, (lo, hi) in o.when.items())
        console.print(f"outcome [bold]{o.id}[/bold]: {box}")
    for lv in s.levers:
        console.print(f"lever [bold]{lv.id}[/bold]: " + ", ".join(f"{k}={v:g}" for k, v in lv.set.items()))


@app.command()
def validate(files: Annotated[list[str], typer.Argument(help="Scenario files (or built-in ids) to check.")]) -> None:
    """Check scenario files; print one line per file; exit 2 if any is invalid.

    Example: backchannel scenario validate a.yaml b.csv
    """
    failed = 0
    for f in files:
        try:
            s = load_scenario(f)
        except InputError as exc:
            failed += 1
            err_console.print(str(exc), markup=False)
            continue
        console.print(
            f"ok: {f}: {len(s.actors)} actors, {len(s.issues)} issues, {len(s.positions)} positions", markup=False
        )
    if failed:
        raise typer.Exit(2)


@app.command()
def convert(
    source: Annotated[str, typer.Argument(help="Input file (any supported format) or built-in id.")],
    target: Annotated[Path, typer.Argument(help="Output file; its suffix chooses the format unless --to is given.")],
    to: Annotated[Optional[str], typer.Option("--to", help=f"Output format: {', '.join(FORMATS)}.")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help="Input format, when its content is ambiguous.")] = None,
) -> None:
    """Convert a scenario between formats (YAML, JSON, Decide, KTAB, table CSV), written atomically.

    Examples: backchannel scenario convert decide-cop21.csv cop21.yaml;
    backchannel scenario convert cop21.yaml cop21.txt --to decide
    """
    s = load_scenario(source, from_)
    if Path(source).exists() and target.exists() and target.resolve() == Path(source).resolve():
        raise InputError("refusing to overwrite the input file", file=str(target), allowed="a different output path")
    used = save_scenario(s, target, to)
    console.print(f"wrote {target} ({used}): {len(s.actors)} actors, {len(s.issues)} issues", markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the native scenario format.

    Example: backchannel scenario schema > scenario.schema.json
    """
    print(json.dumps(Scenario.model_json_schema(), indent=2))


@app.command()
def history(
    scenario: Annotated[str, typer.Argument(help="Scenario id (e.g. ukraine-2025).")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """List the versions of a scenario made from reviewed evidence ('review apply'), oldest first.

    Example: backchannel scenario history ukraine-2025
    """
    from ..app.review import history as versions

    rows = versions(open_store(db), scenario)
    if json_:
        print_json(rows)
        return
    table = Table(title=f"Versions of {scenario}")
    for col in ("version", "as of", "hash", "changes", "by", "created", "note"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["name"],
            r["as_of"] or "–",
            r["hash"][:12],
            str(len(r["changes"])),
            r["created_by"],
            r["created_at"][:19],
            r["note"] or "",
        )
    console.print(table)
    if not rows:
        console.print(f"no reviewed versions of {scenario} yet (review apply makes them)", markup=False)


def _show(v: float | list[float] | None) -> str:
    """A value of a diff cell: a number, a range, or an en dash."""
    if v is None:
        return "–"
    return f"{v[0]:g}–{v[1]:g}" if isinstance(v, list) else f"{v:g}"


@app.command()
def diff(
    a: Annotated[str, typer.Argument(help="Older version: name (id@vN) or stored hash.")],
    b: Annotated[str, typer.Argument(help="Newer version: name (id@vN) or stored hash.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Show what changed between two versions (positions, ranges, saliences) and which evidence changed it.

    Example: backchannel scenario diff ukraine-2025@v1 ukraine-2025@v2
    """
    from ..app.review import diff_versions

    d = diff_versions(open_store(db), a, b)
    if json_:
        print_json(d)
        return
    console.print(
        f"{d['a']} → {d['b']}  (as of {d['as_of']['before'] or '–'} → {d['as_of']['after'] or '–'})", markup=False
    )
    table = Table(title=f"{len(d['changes'])} position(s) changed")
    for col in ("actor", "issue", "position", "range", "salience", "evidence"):
        table.add_column(col)

    def cell(row: dict, name: str) -> str:
        if name not in row:
            return ""
        x, y = row[name]["before"], row[name]["after"]
        return f"{_show(x)} → {_show(y)}"

    for row in d["changes"]:
        ev = "; ".join(
            f"{s['text'][:80]} ({s['document']}, claim {s['id']})"
            for e in row["evidence"]
            for s in e.get("sentences", [])
        )
        table.add_row(
            row["actor"],
            row["issue"],
            cell(row, "position"),
            cell(row, "range"),
            cell(row, "salience"),
            ev or "(not from reviewed evidence)",
        )
    console.print(table)
    from .review import agreement_line

    for ch in d["agreement"]:
        sentences = "; ".join(f"{x['text'][:80]} ({x['document']})" for x in ch.get("sentences", []))
        console.print(f"{ch['version']}: {agreement_line(ch)}: {sentences}", markup=False)
