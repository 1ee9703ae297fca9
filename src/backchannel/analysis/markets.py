"""Market impacts: the analyst's declared moves per named outcome, weighted by outcome probabilities.

For each market variable the move is a mixture: outcome k happens with probability p_k and then
the move lies in that outcome's declared range, drawn from a triangular distribution with its
mode at the declared expected move (or uniform, by option). The reported expected move is
Σ p_k × expected_k — the declared central values weighted, nothing estimated — and the 5–95 %
band comes from seeded Monte Carlo draws of the mixture. The outcome "driving" a variable is the
one whose term p_k × expected_k is largest in size.

Draws in no named region, and outcomes with no move declared for a variable, use the scenario's
``markets.unnamed`` move when it gives one; otherwise a move of 0 within the widest range declared
for the variable (extended to include 0): "we do not know which way", said as widely as the
scenario allows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..scenario.errors import InputError
from ..scenario.markets import MarketMove, Markets
from ..scenario.schema import Scenario
from .outcomes import UNNAMED, UNNAMED_NO_DEAL

__all__ = ["DISCLAIMER", "SHAPES", "MarketImpact", "market_impacts"]

DISCLAIMER = ("A transparent scenario-weighting tool, not a price model: it weights the moves the scenario "
              "file declares for each named outcome by the outcome probabilities, and knows nothing else "
              "about markets.")
SHAPES = ("triangular", "uniform")


@dataclass(frozen=True)
class MarketImpact:
    """One variable's probability-weighted move and its 5–95 % band."""

    variable: str
    name: str
    unit: str
    expected: float
    p05: float
    p95: float
    driver: str
    contributions: dict[str, float]
    basis: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready impact."""
        return {"name": self.name, "unit": self.unit, "expected": self.expected, "p05": self.p05,
                "p95": self.p95, "driver": self.driver, "contributions": dict(self.contributions),
                "basis": dict(self.basis)}


def _fallback(markets: Markets, var: str) -> MarketMove:
    if var in markets.unnamed:
        return markets.unnamed[var]
    ranges = [m[var].range for m in markets.moves.values() if var in m]
    lo = min([r[0] for r in ranges] + [0.0])
    hi = max([r[1] for r in ranges] + [0.0])
    return MarketMove(expected=0.0, range=(lo, hi),
                      basis="no move declared: zero, within the widest range declared for this variable")


def _draw(rng: np.random.Generator, move: MarketMove, n: int, shape: str) -> np.ndarray:
    lo, hi = move.range
    if n == 0 or lo == hi:
        return np.full(n, float(lo))
    if shape == "uniform":
        return rng.uniform(lo, hi, n)
    return rng.triangular(lo, move.expected, hi, n)


def market_impacts(probabilities: Mapping[str, float], scenario: Scenario, draws: int = 20_000, seed: int = 0,
                   shape: str = "triangular") -> dict[str, MarketImpact]:
    """Each market variable's expected move and 5–95 % band under the outcome probabilities."""
    markets = scenario.markets
    if markets is None:
        raise InputError("the scenario declares no market variables", field="markets",
                         allowed="a scenario with a 'markets:' section (see docs/analysis.md)")
    if shape not in SHAPES:
        raise InputError("unknown distribution shape", field="shape", value=shape, allowed=", ".join(SHAPES))
    keys = [o.id for o in scenario.outcomes] + [UNNAMED]
    if UNNAMED_NO_DEAL in probabilities:  # draws without a deal in no named region: no move declared either
        probabilities = {k: v for k, v in probabilities.items() if k != UNNAMED_NO_DEAL} | {
            UNNAMED: float(probabilities.get(UNNAMED, 0.0)) + float(probabilities[UNNAMED_NO_DEAL])}
    unknown = [k for k in probabilities if k not in keys]
    if unknown:
        raise InputError("probability given for an unknown outcome", field="outcomes", value=unknown[0],
                         allowed=", ".join(keys))
    p = np.array([float(probabilities.get(k, 0.0)) for k in keys])
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise InputError("outcome probabilities must be >= 0 and sum to 1 (named plus unnamed)",
                         field="outcomes", value=float(p.sum()))
    p = p / p.sum()
    rng = np.random.default_rng(seed)
    out: dict[str, MarketImpact] = {}
    for var in markets.variables:
        moves = {k: (markets.moves.get(k, {}).get(var.id) or _fallback(markets, var.id)) for k in keys}
        counts = rng.multinomial(draws, p)
        samples = np.concatenate([_draw(rng, moves[k], int(c), shape) for k, c in zip(keys, counts)])
        terms = {k: float(pk * moves[k].expected) for k, pk in zip(keys, p)}
        driver = max(terms, key=lambda k: (abs(terms[k]), p[keys.index(k)]))
        lo, hi = np.percentile(samples, [5, 95])
        out[var.id] = MarketImpact(var.id, var.name, var.unit, float(sum(terms.values())), float(lo), float(hi),
                                   driver, terms, {k: m.basis for k, m in moves.items()})
    return out
