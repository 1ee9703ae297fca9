"""Numerics of KTAB's Spatial Model of Politics: utilities, Condorcet elections, challenges, bargains.

Every function works on plain arrays on KTAB's internal scale (positions and saliences on
[0, 1]); ``smp_run`` drives the turns and ``smp`` adapts scenarios to it. Axes are named
(actors A, issues/dimensions K, options M); the hot paths are O(A³) tensors over
(initiator, target, third party) instead of Python loops over pairs.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "RISK_ESTIMATES",
    "RISK_RANGES",
    "bargains",
    "best_challenges",
    "coalition_strengths",
    "condorcet",
    "risk_attitudes",
    "round4",
    "scalar_pce",
    "spatial_utility",
    "utility_tensor",
    "weighted_distance",
]

#: h's estimate of i's risk attitude as (weight on R_h, weight on R_i) (KTAB's BigRAdjust)
RISK_ESTIMATES: dict[str, tuple[float, float]] = {
    "none": (1.0, 0.0),
    "one_third": (2 / 3, 1 / 3),
    "half": (0.5, 0.5),
    "two_thirds": (1 / 3, 2 / 3),
    "full": (0.0, 1.0),
}
#: range of inferred risk attitudes (KTAB's BigRRange): "mid" maps win probabilities to [-1/2, 1]
RISK_RANGES = ("min", "mid", "max")

#: floor of coalition strengths in Condorcet elections (KTAB: Model::coalitions)
MIN_COALITION = 1e-8
#: floor of coalition strengths in a challenge (KTAB: probEduChlg)
MIN_CHALLENGE_COALITION = 1e-10
#: weight added to the initiator in interpolated bargains so 0/0 cannot happen (KTAB: minW)
MIN_BARGAIN_WEIGHT = 1e-6


def weighted_distance(ideal: np.ndarray, pos: np.ndarray, sal2: np.ndarray) -> np.ndarray:
    """(A, M) salience-weighted distances of options ``pos`` (M, K) from each actor's ideal (A, K).

    d = sqrt(Σ_k s_k² (y_k − x_k)² / Σ_k s_k²); an actor with no salience at all is
    indifferent (distance 0 to everything) rather than undefined.
    """
    diff2 = (ideal[:, None, :] - pos[None, :, :]) ** 2
    num = np.einsum("ak,amk->am", sal2, diff2)
    den = sal2.sum(axis=1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, np.sqrt(num / np.where(den > 0, den, 1.0)), 0.0)


def spatial_utility(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """u(d, R) = (1 − d)(1 + d·R), with d capped at 1 inside the risk term (round-off can exceed 1)."""
    return (1.0 - d) * (1.0 + np.minimum(d, 1.0) * r)


def coalition_strengths(weight: np.ndarray, util: np.ndarray) -> np.ndarray:
    """(M, M) strengths C(a:b) = 1e-8 + Σ_v max(0, w_v (u_va − u_vb)) (proportional votes)."""
    votes = weight[:, None, None] * (util[:, :, None] - util[:, None, :])
    c = MIN_COALITION + np.maximum(votes, 0.0).sum(axis=0)
    np.fill_diagonal(c, MIN_COALITION)
    return c


def condorcet(c: np.ndarray) -> np.ndarray:
    """Conditional probabilistic Condorcet election: P_a ∝ Π_b C_ab / (C_ab + C_ba).

    Summed in logs: with a hundred options the plain product underflows.
    """
    log_v = np.log(c) - np.log(c + c.T)
    log_p = log_v.sum(axis=1)
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def scalar_pce(weight: np.ndarray, util: np.ndarray) -> np.ndarray:
    """Win probability of each option (columns of ``util``) among voters weighted by ``weight``."""
    return condorcet(coalition_strengths(weight, util))


def risk_attitudes(p: np.ndarray, risk_range: str = "mid") -> np.ndarray:
    """Risk attitudes R_i from the win probabilities of the actors' positions (KTAB: bigRfromProb).

    If every position is equally likely to win, everyone is risk neutral (KTAB divides by zero).
    """
    lo, hi = p.min(), p.max()
    if hi - lo <= 1e-12:
        return np.zeros_like(p)
    if risk_range == "min":
        return (p - lo) / (hi - lo)
    if risk_range == "max":
        return (2 * p - hi - lo) / (hi - lo)
    return (3 * p - hi - 2 * lo) / (2 * (hi - lo))


def utility_tensor(dist: np.ndarray, risk: np.ndarray, risk_estimate: str = "one_third") -> np.ndarray:
    """U[h, i, j]: h's estimate of the utility to actor i of actor j's position."""
    a_h, a_i = RISK_ESTIMATES[risk_estimate]
    r_hi = a_h * risk[:, None] + a_i * risk[None, :]
    return spatial_utility(dist[None, :, :], r_hi[:, :, None])


def best_challenges(
    U: np.ndarray, strength: np.ndarray, sal_total: np.ndarray, min_gain: float = 1e-5, block: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's most advantageous target: (target or −1, P[i beats target], gain), from i's view.

    For every pair (i, j) actor i estimates, with its utilities U[i], the coalitions of the
    contest i:j: the principals vote with weight S·c, each third party n judges its chance of
    being on the winning side in the little contest (i, j, n) and votes "semi-committed".
    ``block`` limits how many initiators are evaluated at once (memory: block·A² per array).
    """
    n = U.shape[0]
    idx = np.arange(n)
    block = block or max(1, min(n, 400_000 // max(1, n * n)))
    targets = np.full(n, -1)
    probs = np.zeros(n)
    gains = np.full(n, -1.0)
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        ii = idx[lo:hi]
        Ui = U[ii]  # (b, A, A): estimator h = initiator i
        u_own = Ui[np.arange(hi - lo), ii, :]  # U^i(i, j)      (b, A)
        u_ii = u_own[np.arange(hi - lo), ii]  # U^i(i, i)      (b,)
        u_ni = Ui[np.arange(hi - lo), :, ii]  # U^i(n, i)      (b, A) — also U^i(j, i)
        u_nn = np.einsum("bnn->bn", Ui)  # U^i(n, n)      (b, A) — also U^i(j, j)
        u_nj = Ui.transpose(0, 2, 1)  # [b, j, n] = U^i(n, j)
        # principals' own votes in i:j
        v_i = strength[ii, None] * (u_ii[:, None] - u_own)
        v_j = strength[None, :] * (u_ni - u_nn)
        c_ij = MIN_CHALLENGE_COALITION + np.maximum(v_i, 0) + np.maximum(v_j, 0)
        c_ji = MIN_CHALLENGE_COALITION + np.maximum(-v_i, 0) + np.maximum(-v_j, 0)
        # third parties: chance of winning with the side they prefer, then a semi-committed vote
        w_n = strength[None, None, :]
        uni, unn = u_ni[:, None, :], u_nn[:, None, :]
        v0 = w_n * (uni - u_nj)
        cni = c_ij[:, :, None] + np.maximum(v0, 0)
        cnj = c_ji[:, :, None] + np.maximum(-v0, 0)
        p = cni / (cni + cnj)
        q = 1.0 - p
        u_ik_j = p * (uni + uni + unn) + q * (u_nj + u_nj + u_nj)
        u_i_jk = p * (uni + uni + uni) + q * (u_nj + u_nj + unn)
        v = w_n * (u_ik_j - u_i_jk)
        third = (idx[None, None, :] != ii[:, None, None]) & (idx[None, None, :] != idx[None, :, None])
        v = np.where(third, v, 0.0)
        c_ij = c_ij + np.maximum(v, 0).sum(axis=2)
        c_ji = c_ji + np.maximum(-v, 0).sum(axis=2)
        p_ij = c_ij / (c_ij + c_ji)
        # expected gain to i of challenging j rather than living with the status quo
        s_j = sal_total[None, :]
        eu_sq = u_ii[:, None] + u_own
        eu_vict = 2 * u_ii[:, None]
        eu_contest = p_ij * eu_vict + (1 - p_ij) * (u_own + u_own)
        gain = (1 - s_j) * eu_vict + s_j * eu_contest - eu_sq
        gain[np.arange(hi - lo), ii] = -np.inf
        best = np.argmax(gain, axis=1)  # first of equal gains, as KTAB's strict '<'
        g = gain[np.arange(hi - lo), best]
        ok = g > min_gain
        targets[lo:hi] = np.where(ok, best, -1)
        probs[lo:hi] = np.where(ok, p_ij[np.arange(hi - lo), best], 0.0)
        gains[lo:hi] = np.where(ok, g, -1.0)
    return targets, probs, gains


def round4(x: np.ndarray) -> np.ndarray:
    """Round half up to 4 decimals, as KTAB's bargains are (x ≥ 0)."""
    return np.floor(0.5 + x * 10000.0) / 10000.0


def bargains(
    pos: np.ndarray,
    sal: np.ndarray,
    init: np.ndarray,
    rcvr: np.ndarray,
    p: np.ndarray,
    sal_power: int = 2,
    prob_power: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Interpolated bargains (initiator's and receiver's new positions), one row per initiator.

    On each dimension the bargain is the mean of the two positions weighted by
    s^n · P^m (initiator, with P its win chance) and s^n · (1 − P)^m (receiver); KTAB's default
    is n = m = 2 ("S2P2"). A tiny extra weight on the initiator avoids 0/0.
    """
    pp = p[:, None]
    w_i = sal[init] ** sal_power * pp**prob_power
    w_j = sal[rcvr] ** sal_power * (1 - pp) ** prob_power
    x_i, x_j = pos[init], pos[rcvr]
    den = w_i + MIN_BARGAIN_WEIGHT + w_j
    b_i = round4(((w_i + MIN_BARGAIN_WEIGHT) * x_i + w_j * x_j) / den)
    b_j = round4((w_i * x_i + (MIN_BARGAIN_WEIGHT + w_j) * x_j) / den)
    return b_i, b_j
