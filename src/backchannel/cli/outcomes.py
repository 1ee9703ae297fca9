"""The named-outcome table that `forecast` shows: probability ± Monte Carlo error per model."""

from __future__ import annotations

from typing import Mapping

from rich.table import Table

from ..analysis.outcomes import UNNAMED, UNNAMED_NO_DEAL, OutcomeProbabilities
from ..scenario.schema import Scenario

__all__ = ["outcomes_table"]


def outcomes_table(probabilities: Mapping[str, OutcomeProbabilities], scenario: Scenario) -> Table:
    """Rows: the named outcomes then 'no named outcome'; columns: one per model, 'p ± s.e.'."""
    draws = {p.draws for p in probabilities.values()}
    consent = any(UNNAMED_NO_DEAL in p.probability for p in probabilities.values())
    view = (
        "unconditional: deal and no-deal branches sum to 1"
        if consent
        else "of the settlements: no consent rule, every draw a deal"
    )
    table = Table(
        title=f"Named outcomes ({view}): probability ± Monte Carlo standard error "
        f"({', '.join(str(d) for d in sorted(draws))} draws; first match in file order)"
    )
    table.add_column("outcome")
    for model in probabilities:
        table.add_column(model, justify="right")
    names = {o.id: o.id + (" (no deal)" if consent and o.branch == "no_deal" else "") for o in scenario.outcomes}
    names |= {UNNAMED: "(no named outcome)" + (", deal" if consent else "")}
    if consent:
        names[UNNAMED_NO_DEAL] = "(no named outcome), no deal"
    for key, label in names.items():
        cells = []
        for p in probabilities.values():
            if key not in p.probability:
                cells.append("–")
                continue
            se = p.stderr[key]
            cells.append(f"{p.probability[key]:.1%}" + (f" ± {se:.1%}" if p.draws > 1 else " (point)"))
        table.add_row(label, *cells)
    return table
