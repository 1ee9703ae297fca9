"""Compiled kernels of the exchange model: the equal-gain terms of a row, the sweep, the loop.

``gain_row`` computes the moves, outcome shifts, gain and validity of one candidate (one row of
an :class:`~.exchange_candidates.ExchangeList`, passed as the tuples of arrays that
``exchange_gain.gain_inputs`` / ``gain_outputs`` build); ``realise_loop`` realises candidates
best gain first and, after each, sweeps the candidates that share an actor's supply or demand
issue with it and recomputes them (exchange.md §2d-f).

Compiled without fast-math, so every operation rounds as NumPy's elementwise float64 arithmetic
does, and with NumPy's error model: division by zero gives inf / NaN instead of raising, so rows
that are not ``usable`` give NaN and fail the validity tests. All kernels live in this one module
because numba's on-disk cache notices edits only in the file that holds the cached function, and
treats module constants as frozen at compile time.
"""
from __future__ import annotations

import numba
import numpy as np

__all__ = ["EDGE", "MIN_GAIN", "MIN_MOVE", "gain_row", "gain_rows", "moves_valid", "realise_loop"]

#: smallest move and gain the peer accepts (decide-exchange-model, equalgain.py / base.py)
MIN_MOVE = 1e-10
MIN_GAIN = 1e-10
#: slack for float64 round-off where the peer computes in 28-digit Decimal: staying inside
#: [0, 100] and the rule "no cap when the outcome already sits at the demander's position"
EDGE = 1e-9
_TOP = 100.0 + EDGE

_jit = numba.njit(cache=True, error_model="numpy")


@_jit
def moves_valid(move: float, cur: float, stale_sum: float, stale_pos: bool, stale_neg: bool) -> bool:
    """Whether one side's move is admissible (exchange.md §2e)."""
    size = abs(move)
    new = cur + move
    return (size > MIN_MOVE and size <= 100.0 and new >= -EDGE and new <= _TOP
            and stale_sum + move <= 100.0 and ((move > 0 and stale_pos) or (move < 0 and stale_neg)))


@_jit
def _passes(before: float, after: float) -> bool:
    """Whether the outcome goes from one side of the target to the other (gaps target − outcome).

    Not when both gaps have the same sign, nor when the outcome already sits on the target (to
    EDGE: the peer's exact test, without its sign flips from Decimal noise).
    """
    return not ((before >= -EDGE and after >= -EDGE) or (before <= EDGE and after <= EDGE))


