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

#: Compiled without numba's reference counting (``_nrt=False``): none of these allocates, and on a busy
#: machine counting references to the dozen arrays each call passes cost more than the call's arithmetic
#: (about 0.5 µs per ``gain_row`` against 15 ns of work, measured 2026-12-04).
_jit = numba.njit(cache=True, error_model="numpy", _nrt=False)
#: ``gain_row`` and ``_sweep`` are inlined by Numba into their callers: they take the list's arrays as tuples,
#: which a real call copies field by field. Inlined, 10,000 draws of ukraine-2025 took 10 % less CPU for
#: ``gain_row`` (3.35 -> 3.00 s, no measurable compile time) and 7 % less for ``_sweep`` (2.83 -> 2.62 s,
#: about 2.5 s more to compile on an empty cache), measured 2026-12-04
_inline = numba.njit(cache=True, error_model="numpy", _nrt=False, inline="always")
#: only ``run_draws`` allocates its work space, once per batch
_alloc = numba.njit(cache=True, error_model="numpy")


@_jit
def moves_valid(move: float, cur: float, stale_sum: float, stale_pos: bool, stale_neg: bool) -> bool:
    """Whether one side's move is admissible (exchange.md §2e)."""
    size = abs(move)
    new = cur + move
    return (
        size > MIN_MOVE
        and size <= 100.0
        and new >= -EDGE
        and new <= _TOP
        and stale_sum + move <= 100.0
        and ((move > 0 and stale_pos) or (move < 0 and stale_neg))
    )


@_jit
def _passes(before: float, after: float) -> bool:
    """Whether the outcome goes from one side of the target to the other (gaps target − outcome).

    Not when both gaps have the same sign, nor when the outcome already sits on the target (to
    EDGE: the peer's exact test, without its sign flips from Decimal noise).
    """
    return not ((before >= -EDGE and after >= -EDGE) or (before <= EDGE and after <= EDGE))


@_inline
def gain_row(i: int, inputs: tuple, outputs: tuple) -> None:
    """Recompute the moves, shifts, gain and validity of row ``i`` in place (exchange.md §2d-e).

    B (side 1) first moves all the way to A's position on p; the shift this causes on p fixes,
    through equal gain, the shift A must cause on q. If that needs A to go past B's position,
    A moves all the way instead and B's move is solved from it. Then each side's move is capped
    so that the outcome on its supply issue does not pass the partner's position.
    """
    cur, target, rate, pass_on, sal_sup, sal_dem, outcome, start, override_shift, stale_sum, stale_pos, stale_neg = (
        inputs
    )
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
    ok = (
        moves_valid(m0, c0, stale_sum[i, 0], stale_pos[i, 0], stale_neg[i, 0])
        and moves_valid(m1, c1, stale_sum[i, 1], stale_pos[i, 1], stale_neg[i, 1])
        and g >= MIN_GAIN
    )
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
            ok = moves_valid(m0, c0, stale_sum[i, 0], stale_pos[i, 0], stale_neg[i, 0]) and moves_valid(
                m1, c1, stale_sum[i, 1], stale_pos[i, 1], stale_neg[i, 1]
            )
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


