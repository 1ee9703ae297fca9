"""`backchannel backtest FILE`: score the models on decisions whose outcome is known."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import Progress
from rich.table import Table

from ..analysis.deu_scores import DEFAULT_DRAWS
from ..app.files import atomic_write_text, load_scenario, read_text
from ..app.service import Service
from ..models import model_names
from .options import ExecutorOption, JsonOption, RayAddressOption, SeedOption
from .output import announce_compiles, console, err_console, fmt, print_json

__all__ = ["backtest"]


def _write_rows(path: Path, rows: list[dict]) -> None:
    """Every prediction: JSON when the file name ends in .json, else CSV."""
    if path.suffix.lower() == ".json":
        atomic_write_text(path, json.dumps(rows, indent=2) + "\n")
        return
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def backtest(
    file: Annotated[
        str,
        typer.Argument(
            help="A DEU data file (tab-separated, e.g. ../shared/data/deu3-dev.tsv) "
            "or a scenario file whose issues record 'actual'."
        ),
    ],
    model: Annotated[
        Optional[list[str]],
        typer.Option("--model", "-m", help="Model to score (repeatable); default: every registered model."),
    ] = None,
    capability: Annotated[
        str, typer.Option(help="DEU capabilities: 'equal', or 'gdp' from the file's GDP row.")
    ] = "equal",
    by: Annotated[
        str,
        typer.Option(
            help="DEU model input: a whole 'proposal' at a time (its issues are "
            "one negotiation; exchange and smp link them) or one 'issue'."
        ),
    ] = "proposal",
    per_issue: Annotated[
        Optional[Path],
        typer.Option("--per-issue", help="Write every prediction to this file (CSV, or JSON when it ends in .json)."),
    ] = None,
    boot: Annotated[int, typer.Option(min=100, help="Bootstrap replicates of the paired interval.")] = 2000,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            min=0,
            help="Draws per issue of each model's DEU forecast "
            "distribution, for CRPS, coverage, interval score and PIT (0: skip).",
        ),
    ] = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    executor: ExecutorOption = "serial",
    ray_address: RayAddressOption = None,
    json_: JsonOption = False,
) -> None:
    """Score the models on decided issues: MAE, RMSE, median error, n, interval vs compromise.

    Reads a DEU data file or a scenario whose issues record 'actual'. The interval is a paired
    bootstrap 95 % interval of each model's MAE minus the compromise model's, over proposals.

    Examples: backchannel backtest ../shared/data/deu3-dev.tsv; backtest deu.tsv -m compromise -m focal --json
    """
    names = list(dict.fromkeys(model or model_names()))
    announce_compiles(names)
    path = Path(file)
    source = {"text": read_text(path), "name": str(path)} if path.is_file() else {"scenario": load_scenario(file)}
    with Progress(console=err_console, transient=True, disable=json_) as bar:
        task = bar.add_task("backtest", total=len(names) + ("compromise" not in names))
        result = Service().backtest(
            **source,
            models=names,
            capability=capability,
            by=by,
            boot=boot,
            seed=seed,
            draws=draws,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            executor=executor,
            address=ray_address,
        )
    if per_issue is not None:
        _write_rows(per_issue, result.per_issue())
    if json_:
        print_json(result.to_dict())
        return
    table = Table(
        title=f"Backtest on {path.name}: {len(result.issues)} issues with a known outcome (absolute error on 0–100)"
    )
    for col in ("model", "MAE", "RMSE", "median AE", "n", "MAE − compromise, 95 % CI"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for name, s in result.scores.items():
        lo, hi = s.diff_vs_compromise
        table.add_row(
            name,
            fmt(s.mae, 2),
            fmt(s.rmse, 2),
            fmt(s.median_ae, 2),
            str(s.n),
            "–" if name == "compromise" else f"[{lo:+.2f}, {hi:+.2f}]",
        )
    console.print(table)
    counts = result.counts
    if counts:
        console.print(
            "Data: "
            + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())
            + f"; capability {capability}; blank salience read as 50."
        )
    console.print(f"Interval: paired bootstrap over clusters (proposals), {boot} replicates, seed {seed}.")
    if result.distribution:
        dt = Table(title=f"Forecast distributions ({draws} draws per issue; lower CRPS and interval score are better)")
        for col in ("model", "CRPS", "50 % covers", "90 % covers", "interval score 90 %", "PIT (10 bins)"):
            dt.add_column(col, justify="left" if col == "model" else "right")
        for name, d in result.distribution.items():
            dt.add_row(
                name,
                fmt(d["crps"], 2),
                f"{100 * d['coverage50']:.1f} %",
                f"{100 * d['coverage90']:.1f} %",
                fmt(d["interval_score90"], 1),
                " ".join(str(c) for c in d["pit"]),
            )
        console.print(dt)
    if result.status_quo:
        sq = Table(
            title="Will the law stay as it was? Brier score of P(outcome = reference point), "
            "against always forecasting the base rate learned on deu3-dev.tsv (lower is better)"
        )
        for col in ("model", "Brier", "base rate Brier", "n"):
            sq.add_column(col, justify="left" if col == "model" else "right")
        for name, score in result.status_quo.items():
            sq.add_row(name, fmt(float(score["brier"]), 4), fmt(float(score["base_rate_brier"]), 4), str(score["n"]))
        console.print(sq)
