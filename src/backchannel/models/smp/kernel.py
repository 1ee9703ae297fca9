"""The turns of KTAB's Spatial Model of Politics for many draws in one compiled loop (``SMP.solve_batch``).

``run_draws`` does, draw by draw, what ``smp_run.run_smp`` does with NumPy (challenges, bargains, the
actors' choices among bargains, the stopping rule, the final election over distinct positions), with
the same operations in the same order, so that rounding and ties come out the same: sums over a
contiguous axis follow NumPy's pairwise summation (``_psum``), the salience-weighted distances NumPy's
``einsum`` loop on two lanes (``_dot2``), sums over actors run in actor order. The one thing NumPy does
differently is the logarithm and exponential of the elections, which NumPy computes with its own SIMD
routines where the CPU has them (AVX-512): inside the turns the compiled loop uses the C library's, which
can differ in the last bit (on 2,000 draws of ukraine-2025 no turn, position or stopping point changed);
the closing election, which sets the forecast, is finished with NumPy (``closing_election``), so the
forecast has the same bits as ``SMP.solve``.

Compiled without fast-math and with NumPy's error model. All kernels live in this module because
numba's on-disk cache notices edits only in the file that holds a cached function.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["closing_election", "run_draws"]

_jit = numba.njit(cache=True, error_model="numpy")
_inline = numba.njit(cache=True, error_model="numpy", inline="always")

MIN_COALITION = 1e-8
MIN_CHALLENGE_COALITION = 1e-10
MIN_BARGAIN_WEIGHT = 1e-6
RISK_MIN, RISK_MID, RISK_MAX = 0, 1, 2


@_jit
def _psum(a) -> float:
    """Σ a (1-D) in NumPy's pairwise order (``np.add.reduce`` on a contiguous axis)."""
    n = a.shape[0]
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
        i = 8
        stop = n - (n % 8)
        while i < stop:
            r0 += a[i]
            r1 += a[i + 1]
            r2 += a[i + 2]
            r3 += a[i + 3]
            r4 += a[i + 4]
            r5 += a[i + 5]
            r6 += a[i + 6]
            r7 += a[i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _psum(a[:n2]) + _psum(a[n2:])


@_jit
def _dot2(a, b) -> float:
    """Σ a·b in the order of NumPy's ``einsum`` inner loop (two lanes, blocks of eight taken last to first)."""
    n = a.shape[0]
    acc0, acc1 = 0.0, 0.0
    i = 0
    while n - i >= 8:
        acc0 = a[i + 6] * b[i + 6] + acc0
        acc1 = a[i + 7] * b[i + 7] + acc1
        acc0 = a[i + 4] * b[i + 4] + acc0
        acc1 = a[i + 5] * b[i + 5] + acc1
        acc0 = a[i + 2] * b[i + 2] + acc0
        acc1 = a[i + 3] * b[i + 3] + acc1
        acc0 = a[i] * b[i] + acc0
        acc1 = a[i + 1] * b[i + 1] + acc1
        i += 8
    while i < n:
        acc0 = a[i] * b[i] + acc0
        acc1 = (a[i + 1] * b[i + 1] if i + 1 < n else 0.0) + acc1
        i += 2
    return acc0 + acc1


@_jit
def _distances(ideal, options, sal2, den, diff2, out) -> None:
    """(A, M) salience-weighted distances of ``options`` (M, K) from each actor's ideal (``weighted_distance``)."""
    n_a, n_k = ideal.shape
    for a in range(n_a):
        for m in range(options.shape[0]):
            for k in range(n_k):
                d = ideal[a, k] - options[m, k]
                diff2[k] = d * d
            num = _dot2(sal2[a], diff2)
            out[a, m] = math.sqrt(num / den[a]) if den[a] > 0 else 0.0


@_jit
def _strengths(weight, util, n_opt, c) -> None:
    """Coalition strengths c[:n_opt, :n_opt] of the options in the columns of ``util`` (``coalition_strengths``)."""
    n_v = weight.shape[0]
    for a in range(n_opt):
        for b in range(n_opt):
            if a == b:
                c[a, b] = MIN_COALITION
                continue
            s = 0.0
            for v in range(n_v):
                vote = weight[v] * (util[v, a] - util[v, b])
                vote = vote if vote > 0.0 else 0.0
                s = vote if v == 0 else s + vote
            c[a, b] = MIN_COALITION + s


@_jit
def _election(weight, util, n_opt, c, row, p) -> None:
    """Win probabilities p[:n_opt] of the options in the columns of ``util`` (``scalar_pce``)."""
    _strengths(weight, util, n_opt, c)
    top = -math.inf
    for a in range(n_opt):
        for b in range(n_opt):
            row[b] = math.log(c[a, b]) - math.log(c[a, b] + c[b, a])
        p[a] = _psum(row[:n_opt])
        top = max(top, p[a])
    for a in range(n_opt):
        p[a] = math.exp(p[a] - top)
    total = _psum(p[:n_opt])
    for a in range(n_opt):
        p[a] = p[a] / total


@_jit
def _argmax(x, n) -> int:
    """Index of the first largest of x[:n] (``np.argmax``)."""
    best = 0
    for i in range(1, n):
        if x[i] > x[best]:
            best = i
    return best


@_jit
def _state(pos, sal2, den, cap, a_h, a_i, risk_range, w, risk, U) -> None:
    """Risk attitudes and the utility tensor U[h, i, j] at ``pos`` (``smp_run.state_of``)."""
    n = pos.shape[0]
    dist, util, c, row, p, diff2 = w
    _distances(pos, pos, sal2, den, diff2, dist)
    for a in range(n):
        for m in range(n):
            d = dist[a, m]
            util[a, m] = (1.0 - d) * (1.0 + min(d, 1.0) * 0.0)
    _election(cap, util, n, c, row, p)
    lo, hi = p[0], p[0]
    for a in range(1, n):
        lo, hi = min(lo, p[a]), max(hi, p[a])
    for a in range(n):
        if hi - lo <= 1e-12:
            risk[a] = 0.0
        elif risk_range == RISK_MIN:
            risk[a] = (p[a] - lo) / (hi - lo)
        elif risk_range == RISK_MAX:
            risk[a] = (2 * p[a] - hi - lo) / (hi - lo)
        else:
            risk[a] = (3 * p[a] - hi - 2 * lo) / (2 * (hi - lo))
    for h in range(n):
        for i in range(n):
            r = a_h * risk[h] + a_i * risk[i]
            for j in range(n):
                d = dist[i, j]
                U[h, i, j] = (1.0 - d) * (1.0 + min(d, 1.0) * r)


@_jit
def _challenges(U, strength, sal_total, min_gain, targets, probs, w) -> None:
    """Each actor's best target (or −1) and its win chance there (``smp_core.best_challenges``)."""
    n = U.shape[0]
    c_ij, c_ji, p_ij, gain, vpos, vneg = w
    for i in range(n):
        u_ii = U[i, i, i]
        for j in range(n):
            u_own = U[i, i, j]
            v_i = strength[i] * (u_ii - u_own)
            v_j = strength[j] * (U[i, j, i] - U[i, j, j])
            cij = MIN_CHALLENGE_COALITION + (v_i if v_i > 0.0 else 0.0) + (v_j if v_j > 0.0 else 0.0)
            cji = MIN_CHALLENGE_COALITION + (-v_i if -v_i > 0.0 else 0.0) + (-v_j if -v_j > 0.0 else 0.0)
            for m in range(n):
                v = 0.0
                if m != i and m != j:
                    w_n = strength[m]
                    uni, unn, unj = U[i, m, i], U[i, m, m], U[i, m, j]
                    v0 = w_n * (uni - unj)
                    cni = cij + (v0 if v0 > 0.0 else 0.0)
                    cnj = cji + (-v0 if -v0 > 0.0 else 0.0)
                    p = cni / (cni + cnj)
                    q = 1.0 - p
                    u_ik_j = p * (uni + uni + unn) + q * (unj + unj + unj)
                    u_i_jk = p * (uni + uni + uni) + q * (unj + unj + unn)
                    v = w_n * (u_ik_j - u_i_jk)
                vpos[m] = v if v > 0.0 else 0.0
                vneg[m] = -v if -v > 0.0 else 0.0
            cij = cij + _psum(vpos)
            cji = cji + _psum(vneg)
            pij = cij / (cij + cji)
            s_j = sal_total[j]
            eu_sq = u_ii + u_own
            eu_vict = 2 * u_ii
            eu_contest = pij * eu_vict + (1 - pij) * (u_own + u_own)
            p_ij[j] = pij
            gain[j] = (1 - s_j) * eu_vict + s_j * eu_contest - eu_sq
        gain[i] = -math.inf
        best = _argmax(gain, n)
        if gain[best] > min_gain:
            targets[i], probs[i] = best, p_ij[best]
        else:
            targets[i], probs[i] = -1, 0.0


@_inline
def _power(x, k):
    """x ** k for the bargain powers (1 or 2) as NumPy computes them (a copy, a square)."""
    return x * x if k == 2 else x


@_jit
def _step(pos, sal, sal2, den, cap, strength, sal_total, min_gain, sal_power, prob_power, risk, U, new, w) -> None:
    """Positions after one turn into ``new`` (``smp_run.step``)."""
    n, n_k = pos.shape
    targets, probs, init, b_i, b_j, u_bi, u_bj, total, value, queue, util, c, row, p, diff2, wc = w
    _challenges(U, strength, sal_total, min_gain, targets, probs, wc)
    new[:, :] = pos
    nb = 0
    for i in range(n):
        if targets[i] >= 0:
            init[nb] = i
            nb += 1
    if nb == 0:
        return
    for b in range(nb):
        i, j = init[b], targets[init[b]]
        pp = probs[i]
        for k in range(n_k):
            w_i = _power(sal[i, k], sal_power) * _power(pp, prob_power)
            w_j = _power(sal[j, k], sal_power) * _power(1 - pp, prob_power)
            x_i, x_j = pos[i, k], pos[j, k]
            d = w_i + MIN_BARGAIN_WEIGHT + w_j
            b_i[b, k] = math.floor(0.5 + ((w_i + MIN_BARGAIN_WEIGHT) * x_i + w_j * x_j) / d * 10000.0) / 10000.0
            b_j[b, k] = math.floor(0.5 + (w_i * x_i + (MIN_BARGAIN_WEIGHT + w_j) * x_j) / d * 10000.0) / 10000.0
    # each actor's value of the status quo and of every bargain (``smp_run.bargain_values``)
    _distances(pos, b_i[:nb], sal2, den, diff2, u_bi)
    _distances(pos, b_j[:nb], sal2, den, diff2, u_bj)
    for a in range(n):
        r = risk[a]
        for b in range(nb):
            d = u_bi[a, b]
            u_bi[a, b] = (1.0 - d) * (1.0 + min(d, 1.0) * r)
            d = u_bj[a, b]
            u_bj[a, b] = (1.0 - d) * (1.0 + min(d, 1.0) * r)
        for j in range(n):
            row[j] = U[a, a, j]
        total[a] = _psum(row[:n])
    for a in range(n):
        for b in range(nb):
            i, j = init[b], targets[init[b]]
            value[a, b] = (total[a] - U[a, a, i] - U[a, a, j] + u_bi[a, b] + u_bj[a, b]) / n
    # every actor in a bargain chooses among its queue (bargains in initiator order) and the status quo
    for k in range(n):
        q = 0
        for b in range(nb):
            if init[b] == k or targets[init[b]] == k:
                queue[q] = b
                q += 1
        if q == 0:
            continue
        for a in range(n):
            util[a, 0] = total[a] / n
            for m in range(q):
                util[a, m + 1] = value[a, queue[m]]
        _election(cap, util, q + 1, c, row, p)
        chosen = _argmax(p, q + 1)
        if chosen:
            b = queue[chosen - 1]
            new[k, :] = b_i[b] if init[b] == k else b_j[b]


@_jit
def _moved(a, b, row) -> float:
    """Σ_i ‖a_i − b_i‖₂ (``smp_run.state_distance``)."""
    n, n_k = a.shape
    for i in range(n):
        s = 0.0
        if n_k < 8:
            for k in range(n_k):
                d = a[i, k] - b[i, k]
                s += d * d
        else:
            sq = np.empty(n_k)
            for k in range(n_k):
                d = a[i, k] - b[i, k]
                sq[k] = d * d
            s = _psum(sq)
        row[i] = math.sqrt(s)
    return _psum(row[:n])


@_jit
def run_draws(
    position,
    salience,
    capability,
    max_turns,
    min_turns,
    tolerance,
    min_delta,
    min_gain,
    position_tolerance,
    a_h,
    a_i,
    risk_range,
    sal_power,
    prob_power,
    final,
    turns,
    converged,
    distinct,
    n_distinct,
    final_dist,
    risk_strength,
) -> None:
    """Run every draw (position, salience (B, A, K) on [0, 1]; capability (B, A)) to KTAB's stopping rule.

    Writes the final positions (B, A, K), turns, whether the stopping rule fired, the indices of the
    distinct final positions (first ``n_distinct`` of each row), and the final state's distances and
    risk-election coalition strengths (B, A, A), from which ``closing_election`` finishes the forecast.
    """
    n_draws, n, n_k = position.shape
    sal2, den, sal_total, strength = np.empty((n, n_k)), np.empty(n), np.empty(n), np.empty(n)
    first_pos, prev, cur, new = np.empty((n, n_k)), np.empty((n, n_k)), np.empty((n, n_k)), np.empty((n, n_k))
    risk, U = np.empty(n), np.empty((n, n, n))
    cap_b = max(n, 1)
    c, row, p, diff2 = np.empty((cap_b + 1, cap_b + 1)), np.empty(cap_b + 1), np.empty(cap_b + 1), np.empty(n_k)
    w_state = (np.empty((n, n)), np.empty((n, n)), c, row, p, diff2)
    w_chal = (np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n))
    w_step = (
        np.empty(n, dtype=np.int64),
        np.empty(n),
        np.empty(n, dtype=np.int64),
        np.empty((n, n_k)),
        np.empty((n, n_k)),
        np.empty((n, n)),
        np.empty((n, n)),
        np.empty(n),
        np.empty((n, n)),
        np.empty(n, dtype=np.int64),
        np.empty((n, n + 1)),
        c,
        row,
        p,
        diff2,
        w_chal,
    )
    dist, eq = np.empty((n, n)), np.empty(n, dtype=np.int64)
    for b in range(n_draws):
        sal, cap = salience[b], capability[b]
        for a in range(n):
            for k in range(n_k):
                sal2[a, k] = sal[a, k] * sal[a, k]
            sal_total[a] = _psum(sal[a])
            den[a] = _psum(sal2[a])
            strength[a] = cap[a] * sal_total[a]
        cur[:, :] = position[b]
        first_pos[:, :] = cur
        _state(cur, sal2, den, cap, a_h, a_i, risk_range, w_state, risk, U)
        first = 0.0
        t = 0
        done = False
        while True:
            t += 1
            prev[:, :] = cur
            _step(prev, sal, sal2, den, cap, strength, sal_total, min_gain, sal_power, prob_power, risk, U, new, w_step)
            cur[:, :] = new
            _state(cur, sal2, den, cap, a_h, a_i, risk_range, w_state, risk, U)
            if t == 1:
                first = _moved(first_pos, cur, row) + min_delta
            quiet = _moved(cur, prev, row) / first < tolerance
            if t >= min_turns and quiet:
                done = True
                break
            if t >= max_turns:
                break
        final[b] = cur
        turns[b] = t
        converged[b] = done
        # distinct final positions (``smp_run.distinct_positions``) and the closing election over them
        for i in range(n):
            for j in range(n):
                s = 0.0
                if n_k < 8:
                    for k in range(n_k):
                        d = cur[i, k] - cur[j, k]
                        s += d * d
                else:
                    for k in range(n_k):
                        d = cur[i, k] - cur[j, k]
                        diff2[k] = d * d
                    s = _psum(diff2)
                dist[i, j] = math.sqrt(s)
        nd = 0
        for i in range(n):
            fresh = True
            for g in range(nd):
                if dist[i, eq[g]] < position_tolerance:
                    fresh = False
                    break
            if fresh:
                eq[nd] = i
                nd += 1
        for g in range(nd):
            distinct[b, g] = eq[g]
        n_distinct[b] = nd
        # the final state's distances and the strengths of its risk election: the caller finishes the
        # risk attitudes and the closing election with NumPy's logarithm and exponential
        final_dist[b] = w_state[0]
        risk_strength[b] = c[:n, :n]