@_inline
def _sweep(
    r, lst_sides, inputs, outputs, share, position, by_supply, by_demand, alive, ranked, seen, stamp, dirty
) -> None:
    """Apply realised row ``r`` to the live candidates and recompute those whose inputs it changed.

    Only live rows are updated: a dropped row never comes back and no other row reads it, so neither its
    inputs nor its terms are needed again. ``gain_row`` reads nothing but its own row, so a row whose
    inputs did not change would come out the same: only the rows whose inputs changed are recomputed, each
    once (``seen[row] == stamp`` marks a row listed in ``dirty``, work space of the list's length).

    ``lst_sides`` is the list's (act, sup, dem, override); ``by_supply`` / ``by_demand`` the
    (order, start) groups of flat side indices by actor * n_issues + supply / demand issue.
    """
    act, sup, dem, override = lst_sides
    cur, _, _, _, _, _, _, start, override_shift, stale_sum, stale_pos, stale_neg = inputs
    last, y, _, gain, valid = outputs
    n_issues = position.shape[1]
    sup_order, sup_start = by_supply
    dem_order, dem_start = by_demand
    n_dirty = 0
    # supply match: a side trading the same actor's same supply issue continues from R's
    # result; its superseded move stays on its record, so moves add up in one direction only
    for t in (0, 1):
        key = act[r, t] * n_issues + sup[r, t]
        new = y[r, t]
        for j in range(sup_start[key], sup_start[key + 1]):
            f = sup_order[j]
            row, side = f >> 1, f & 1
            if not alive[row]:
                continue
            old = last[row, side]
            stale_sum[row, side] += old
            stale_pos[row, side] = stale_pos[row, side] and old > 0
            stale_neg[row, side] = stale_neg[row, side] and old < 0
            cur[row, side] = new
            if seen[row] != stamp:
                seen[row] = stamp
                dirty[n_dirty] = row
                n_dirty += 1
    # demand match: where R's demander of issue k also demands k here, R's supplier on k is
    # counted at its new position when this candidate's outcome on k is computed
    for t in (1, 0):
        key = act[r, t] * n_issues + dem[r, t]
        mover, issue, new, began = act[r, 1 - t], dem[r, t], y[r, 1 - t], start[r, 1 - t]
        for j in range(dem_start[key], dem_start[key + 1]):
            f = dem_order[j] ^ 1  # the other side of the same row supplies the issue
            row, side = f >> 1, f & 1
            if not alive[row]:
                continue
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
                before = override_shift[row, side]
                after = before + share[mover, issue] * (value - base)
                override_shift[row, side] = after
                # adding ±0 leaves the sum's bits as they are (it starts at +0 and never becomes -0)
                if not after == before and seen[row] != stamp:
                    seen[row] = stamp
                    dirty[n_dirty] = row
                    n_dirty += 1
    # recompute every changed live row, once (in any order: a row's terms read only its own inputs)
    for d in range(n_dirty):
        row = dirty[d]
        gain_row(row, inputs, outputs)
        alive[row] = valid[row]
        ranked[row] = gain[row] if alive[row] else -np.inf


@_jit
def realise_loop(
    chosen,
    draw,
    tie_tolerance,
    lst_sides,
    inputs,
    outputs,
    share,
    position,
    by_supply,
    by_demand,
    alive,
    ranked,
    log_row,
    log_cur,
    log_y,
    log_gain,
    counts,
    tied,
    seen,
) -> int:
    """Realise candidates best gain first until none is left or a tie is to be drawn.

    Returns 0 when done; else the number of tied rows, whose indices are in ``tied``: the caller
    draws one and calls again with it as ``chosen`` (-1: pick the best here). Without ``draw``,
    ties go to the earliest created row. ``counts`` holds [realised, ties, realised before the
    first tie (-1: none)]; the log arrays get each realised row with its moves and gain; ``seen`` (rows,
    starting at -1) is the sweeps' work space.

    The best row and the rows tied with it (gain >= best - tie_tolerance, in row order) are found in one
    pass: whenever the best so far rises, the rows listed so far are filtered against the new floor (a row
    left out before sits below an older, lower floor, so it cannot qualify later).
    """
    cur, y, gain = inputs[0], outputs[1], outputs[3]  # read when logging a realised row
    n_rows = ranked.shape[0]
    while True:
        if chosen < 0:
            best = -np.inf
            floor = -np.inf
            n_tied = 0
            for i in range(n_rows):
                v = ranked[i]
                if v > best:
                    best = v
                    floor = best - tie_tolerance
                    kept = 0
                    for k in range(n_tied):
                        if ranked[tied[k]] >= floor:
                            tied[kept] = tied[k]
                            kept += 1
                    tied[kept] = i
                    n_tied = kept + 1
                elif v >= floor:
                    tied[n_tied] = i
                    n_tied += 1
            if best == -np.inf:
                return 0
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
        # ``tied`` is free once the row is chosen: the sweep lists the rows to recompute in it
        _sweep(r, lst_sides, inputs, outputs, share, position, by_supply, by_demand, alive, ranked, seen, n, tied)


# --- every round of many draws in one compiled loop (``Exchange.solve_batch``) ----------------------------
# The functions below do what ``exchange_candidates.build_candidates``, ``exchange_realise.realise`` and
# ``Exchange.solve`` do for one draw, with the same operations in the same order (so the same bits), on
# buffers allocated once per batch. A tie is drawn from the caller's Generator with NumPy's own algorithm
# (``_draw_tie``), which gives the same numbers and advances the same stream.


@_jit
def _draw_tie(next_uint32, state, n_tied) -> int:
    """``Generator.integers(n_tied)`` drawn from the bit generator's C interface (``next_uint32`` and its
    ``state`` address): NumPy's bounded draw for 64-bit integers below 2**32 (Lemire's method, no
    mask), the same numbers and the same stream as NumPy, without numba's reference counting."""
    rng = np.uint64(n_tied - 1)
    rng_excl = rng + np.uint64(1)
    m = np.uint64(next_uint32(state)) * rng_excl
    leftover = m & np.uint64(0xFFFFFFFF)
    if leftover < rng_excl:
        threshold = (np.uint64(0xFFFFFFFF) - rng) % rng_excl
        while leftover < threshold:
            m = np.uint64(next_uint32(state)) * rng_excl
            leftover = m & np.uint64(0xFFFFFFFF)
    return np.int64(m >> np.uint64(32))


