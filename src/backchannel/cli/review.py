"""`backchannel review …`: claims are proposals; list, accept or reject them, then apply them as a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.files import load_scenario, save_scenario
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from ..store import Store
from .options import DbOption, JsonOption
from .output import console, fmt, print_json

app = typer.Typer(help="Review claims before they move a position: list, accept, reject, apply.", no_args_is_help=True)

ByOption = Annotated[Optional[str], typer.Option("--by", help="Who decides (default: your login name).")]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="Why (stored with the decision).")]


def scenario_ref(store: Store, ref: str) -> Scenario:
    """A version name ("ukraine-2025@v2") or hash from the store; a file; else a built-in id, which
    means its newest reviewed version when the store has one."""
    from ..app.review import history, resolve_version
    from ..store.review import version_row

    if "@v" in ref or (not Path(ref).exists() and version_row(store, ref) is not None):
        return resolve_version(store, ref)[1]
    scenario = load_scenario(ref)
    if not Path(ref).exists():
        versions = history(store, scenario.id)
        if versions:
            return store.scenario(versions[-1]["hash"])
    return scenario


@app.command("list")
def list_(
    scenario: Annotated[
        str, typer.Option("--scenario", help="Scenario whose actors and issues count (id, version name or file).")
    ] = "ukraine-2025",
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only this actor's claims.")] = None,
    issue: Annotated[Optional[str], typer.Option("--issue", help="Only claims on this issue.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also the claims already decided.")] = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """List the pending claims per actor and issue, each with its sentence in context.

    Examples: backchannel review list; backchannel review list --actor russia --issue sanctions --json
    """
    from ..app.service import Service

    store = Store(db)
    s = scenario_ref(store, scenario)
    result = Service(store).review_list(s, actor=actor, issue=issue, include_decided=all_)
    if json_:
        print_json(result)
        return
    rows, proposals = result["claims"], result["proposals"]
    current = {(p.actor, p.issue): p.position for p in s.positions}
    table = Table(title=f"Claims to review for {s.id} ({len(rows)})")
    for col in ("id", "actor", "issue", "now", "claim", "conf.", "decision", "sentence (document, date)"):
        table.add_column(col)
    for c in rows:
        table.add_row(
            str(c["id"]),
            c["actor"],
            c["issue"],
            fmt(current.get((c["actor"], c["issue"]))),
            fmt(c["position"]),
            fmt(c["confidence"], 2),
            c["decision"] or "pending",
            f"{c['text']} ({c['document']}, {c['published'] or 'undated'})"
            + (
                f" [read as {c['extracted']['actor']}.{c['extracted']['issue']}]"
                if (c["extracted"]["actor"], c["extracted"]["issue"]) != (c["actor"], c["issue"])
                else ""
            ),
        )
    console.print(table)
    if proposals:
        print_proposals(proposals, s)


def print_proposals(rows: list[dict], scenario: Scenario) -> None:
    """The table of proposals on the agreement layer."""
    from ..app.review import describe_proposal

    table = Table(title=f"Proposals on the agreement layer for {scenario.id} ({len(rows)})")
    for col in ("id", "proposal", "decision", "sentence (document, date)"):
        table.add_column(col)
    for p in rows:
        table.add_row(
            p["id"],
            describe_proposal(p, scenario),
            p["decision"] or "pending",
            f"{p['text']} ({p['document']}, {p['published'] or 'undated'})",
        )
    console.print(table)


ScenarioOption = Annotated[
    str,
    typer.Option(
        "--scenario", help="Scenario whose actor and issue ids --actor and --issue must be (id, version or file)."
    ),
]


def _decide(
    decision: str,
    ids: list[str],
    position: float | None,
    reason: str | None,
    by: str | None,
    db: str | None,
    json_: bool,
    actor: str | None = None,
    issue: str | None = None,
    scenario: str = "ukraine-2025",
) -> None:
    from ..app.service import Service

    store = Store(db)
    svc = Service(store)
    if decision == "accepted":
        s = scenario_ref(store, scenario) if actor is not None or issue is not None else None
        result = svc.review_accept(ids, position=position, actor=actor, issue=issue, reason=reason, by=by, scenario=s)
    else:
        result = svc.review_reject(ids, reason=reason, by=by)
    if json_:
        print_json(result)
        return
    claim_ids, proposal_ids = result["claims"], result["proposals"]
    done = [str(c) for c in claim_ids] + list(proposal_ids)
    who = result["by"]
    console.print(
        f"{decision} {len(done)} {'proposal(s)' if not claim_ids else 'claim(s)' if not proposal_ids else 'item(s)'}"
        f" ({', '.join(done)}) by {who}"
        + (
            " re-assigned to " + " and ".join(f"{k} {v}" for k, v in (("actor", actor), ("issue", issue)) if v)
            if actor or issue
            else ""
        )
        + (f" at position {position:g}" if position is not None else "")
        + (f": {reason}" if reason else ""),
        markup=False,
    )


IdsArgument = Annotated[
    list[str], typer.Argument(help="Claim ids (12) and proposal ids (p3), from 'review list'.", show_default=False)
]


@app.command()
def accept(
    claim_ids: IdsArgument,
    position: Annotated[
        Optional[float],
        typer.Option(
            "--position", help="Confirm the position (0..100) the claim states; lifts the cap on how far it moves."
        ),
    ] = None,
    actor: Annotated[
        Optional[str], typer.Option("--actor", help="Re-assign a misread claim to this actor before accepting.")
    ] = None,
    issue: Annotated[
        Optional[str],
        typer.Option("--issue", help="Re-assign a misread claim to this issue (needs --position on its scale)."),
    ] = None,
    scenario: ScenarioOption = "ukraine-2025",
    reason: ReasonOption = None,
    by: ByOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Accept claims or proposals: they change the scenario at the next 'review apply'.

    Examples: backchannel review accept 12 14 p2; backchannel review accept 12 --position 90 --reason "confirmed by TASS";
    backchannel review accept 3 --actor russia --reason "Ushakov's demand, not Kyiv's"
    """
    _decide("accepted", claim_ids, position, reason, by, db, json_, actor, issue, scenario)


