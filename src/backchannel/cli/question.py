"""`backchannel question …`: the question ledger — add, list, resolve, score, show a probability's history."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..app.service import Service
from ..scenario.errors import InputError
from ..store import Store
from .options import DbOption, JsonOption
from .output import console, fmt, print_json

app = typer.Typer(
    help="Resolvable questions: the probability each forecast run gave them, and their scores.", no_args_is_help=True
)

QidArgument = Annotated[str, typer.Argument(help="The question's id (letters, digits, _ . : -).")]


@app.command()
def add(
    qid: QidArgument,
    scenario: Annotated[
        str,
        typer.Option(
            "--scenario", help="Scenario id: a built-in id or a stored scenario's id (runs of any version of it count)."
        ),
    ],
    outcome: Annotated[str, typer.Option("--outcome", help="A named outcome id of the scenario, or 'deal'.")],
    resolves_by: Annotated[str, typer.Option("--resolves-by", help="The date by which it resolves (YYYY-MM-DD).")],
    criteria: Annotated[str, typer.Option("--criteria", help="How it resolves, in words.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Add a question: will the scenario's named outcome (or a deal) come true by a date?

    Example: backchannel question add q1 --scenario ukraine-2025 --outcome frozen_conflict --resolves-by 2026-06-30 --criteria "…"
    """
    q = Service(Store(db)).ledger.add(qid, scenario, outcome, resolves_by, criteria)
    if json_:
        print_json(q)
        return
    console.print(f"added question {q['id']}: {q['outcome']} in {q['scenario']} by {q['resolves_by']}", markup=False)


@app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False) -> None:
    """List the questions with their resolution and latest headline probability.

    Example: backchannel question list --json
    """
    rows = Service(Store(db)).ledger.list_questions()
    if json_:
        print_json(rows)
        return
    table = Table(title="Questions")
    for col in ("id", "scenario", "outcome", "resolves by", "records", "latest (headline)", "resolution"):
        table.add_column(col)
    for q in rows:
        latest = q["latest"]
        res = q["resolution"]
        table.add_row(
            q["id"],
            q["scenario"],
            q["outcome"],
            q["resolves_by"],
            str(q["records"]),
            "–" if latest is None else f"{100 * latest['probability']:.1f} % ({latest['model']}, {latest['as_of']})",
            "open"
            if res is None
            else f"{res['answer']} on {res['resolved_on']}"
            + (f" (amended ×{q['amendments']})" if q["amendments"] else ""),
        )
    console.print(table)


@app.command()
def resolve(
    qid: QidArgument,
    answer: Annotated[Optional[bool], typer.Option("--yes/--no", help="Whether it came true.")] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="The date it resolved (YYYY-MM-DD); required.")] = None,
    amend: Annotated[
        Optional[str],
        typer.Option(
            "--amend",
            help="Resolve an already resolved question again, giving the reason; the new entry supersedes the old one.",
        ),
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Resolve a question yes or no on a date; resolving again needs --amend REASON.

    Example: backchannel question resolve q1 --no --on 2026-06-30
    """
    if answer is None:
        raise InputError("say how the question resolved", field="--yes/--no", allowed="--yes or --no")
    if on is None:
        raise InputError("the resolution date is required", field="--on", allowed="--on YYYY-MM-DD")
    q = Service(Store(db)).ledger.resolve(qid, answer, on, amend)
    if json_:
        print_json(q)
        return
    res = q["resolution"]
    console.print(
        f"{q['id']} resolved {res['answer']} on {res['resolved_on']}"
        + (f" (amendment: {res['amend_reason']})" if res["amend_reason"] else ""),
        markup=False,
    )


def _score_row(table: Table, name: str, s: dict[str, Any]) -> None:
    table.add_row(name, fmt(s["brier"], 3), fmt(s["log"], 3))


@app.command()
def score(db: DbOption = None, json_: JsonOption = False) -> None:
    """Score the resolved questions: Brier, log score, Brier decomposition, reliability table; per model and baselines.

    Each question counts with its last record dated before its resolution date.

    Example: backchannel question score --json
    """
    s = Service(Store(db)).ledger.score()
    if json_:
        print_json(s)
        return
    table = Table(title=f"Scores over {s['n']} resolved questions (lower is better)")
    for col in ("forecast", "Brier", "log"):
        table.add_column(col, justify="left" if col == "forecast" else "right")
    _score_row(table, "headline", s)
    for m, v in s["models"].items():
        _score_row(table, m, v)
    for b, v in s["baselines"].items():
        _score_row(table, f"baseline: {b}", v)
    console.print(table)
    d = s["decomposition"]
    console.print(
        f"Brier decomposition (headline): reliability {fmt(d['reliability'], 4)}, resolution "
        f"{fmt(d['resolution'], 4)}, uncertainty {fmt(d['uncertainty'], 4)}",
        markup=False,
    )
    rel = Table(title="Reliability (headline)")
    for col in ("bin", "forecast mean", "observed", "count"):
        rel.add_column(col, justify="right")
    for r in s["reliability"]:
        rel.add_row(
            f"{r['bin'][0]:.1f}–{r['bin'][1]:.1f}", fmt(r["forecast_mean"], 2), fmt(r["observed"], 2), str(r["count"])
        )
    console.print(rel)


@app.command()
def show(qid: QidArgument, db: DbOption = None, json_: JsonOption = False) -> None:
    """Show a question's history: every recorded probability (one per run and model) and its resolutions.

    Example: backchannel question show q1
    """
    q = Service(Store(db)).ledger.question(qid)
    if json_:
        print_json(q)
        return
    console.print(f"{q['id']}: {q['outcome']} in {q['scenario']} by {q['resolves_by']} — {q['criteria']}", markup=False)
    table = Table(title="History")
    for col in ("date", "run", "model", "probability"):
        table.add_column(col)
    for r in q["history"]:
        table.add_row(
            r["as_of"],
            str(r["run_id"]),
            r["model"] + (" (headline)" if r["headline"] else ""),
            f"{100 * r['probability']:.1f} %",
        )
    console.print(table)
    for r in q["resolutions"]:
        console.print(
            f"resolved {r['answer']} on {r['resolved_on']}"
            + (f" — amended: {r['amend_reason']}" if r["amend_reason"] else ""),
            markup=False,
        )
