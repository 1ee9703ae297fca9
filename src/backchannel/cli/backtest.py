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

from ..analysis.backtest import cases_from_deu, cases_from_scenario, run_backtest
from ..analysis.deu_distribution import status_quo_scores
from ..analysis.deu_scores import DEFAULT_DRAWS, combined_status_quo, distribution_scores
from ..scenario.formats.deu import CAPABILITIES, looks_like_deu, parse_deu
from ..app.files import atomic_write_text, load_scenario, read_text
from ..models import get_model, model_names
from ..scenario.errors import InputError
from .options import JsonOption, SeedOption
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
    file: Annotated[str, typer.Argument(help="A DEU data file (tab-separated, e.g. ../shared/data/deu3-dev.tsv) "
                                             "or a scenario file whose issues record 'actual'.")],
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Model to score (repeatable); "
                                                      "default: every registered model.")] = None,
    capability: Annotated[str, typer.Option(help="DEU capabilities: 'equal', or 'gdp' from the file's GDP row.")]
    = "equal",
    by: Annotated[str, typer.Option(help="DEU model input: a whole 'proposal' at a time (its issues are "
                                         "one negotiation; exchange and smp link them) or one 'issue'.")] = "proposal",
    per_issue: Annotated[Optional[Path], typer.Option("--per-issue", help="Write every prediction to this "
                                                      "file (CSV, or JSON when it ends in .json).")] = None,
    boot: Annotated[int, typer.Option(min=100, help="Bootstrap replicates of the paired interval.")] = 2000,
    draws: Annotated[int, typer.Option("--draws", min=0, help="Draws per issue of each model's DEU forecast "
                                       "distribution, for CRPS, coverage, interval score and PIT (0: skip).")]
    = DEFAULT_DRAWS,
    seed: SeedOption = 0,
    json_: JsonOption = False,
) -> None:
    """Score the models on decided issues: MAE, RMSE, median error, n, interval vs compromise.

    Reads a DEU data file or a scenario whose issues record 'actual'. The interval is a paired
    bootstrap 95 % interval of each model's MAE minus the compromise model's, over proposals.

    Examples: backchannel backtest ../shared/data/deu3-dev.tsv; backtest deu.tsv -m compromise -m focal --json
    """
    if capability not in CAPABILITIES:
        raise InputError("unknown capability source", field="--capability", value=capability,
                         allowed=", ".join(CAPABILITIES))
    names = list(dict.fromkeys(model or model_names()))
    models = [get_model(n) for n in names]  # unknown names fail here, before any work
    announce_compiles(names)
    path = Path(file)
    counts: dict[str, int] = {}
    data = None
    if path.is_file() and looks_like_deu(text := read_text(path)):
        data = parse_deu(text, str(path), capability=capability)
        cases, counts = cases_from_deu(data, by=by), data.counts
    else:
        cases = cases_from_scenario(load_scenario(file))
    with Progress(console=err_console, transient=True, disable=json_) as bar:
        task = bar.add_task("backtest", total=len(models) + ("compromise" not in names))
        result = run_backtest(cases, models, seed=seed, n_boot=boot, counts=counts,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    if per_issue is not None:
        _write_rows(per_issue, result.per_issue())
    # P(outcome = reference point) from the agreement layer (DEU files only: they record the reference point)
    status_quo = status_quo_scores(data, models, seed=seed) if data is not None else {}
    if data is not None and "combined" in result.scores:
        status_quo["combined"] = combined_status_quo(data, seed=seed)
    dist = (distribution_scores(data, list(result.scores), result.issues, result.actual, draws=draws, seed=seed)
            if data is not None and draws else {})
    if json_:
        out = {**result.to_dict(), "status_quo": {m: s.to_dict() for m, s in status_quo.items()}}
        for m, d in dist.items():
            out["models"][m].update(d.to_dict())
        if dist:
            out["distribution"] = {"draws": draws, "seed": seed, "source": "analysis/deu_distribution.py"}
        print_json(out)
        return
    table = Table(title=f"Backtest on {path.name}: {len(result.issues)} issues with a known outcome "
                        f"(absolute error on 0–100)")
    for col in ("model", "MAE", "RMSE", "median AE", "n", "MAE − compromise, 95 % CI"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for name, s in result.scores.items():
        lo, hi = s.diff_vs_compromise
        table.add_row(name, fmt(s.mae, 2), fmt(s.rmse, 2), fmt(s.median_ae, 2), str(s.n),
                      "–" if name == "compromise" else f"[{lo:+.2f}, {hi:+.2f}]")
    console.print(table)
    if counts:
        console.print("Data: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())
                      + f"; capability {capability}; blank salience read as 50.")
    console.print(f"Interval: paired bootstrap over clusters (proposals), {boot} replicates, seed {seed}.")
    if dist:
        dt = Table(title=f"Forecast distributions ({draws} draws per issue; lower CRPS and interval score are better)")
        for col in ("model", "CRPS", "50 % covers", "90 % covers", "interval score 90 %", "PIT (10 bins)"):
            dt.add_column(col, justify="left" if col == "model" else "right")
        for name, d in dist.items():
            dt.add_row(name, fmt(d.crps, 2), f"{100 * d.coverage50:.1f} %", f"{100 * d.coverage90:.1f} %",
                       fmt(d.interval_score90, 1), " ".join(str(c) for c in d.pit))
        console.print(dt)
    if status_quo:
        sq = Table(title="Will the law stay as it was? Brier score of P(outcome = reference point), "
                         "against always forecasting the base rate learned on deu3-dev.tsv (lower is better)")
        for col in ("model", "Brier", "base rate Brier", "n"):
            sq.add_column(col, justify="left" if col == "model" else "right")
        for name, score in status_quo.items():
            sq.add_row(name, fmt(score.brier, 4), fmt(score.base_rate_brier, 4), str(score.n))
        console.print(sq)