@app.command()
def reject(
    claim_ids: IdsArgument,
    reason: ReasonOption = None,
    by: ByOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Reject claims or proposals: they never change the scenario.

    Example: backchannel review reject 13 p4 --reason "the speaker is quoting the other side"
    """
    _decide("rejected", claim_ids, None, reason, by, db, json_)


def _range(r: list[float] | None) -> str:
    return f"{r[0]:g}–{r[1]:g}" if r else "–"


def agreement_line(ch: dict) -> str:
    """One line for a change a proposal made to the agreement layer."""
    if ch["kind"] == "deadline":
        return (
            f"deadline added: {ch['sender']} → {ch['target']} due {ch['due']}, fires {ch['fires'] or 'nothing'}"
            f" (proposal {', '.join(ch['proposals'])})"
        )
    b, a = ch["before"], ch["after"]
    return (
        f"outside option {ch['actor']}.{ch['issue']}: {fmt(b['point'])} ({_range(b['range'])}) → "
        f"{fmt(a['point'])} ({_range(a['range'])}){' capped' if ch['capped'] else ''}"
        f" (proposal {', '.join(ch['proposals'])}; "
        + (f"claims {', '.join(map(str, ch['claims']))})" if ch["claims"] else "war-aims sentence)")
    )


def print_version(new: Scenario, version: dict, target: Path | None) -> None:
    """The table of what a new version changed."""
    moves = [ch for ch in version["changes"] if not ch.get("kind")]
    agreement = [ch for ch in version["changes"] if ch.get("kind")]
    table = Table(title=f"{version['name']} (as of {version['as_of'] or 'undated'}): {len(moves)} position(s) changed")
    for col in ("actor", "issue", "position", "range", "salience", "claims", "capped"):
        table.add_column(col)
    for ch in moves:
        b, a = ch["before"], ch["after"]
        table.add_row(
            ch["actor"],
            ch["issue"],
            f"{fmt(b.get('position'))} → {fmt(a['position'])}",
            f"{_range(b.get('range'))} → {_range(a['range'])}",
            f"{fmt(b.get('salience'), 2)} → {fmt(a['salience'], 2)}",
            ", ".join(map(str, ch["claims"])),
            "yes" if ch["capped"] else "",
        )
    console.print(table)
    for ch in agreement:
        console.print(agreement_line(ch), markup=False)
    if target is not None:
        console.print(f"wrote {target}", markup=False)


@app.command()
def apply(
    scenario: Annotated[
        str, typer.Argument(help="Scenario to update: id (its newest version), version name or file.")
    ] = "ukraine-2025",
    output: Annotated[
        Optional[str],
        typer.Option("-o", "--output", help="Also write the new version to this NEW file (never overwrites)."),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Apply the accepted claims (not used by an earlier version) with the update rule; store the new version.

    Examples: backchannel review apply ukraine-2025 -o ukraine-v2.yaml; backchannel scenario history ukraine-2025
    """
    from ..app.review import apply_reviewed

    target = Path(output) if output else None
    if target is not None and target.exists():
        raise InputError(
            "file already exists; review apply writes a new file and never overwrites",
            file=output,
            allowed="a path that does not exist yet",
        )
    store = Store(db)
    new, version = apply_reviewed(store, scenario_ref(store, scenario), by=by)
    if target is not None:
        save_scenario(new, target)
    if json_:
        print_json(version | {"written": str(target) if target else None})
        return
    print_version(new, version, target)