@_jit
def gain_row(i: int, inputs: tuple, outputs: tuple) -> None:
    """Recompute the moves, shifts, gain and validity of row ``i`` in place (exchange.md §2d-e).

    B (side 1) first moves all the way to A's position on p; the shift this causes on p fixes,
    through equal gain, the shift A must cause on q. If that needs A to go past B's position,
    A moves all the way instead and B's move is solved from it. Then each side's move is capped
    so that the outcome on its supply issue does not pass the partner's position.
    """
    cur, target, rate, pass_on, sal_sup, sal_dem, outcome, start, override_shift, stale_sum, stale_pos, \
        stale_neg = inputs
    last, y, shift, gain, valid = outputs
    c0, c1 = cur[i, 0], cur[i, 1]
    t0, t1 = target[i, 0], target[i, 1]
    r0, r1 = rate[i, 0], rate[i, 1]
    dist0, dist1 = abs(t0 - c0), abs(t1 - c1)
    # the shift each side causes moving all the way, and the shift equal gain then asks of the other
    full0, full1 = dist0 * r0, dist1 * r1
    implied0, implied1 = full1 * pass_on[i, 1], full0 * pass_on[i, 0]
    a_full = implied0 > full0  # A would have to move past B's position: A moves all the way
    if a_full:
        s0, s1 = full0, implied1  # [ΔO_q, ΔO_p]
        size0, size1 = dist0, s1 / r1
    else:
        s0, s1 = implied0, full1
        size0, size1 = s0 / r0, dist1
    sign0 = -1.0 if c0 > t0 else 1.0
    sign1 = -1.0 if c1 > t1 else 1.0
    m0, m1 = sign0 * size0, sign1 * size1
    # a side that moves all the way lands exactly on the partner's position
    y0 = t0 if a_full else c0 + m0
    y1 = c1 + m1 if a_full else t1
    # A's gain: the shift on p it wins times s_Ap minus the shift on q it gives times s_Aq
    g = abs(s0 * sal_sup[i, 0] - s1 * sal_dem[i, 0])
    ok = (moves_valid(m0, c0, stale_sum[i, 0], stale_pos[i, 0], stale_neg[i, 0])
          and moves_valid(m1, c1, stale_sum[i, 1], stale_pos[i, 1], stale_neg[i, 1]) and g >= MIN_GAIN)
    if ok:
        # gaps between the partner's position and the outcome on each side's supply issue,
        # with the side at its current position (before) and at y (after); A is capped first
        before0 = t0 - (outcome[i, 0] + override_shift[i, 0] + r0 * (c0 - start[i, 0]))
        before1 = t1 - (outcome[i, 1] + override_shift[i, 1] + r1 * (c1 - start[i, 1]))
        hit0 = _passes(before0, before0 - r0 * m0)
        hit1 = _passes(before1, before1 - r1 * m1)
        if hit0:
            # A's outcome stops at B's position; B's move follows from equal gain
            s0 = abs(before0)
            s1 = s0 * pass_on[i, 0]
            m0, m1 = sign0 * s0 / r0, sign1 * s1 / r1
            y0, y1 = c0 + m0, c1 + m1
            # the partner's gain: its outcome gain on the issue it demands minus its loss on the one it gives
            g = abs(s1 * sal_sup[i, 1] - s0 * sal_dem[i, 1])
            # A's cap changed B's move: test B again
            hit1 = _passes(before1, before1 - r1 * m1)
        if hit1:
            s1 = abs(before1)
            s0 = s1 * pass_on[i, 1]
            m1, m0 = sign1 * s1 / r1, sign0 * s0 / r0
            y0, y1 = c0 + m0, c1 + m1
            g = abs(s0 * sal_sup[i, 0] - s1 * sal_dem[i, 0])
        if hit0 or hit1:
            ok = (moves_valid(m0, c0, stale_sum[i, 0], stale_pos[i, 0], stale_neg[i, 0])
                  and moves_valid(m1, c1, stale_sum[i, 1], stale_pos[i, 1], stale_neg[i, 1]))
    last[i, 0], last[i, 1] = m0, m1
    y[i, 0], y[i, 1] = y0, y1
    shift[i, 0], shift[i, 1] = s0, s1
    gain[i] = g
    valid[i] = ok


@_jit
def gain_rows(idx: np.ndarray, inputs: tuple, outputs: tuple) -> None:
    """``gain_row`` for each row in ``idx``."""
    for i in idx:
        gain_row(i, inputs, outputs)


