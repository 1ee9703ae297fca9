"""The named-outcome table that `forecast` shows: probability ± Monte Carlo error per model."""
from __future__ import annotations

from typing import Mapping

from rich.table import Table

from ..analysis.outcomes import UNNAMED, OutcomeProbabilities
from ..scenario.schema import Scenario

__all__ = ["outcomes_table"]


def outcomes_table(probabilities: Mapping[str, OutcomeProbabilities], scenario: Scenario) -> Table:
    """Rows: the named outcomes then 'no named outcome'; columns: one per model, 'p ± s.e.'."""
    draws = {p.draws for p in probabilities.values()}
    table = Table(title="Named outcomes: probability ± Monte Carlo standard error "
                        f"({', '.join(str(d) for d in sorted(draws))} draws; first match in file order)")
    table.add_column("outcome")
    for model in probabilities:
        table.add_column(model, justify="right")
    names = {o.id: o.id for o in scenario.outcomes} | {UNNAMED: "(no named outcome)"}
    for key, label in names.items():
        cells = []
        for p in probabilities.values():
            se = p.stderr[key]
            cells.append(f"{p.probability[key]:.1%}" + (f" ± {se:.1%}" if p.draws > 1 else " (point)"))
        table.add_row(label, *cells)
    return table

