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

__all__ = [
    "DEAL",
    "DISCLAIMER",
    "IMPLIED_NOTE",
    "SHAPES",
    "MarketImpact",
    "implied_mixture",
    "market_impacts",
    "versus_implied",
]

DISCLAIMER = (
    "A transparent scenario-weighting tool, not a price model: it weights the moves the scenario "
    "file declares for each named outcome by the outcome probabilities, and knows nothing else "
    "about markets."
)
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
        return {
            "name": self.name,
            "unit": self.unit,
            "expected": self.expected,
            "p05": self.p05,
            "p95": self.p95,
            "driver": self.driver,
            "contributions": dict(self.contributions),
            "basis": dict(self.basis),
        }


def _fallback(markets: Markets, var: str) -> MarketMove:
    if var in markets.unnamed:
        return markets.unnamed[var]
    ranges = [m[var].range for m in markets.moves.values() if var in m]
    lo = min([r[0] for r in ranges] + [0.0])
    hi = max([r[1] for r in ranges] + [0.0])
    return MarketMove(
        expected=0.0, range=(lo, hi), basis="no move declared: zero, within the widest range declared for this variable"
    )


def _draw(rng: np.random.Generator, move: MarketMove, n: int, shape: str) -> np.ndarray:
    lo, hi = move.range
    if n == 0 or lo == hi:
        return np.full(n, float(lo))
    if shape == "uniform":
        return rng.uniform(lo, hi, n)
    return rng.triangular(lo, move.expected, hi, n)


def market_impacts(
    probabilities: Mapping[str, float],
    scenario: Scenario,
    draws: int = 20_000,
    seed: int = 0,
    shape: str = "triangular",
) -> dict[str, MarketImpact]:
    """Each market variable's expected move and 5–95 % band under the outcome probabilities."""
    markets = scenario.markets
    if markets is None:
        raise InputError(
            "the scenario declares no market variables",
            field="markets",
            allowed="a scenario with a 'markets:' section (see docs/analysis.md)",
        )
    if shape not in SHAPES:
        raise InputError("unknown distribution shape", field="shape", value=shape, allowed=", ".join(SHAPES))
    keys = [o.id for o in scenario.outcomes] + [UNNAMED]
    if UNNAMED_NO_DEAL in probabilities:  # draws without a deal in no named region: no move declared either
        probabilities = {k: v for k, v in probabilities.items() if k != UNNAMED_NO_DEAL} | {
            UNNAMED: float(probabilities.get(UNNAMED, 0.0)) + float(probabilities[UNNAMED_NO_DEAL])
        }
    unknown = [k for k in probabilities if k not in keys]
    if unknown:
        raise InputError(
            "probability given for an unknown outcome", field="outcomes", value=unknown[0], allowed=", ".join(keys)
        )
    p = np.array([float(probabilities.get(k, 0.0)) for k in keys])
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise InputError(
            "outcome probabilities must be >= 0 and sum to 1 (named plus unnamed)",
            field="outcomes",
            value=float(p.sum()),
        )
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
        out[var.id] = MarketImpact(
            var.id,
            var.name,
            var.unit,
            float(sum(terms.values())),
            float(lo),
            float(hi),
            driver,
            terms,
            {k: m.basis for k, m in moves.items()},
        )
    return out


IMPLIED_NOTE = (
    "Scenario arithmetic, not trading advice: the gap is the model's probability minus the one you "
    "entered as priced in, and the move versus priced-in is the expected move under the model's "
    "probabilities minus the expected move under the priced-in mixture, both from the moves the "
    "scenario declares."
)
#: the key of a market-implied probability of a deal (all deal-branch outcomes together)
DEAL = "deal"


def _branch(outcome: Any) -> str:
    return str(getattr(outcome, "branch", None) or "deal")


def implied_mixture(scenario: Scenario, model: Mapping[str, float], implied: Mapping[str, float]) -> dict[str, float]:
    """The priced-in distribution over the named outcomes and ``unnamed``: the outcomes given keep their
    market-implied probability; those left out share the remaining mass in the model's proportions (equally
    when the model gives them none). ``deal`` sets the total of the deal-branch outcomes, when the scenario
    has a no-deal branch, and is split over them in the model's proportions (the rest likewise)."""
    keys = [o.id for o in scenario.outcomes] + [UNNAMED]
    has_branches = any(_branch(o) == "no_deal" for o in scenario.outcomes) and DEAL not in keys
    allowed = keys + ([DEAL] if has_branches else [])
    given: dict[str, float] = {}
    for k, v in implied.items():
        if k not in allowed:
            raise InputError(
                "a market-implied probability names an unknown outcome",
                field="--implied",
                value=k,
                allowed=", ".join(allowed) + ("" if has_branches else " (deal once the scenario has a no-deal branch)"),
            )
        p = float(v)
        if not 0.0 <= p <= 1.0:
            raise InputError(
                "a market-implied probability must be in 0..1",
                field=f"--implied {k}",
                value=v,
                allowed="a number in 0..1",
            )
        given[k] = p
    m = {k: max(0.0, float(model.get(k, 0.0))) for k in keys}
    if has_branches and DEAL in given:
        deal_keys = [o.id for o in scenario.outcomes if _branch(o) != "no_deal"] + [UNNAMED]
        p_deal = given.pop(DEAL)
        if any(k in given for k in keys):
            raise InputError(
                "give either deal or single outcomes, not both",
                field="--implied",
                value=DEAL,
                allowed="deal=P alone, or OUTCOME=P for outcomes",
            )
        return _fill(keys, m, {}, [(deal_keys, p_deal), ([k for k in keys if k not in deal_keys], 1.0 - p_deal)])
    return _fill(keys, m, given, [([k for k in keys if k not in given], 1.0 - sum(given.values()))])


def _fill(
    keys: list[str], model: dict[str, float], given: dict[str, float], groups: list[tuple[list[str], float]]
) -> dict[str, float]:
    total_given = sum(given.values())
    if total_given > 1.0 + 1e-9:
        raise InputError(
            "market-implied probabilities add up to more than 1",
            field="--implied",
            value=round(total_given, 6),
            allowed="a total of at most 1",
        )
    out = dict(given)
    for members, mass in groups:
        if not members:
            if abs(mass) > 1e-6:
                raise InputError(
                    "market-implied probabilities of every outcome must add up to 1",
                    field="--implied",
                    value=round(1.0 - mass, 6),
                    allowed="a total of 1",
                )
            continue
        weight = sum(model[k] for k in members)
        for k in members:
            out[k] = max(0.0, mass) * (model[k] / weight if weight > 0 else 1.0 / len(members))
    return {k: out[k] for k in keys}


def versus_implied(
    probabilities: Mapping[str, float], implied: Mapping[str, float], scenario: Scenario, seed: int = 0
) -> dict[str, Any]:
    """The model against the priced-in state: the priced-in mixture (``implied``), the gap per outcome
    (model − implied), and per variable the expected move under the mixture and ``move_vs_implied``
    (expected under the model − expected under the mixture)."""
    q = implied_mixture(scenario, probabilities, implied)
    model = market_impacts(probabilities, scenario, seed=seed)
    priced = market_impacts(q, scenario, seed=seed)
    return {
        "implied": q,
        "given": {k: float(v) for k, v in implied.items()},
        "gap": {k: float(probabilities.get(k, 0.0)) - q[k] for k in q},
        "variables": {
            k: {
                "expected": model[k].expected,
                "implied_expected": priced[k].expected,
                "move_vs_implied": model[k].expected - priced[k].expected,
            }
            for k in model
        },
        "note": IMPLIED_NOTE,
    }