@_jit
def _sweep(r, lst_sides, inputs, outputs, share, position, by_supply, by_demand, alive, ranked) -> None:
    """Apply realised row ``r`` to the other candidates and recompute those it touches.

    ``lst_sides`` is the list's (act, sup, dem, override); ``by_supply`` / ``by_demand`` the
    (order, start) groups of flat side indices by actor * n_issues + supply / demand issue.
    """
    act, sup, dem, override = lst_sides
    cur, _, _, _, _, _, _, start, override_shift, stale_sum, stale_pos, stale_neg = inputs
    last, y, _, gain, valid = outputs
    n_issues = position.shape[1]
    sup_order, sup_start = by_supply
    dem_order, dem_start = by_demand
    # supply match: a side trading the same actor's same supply issue continues from R's
    # result; its superseded move stays on its record, so moves add up in one direction only
    for t in (0, 1):
        key = act[r, t] * n_issues + sup[r, t]
        new = y[r, t]
        for j in range(sup_start[key], sup_start[key + 1]):
            f = sup_order[j]
            row, side = f >> 1, f & 1
            old = last[row, side]
            stale_sum[row, side] += old
            stale_pos[row, side] = stale_pos[row, side] and old > 0
            stale_neg[row, side] = stale_neg[row, side] and old < 0
            cur[row, side] = new
    # demand match: where R's demander of issue k also demands k here, R's supplier on k is
    # counted at its new position when this candidate's outcome on k is computed
    for t in (1, 0):
        key = act[r, t] * n_issues + dem[r, t]
        mover, issue, new, began = act[r, 1 - t], dem[r, t], y[r, 1 - t], start[r, 1 - t]
        for j in range(dem_start[key], dem_start[key + 1]):
            f = dem_order[j] ^ 1  # the other side of the same row supplies the issue
            row, side = f >> 1, f & 1
            old = override[row, side, mover]  # NaN where none yet
            # the peer's rule for a repeated update: min(old, y) if R's supplier started at or
            # below old, else max(old, y); with no old value, y
            if np.isnan(old):
                value, base = new, position[mover, issue]
            else:
                value, base = (min(old, new) if began <= old else max(old, new)), old
            override[row, side, mover] = value
            # the outcome shift of the update; a side's own actor is always placed at its own
            # current position, so it adds none
            if act[row, side] != mover:
                override_shift[row, side] += share[mover, issue] * (value - base)
    # recompute every touched row (a row in several groups gives the same result each time)
    for order, starts, keys_of in ((sup_order, sup_start, sup), (dem_order, dem_start, dem)):
        for t in (0, 1):
            key = act[r, t] * n_issues + keys_of[r, t]
            for j in range(starts[key], starts[key + 1]):
                row = order[j] >> 1
                gain_row(row, inputs, outputs)
                alive[row] = alive[row] and valid[row]
                ranked[row] = gain[row] if alive[row] else -np.inf


@_jit
def realise_loop(chosen, draw, tie_tolerance, lst_sides, inputs, outputs, share, position, by_supply, by_demand,
                 alive, ranked, log_row, log_cur, log_y, log_gain, counts, tied) -> int:
    """Realise candidates best gain first until none is left or a tie is to be drawn.

    Returns 0 when done; else the number of tied rows, whose indices are in ``tied``: the caller
    draws one and calls again with it as ``chosen`` (-1: pick the best here). Without ``draw``,
    ties go to the earliest created row. ``counts`` holds [realised, ties, realised before the
    first tie (-1: none)]; the log arrays get each realised row with its moves and gain.
    """
    cur, y, gain = inputs[0], outputs[1], outputs[3]  # read when logging a realised row
    while True:
        if chosen < 0:
            best = -np.inf
            for v in ranked:
                if v > best:
                    best = v
            if best == -np.inf:
                return 0
            floor = best - tie_tolerance
            n_tied = 0
            for i in range(ranked.shape[0]):
                if ranked[i] >= floor:
                    tied[n_tied] = i
                    n_tied += 1
            if n_tied > 1:
                if counts[2] < 0:
                    counts[2] = counts[0]
                counts[1] += 1
                if draw:
                    return n_tied
            r = tied[0]
        else:
            r, chosen = chosen, -1
        n = counts[0]
        log_row[n] = r
        log_cur[n, 0], log_cur[n, 1] = cur[r, 0], cur[r, 1]
        log_y[n, 0], log_y[n, 1] = y[r, 0], y[r, 1]
        log_gain[n] = gain[r]
        counts[0] = n + 1
        alive[r] = False
        ranked[r] = -np.inf
        _sweep(r, lst_sides, inputs, outputs, share, position, by_supply, by_demand, alive, ranked)