def _condorcet(c: np.ndarray) -> np.ndarray:
    """``smp_core.condorcet`` over a leading axis of elections of one size (sums over the same lengths)."""
    log_p = (np.log(c) - np.log(c + c.transpose(0, 2, 1))).sum(axis=2)
    p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def closing_election(
    final_dist: np.ndarray,
    risk_strength: np.ndarray,
    capability: np.ndarray,
    distinct: np.ndarray,
    n_distinct: np.ndarray,
    a_h: float,
    a_i: float,
    risk_range: int,
) -> np.ndarray:
    """Win probabilities (B, A) of the distinct final positions, from ``run_draws``' outputs.

    The final risk attitudes (``risk_attitudes``), the actors' own utilities and the closing election
    (``scalar_pce``), with NumPy's operations along the same axes as ``smp_run``, so each draw gets the
    bits ``SMP.solve`` gives it.
    """
    p = _condorcet(risk_strength)
    lo, hi = p.min(axis=1, keepdims=True), p.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        if risk_range == RISK_MIN:
            risk = (p - lo) / (hi - lo)
        elif risk_range == RISK_MAX:
            risk = (2 * p - hi - lo) / (hi - lo)
        else:
            risk = (3 * p - hi - 2 * lo) / (2 * (hi - lo))
    risk = np.where(hi - lo <= 1e-12, 0.0, risk)
    r_ii = a_h * risk + a_i * risk
    own = (1.0 - final_dist) * (1.0 + np.minimum(final_dist, 1.0) * r_ii[:, :, None])
    prob = np.zeros(final_dist.shape[:2])
    for nd in np.unique(n_distinct):
        rows = np.flatnonzero(n_distinct == nd)
        util = np.take_along_axis(own[rows], distinct[rows, None, :nd], axis=2)
        votes = capability[rows, :, None, None] * (util[:, :, :, None] - util[:, :, None, :])
        c = MIN_COALITION + np.maximum(votes, 0.0).sum(axis=1)
        c[:, np.arange(nd), np.arange(nd)] = MIN_COALITION
        prob[rows, :nd] = _condorcet(c)
    return prob
