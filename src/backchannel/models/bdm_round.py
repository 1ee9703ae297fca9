"""One round of Bueno de Mesquita's expected-utility model on one issue, vectorised over draws.

Every function takes arrays with a leading draws axis B and an actors axis n (only the actors
that hold a position on the issue). Pairwise quantities are (B, n, n) and indexed ``[b, i, j]``:
actor ``i`` is the one whose point of view, risk exponent and move are computed, ``j`` the other
side. Distances are ``|x_i − x_j| / R`` with ``R`` the range of the starting positions.

The formulas follow Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4); the notes in the project's model docs list the
two places where their code and their paper differ (``normaliser`` and ``ranking``).
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "NO_OFFER",
    "OFFER_KINDS",
    "choose_offers",
    "expected_utilities",
    "risk_exponents",
    "win_probabilities",
]

NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
#: names of the offer codes returned by ``choose_offers``
OFFER_KINDS = ("none", "confrontation", "compromise", "capitulation")


def win_probabilities(dist: np.ndarray, weight: np.ndarray, exponent: np.ndarray | None,
                      normaliser: str) -> np.ndarray:
    """P[b, i, j], the chance that ``i`` beats ``j`` in a capability × salience vote.

    Voter k's vote for i over j is ``w_k (d_kj^r_k − d_ki^r_k)`` (``exponent`` = r_k, None for 1).
    The numerator sums the positive votes. ``normaliser="paper"`` divides by the sum of |votes| on
    the pair (so P(i,j) + P(j,i) = 1); ``"scholz"`` divides by the sum of |votes| over every ordered
    pair of actors, as Scholz's program does.
    """
    powered = dist if exponent is None else dist ** exponent[:, None, :]  # [b, i, k] = d_ik ** r_k
    n = weight.shape[1]
    iu, ju = np.triu_indices(n, 1)
    # Σ_k w_k |d_kj^r − d_ki^r| is symmetric in (i, j): compute each unordered pair once, O(n³).
    diff = powered[:, ju, :] - powered[:, iu, :]
    np.abs(diff, out=diff)
    pair_abs = np.einsum("bpk,bk->bp", diff, weight)
    abs_votes = np.zeros(dist.shape)
    abs_votes[:, iu, ju] = pair_abs
    abs_votes[:, ju, iu] = pair_abs
    # Σ_k of the signed votes is O(n²): S_j − S_i; positive part = (signed + |.|) / 2.
    spread = np.einsum("bik,bk->bi", powered, weight)
    positive = 0.5 * (spread[:, None, :] - spread[:, :, None] + abs_votes)
    np.clip(positive, 0.0, abs_votes, out=positive)
    if normaliser == "paper":
        denominator = abs_votes
    else:
        denominator = np.broadcast_to(abs_votes.sum(axis=(1, 2))[:, None, None], abs_votes.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(denominator > 0, positive / np.where(denominator > 0, denominator, 1.0), 0.0)
    # Actors at the same position have nothing to contest.
    return np.where(dist > 0, prob, 0.0)


def expected_utilities(dist: np.ndarray, prob: np.ndarray, salience: np.ndarray, risk: np.ndarray,
                       q: float) -> tuple[np.ndarray, np.ndarray]:
    """(a, b): i's expected utility of i challenging j, and of j challenging i, both seen by i.

    EU(i→j) = s_j [P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq, with U_s = 2 − 4 (½ − ½ d)^r,
    U_f = 2 − 4 (½ + ½ d)^r, U_sq = 2 − 4 · ½^r and r the risk exponent of the observer i.
    """
    r = risk[:, :, None]
    u_success = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** r
    u_failure = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** r
    u_status_quo = 2.0 - 4.0 * 0.5 ** r
    s_j = salience[:, None, :]
    s_i = salience[:, :, None]
    prob_ji = prob.transpose(0, 2, 1)
    gain = u_success - u_failure
    a = s_j * (u_failure + prob * gain) + (1.0 - s_j) * u_success - q * u_status_quo
    b = s_i * (u_failure + prob_ji * gain) + (1.0 - s_i) * u_success - q * u_status_quo
    return a, b


def risk_exponents(dist: np.ndarray, weight: np.ndarray, salience: np.ndarray, q: float,
                   normaliser: str) -> np.ndarray:
    """Each actor's risk exponent r_i in [0.5, 2] from its danger relative to the others'.

    With every r = 1, danger_i = Σ_j EU(j challenges i) seen by i;
    R_i = (2 danger_i − max − min) / (max − min) and r_i = (1 − R_i/3) / (1 + R_i/3).
    When all dangers are equal the spread is undefined; every actor then gets r = 1.
    """
    ones = np.ones(weight.shape)
    prob = win_probabilities(dist, weight, None, normaliser)
    _, threat = expected_utilities(dist, prob, salience, ones, q)
    # The diagonal is zero (U_s = U_f = U_sq = 0 at r = 1), so summing every j is the sum over j ≠ i.
    danger = threat.sum(axis=2)
    hi = danger.max(axis=1, keepdims=True)
    lo = danger.min(axis=1, keepdims=True)
    spread = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(spread > 0, (2.0 * danger - hi - lo) / np.where(spread > 0, spread, 1.0), 0.0)
    return (1.0 - rel / 3.0) / (1.0 + rel / 3.0)


def choose_offers(x: np.ndarray, a: np.ndarray, b: np.ndarray,
                  ranking: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(new positions (B, n), offer kind (B, n), partner index (B, n), −1 for none) after one round.

    From i's view, with a = EU(i→j) and b = EU(j→i): b > a > 0 is a confrontation i loses (move
    to x_j); b > 0 > a with b > |a| a compromise (move |a/b| of the way to x_j); b > 0 > a with
    b < |a| a capitulation (move to x_j). ``ranking="distance"`` takes the offer that moves i
    least; ``"scholz"`` takes confrontations before compromises before capitulations, the
    nearest within a kind except compromises, ranked by the lowest EU-weighted point
    (|a| x_i + |b| x_j) / (|a| + |b|) as Scholz's program does. Remaining ties go to the lowest
    new position, so the result does not depend on the order of the actors.
    """
    x_i = x[:, :, None]
    x_j = x[:, None, :]
    differ = x_i != x_j
    neg_a = -a
    confront = differ & (b > a) & (a > 0)
    yielding = differ & (b > 0) & (a < 0)
    compromise = yielding & (b > neg_a)
    capitulate = yielding & (b < neg_a)
    kind = np.where(confront, CONFRONTATION,
                    np.where(compromise, COMPROMISE, np.where(capitulate, CAPITULATION, NO_OFFER)))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(compromise, neg_a / np.where(compromise, b, 1.0), 1.0)
    target = np.where(compromise, x_i + (x_j - x_i) * share, np.broadcast_to(x_j, kind.shape))
    candidate = kind != NO_OFFER
    key = np.abs(target - x_i)
    if ranking == "scholz":
        best_kind = np.where(candidate, kind, CAPITULATION + 1).min(axis=2, keepdims=True)
        candidate &= kind == best_kind
        with np.errstate(invalid="ignore", divide="ignore"):
            point = (neg_a * x_i + b * x_j) / (neg_a + b)  # a < 0 < b for compromises
        key = np.where(kind == COMPROMISE, point, key)
    key = np.where(candidate, key, np.inf)
    candidate &= key == key.min(axis=2, keepdims=True)
    partner = np.argmin(np.where(candidate, target, np.inf), axis=2)
    has_offer = candidate.any(axis=2)
    new = np.where(has_offer, np.take_along_axis(target, partner[:, :, None], axis=2)[:, :, 0], x)
    chosen = np.where(has_offer, np.take_along_axis(kind, partner[:, :, None], axis=2)[:, :, 0], NO_OFFER)
    return new, chosen, np.where(has_offer, partner, -1)