@_jit
def _round_candidates(
    position,
    salience,
    capability,
    mask,
    weight,
    total,
    outcome,
    act,
    sup,
    dem,
    start,
    target,
    sal_sup,
    sal_dem,
    rate,
    pass_on,
    out_outcome,
    usable,
    grp,
) -> int:
    """Fill the candidate rows of one round in ``build_candidates``' order; returns their number.

    ``grp`` (actors) is work space: per issue pair, each actor's side of the two outcomes (left of p: 1,
    left of q: 2), -1 without a position on both.
    """
    n_actors, n_issues = position.shape
    n = 0
    for p in range(n_issues):
        for q in range(p + 1, n_issues):
            for a in range(n_actors):
                if mask[a, p] and mask[a, q]:
                    grp[a] = (1 if position[a, p] <= outcome[p] else 0) + 2 * (1 if position[a, q] <= outcome[q] else 0)
                else:
                    grp[a] = -1
            for block in range(2):
                g_first, g_second = (0, 3) if block == 0 else (1, 2)
                for first in range(n_actors):
                    if grp[first] != g_first:
                        continue
                    for second in range(n_actors):
                        if grp[second] != g_second:
                            continue
                        a_first = not (
                            salience[first, p] * salience[second, q] < salience[second, p] * salience[first, q]
                        )
                        a, b = (first, second) if a_first else (second, first)
                        act[n, 0], act[n, 1] = a, b
                        sup[n, 0], sup[n, 1] = q, p
                        dem[n, 0], dem[n, 1] = p, q
                        ok = True
                        for side in range(2):
                            me, other = act[n, side], act[n, 1 - side]
                            k = sup[n, side]
                            start[n, side] = position[me, k]
                            target[n, side] = position[other, k]
                            sal_sup[n, side] = salience[me, k]
                            sal_dem[n, side] = salience[me, dem[n, side]]
                            a_sup = weight[me, k]
                            rate[n, side] = a_sup / total[k] if a_sup > 0 else np.nan
                            out_outcome[n, side] = outcome[k]
                            ok = ok and a_sup > 0
                        sigma0 = sal_sup[n, 0] + sal_dem[n, 1]
                        sigma1 = sal_sup[n, 1] + sal_dem[n, 0]
                        usable[n] = ok and sigma0 > 0 and sigma1 > 0
                        pass_on[n, 0] = sigma0 / sigma1 if usable[n] else np.nan
                        pass_on[n, 1] = sigma1 / sigma0 if usable[n] else np.nan
                        n += 1
    return n


@_jit
def _side_groups(actor, issue, n, n_issues, order, start, fill) -> None:
    """Flat side indices of the first ``n`` rows grouped by actor * n_issues + issue (stable, as ``side_groups``)."""
    start[:] = 0
    for f in range(2 * n):
        start[actor[f >> 1, f & 1] * n_issues + issue[f >> 1, f & 1] + 1] += 1
    for k in range(1, start.shape[0]):
        start[k] += start[k - 1]
    for k in range(fill.shape[0]):
        fill[k] = start[k]
    for f in range(2 * n):
        key = actor[f >> 1, f & 1] * n_issues + issue[f >> 1, f & 1]
        order[fill[key]] = f
        fill[key] += 1


@_jit
def _weighted_mean(x, weight, out) -> None:
    """Σ w x / Σ w over actors per issue, sums in actor order (as ``compromise.weighted_mean``); NaN without weight."""
    n_actors, n_issues = x.shape
    for k in range(n_issues):
        tot = weight[0, k]
        num = weight[0, k] * x[0, k]
        for a in range(1, n_actors):
            tot += weight[a, k]
            num += weight[a, k] * x[a, k]
        out[k] = num / tot if tot > 0 else np.nan


