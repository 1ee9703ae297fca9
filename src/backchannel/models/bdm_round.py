"""One round of Bueno de Mesquita's expected-utility model on one issue, vectorised over draws.

Arrays put the draws axis B last, so that every sum, minimum and gather over actors runs over
long contiguous rows of draws: per-actor arrays are (n, B) and pairwise arrays (n, n, B),
indexed ``[i, j, b]``. Actor ``i`` is the one whose point of view, risk exponent and move are
computed, ``j`` the other side. Distances are ``|x_i − x_j| / R`` with ``R`` the range of the
starting positions. Only the actors that hold a position on the issue take part.

The formulas follow Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4); ``docs/models.md`` lists the two places where
their program and their paper differ (``normaliser`` and ``ranking``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "NO_OFFER",
    "OFFER_KINDS",
    "Geometry",
    "choose_offers",
    "expected_utilities",
    "geometry",
    "risk_exponents",
    "win_probabilities",
]

NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
#: names of the offer codes returned by ``choose_offers``
OFFER_KINDS = ("none", "confrontation", "compromise", "capitulation")


@dataclass(frozen=True, eq=False)
class Geometry:
    """What one round needs to know about where the actors stand (pairwise arrays are (n, n, B))."""

    dist: np.ndarray  # |x_i − x_j| / R, clipped to [0, 1]
    voter_dist: np.ndarray  # [m, i]: d between the m-th lowest actor (as a voter) and actor i
    voter_log_dist: np.ndarray  # its log (−inf on ties), so d^r = exp(r log d)
    log_near: np.ndarray  # log(½ − ½ d), for U_success
    log_far: np.ndarray  # log(½ + ½ d), for U_failure
    split_index: np.ndarray  # flat index of [voters below the i–j midpoint, j, b] in an (n+1, n, B) array
    voter_index: np.ndarray  # (n, B) flat index that sorts an (n, B) array's actors by position
    active: np.ndarray | None = None  # (n, B): actors taking part (None: all of them)
    pair_active: np.ndarray | None = None  # (n, n, B): both actors of the pair take part


def _sum_actors(a: np.ndarray) -> np.ndarray:
    """Sum over the first axis, one slab at a time.

    NumPy sums short contiguous runs pairwise but strided ones in sequence, so ``a.sum(axis=0)``
    would round differently for one draw than for many; a fixed order keeps ``solve`` and
    ``solve_batch`` bit-for-bit equal (the dynamics amplify a last-bit difference).
    """
    total = a[0].copy()
    for k in range(1, a.shape[0]):
        total += a[k]
    return total


@lru_cache(maxsize=32)
def _pairs(n: int) -> tuple[np.ndarray, ...]:
    """Index arrays of the pairs of n actors (shared between calls: never write to them).

    (tu, tv, tri_pair): the unordered pairs with the diagonal, and the number of (i, j) among
    them; (iu, ju, pair): the pairs without the diagonal, and the number of (i, j) among them,
    len(iu) on the diagonal (there the vote sums read a row of zeros).
    """
    tu, tv = np.triu_indices(n)
    tri_pair = np.empty((n, n), dtype=np.intp)
    tri_pair[tu, tv] = tri_pair[tv, tu] = np.arange(len(tu))
    iu, ju = np.triu_indices(n, 1)
    pair = np.full((n, n), len(iu), dtype=np.intp)
    pair[iu, ju] = pair[ju, iu] = np.arange(len(iu))
    return tu, tv, tri_pair, iu, ju, pair


def geometry(x: np.ndarray, span: np.ndarray, active: np.ndarray | None = None) -> Geometry:
    """The round's distances and orderings for positions x (n, B) and starting ranges span (B,).

    ``active`` (n, B) marks the actors that take part in each draw (None: everyone); the others
    have no weight, make and receive no offers, and count in no normaliser.
    """
    n, b = x.shape
    # d, and the logs of d, ½ − ½ d and ½ + ½ d, are symmetric in i and j: they are worked out
    # once per unordered pair (with the diagonal), then copied out row by row, which costs far
    # less than the logarithms. In-place arithmetic throughout: fresh arrays of this size cost
    # more than the arithmetic.
    tu, tv, tri_pair, iu, ju, pair = _pairs(n)
    tri = np.subtract(x[tu], x[tv])
    np.abs(tri, out=tri)
    tri *= 1.0 / span
    # Positions only move towards other actors' positions, so d stays in [0, 1]; the clip
    # guards against rounding just past 1.
    np.minimum(tri, 1.0, out=tri)
    half = np.multiply(0.5, tri)
    with np.errstate(divide="ignore"):
        log_near = np.log(np.subtract(0.5, half))[tri_pair]
        log_dist = np.log(tri)[tri_pair]
    np.add(0.5, half, out=half)
    log_far = np.log(half, out=half)[tri_pair]
    dist = tri[tri_pair]
    # Voters in position order: the vote sums below are prefix sums over them.
    order = np.argsort(x, axis=0, kind="stable")
    voter_index = order * b + np.arange(b)
    ranked = x.take(voter_index)
    column = np.arange(n)[:, None] * b + np.arange(b)  # flat offset of [j, b] within one (n, B) slab
    voter_flat = (order * (n * b))[:, None, :] + column
    voter_dist = dist.take(voter_flat)  # [m, i] = d(m-th lowest voter, i)
    voter_log_dist = log_dist.take(voter_flat)
    # A voter sides with whichever of i, j is nearer, i.e. the one on its side of their midpoint,
    # whatever its risk exponent. Counting the voters below each midpoint lets win_probabilities
    # sum votes with prefix sums instead of an (n, n, n) tensor; the count is symmetric, so it is
    # done once per unordered pair (an (n, n(n−1)/2, B) comparison of bytes).
    mid = x[iu] + x[ju]
    mid *= 0.5
    count = np.less(ranked[:, None, :], mid[None, :, :]).sum(axis=0, dtype=np.int8 if n < 128 else np.intp)
    offset = np.zeros((len(iu) + 1, b), dtype=np.intp)
    offset[:-1] = count
    offset[:-1] *= n * b
    split = offset[pair]
    split += column
    pair_active = None if active is None else active[:, None, :] & active[None, :, :]
    return Geometry(dist, voter_dist, voter_log_dist, log_near, log_far, split, voter_index, active, pair_active)


def win_probabilities(geo: Geometry, weight: np.ndarray, exponent: np.ndarray | None,
                      normaliser: str) -> np.ndarray:
    """P[i, j, b], the chance that ``i`` beats ``j`` in a capability × salience vote.

    Voter k's vote for i over j is ``w_k (d_kj^r_k − d_ki^r_k)`` (``exponent`` = r_k, None for 1).
    The numerator sums the positive votes. ``normaliser="paper"`` divides by the sum of |votes| on
    the pair (so P(i,j) + P(j,i) = 1); ``"scholz"`` divides by the sum of |votes| over every ordered
    pair of actors, as Scholz's program does.
    """
    n = weight.shape[0]
    voter_weight = weight.take(geo.voter_index)[:, None, :]
    if exponent is None:
        ranked = geo.voter_dist * voter_weight
    else:
        power = np.multiply(exponent.take(geo.voter_index)[:, None, :], geo.voter_log_dist)
        ranked = np.exp(power)  # d^r; not in place: NumPy's fast exp needs a separate output
        ranked *= voter_weight  # [m, i] = w_k d_ki^r_k for the m-th lowest voter k
    prefix = np.empty((n + 1,) + ranked.shape[1:])
    prefix[0] = 0.0
    for m in range(n):
        np.add(prefix[m], ranked[m], out=prefix[m + 1])
    spread = prefix[n]  # S_i = Σ_k w_k d_ki^r_k
    # The voters below the i–j midpoint vote for the lower of i and j, the ones above for the
    # higher one: below[i, j] = Σ_{k below} w_k d_kj^r, lean[i, j] = Σ_{k below} w_k (d_kj^r − d_ki^r).
    below = prefix.take(geo.split_index)
    lean = below - below.transpose(1, 0, 2)
    # With net = Σ_k (signed votes) = S_j − S_i and h = net / 2: the votes for the lower of i, j
    # are lean and those for the upper one net − lean, so Σ|votes| = 2 |lean − h| and the votes
    # for i are h + |lean − h| whichever side i is on.
    half = np.subtract(spread[None, :, :], spread[:, None, :])
    half *= 0.5
    spread_votes = np.subtract(lean, half, out=lean)
    np.abs(spread_votes, out=spread_votes)  # Σ|votes| / 2
    votes_for = np.add(half, spread_votes, out=half)
    np.maximum(votes_for, 0.0, out=votes_for)
    # Ties (x_i = x_j) get no votes either way, so their P is 0 without a special case.
    if normaliser == "paper":
        np.putmask(spread_votes, spread_votes == 0.0, 0.5)
        spread_votes *= 2.0
        votes_for /= spread_votes
    else:
        if geo.pair_active is not None:
            spread_votes *= geo.pair_active
        total = 2.0 * _sum_actors(_sum_actors(spread_votes))
        votes_for *= np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    return votes_for


def expected_utilities(geo: Geometry, prob: np.ndarray, salience: np.ndarray, risk: np.ndarray,
                       q: float) -> tuple[np.ndarray, np.ndarray]:
    """(a, b): i's expected utility of i challenging j, and of j challenging i, both seen by i.

    EU(i→j) = s_j [P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq, with U_s = 2 − 4 (½ − ½ d)^r,
    U_f = 2 − 4 (½ + ½ d)^r, U_sq = 2 − 4 · ½^r and r the risk exponent of the observer i.
    """
    r = risk[:, None, :]
    near = np.multiply(r, geo.log_near)
    np.exp(near, out=near)  # (½ − ½ d)^r
    stake = np.multiply(r, geo.log_far)
    np.exp(stake, out=stake)
    stake -= near
    stake *= 4.0  # U_s − U_f = 4 [(½ + ½ d)^r − (½ − ½ d)^r]
    # base = U_s − Q U_sq; s [P U_s + (1 − P) U_f] + (1 − s) U_s = U_s − s (1 − P)(U_s − U_f)
    base = near
    base *= -4.0
    base += 2.0 - q * (2.0 - 4.0 * np.power(0.5, risk))[:, None, :]
    a = np.subtract(1.0, prob)
    a *= stake
    a *= salience[None, :, :]
    np.subtract(base, a, out=a)
    b = np.subtract(1.0, prob.transpose(1, 0, 2))
    b *= stake
    b *= salience[:, None, :]
    np.subtract(base, b, out=b)
    return a, b


def risk_exponents(geo: Geometry, weight: np.ndarray, salience: np.ndarray, normaliser: str) -> np.ndarray:
    """Each actor's risk exponent r_i in [0.5, 2] (n, B) from its danger relative to the others'.

    With every r = 1, danger_i = Σ_j EU(j challenges i) seen by i;
    R_i = (2 danger_i − max − min) / (max − min) and r_i = (1 − R_i/3) / (1 + R_i/3).
    When all dangers are equal the spread is undefined; every actor then gets r = 1.
    """
    prob = win_probabilities(geo, weight, None, normaliser)
    # At r = 1: U_s = 2d, U_f = −2d, U_sq = 0 (so Q drops out), and
    # EU(j→i) = 2 d_ij (1 − 2 s_i (1 − P_ji)); the diagonal is zero, so summing every j is Σ_{j≠i}.
    threat = np.subtract(1.0, prob.transpose(1, 0, 2))
    threat *= -2.0 * salience[:, None, :]
    threat += 1.0
    threat *= geo.dist
    if geo.pair_active is not None:
        threat *= geo.pair_active
    danger = 2.0 * _sum_actors(threat.transpose(1, 0, 2))
    if geo.active is None:
        hi, lo = danger.max(axis=0), danger.min(axis=0)
    else:
        hi = np.where(geo.active, danger, -np.inf).max(axis=0)
        lo = np.where(geo.active, danger, np.inf).min(axis=0)
    spread = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(spread > 0, (2.0 * danger - hi - lo) / np.where(spread > 0, spread, 1.0), 0.0)
    risk = (1.0 - rel / 3.0) / (1.0 + rel / 3.0)
    # actors not taking part get a neutral 1 (their exponent weighs nothing, but must stay finite)
    return risk if geo.active is None else np.where(geo.active, risk, 1.0)


def choose_offers(x: np.ndarray, a: np.ndarray, b: np.ndarray, ranking: str, detail: bool = False,
                  pair_active: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(new positions (n, B), offer kind, partner index (−1 for none)) after one round.

    Kind and partner are computed only with ``detail``; ``pair_active`` (n, n, B) limits offers to
    pairs of actors that take part. From i's view, with a = EU(i→j) and
    b = EU(j→i): b > a > 0 is a confrontation i loses (move to x_j); b > 0 > a with b > |a| a
    compromise (move |a/b| of the way to x_j); b > 0 > a with b < |a| a capitulation (move to
    x_j). ``ranking="distance"`` takes the offer that moves i least; ``"scholz"`` takes
    confrontations before compromises before capitulations, the nearest within a kind except
    compromises, ranked by the lowest EU-weighted point (|a| x_i + |b| x_j) / (|a| + |b|) as
    Scholz's program does. Remaining ties go to the lowest new position, so the result does not
    depend on the order of the actors. Actors at the same position never trade offers: there
    a = b exactly, because U_s = U_f when the distance is zero.
    """
    x_i = x[:, None, :]
    step = x[None, :, :] - x_i  # x_j − x_i
    yielding = (b > 0.0) & (a < 0.0)
    neg_a = np.negative(a)
    compromise = yielding & (b > neg_a)
    # kind codes from the three disjoint masks, in int8 arithmetic (cheaper than nested where)
    kind = ((b > a) & (a > 0.0)).view(np.int8) * np.int8(CONFRONTATION)
    kind += compromise.view(np.int8) * np.int8(COMPROMISE)
    kind += (yielding & (b < neg_a)).view(np.int8) * np.int8(CAPITULATION)
    # targets: x_j itself for confrontations and capitulations (exactly, so that actors who meet
    # stand at the same position), |a/b| of the way from x_i to x_j for a compromise
    with np.errstate(invalid="ignore", divide="ignore"):
        target = neg_a / b
    target *= step
    target += x_i
    target = np.where(compromise, target, x[None, :, :])
    if ranking == "scholz":
        rank = (kind - np.int8(1)).view(np.uint8)  # none → 255: ranked after every kind
        candidate = rank == rank.min(axis=1)[:, None, :]
        # (|a| x_i + |b| x_j)/(|a| + |b|) − x_i = b (x_j − x_i)/(b − a): the same order over j
        with np.errstate(invalid="ignore", divide="ignore"):
            key = b * step
            key /= b - a
        key = np.where(compromise, key, np.abs(step))
    else:
        candidate = kind != NO_OFFER
        key = np.abs(target - x_i)
    candidate &= kind != NO_OFFER
    if pair_active is not None:
        candidate &= pair_active
    np.putmask(key, ~candidate, np.inf)
    candidate &= key == key.min(axis=1)[:, None, :]
    np.putmask(target, ~candidate, np.inf)
    lowest = target.min(axis=1)  # ties between candidates: the lowest new position
    has_offer = np.isfinite(lowest)
    new = np.where(has_offer, lowest, x)
    if not detail:
        return new, None, None
    partner = np.where(has_offer, np.argmax(target == lowest[:, None, :], axis=1), -1)
    chosen = np.where(has_offer, np.take_along_axis(kind, np.maximum(partner, 0)[:, None, :], axis=1)[:, 0], NO_OFFER)
    return new, chosen.astype(np.int8), partner
