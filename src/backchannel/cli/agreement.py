"""What the terminal shows of the agreement layer: P(deal) per model, its curve, and the no-veto note."""

from __future__ import annotations

from typing import Any, Mapping

from rich.table import Table

from .output import console

__all__ = ["NO_VETO_NOTE", "agreement_table", "print_agreement"]

NO_VETO_NOTE = (
    "No consent rule in this scenario: no vetoes assumed, so every settlement counts as a deal "
    "(P(deal) is below 1 only where a model itself finds no deal)."
)


def _by_date_cells(by_date: list[dict[str, Any]], picks: int = 4) -> list[dict[str, Any]]:
    """Up to ``picks`` dates of the curve, spread from the first to the last (the horizon)."""
    if len(by_date) <= picks:
        return list(by_date)
    idx = sorted({round(k * (len(by_date) - 1) / (picks - 1)) for k in range(picks)})
    return [by_date[k] for k in idx]


def agreement_table(payload: Mapping[str, Any]) -> Table:
    """Rows: models; columns: P(deal) ± Monte Carlo s.e. (one-shot, at as_of) and the cumulative P(deal) by date."""
    agreement = payload["agreement"]
    draws = payload.get("draws", 0)
    dates = next((_by_date_cells(a["by_date"]) for a in agreement.values() if a["by_date"]), [])
    rule = payload.get("consent")
    title = "Will there be a deal? P(deal) ± Monte Carlo standard error" + (
        f" (consent: {_rule_text(rule)})" if rule else " (no consent rule: no vetoes assumed)"
    )
    table = Table(title=title)
    table.add_column("model")
    table.add_column("P(deal) now", justify="right")
    for d in dates:
        table.add_column(f"by {d['date']}", justify="right")
    for model, a in agreement.items():
        cell = f"{a['p_deal']:.1%}" + (f" ± {a['se']:.1%}" if draws else " (point)")
        wanted = {d["date"] for d in dates}
        curve = [f"{d['p_deal']:.1%}" for d in a["by_date"] if d["date"] in wanted]
        table.add_row(model, cell, *curve)
    return table


def _rule_text(rule: Mapping[str, Any]) -> str:
    if "veto" in rule:
        return "veto of " + ", ".join(rule["veto"])
    qm = rule["qualified_majority"]
    members = ", ".join(qm["members"]) if qm.get("members") else "all actors"
    return f"qualified majority of {qm['threshold']:.0%} of capability ({members})"


def print_agreement(payload: Mapping[str, Any]) -> None:
    """The P(deal) table, and the note once when the scenario has no consent rule."""
    if "agreement" not in payload:
        return
    console.print(agreement_table(payload))
    if payload.get("consent") is None:
        console.print(NO_VETO_NOTE)