@_jit
def _run_draws(
    position,
    salience,
    capability,
    mask,
    rounds,
    tie_tolerance,
    fixed_weight,
    salience_weight,
    draw,
    next_uint32,
    state,
    outcome,
    final,
    settled,
    work,
) -> None:
    """``run_draws`` on its work space."""
    n_draws, n_actors, n_issues = position.shape
    (
        act,
        sup,
        dem,
        start,
        target,
        sal_sup,
        sal_dem,
        rate,
        pass_on,
        r_outcome,
        usable,
        cur,
        last,
        y,
        shift,
        gain,
        valid,
        stale_sum,
        stale_pos,
        stale_neg,
        override,
        override_shift,
        alive,
        ranked,
        log_row,
        log_cur,
        log_y,
        log_gain,
        counts,
        tied,
        seen,
        sup_order,
        sup_start,
        dem_order,
        dem_start,
        fill,
        weight,
        share,
        total,
        mean,
        x,
        new,
        voting,
        every,
        grp,
    ) = work
    for b in range(n_draws):
        sal, cap = salience[b], capability[b]
        for a in range(n_actors):
            for k in range(n_issues):
                x[a, k] = position[b, a, k] if mask[a, k] else 0.0
                weight[a, k] = cap[a, k] * sal[a, k] if mask[a, k] else 0.0
        quiet = True
        if rounds == 0:
            _weighted_mean(x, weight, outcome[b])
        for _ in range(rounds):
            # round outcome and shares, sums in actor order as ``round_outcome``
            for k in range(n_issues):
                t, num = weight[0, k], weight[0, k] * x[0, k]
                for a in range(1, n_actors):
                    t += weight[a, k]
                    num += weight[a, k] * x[a, k]
                total[k] = t
                mean[k] = num / t if t > 0 else 0.0
            for a in range(n_actors):
                for k in range(n_issues):
                    share[a, k] = weight[a, k] / total[k] if total[k] > 0 else 0.0
            n = _round_candidates(
                x,
                sal,
                cap,
                mask,
                weight,
                total,
                mean,
                act,
                sup,
                dem,
                start,
                target,
                sal_sup,
                sal_dem,
                rate,
                pass_on,
                r_outcome,
                usable,
                grp,
            )
            for i in range(n):
                for side in range(2):
                    cur[i, side] = y[i, side] = start[i, side]
                    last[i, side] = shift[i, side] = stale_sum[i, side] = override_shift[i, side] = 0.0
                    stale_pos[i, side] = stale_neg[i, side] = True
                    for a in range(n_actors):
                        override[i, side, a] = np.nan
                gain[i] = 0.0
                valid[i] = False
                seen[i] = -1
            inputs = (
                cur,
                target,
                rate,
                pass_on,
                sal_sup,
                sal_dem,
                r_outcome,
                start,
                override_shift,
                stale_sum,
                stale_pos,
                stale_neg,
            )
            outputs = (last, y, shift, gain, valid)
            gain_rows(every[:n], inputs, outputs)
            for i in range(n):
                valid[i] = valid[i] and usable[i]
                alive[i] = valid[i]
                ranked[i] = gain[i] if alive[i] else -np.inf
            _side_groups(act, sup, n, n_issues, sup_order, sup_start, fill)
            _side_groups(act, dem, n, n_issues, dem_order, dem_start, fill)
            counts[0], counts[1], counts[2] = 0, 0, -1
            chosen = -1
            while True:
                n_tied = realise_loop(
                    chosen,
                    draw,
                    tie_tolerance,
                    (act[:n], sup[:n], dem[:n], override[:n]),
                    (
                        cur[:n],
                        target[:n],
                        rate[:n],
                        pass_on[:n],
                        sal_sup[:n],
                        sal_dem[:n],
                        r_outcome[:n],
                        start[:n],
                        override_shift[:n],
                        stale_sum[:n],
                        stale_pos[:n],
                        stale_neg[:n],
                    ),
                    (last[:n], y[:n], shift[:n], gain[:n], valid[:n]),
                    share,
                    x,
                    (sup_order[: 2 * n], sup_start),
                    (dem_order[: 2 * n], dem_start),
                    alive[:n],
                    ranked[:n],
                    log_row,
                    log_cur,
                    log_y,
                    log_gain,
                    counts,
                    tied,
                    seen[:n],
                )
                if n_tied == 0:
                    break
                chosen = tied[_draw_tie(next_uint32, state, n_tied)]
            # voting positions and the preferences' move toward them, as ``Exchange.solve``
            for a in range(n_actors):
                for k in range(n_issues):
                    voting[a, k] = new[a, k] = x[a, k]
            for e in range(counts[0]):
                r = log_row[e]
                for side in range(2):
                    a, k = act[r, side], sup[r, side]
                    voting[a, k] = log_y[e, side]
                    step = fixed_weight + salience_weight * (1.0 - sal[a, k])
                    new[a, k] = x[a, k] + step * (log_y[e, side] - x[a, k])
            _weighted_mean(voting, weight, outcome[b])
            quiet = counts[0] == 0
            for a in range(n_actors):
                for k in range(n_issues):
                    x[a, k] = new[a, k]
        for a in range(n_actors):
            for k in range(n_issues):
                final[b, a, k] = x[a, k]
        settled[b] = quiet


