"""`backchannel ingest PATH…`: read articles, extract evidence linked to a scenario, store it."""
from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import __version__
from ..app.files import load_scenario
from ..scenario.errors import InputError
from ..store import Store
from ..ensemble.executors import check_executor
from .options import DbOption, ExecutorOption, JsonOption, RayAddressOption
from .output import console, err_console, print_json

__all__ = ["ingest", "ingest_paths"]

ScenarioOption = Annotated[
    Optional[str],
    typer.Option("--scenario", help="Scenario whose actors and issues the evidence is linked to "
                                    "(built-in id or file); default: ukraine-2025."),
]
LocalModelOption = Annotated[
    Optional[str],
    typer.Option("--local-model", envvar="BACKCHANNEL_LOCAL_MODEL", show_envvar=True,
                 help="URL of an LLM server on this machine (OpenAI-compatible chat completions, e.g. "
                      "http://127.0.0.1:8080/v1?model=NAME) whose claims are added when their evidence "
                      "is copied verbatim from the article; off by default."),
]


def extract_one(extractor, doc) -> dict:
    """One document's record with a worker's loaded extractor (an executor task of ``ingest_paths``)."""
    return extractor.extract(doc)


def ingest_paths(store: Store, paths: list[str], scenario, local_model=None, executor: str = "serial",
                 address: str | None = None) -> tuple[list[dict], list[bool], list[InputError]]:
    """Read, extract and store every document under paths: (records, newly stored flags, errors).

    Each document is stored in its own transaction, so a file that fails leaves the store as it was
    and the other files are still ingested. With a local model (``evidence.local_model``), a document
    the model fails on is not stored (an error); a server that stops answering stops the run.

    With ``executor`` processes or ray, the documents are extracted in parallel by workers that each
    load the models once; this process stores the records one by one in the documents' order, so
    the store ends up as with serial ingest.
    """
    from ..evidence.documents import read_documents
    from ..evidence.extract import Extractor
    from ..evidence.local_model import LocalModelError
    from ..store.evidence import save_extraction

    docs, errors = read_documents(paths)
    records, added = [], []
    if docs and executor != "serial":
        if local_model is not None:
            raise InputError("the local model runs on this machine only", field="--executor", value=executor,
                             allowed="serial with --local-model")
        from ..ensemble.executors import map_stateful

        for doc, record in zip(docs, map_stateful(Extractor, (scenario,), extract_one, docs, executor,
                                                   address=address)):
            _, new = save_extraction(store, record, doc.content_hash, scenario, __version__)
            records.append(record)
            added.append(new)
    elif docs:
        extractor = Extractor(scenario, local_model=local_model)
        for doc in docs:
            try:
                record = extractor.extract(doc)
            except LocalModelError as exc:
                errors.append(InputError(f"{doc.source}: {exc}"))
                continue
            _, new = save_extraction(store, record, doc.content_hash, scenario, __version__)
            records.append(record)
            added.append(new)
    return records, added, errors


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

    Ingesting the same file twice changes nothing. Files that cannot be read are reported one
    line each and the command exits with code 2; the other files are still ingested.

    With --local-model, an LLM server on this machine also proposes claims; each is kept only when
    its evidence is an exact substring of the article (docs/evidence.md).

    With --executor processes or ray, articles are extracted in parallel (each worker loads the models
    once) and stored here one by one in order: the store ends up as with serial ingest.

    Examples: backchannel ingest news/; backchannel ingest article.html --scenario my-case.yaml --json
    """
    s = load_scenario(scenario or "ukraine-2025")
    check_executor(executor)
    backend = None
    if local_model:
        from ..evidence.local_model import open_backend

        backend = open_backend(local_model)
    try:
        records, added, errors = ingest_paths(Store(db), paths, s, backend, executor, ray_address)
    finally:
        if backend is not None:
            backend.close()
    for rec in records:
        for warning in rec.get("local_model", {}).get("warnings", []):
            err_console.print(f"warning: {rec['source']}: {warning}", markup=False)
    for exc in errors:
        err_console.print(f"error: {exc}", markup=False)
    if json_:
        print_json({"documents": records})
    else:
        table = Table(title=f"Ingested for {s.id}")
        for col in ("source", "stored", "mentions", "quotes", "claims", "deadlines", "events"):
            table.add_column(col)
        if backend is not None:
            table.add_column("local model: kept of proposed")
        for rec, new in zip(records, added):
            local = rec.get("local_model")
            table.add_row(rec["source"], "new" if new else "unchanged",
                          *(str(len(rec[k])) for k in ("mentions", "quotes", "claims", "deadlines", "events")),
                          *([f"{local['kept']} of {local['proposed']}"] if local is not None else []))
        console.print(table)
    if errors:
        sys.exit(2)
