"""Equal-gain terms of candidate exchanges: moves, outcome shifts, gain, validity and caps.

Works on a set of rows of an :class:`ExchangeList` at once, so the first computation of all
candidates and every recomputation after a realised exchange are the same vectorised code.
Callers silence NumPy's division warnings: rows that are not ``usable`` give NaN and fail.
"""
from __future__ import annotations

import numpy as np

from .exchange_candidates import ExchangeList

__all__ = ["EDGE", "MIN_GAIN", "MIN_MOVE", "equal_gain", "moves_valid"]

#: smallest move and gain the peer accepts (decide-exchange-model, equalgain.py / base.py)
MIN_MOVE = 1e-10
MIN_GAIN = 1e-10
#: slack for float64 round-off where the peer computes in 28-digit Decimal: staying inside
#: [0, 100] and the rule "no cap when the outcome already sits at the demander's position"
EDGE = 1e-9
_A_SIDE = np.array([True, False])


def moves_valid(move: np.ndarray, cur: np.ndarray, stale_sum: np.ndarray, stale_pos: np.ndarray,
                stale_neg: np.ndarray) -> np.ndarray:
    """Whether each side's move is admissible (exchange.md §2e), elementwise."""
    size = np.abs(move)
    new = cur + move
    return ((size > MIN_MOVE) & (size <= 100.0) & (new >= -EDGE) & (new <= 100.0 + EDGE)
            & (stale_sum + move <= 100.0) & (((move > 0) & stale_pos) | ((move < 0) & stale_neg)))


def _passes(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Whether the outcome goes from one side of the target to the other (gaps target − outcome).

    Not when both gaps have the same sign, nor when the outcome already sits on the target (to
    EDGE: the peer's exact test, without its sign flips from Decimal noise).
    """
    return ~(((before >= -EDGE) & (after >= -EDGE)) | ((before <= EDGE) & (after <= EDGE)))


def _cap(lst: ExchangeList, idx: np.ndarray, k: np.ndarray, side: int, gap: np.ndarray, rate: np.ndarray,
         cur, target, move, y, shift, gain) -> None:
    """Shorten both moves of rows ``k`` so this side's outcome stops at the partner's position."""
    other = 1 - side
    rows = idx[k]
    shift_own = np.abs(gap)
    shift_other = shift_own * lst.pass_on[rows, side]
    sign = np.where(cur[k] > target[k], -1.0, 1.0)
    move[k, side] = sign[:, side] * shift_own / rate[k, side]
    move[k, other] = sign[:, other] * shift_other / rate[k, other]
    y[k] = cur[k] + move[k]
    shift[k, side] = shift_own
    shift[k, other] = shift_other
    # the partner's gain: its outcome gain on the issue it demands minus its loss on the one it gives
    gain[k] = np.abs(shift_other * lst.sal_sup[rows, other] - shift_own * lst.sal_dem[rows, other])


def equal_gain(lst: ExchangeList, idx: np.ndarray) -> None:
    """Recompute the moves, shifts, gain and validity of rows ``idx`` in place (exchange.md §2d-e).

    B (side 1) first moves all the way to A's position on p; the shift this causes on p fixes,
    through equal gain, the shift A must cause on q. If that needs A to go past B's position,
    A moves all the way instead and B's move is solved from it. Then each side's move is capped
    so that the outcome on its supply issue does not pass the partner's position.
    """
    cur = lst.cur[idx]
    target = lst.target[idx]
    rate = lst.rate[idx]
    dist = np.abs(target - cur)
    # the shift each side causes moving all the way, and the shift equal gain then asks of the other
    full_shift = dist * rate
    implied = (full_shift * lst.pass_on[idx])[:, ::-1]
    over = implied[:, 0] > full_shift[:, 0]  # A would have to move past B's position
    full = over[:, None] == _A_SIDE  # which side moves all the way
    shift = np.where(full, full_shift, implied)  # [ΔO_q, ΔO_p]
    size = np.where(full, dist, shift / rate)
    move = np.where(cur > target, -size, size)
    # a side that moves all the way lands exactly on the partner's position
    y = np.where(full, target, cur + move)
    # A's gain: the shift on p it wins times s_Ap minus the shift on q it gives times s_Aq
    gain = np.abs(shift[:, 0] * lst.sal_sup[idx, 0] - shift[:, 1] * lst.sal_dem[idx, 0])
    stale = (lst.stale_sum[idx], lst.stale_pos[idx], lst.stale_neg[idx])
    valid = moves_valid(move, cur, *stale).all(axis=1) & (gain >= MIN_GAIN)
    if valid.any():
        # gaps between the partner's position and the outcome on each side's supply issue,
        # with the side at its current position (before) and at y (after); A is capped first
        before = target - (lst.outcome[idx] + lst.override_shift[idx] + rate * (cur - lst.start[idx]))
        after = before - rate * move
        hit = _passes(before, after) & valid[:, None]
        if hit.any():
            k = np.flatnonzero(hit[:, 0])
            if k.size:
                _cap(lst, idx, k, 0, before[k, 0], rate, cur, target, move, y, shift, gain)
                # A's cap changed B's move: test B again
                hit[:, 1] = _passes(before[:, 1], before[:, 1] - rate[:, 1] * move[:, 1]) & valid
            k = np.flatnonzero(hit[:, 1])
            if k.size:
                _cap(lst, idx, k, 1, before[k, 1], rate, cur, target, move, y, shift, gain)
            valid &= moves_valid(move, cur, *stale).all(axis=1)
    lst.last[idx] = move
    lst.y[idx] = y
    lst.shift[idx] = shift
    lst.gain[idx] = gain
    lst.valid[idx] = valid