@_alloc
def run_draws(
    position,
    salience,
    capability,
    mask,
    rounds,
    tie_tolerance,
    fixed_weight,
    salience_weight,
    draw,
    next_uint32,
    state,
    outcome,
    final,
    settled,
) -> None:
    """Every round of every draw (arrays (B, A, I)); writes the outcome, final preferences and ``settled``.

    Ties go to ``Generator.integers(n_tied)`` of the Generator whose bit generator's ``ctypes.next_uint32``
    and ``ctypes.state_address`` are given, when ``draw``; else to the earliest created row, as in ``realise``.
    """
    n_draws, n_actors, n_issues = position.shape
    cap_rows = max(1, n_issues * (n_issues - 1) // 2 * n_actors * n_actors)
    act = np.zeros((cap_rows, 2), dtype=np.int64)
    sup = np.zeros((cap_rows, 2), dtype=np.int64)
    dem = np.zeros((cap_rows, 2), dtype=np.int64)
    start, target = np.zeros((cap_rows, 2)), np.zeros((cap_rows, 2))
    sal_sup, sal_dem = np.zeros((cap_rows, 2)), np.zeros((cap_rows, 2))
    rate, pass_on, r_outcome = np.zeros((cap_rows, 2)), np.zeros((cap_rows, 2)), np.zeros((cap_rows, 2))
    usable = np.zeros(cap_rows, dtype=np.bool_)
    cur, last, y, shift = (
        np.zeros((cap_rows, 2)),
        np.zeros((cap_rows, 2)),
        np.zeros((cap_rows, 2)),
        np.zeros((cap_rows, 2)),
    )
    gain, valid = np.zeros(cap_rows), np.zeros(cap_rows, dtype=np.bool_)
    stale_sum = np.zeros((cap_rows, 2))
    stale_pos, stale_neg = np.ones((cap_rows, 2), dtype=np.bool_), np.ones((cap_rows, 2), dtype=np.bool_)
    override, override_shift = np.full((cap_rows, 2, n_actors), np.nan), np.zeros((cap_rows, 2))
    alive, ranked = np.zeros(cap_rows, dtype=np.bool_), np.zeros(cap_rows)
    log_row, log_cur, log_y, log_gain = (
        np.zeros(cap_rows, dtype=np.int64),
        np.zeros((cap_rows, 2)),
        np.zeros((cap_rows, 2)),
        np.zeros(cap_rows),
    )
    counts, tied = np.zeros(3, dtype=np.int64), np.zeros(cap_rows, dtype=np.int64)
    seen = np.full(cap_rows, -1, dtype=np.int64)
    n_keys = n_actors * n_issues
    sup_order, sup_start = np.zeros(2 * cap_rows, dtype=np.int64), np.zeros(n_keys + 1, dtype=np.int64)
    dem_order, dem_start = np.zeros(2 * cap_rows, dtype=np.int64), np.zeros(n_keys + 1, dtype=np.int64)
    fill = np.zeros(n_keys, dtype=np.int64)
    weight, share = np.zeros((n_actors, n_issues)), np.zeros((n_actors, n_issues))
    total, mean = np.zeros(n_issues), np.zeros(n_issues)
    x, new, voting = np.zeros((n_actors, n_issues)), np.zeros((n_actors, n_issues)), np.zeros((n_actors, n_issues))
    _run_draws(
        position,
        salience,
        capability,
        mask,
        rounds,
        tie_tolerance,
        fixed_weight,
        salience_weight,
        draw,
        next_uint32,
        state,
        outcome,
        final,
        settled,
        (
            act,
            sup,
            dem,
            start,
            target,
            sal_sup,
            sal_dem,
            rate,
            pass_on,
            r_outcome,
            usable,
            cur,
            last,
            y,
            shift,
            gain,
            valid,
            stale_sum,
            stale_pos,
            stale_neg,
            override,
            override_shift,
            alive,
            ranked,
            log_row,
            log_cur,
            log_y,
            log_gain,
            counts,
            tied,
            seen,
            sup_order,
            sup_start,
            dem_order,
            dem_start,
            fill,
            weight,
            share,
            total,
            mean,
            x,
            new,
            voting,
            np.arange(cap_rows),
            np.zeros(n_actors, dtype=np.int64),
        ),
    )
