"""`backchannel ingest PATH…`: read articles, extract evidence linked to a scenario, store it."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..app.files import load_scenario
from ..app.service import Service
from .options import DbOption, ExecutorOption, JsonOption, RayAddressOption
from .output import console, err_console, print_json, stages

__all__ = ["ingest"]

ScenarioOption = Annotated[
    Optional[str],
    typer.Option(
        "--scenario",
        help="Scenario whose actors and issues the evidence is linked to (built-in id or file); default: ukraine-2025.",
    ),
]
LocalModelOption = Annotated[
    Optional[str],
    typer.Option(
        "--local-model",
        envvar="BACKCHANNEL_LOCAL_MODEL",
        show_envvar=True,
        help="URL of an LLM server on this machine (OpenAI-compatible chat completions, e.g. "
        "http://127.0.0.1:8080/v1?model=NAME) whose claims are added when their evidence "
        "is copied verbatim from the article; off by default.",
    ),
]


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Text, Markdown or HTML files, or folders of them.")],
    scenario: ScenarioOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
    local_model: LocalModelOption = None,
    executor: ExecutorOption = "serial",
    ray_address: RayAddressOption = None,
) -> None:
    """Extract actors, quotes, claims, deadlines and events from articles and store them.

    Only articles are read: in a folder, README, licence and other non-article files are skipped and
    counted. An article stored already for this scenario version is found by its content hash and skipped
    before any extraction. Files that cannot be read, are longer than 200,000 characters of text, or fail
    in extraction are reported one line each and the command exits with code 2; the other files are
    still ingested.

    With --local-model, an LLM server on this machine also proposes claims; each is kept only when
    its evidence is an exact substring of the article (docs/evidence.md).

    With --executor processes or ray, articles are extracted in parallel (each worker loads the models
    once) and stored here one by one in order: the store ends up as with serial ingest.

    Examples: backchannel ingest news/; backchannel ingest article.html --scenario my-case.yaml --json
    """
    s = load_scenario(scenario or "ukraine-2025")
    with stages(disable=json_) as bar:
        result = Service(url=db).ingest(
            s,
            paths=paths,
            local_model=local_model,
            executor=executor,
            address=ray_address,
            progress=bar,
            stage=bar.stage,
        )
    records, added, errors = result.records, result.added, result.errors
    for rec in records:
        for warning in rec.get("local_model", {}).get("warnings", []):
            err_console.print(f"warning: {rec['source']}: {warning}", markup=False)
    for exc in errors:
        err_console.print(f"error: {exc}", markup=False)
    if json_:
        print_json(result.to_dict())
    else:
        table = Table(title=f"Ingested for {s.id}")
        for col in ("source", "stored", "mentions", "quotes", "claims", "deadlines", "events"):
            table.add_column(col)
        if result.local_model:
            table.add_column("local model: kept of proposed")
        for rec, new in zip(records, added):
            local = rec.get("local_model")
            table.add_row(
                rec["source"],
                "new" if new else "unchanged",
                *(str(len(rec[k])) for k in ("mentions", "quotes", "claims", "deadlines", "events")),
                *([f"{local['kept']} of {local['proposed']}"] if local is not None else []),
            )
        for source in result.known:
            table.add_row(source, "unchanged (known, not read again)", *[""] * (len(table.columns) - 2))
        console.print(table)
        names = result.unmatched_names()
        if names:
            console.print(
                "names near claims that match no actor (add them as aliases if they speak for one): "
                + ", ".join(f"{n['name']} ({n['count']})" for n in names),
                markup=False,
            )
        summary = result.summary()
        console.print(
            f"{summary['stored']} stored, {summary['skipped_known']} already stored (skipped), "
            f"{summary['skipped_non_article']} not articles (skipped), {len(summary['refused'])} refused",
            markup=False,
        )
    if errors:
        sys.exit(2)
