"""Candidate exchanges of Stokman's exchange model: issue pairs, groups, roles, the per-round list.

One round starts from everyone's current preferences. For every pair of issues (p, q), taken
in file order, two actors can trade when they sit on opposite sides of both outcomes; the one
whose salience ratio s_p / s_q is higher (actor ``A``) gives way on q and gains on p, the other
(``B``) gives way on p. Every candidate is held as one row of arrays with two *sides*: side 0
is A (supplies q, demands p), side 1 is B (supplies p, demands q).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ExchangeList", "build_candidates", "issue_pairs", "round_outcome"]


def issue_pairs(n_issues: int) -> np.ndarray:
    """All issue pairs (p, q), p < q, in the order of ``itertools.combinations``."""
    p, q = np.triu_indices(n_issues, k=1)
    return np.stack([p, q], axis=1)


@dataclass(eq=False)
class ExchangeList:
    """The candidate exchanges of one round, as arrays over rows (E,) and sides (E, 2).

    Fixed for the round: ``act`` (actor per side), ``sup`` / ``dem`` (supply and demand issue),
    ``start`` (the side's round-start position on its supply issue), ``target`` (the partner's
    round-start position there), saliences on the supply and demand issue, ``rate`` (the outcome
    shift per unit move, c·s / Σ c·s on the supply issue), ``pass_on`` (both traders' saliences
    on this side's supply issue over those on the other's: turns this side's outcome shift into
    the partner's under equal gain), ``outcome`` (the round-start outcome on the supply issue)
    and ``usable`` (both sides have weight, so the terms are defined).

    Changed as exchanges are realised: ``cur`` (current position on the supply issue), ``last``
    (the side's current signed move), ``y`` (cur + last), ``shift`` (the outcome shift on the
    supply issue), ``gain``, ``valid``; the earlier, superseded moves of a side are summarised by
    ``stale_sum`` and the flags ``stale_pos`` / ``stale_neg`` (all positive / all negative,
    true when there are none); ``override`` (E, 2, actors) holds positions of other suppliers
    on the side's supply issue already moved by realised exchanges (NaN: none), and
    ``override_shift`` the outcome shift they cause, without the side's own actor.
    """

    act: np.ndarray
    sup: np.ndarray
    dem: np.ndarray
    start: np.ndarray
    target: np.ndarray
    sal_sup: np.ndarray
    sal_dem: np.ndarray
    rate: np.ndarray
    pass_on: np.ndarray
    outcome: np.ndarray
    usable: np.ndarray
    cur: np.ndarray
    last: np.ndarray
    y: np.ndarray
    shift: np.ndarray
    gain: np.ndarray
    valid: np.ndarray
    stale_sum: np.ndarray
    stale_pos: np.ndarray
    stale_neg: np.ndarray
    override: np.ndarray
    override_shift: np.ndarray

    def __len__(self) -> int:
        return self.act.shape[0]


def round_outcome(position: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ c·s and the weighted mean per issue (0 where nobody has weight, as in the peer)."""
    total = weight.sum(axis=0)
    numer = (weight * position).sum(axis=0)
    return total, np.divide(numer, total, out=np.zeros_like(numer), where=total > 0)


def build_candidates(
    position: np.ndarray, salience: np.ndarray, capability: np.ndarray, mask: np.ndarray
) -> ExchangeList:
    """Every candidate exchange of a round, in the creation order the peer uses.

    Order: issue pair, then the block (actors right of both outcomes with actors left of both,
    then right/left with left/right), then the first actor, then the second, in file order.
    """
    n_actors, n_issues = position.shape
    weight = np.where(mask, capability * salience, 0.0)
    total, outcome = round_outcome(position, weight)
    left = mask & (position <= outcome[None, :])
    pairs = issue_pairs(n_issues)
    p, q = pairs[:, 0], pairs[:, 1]
    both = mask[:, p] & mask[:, q]  # (A, P)
    group = left[:, p].astype(int) + 2 * left[:, q].astype(int)
    member = [(both & (group == g)).T for g in range(4)]  # each (P, A)
    block0 = member[0][:, :, None] & member[3][:, None, :]
    block1 = member[1][:, :, None] & member[2][:, None, :]
    pair_idx, _, first, second = np.nonzero(np.stack([block0, block1], axis=1))
    p, q = p[pair_idx], q[pair_idx]
    # A is the actor with the higher s_p / s_q (ties to the first actor); cross-multiplied so
    # that a zero salience does not divide by zero.
    a_first = ~(salience[first, p] * salience[second, q] < salience[second, p] * salience[first, q])
    act = np.stack([np.where(a_first, first, second), np.where(a_first, second, first)], axis=1)
    sup = np.stack([q, p], axis=1)
    dem = np.stack([p, q], axis=1)
    partner = act[:, ::-1]
    start = position[act, sup]
    sal_sup = salience[act, sup]
    sal_dem = salience[act, dem]
    a_sup = weight[act, sup]
    sigma = sal_sup + sal_dem[:, ::-1]
    usable = (a_sup > 0).all(axis=1) & (sigma > 0).all(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(a_sup > 0, a_sup / total[sup], np.nan)
        pass_on = np.where(usable[:, None], sigma / sigma[:, ::-1], np.nan)
    n = len(first)
    return ExchangeList(
        act=act,
        sup=sup,
        dem=dem,
        start=start,
        target=position[partner, sup],
        sal_sup=sal_sup,
        sal_dem=sal_dem,
        rate=rate,
        pass_on=pass_on,
        outcome=outcome[sup],
        usable=usable,
        cur=start.copy(),
        last=np.zeros((n, 2)),
        y=start.copy(),
        shift=np.zeros((n, 2)),
        gain=np.zeros(n),
        valid=np.zeros(n, dtype=bool),
        stale_sum=np.zeros((n, 2)),
        stale_pos=np.ones((n, 2), dtype=bool),
        stale_neg=np.ones((n, 2), dtype=bool),
        override=np.full((n, 2, n_actors), np.nan),
        override_shift=np.zeros((n, 2)),
    )
