"""The decision of one step: which draws' settlements every actor whose consent counts prefers to no deal.

Actor a accepts a package x when u_a(x) ≥ u_a(o_a) − c_a (m + 1): its utility from the package is at
least that of its outside option o_a net of the cost of going on without a deal, c_a per month, for
the m months already passed and the one more month a rejection means. The draw is a deal when the
model found one (nash and nash_outside may not) and the consent rule is met.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .consent import ConsentRule, accepted, actor_weights
from .utility import package_utility

__all__ = ["Decision", "deal_probability", "decide", "decide_utilities"]


@dataclass(frozen=True, eq=False)
class Decision:
    """Per draw: whether it is a deal (B,), and each actor's acceptance (B, A)."""

    deal: np.ndarray
    accepts: np.ndarray


def decide(
    rule: ConsentRule | None,
    settlement: np.ndarray,
    found: np.ndarray,
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    mask: np.ndarray,
    outside: np.ndarray,
    cost: np.ndarray,
    months: float,
    power: int = 1,
) -> Decision:
    """Which draws are deals: ``settlement`` (B, I), ``found`` (B,) whether the model found one, the draws'
    positions, saliences, capabilities (B, A, I) and filled outside points (B, A, I), costs (A,) per month."""
    u_deal = package_utility(position, salience, mask, settlement, power)
    u_out = package_utility(position, salience, mask, outside, power)
    return decide_utilities(rule, u_deal, u_out, cost, months, found, actor_weights(capability, mask))


def decide_utilities(
    rule: ConsentRule | None,
    u_deal: np.ndarray,
    u_out: np.ndarray,
    cost: np.ndarray,
    months: float,
    found: np.ndarray,
    weight: np.ndarray,
) -> Decision:
    """``decide`` from the utilities (B, A) of the settlement and of the outside option (before costs)."""
    accepts = u_deal >= u_out - cost[None, :] * (months + 1.0) - 1e-12
    deal = np.asarray(found, dtype=bool) & accepted(rule, accepts, weight)
    return Decision(deal, accepts)


def deal_probability(deal: np.ndarray) -> tuple[float, float]:
    """Share of deals and its Monte Carlo standard error sqrt(p (1 − p) / B)."""
    b = len(deal)
    p = float(np.mean(deal)) if b else 0.0
    return p, float(np.sqrt(p * (1.0 - p) / b)) if b else 0.0
