"""`backchannel evidence list|show`: browse the stored documents and what was extracted from them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..app.service import Service
from .options import DbOption, JsonOption
from .output import console, fmt, print_json

app = typer.Typer(help="Browse stored evidence from news.", no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False) -> None:
    """List the stored documents with how much evidence each holds.

    Example: backchannel evidence list
    """
    docs = Service(url=db).documents()
    if json_:
        print_json(docs)
        return
    table = Table(title="Stored documents")
    for col in ("id", "hash", "source", "published", "title", "quotes", "claims", "deadlines", "events"):
        table.add_column(col)
    for d in docs:
        table.add_row(
            str(d["id"]),
            d["hash"][:10],
            d["source"],
            d["published"] or "–",
            (d["title"] or "–")[:50],
            *(str(d[k]) for k in ("quotes", "claims", "deadlines", "events")),
        )
    console.print(table)


@app.command()
def show(
    document: Annotated[str, typer.Argument(help="Document id or hash prefix from 'evidence list'.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one document's quotes, claims, deadlines and events, each with its sentence.

    Example: backchannel evidence show 1
    """
    doc = Service(url=db).document(document)
    if json_:
        print_json(doc)
        return
    console.print(
        f"[bold]{doc['title'] or doc['source']}[/bold]  ({doc['source']}, {doc['published'] or 'no date'})", markup=True
    )
    quotes = Table(title="Quotes")
    for col in ("speaker", "actor", "quote"):
        quotes.add_column(col)
    for q in doc["quotes"]:
        quotes.add_row(q["speaker"] or "–", q["actor"] or "–", q["text"])
    claims = Table(title="Claims")
    for col in ("actor", "issue", "position", "confidence", "sentence"):
        claims.add_column(col)
    for c in doc["claims"]:
        claims.add_row(c["actor"], c["issue"], fmt(c["position"]), fmt(c["confidence"], 2), c["text"])
    deadlines = Table(title="Deadlines")
    for col in ("text", "days", "due", "set by", "aimed at"):
        deadlines.add_column(col)
    for d in doc["deadlines"]:
        deadlines.add_row(
            d["text"],
            str(d["days"]) if d["days"] is not None else "–",
            d["due"] or "–",
            d["actor"] or "–",
            d["target"] or "–",
        )
    events = Table(title="Events")
    for col in ("kind", "actor", "target", "sentence"):
        events.add_column(col)
    for e in doc["events"]:
        events.add_row(e["kind"], e["actor"] or "–", e["target"] or "–", e["text"])
    for table in (quotes, claims, deadlines, events):
        console.print(table)
