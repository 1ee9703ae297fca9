"""One round of Bueno de Mesquita's expected-utility model on one issue, compiled with Numba.

The functions work on one draw of n actors: per-actor arrays are (n,) and pairwise arrays (n, n),
indexed ``[i, j]``, where ``i`` is the actor whose point of view, risk exponent and move are
computed and ``j`` the other side. Distances are ``|x_i − x_j| / R`` with ``R`` the range of the
starting positions. ``run_draws`` runs every round of many draws in one compiled loop; the
others are the steps of a round, callable from Python for the tests. Every function writes into
arrays it is given, so a run allocates its work space once.

The formulas follow Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4); ``docs/models.md`` lists the two places where
their program and their paper differ (``normaliser`` and ``ranking``). Numba compiles without
fast-math, so every operation rounds as it does in NumPy and the sums run in a fixed order: one
draw gives the same bits alone as in a batch (the dynamics amplify a last-bit difference).
Division follows NumPy's error model (no check for zero: every division here has a nonzero
divisor or is guarded).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "NO_OFFER",
    "OFFER_KINDS",
    "choose_offers",
    "expected_utilities",
    "geometry",
    "risk_exponents",
    "run_draws",
    "win_probabilities",
]

NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
#: names of the offer codes returned by ``choose_offers``
OFFER_KINDS = ("none", "confrontation", "compromise", "capitulation")


@njit(cache=True, error_model="numpy")
def geometry(x, inv_span, dist, log_dist, stale, order, below, moved):
    """Fill the round's distances and orderings for positions x (n,) and 1 / R.

    Only the pairs with an actor marked in ``moved`` (n,) are worked out again: the others keep
    the values of the round before, which are the same numbers (R is fixed for a run).

    Writes ``dist`` = min(|x_i − x_j| / R, 1) and its log ``log_dist`` (−inf on ties) (n, n);
    marks the pairs worked out again in ``stale`` (n, n), for ``expected_utilities`` to take
    their other logarithms when it needs them; writes ``order``, the actors in position order
    (stable), and ``below[i, j]``, the number of actors strictly below the midpoint of x_i and
    x_j (0 on the diagonal), which lets ``win_probabilities`` sum votes with prefix sums instead
    of going over every voter of every pair.
    """
    n = x.shape[0]
    for i in range(n):
        dist[i, i] = 0.0
        log_dist[i, i] = -math.inf
        stale[i, i] = False  # never needed: d = 0
        for j in range(i + 1, n):
            if not (moved[i] or moved[j]):
                continue
            # Positions only move towards other actors' positions, so d stays in [0, 1]; the
            # clip guards against rounding just past 1.
            d = min(abs(x[i] - x[j]) * inv_span, 1.0)
            dist[i, j] = dist[j, i] = d
            log_dist[i, j] = log_dist[j, i] = math.log(d) if d > 0.0 else -math.inf
            stale[i, j] = stale[j, i] = True
    # stable insertion sort: n is small, and equal positions keep the actors' order
    for m in range(n):
        order[m] = m
    for m in range(1, n):
        k = order[m]
        p = m
        while p > 0 and x[order[p - 1]] > x[k]:
            order[p] = order[p - 1]
            p -= 1
        order[p] = k
    # A voter sides with whichever of i, j is nearer, i.e. the one on its side of their
    # midpoint, whatever its risk exponent.
    # Walking the pairs in position order, the midpoint only rises as the upper actor does, so
    # the count only grows.
    for u in range(n):
        i = order[u]
        below[i, i] = 0
        c = 0
        for v in range(u + 1, n):
            j = order[v]
            mid = (x[i] + x[j]) * 0.5
            while c < n and x[order[c]] < mid:
                c += 1
            below[i, j] = below[j, i] = c


@njit(cache=True, error_model="numpy")
def win_probabilities(
    dist, log_dist, order, below, weight, exponent, use_exponent, scholz, active, prefix, spread_votes, prob
):
    """Fill ``prob[i, j]``, the chance that ``i`` beats ``j`` in a capability × salience vote.

    Voter k's vote for i over j is ``w_k (d_kj^r_k − d_ki^r_k)`` (r_k = ``exponent[k]`` when
    ``use_exponent``, else 1). The numerator sums the positive votes. With ``scholz`` False (the
    paper) the denominator is the sum of |votes| on the pair, so P(i,j) + P(j,i) = 1; with
    ``scholz`` it is the sum of |votes| over every ordered pair of actors taking part, as Scholz's
    program does. ``prefix`` (n+1, n) and ``spread_votes`` (n, n) are work space.
    """
    n = dist.shape[0]
    # prefix[m, i] = Σ over the m lowest voters k of w_k d_ki^r_k
    for i in range(n):
        prefix[0, i] = 0.0
    for m in range(n):
        k = order[m]
        for i in range(n):
            if dist[k, i] == 0.0:
                v = 0.0  # 0^r = 0 (the log is −inf): no exp needed
            elif use_exponent:
                v = math.exp(exponent[k] * log_dist[k, i]) * weight[k]
            else:
                v = dist[k, i] * weight[k]
            prefix[m + 1, i] = prefix[m, i] + v
    # The voters below the i–j midpoint vote for the lower of i and j, the ones above for the
    # higher one: lean = Σ_{k below} w_k (d_kj^r − d_ki^r). With h = (S_j − S_i) / 2, S_i the sum
    # of w_k d_ki^r over every voter, the votes for the lower of i, j are lean and those for the
    # upper one 2h − lean, so Σ|votes| = 2 |lean − h| and the votes for i are h + |lean − h|
    # whichever side i is on. Ties (x_i = x_j) get no votes either way, so their P is 0.
    # (j, i) mirrors (i, j): lean and h change sign, |lean − h| does not.
    for i in range(n):
        prob[i, i] = 0.0
        spread_votes[i, i] = 0.0
        for j in range(i + 1, n):
            c = below[i, j]
            lean = prefix[c, j] - prefix[c, i]
            h = (prefix[n, j] - prefix[n, i]) * 0.5
            sv = abs(lean - h)  # Σ|votes| / 2
            for_i = max(h + sv, 0.0)
            for_j = max(sv - h, 0.0)
            if scholz:
                if not (active[i] and active[j]):
                    sv *= 0.0
                spread_votes[i, j] = spread_votes[j, i] = sv
                prob[i, j], prob[j, i] = for_i, for_j
            else:
                if sv == 0.0:
                    sv = 0.5
                prob[i, j], prob[j, i] = for_i / (sv * 2.0), for_j / (sv * 2.0)
    if scholz:
        # summed column by column, then over the columns, in a fixed order
        total = 0.0
        for j in range(n):
            column = spread_votes[0, j]
            for i in range(1, n):
                column += spread_votes[i, j]
            total = column if j == 0 else total + column
        total *= 2.0
        scale = 1.0 / total if total > 0.0 else 0.0
        for i in range(n):
            for j in range(n):
                prob[i, j] *= scale


@njit(cache=True, error_model="numpy")
def risk_exponents(dist, prob, salience, active, risk):
    """Fill each actor's risk exponent r_i in [0.5, 2] from its danger relative to the others'.

    ``prob`` must be the win probabilities with every r = 1. Then U_s = 2d, U_f = −2d and
    U_sq = 0 (so Q drops out), EU(j→i) = 2 d_ij (1 − 2 s_i (1 − P_ji)) and
    danger_i = Σ_{j≠i} EU(j challenges i) seen by i; R_i = (2 danger_i − max − min) / (max − min)
    and r_i = (1 − R_i/3) / (1 + R_i/3). When all dangers are equal the spread is undefined;
    every actor then gets r = 1, as does every actor not taking part.
    """
    n = dist.shape[0]
    hi, lo = -math.inf, math.inf
    for i in range(n):
        push = -2.0 * salience[i]
        danger = 0.0
        for j in range(n):
            t = ((1.0 - prob[j, i]) * push + 1.0) * dist[i, j]
            if not (active[i] and active[j]):
                t *= 0.0
            danger = t if j == 0 else danger + t
        danger *= 2.0
        risk[i] = danger  # kept here until hi and lo are known
        if active[i]:
            hi = max(hi, danger)
            lo = min(lo, danger)
    spread = hi - lo
    for i in range(n):
        rel = (2.0 * risk[i] - hi - lo) / spread if spread > 0.0 else 0.0
        risk[i] = (1.0 - rel / 3.0) / (1.0 + rel / 3.0) if active[i] else 1.0


@njit(cache=True, error_model="numpy")
def expected_utilities(dist, stale, log_near, log_far, prob, salience, risk, q, a, b, half=0.5):
    """Fill (a, b): i's expected utility of i challenging j, and of j challenging i, both seen by i.

    EU(i→j) = s_j [P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq, with U_s = 2 − 4 (½ − ½ d)^r,
    U_f = 2 − 4 (½ + ½ d)^r, U_sq = 2 − 4 · ½^r and r the risk exponent of the observer i. With
    U_s − U_f = 4 [(½ + ½ d)^r − (½ − ½ d)^r] = stake, that is U_s − Q U_sq − s_j (1 − P) stake.
    Where no offer can come of the pair (b ≤ a for any stake), a = b = 0 instead.
    ``log_near`` = log(½ − ½ d) and ``log_far`` = log(½ + ½ d) (n, n) are taken for the pairs
    marked in ``stale`` that need them, and kept for the rounds after.
    ``half`` is ½, an argument because with a constant base the compiler turns ½^r into
    2^−r, which rounds differently from the C library's (and NumPy's) pow in one case in a thousand.
    """
    n = prob.shape[0]
    for i in range(n):
        r = risk[i]
        status_quo = 2.0 - q * (2.0 - 4.0 * half**r)
        for j in range(n):
            lose_ij, lose_ji = 1.0 - prob[i, j], 1.0 - prob[j, i]
            # Every offer needs b > a, i.e. (1 − P_ji) s_i < (1 − P_ij) s_j (the stake is ≥ 0):
            # where the left side is larger by more than rounding could undo, there is no offer,
            # whatever the stake, and its two exponentials are not needed. As for d = 0 (i itself,
            # or an actor at the same position, where U_s = U_f), any a = b then gives the same
            # result; (j, i) is the mirror image, so about half the pairs are skipped.
            if dist[i, j] == 0.0 or lose_ji * salience[i] > lose_ij * salience[j] * (1.0 + 1e-12):
                a[i, j] = b[i, j] = 0.0
                continue
            if stale[i, j]:
                h = 0.5 * dist[i, j]
                log_near[i, j] = log_near[j, i] = math.log(0.5 - h) if h < 0.5 else -math.inf
                log_far[i, j] = log_far[j, i] = math.log(0.5 + h)
                stale[i, j] = stale[j, i] = False
            near = math.exp(r * log_near[i, j])  # (½ − ½ d)^r
            stake = (math.exp(r * log_far[i, j]) - near) * 4.0
            base = near * -4.0 + status_quo
            a[i, j] = base - lose_ij * stake * salience[j]
            b[i, j] = base - lose_ji * stake * salience[i]


@njit(cache=True, error_model="numpy")
def choose_offers(x, a, b, scholz, active, new, kind, partner):
    """Fill the new positions (n,), each actor's offer kind and partner (−1 for none) after one round.

    From i's view, with a = EU(i→j) and b = EU(j→i): b > a > 0 is a confrontation i loses (move
    to x_j); b > 0 > a with b > |a| a compromise (move |a/b| of the way to x_j); b > 0 > a with
    b < |a| a capitulation (move to x_j). Only pairs of actors taking part trade offers. With
    ``scholz`` False (the paper's text) i takes the offer that moves it least; with ``scholz``,
    confrontations before compromises before capitulations, the nearest within a kind except
    compromises, ranked by the lowest EU-weighted point (|a| x_i + |b| x_j) / (|a| + |b|) as
    Scholz's program does. Remaining ties go to the lowest new position, so the result does not
    depend on the order of the actors. Actors at the same position never trade offers: there
    a = b exactly, because U_s = U_f when the distance is zero.
    """
    n = x.shape[0]
    for i in range(n):
        best_rank, best_key, best_target, best_j, best_kind = 4, math.inf, math.inf, -1, NO_OFFER
        for j in range(n):
            if not (active[i] and active[j]):
                continue
            aa, bb = a[i, j], b[i, j]
            step = x[j] - x[i]
            yielding = bb > 0.0 and aa < 0.0
            if bb > aa and aa > 0.0:
                k = CONFRONTATION
            elif yielding and bb > -aa:
                k = COMPROMISE
            elif yielding and bb < -aa:
                k = CAPITULATION
            else:
                continue
            # targets: x_j itself for confrontations and capitulations (exactly, so that actors
            # who meet stand at the same position), |a/b| of the way to x_j for a compromise
            target = (-aa / bb) * step + x[i] if k == COMPROMISE else x[j]
            if scholz:
                rank = k
                # (|a| x_i + |b| x_j)/(|a| + |b|) − x_i = b (x_j − x_i)/(b − a): the same order over j
                key = bb * step / (bb - aa) if k == COMPROMISE else abs(step)
            else:
                rank = 0
                key = abs(target - x[i])
            # the lowest (rank, key, target); the first such j on a full tie
            if rank < best_rank or (
                rank == best_rank and (key < best_key or (key == best_key and target < best_target))
            ):
                best_rank, best_key, best_target, best_j, best_kind = rank, key, target, j, k
        new[i] = best_target if best_j >= 0 else x[i]
        kind[i] = best_kind
        partner[i] = best_j


@njit(cache=True, error_model="numpy")
def run_draws(
    position,
    salience,
    weight,
    active,
    span,
    rounds,
    q,
    scholz_normaliser,
    scholz_ranking,
    path,
    mean,
    risk,
    offer,
    partner,
    half,
):
    """Run ``rounds`` rounds of every draw (rows of the (B, n) inputs; ``span`` (B,) is R).

    Fills ``path`` (B, rounds+1, n) with the positions after each round (the starting ones
    first), ``mean`` (B, rounds+1) with the capability × salience weighted mean of each of them
    (NaN when no actor has weight), ``risk`` (B, rounds, n) with each round's risk exponents
    (NaN for actors not taking part), and ``offer`` and ``partner`` (B, rounds, n) with the
    offer each actor took. ``half`` must be 0.5, passed at run time (see ``expected_utilities``).
    """
    draws, n = position.shape
    dist = np.empty((n, n))
    log_dist, log_near, log_far = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    stale = np.empty((n, n), dtype=np.bool_)
    order = np.empty(n, dtype=np.intp)
    below = np.empty((n, n), dtype=np.intp)
    prefix, spread_votes = np.empty((n + 1, n)), np.empty((n, n))
    prob, a, b = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    r = np.empty(n)
    kind = np.empty(n, dtype=np.int8)
    who = np.empty(n, dtype=np.intp)
    moved = np.empty(n, dtype=np.bool_)
    for d in range(draws):
        x = path[d, 0]
        # element by element: a slice assignment compiles a shape check whose error message
        # (int-to-text formatting) takes longer to compile than the rest of the model
        for i in range(n):
            x[i] = position[d, i]
            moved[i] = True
        inv_span = 1.0 / span[d]
        for t in range(rounds):
            geometry(x, inv_span, dist, log_dist, stale, order, below, moved)
            win_probabilities(
                dist,
                log_dist,
                order,
                below,
                weight[d],
                r,
                False,
                scholz_normaliser,
                active[d],
                prefix,
                spread_votes,
                prob,
            )
            risk_exponents(dist, prob, salience[d], active[d], r)
            win_probabilities(
                dist,
                log_dist,
                order,
                below,
                weight[d],
                r,
                True,
                scholz_normaliser,
                active[d],
                prefix,
                spread_votes,
                prob,
            )
            expected_utilities(dist, stale, log_near, log_far, prob, salience[d], r, q, a, b, half)
            x_next = path[d, t + 1]
            choose_offers(x, a, b, scholz_ranking, active[d], x_next, kind, who)
            for i in range(n):
                moved[i] = x_next[i] != x[i]
                risk[d, t, i] = r[i] if active[d, i] else math.nan
                offer[d, t, i] = kind[i]
                partner[d, t, i] = who[i]
            x = x_next
        total = weight[d, 0]
        for i in range(1, n):
            total += weight[d, i]
        for t in range(rounds + 1):
            if total > 0.0:
                moment = weight[d, 0] * path[d, t, 0]
                for i in range(1, n):
                    moment += weight[d, i] * path[d, t, i]
                mean[d, t] = moment / total
            else:
                mean[d, t] = math.nan
