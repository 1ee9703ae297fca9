"""Compiled solver of the Nash model: one draw at a time, damped Newton on a log-barrier objective.

``solve_draws`` is the entry point: it finds, per draw, a point where every bargaining actor
gains (or shows that none exists: no deal), solves the draws' mean problem to warm-start them
(p = 2), then runs Newton from those starts (for p = 1 through the smoothing stages, then the
snap onto ideal points) and writes the outcomes. ``nash.py`` documents the choices this
implements. Each step follows the NumPy version this replaced (same starts, line search and
stopping rules; a Cholesky solve where that used LU), so the results agree with it to rounding.

A draw's problem lives in the tuple ``prob`` = (s, pos, far, beta, alpha, d, w, part, scale,
live, mean), filled by ``_setup``: saliences s (A, I) zeroed for actors that do not bargain,
positions, distances to the disagreement outcome (p = 1), the quadratic gain's terms
gain_a(x) = alpha_a + beta_a . x − s_a . x² (p = 2), the disagreement losses d (p = 1), weights
w, who bargains, the gains' scales, the live issues and the w·s weighted mean. ``work`` holds
the scratch arrays (see ``_workspace``), so a run allocates its work space once.

Compiled without fast-math and with NumPy's error model (division by zero gives inf, not an
exception). All kernels live in this one module because numba's on-disk cache notices edits
only in the file that holds the cached function, and treats module constants as frozen.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba.core.imputils import impl_ret_borrowed
from numba.extending import intrinsic

__all__ = ["EPSILON", "EPS_STAGES", "WARM_MIN_DRAWS", "solve_draws"]

#: smoothing of the linear loss (p = 1), in scale units
EPSILON = 1e-3
#: the smoothing widths p = 1 passes through on the way to EPSILON
EPS_STAGES = (10.0, 1.0, 0.1, 0.01, EPSILON)
#: batches with at least this many draws with a deal warm-start p = 2 (see solve_draws)
WARM_MIN_DRAWS = 64
_MAX_NEWTON = 200
_MAX_HALVINGS = 50
#: a Newton step shorter than this (scale units) ends the iteration
_STEP_TOL = 1e-7
#: the error estimate of a full step (see _newton) must fall below this to stop
_LEFT_TOL = _STEP_TOL * 1e-3
#: start from the status quo this far toward the w·s mean (see _feasible)
_TOWARD_MEAN = 0.7
#: fall-back starts: these fractions of the way from the status quo toward the start
_FRACTIONS = (0.5, 0.2, 0.05, 0.01, 1e-3, 1e-4)
_MAX_CENTRES = 60
#: snap an issue onto an ideal point this close (p = 1)
_SNAP = 20 * EPSILON

# Compile time (the first use on a machine, before numba's cache holds the kernels): numba
# compiles every function called from compiled code as its own library, which it optimises and
# turns into machine code together with everything it calls, so a deep call tree pays for its
# leaves many times. Hence: the helpers get no wrapper for calls from Python (they have none),
# the ones called from one place (or small and called from solve_draws only) are inlined where
# they are called, and each function is compiled for one set of argument types (see _read_only).
# None of this changes an operation or its order: the results are the same bits.
_entry = numba.njit(cache=True, error_model="numpy")
_jit = numba.njit(cache=True, error_model="numpy", no_cpython_wrapper=True, no_cfunc_wrapper=True)
_inline = numba.njit(cache=True, error_model="numpy", no_cpython_wrapper=True, no_cfunc_wrapper=True, inline="always")


@intrinsic
def _read_only(typingctx, arr):
    """The array ``arr`` typed as read-only (no copy, no code: both types share one layout).

    ``_setup`` gets read-only draws from ``solve_draws`` and the writable mean problem from
    ``_centre``; numba would compile it once for each, so ``_centre`` hands its arrays over as
    read-only too.
    """
    sig = arr.copy(readonly=True)(arr)

    def codegen(context, builder, signature, args):
        return impl_ret_borrowed(context, builder, signature.return_type, args[0])

    return sig, codegen


@_inline
def _workspace(n_a, n_i):
    """The arrays of one draw's problem (``prob``, see the module's docstring) and scratch space.

    ``work`` = (g, gc, coef, dg, grad, hess, step, cand, cg, wt, shift, zero, base, feasible):
    0-8 are Newton's (gains at x and at the candidate, their weights wt/g and wt/g², the gains'
    gradients (A, I), the gradient, the negated Hessian (I, I), the step, the candidate), 9-10
    the method of centres' weights and shifts, 11 zeros, 12-13 the starts of _feasible and
    _continuation.
    """
    prob = (
        np.zeros((n_a, n_i)),
        np.zeros((n_a, n_i)),
        np.zeros((n_a, n_i)),
        np.zeros((n_a, n_i)),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_a, dtype=np.bool_),
        np.ones(n_a),
        np.zeros(n_i, dtype=np.bool_),
        np.zeros(n_i),
    )
    work = (
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros((n_a, n_i)),
        np.zeros(n_i),
        np.zeros((n_i, n_i)),
        np.zeros(n_i),
        np.zeros(n_i),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_a),
        np.zeros(n_i),
        np.zeros(n_i),
    )
    return prob, work


@_jit
def _copy(dst, src):
    """dst[:] = src, element by element (a slice assignment compiles a shape check with messages)."""
    for k in range(dst.shape[0]):
        dst[k] = src[k]


@_jit
def _setup(pos, sal, cap, mask, q, has_q, power, cap_weights, prob):
    """Fill ``prob`` with the problem of one draw (pos, sal, cap: (A, I))."""
    s, pp, far, beta, alpha, d, w, part, scale, live, mean = prob
    n_a, n_i = s.shape
    loss100 = 10000.0 if power == 2 else math.sqrt(100.0 * 100.0 + EPSILON * EPSILON) - EPSILON
    for a in range(n_a):
        s_tot = 0.0
        sc_tot = 0.0
        for k in range(n_i):
            pp[a, k] = pos[a, k]
            v = sal[a, k] if mask[a, k] else 0.0
            s[a, k] = v
            s_tot += v
            sc_tot += v * cap[a, k]
        if cap_weights:
            w[a] = sc_tot / s_tot if s_tot > 0 else 0.0
        else:
            w[a] = sc_tot
        part[a] = w[a] > 0
        if part[a]:
            scale[a] = s_tot * loss100
        else:
            s[a, :] = 0.0
            scale[a] = 1.0
        if power == 2:
            # alpha = d − Σ s p²: Σ s (q² − 2 q p) on issues with a status quo, and on issues
            # without one Σ s ((100 − p)² − p²) for p < 50 (else 0): the far end
            sq = 0.0
            bq = 0.0
            far_end = 0.0
            for k in range(n_i):
                beta[a, k] = s[a, k] * pp[a, k] * 2.0
                if has_q[k]:
                    sq += s[a, k] * (q[k] * q[k])
                    bq += beta[a, k] * q[k]
                elif pp[a, k] < 50.0:
                    far_end += s[a, k] * (10000.0 - 200.0 * pp[a, k])
            alpha[a] = sq - bq + far_end
        else:
            for k in range(n_i):
                if has_q[k]:
                    far[a, k] = abs(q[k] - pp[a, k])
                else:
                    far[a, k] = max(pp[a, k], 100.0 - pp[a, k])
    _smooth(prob, power, EPSILON)
    for k in range(n_i):
        live[k] = False
        tot = 0.0
        num = 0.0
        for a in range(n_a):
            if s[a, k] > 0:
                live[k] = True
            tot += w[a] * s[a, k]
            num += w[a] * beta[a, k] if power == 2 else w[a] * s[a, k] * pp[a, k]
        if power == 2:
            num *= 0.5  # beta = 2 s p
        mean[k] = (num / tot if tot > 0 else 0.0) if live[k] else q[k]


@_jit
def _smooth(prob, power, eps):
    """p = 1: set the disagreement losses d for the linear loss smoothed by ``eps``."""
    if power == 2:
        return
    s, _pp, far, _beta, _alpha, d, _w, part, _scale, _live, _mean = prob
    for a in range(s.shape[0]):
        tot = 0.0
        if part[a]:
            for k in range(s.shape[1]):
                tot += s[a, k] * (math.sqrt(far[a, k] * far[a, k] + eps * eps) - eps)
        d[a] = tot


@_jit
def _gains(x, prob, power, eps, g):
    """g = u(x) − d for every actor (0 for actors that do not bargain)."""
    s, pp, _far, beta, alpha, d, _w, part, _scale, _live, _mean = prob
    for a in range(s.shape[0]):
        if not part[a]:
            g[a] = 0.0
            continue
        if power == 2:
            lin = 0.0
            quad = 0.0
            for k in range(s.shape[1]):
                lin += beta[a, k] * x[k]
                quad += s[a, k] * (x[k] * x[k])
            g[a] = alpha[a] + lin - quad
        else:
            tot = 0.0
            for k in range(s.shape[1]):
                z = x[k] - pp[a, k]
                tot += s[a, k] * (math.sqrt(z * z + eps * eps) - eps)
            g[a] = d[a] - tot


@_jit
def _min_ratio(x, prob, power, g):
    """min over bargaining actors of gain / scale (inf when nobody bargains)."""
    part, scale = prob[7], prob[8]
    _gains(x, prob, power, EPSILON, g)
    r = math.inf
    for a in range(g.shape[0]):
        if part[a]:
            r = min(r, g[a] / scale[a])
    return r


@_inline
def _log_sum(wt, g, part):
    """Σ wt log g over the bargaining actors (``part``); −inf where one of their g is not positive."""
    f = 0.0
    ok = True
    for a in range(g.shape[0]):
        if not part[a]:
            continue
        if g[a] > 0:
            f += wt[a] * math.log(g[a])
        else:
            ok = False
    return f if ok else -math.inf


@_jit
def _objective(x, wt, shift, prob, power, eps, g):
    """Σ wt log(gain − shift), leaving gain − shift in g; −inf where a gain is not positive."""
    part = prob[7]
    _gains(x, prob, power, eps, g)
    for a in range(g.shape[0]):
        if part[a]:
            g[a] -= shift[a]
    return _log_sum(wt, g, part)


@_inline
def _cholesky_solve(h, b):
    """Solve h y = b in place (b becomes y) for h symmetric positive definite.

    Reads the lower triangle of h and overwrites it with its Cholesky factor L (h = L Lᵀ).
    """
    n = b.shape[0]
    for j in range(n):
        v = h[j, j]
        for k in range(j):
            v -= h[j, k] * h[j, k]
        d = math.sqrt(v)
        h[j, j] = d
        for i in range(j + 1, n):
            v = h[i, j]
            for k in range(j):
                v -= h[i, k] * h[j, k]
            h[i, j] = v / d
    for i in range(n):  # L z = b
        v = b[i]
        for k in range(i):
            v -= h[i, k] * b[k]
        b[i] = v / h[i, i]
    for i in range(n - 1, -1, -1):  # Lᵀ y = z
        v = b[i]
        for k in range(i + 1, n):
            v -= h[k, i] * b[k]
        b[i] = v / h[i, i]


@_jit
def _newton(x, wt, shift, prob, power, eps, work):
    """Maximise Σ wt_a log(gain_a(x) − shift_a) from a strictly feasible x, in place.

    Returns (iterations, converged). ``wt`` must be 0 for actors that do not bargain.
    """
    s, pp, _far, beta, _alpha, _d, _w, part, _scale, live, _mean = prob
    g, gc, coef, dg, grad, hess, step, cand, cg = work[:9]
    n_a, n_i = s.shape
    eps2 = eps * eps
    f = _objective(x, wt, shift, prob, power, eps, g)
    last = math.inf  # length of the previous full Newton step
    iters = 0
    done = False
    for _it in range(_MAX_NEWTON):
        if done:
            break
        for a in range(n_a):
            coef[a] = wt[a] / g[a] if part[a] else 0.0
            cg[a] = coef[a] / g[a] if part[a] else 0.0
        for k in range(n_i):
            diag = 0.0
            gk = 0.0
            for a in range(n_a):
                if not part[a]:
                    dg[a, k] = 0.0
                    continue
                if power == 2:
                    dg[a, k] = beta[a, k] - s[a, k] * (2.0 * x[k])
                    diag += coef[a] * s[a, k]
                else:
                    z = x[k] - pp[a, k]
                    r = math.sqrt(z * z + eps2)
                    dg[a, k] = -s[a, k] * (z / r)
                    diag += coef[a] * (s[a, k] * (eps2 / (r * r * r)))
                gk += coef[a] * dg[a, k]
            grad[k] = gk
            # the negated Hessian's diagonal term: −Σ coef ∂²gain/∂x_k² (1 on dead issues)
            hess[k, k] = (2.0 * diag if power == 2 else diag) if live[k] else 1.0
        # negated Hessian = Σ_a (coef_a / g_a) ∇g_a ∇g_aᵀ − Σ_a coef_a ∇²g_a, symmetric
        for k in range(n_i):
            for m in range(k + 1):
                v = 0.0
                for a in range(n_a):
                    v += cg[a] * dg[a, k] * dg[a, m]
                if m == k:
                    hess[k, k] += v
                else:
                    hess[k, m] = v  # the lower triangle is all the solve reads
        # positive definite: a positive combination of outer products plus a diagonal that is
        # positive on live issues, 1 on dead ones, and a tiny ridge that keeps flat directions
        # of the smoothed linear loss (p = 1) solvable
        big = 0.0
        for k in range(n_i):
            big = max(big, abs(hess[k, k]))
        ridge = 1e-12 * big + 1e-300
        for k in range(n_i):
            hess[k, k] += ridge
            step[k] = grad[k]
        _cholesky_solve(hess, step)
        rise_full = 0.0
        size = 0.0
        for k in range(n_i):
            if not live[k]:
                step[k] = 0.0
            rise_full += grad[k] * step[k]
            size = max(size, abs(step[k]))
        # backtracking, projected onto the 0..100 box; Armijo on the projected step. Where the
        # predicted rise (the Newton decrement) is below the objective's rounding noise, the
        # line search cannot judge the step: take it whole (if feasible) and stop there.
        noise = rise_full < 1e-13 * max(1.0, abs(f))
        step_len = 1.0
        pending = True
        fc = f
        for _h in range(_MAX_HALVINGS):
            rise = 0.0
            for k in range(n_i):
                c = min(max(x[k] + step_len * step[k], 0.0), 100.0)
                cand[k] = c
                rise += grad[k] * (c - x[k])
            fc = _objective(cand, wt, shift, prob, power, eps, gc)
            if math.isfinite(fc) and (fc >= f + 1e-4 * rise or noise):
                pending = False
                break
            step_len *= 0.5
        moved = 0.0
        if not pending:
            for k in range(n_i):
                moved = max(moved, abs(cand[k] - x[k]))
                x[k] = cand[k]
            for a in range(n_a):
                g[a] = gc[a]
            f = fc
        iters += 1
        # Newton converges quadratically: after a full step of length h following one of length
        # h0, the error left is about (h / h0²) h²; stop once that is below the tolerance too
        full = step_len == 1.0
        left = math.inf
        if full and math.isfinite(last) and last * last > 0:
            left = size**3 / (last * last)
        last = size if full else math.inf
        # also stop on a step below the tolerance, no move at all, a failed line search (no
        # further rise can be seen) or a step taken at the rounding noise
        done = pending or size < _STEP_TOL or moved == 0.0 or noise or left < _LEFT_TOL
    return iters, done


@_inline
def _feasible(x, prob, q, has_q, power, work):
    """Set x to a point where every bargaining actor strictly gains; whether one was found."""
    part, scale, live, mean = prob[7], prob[8], prob[9], prob[10]
    g, cand, wt, shift, base = work[0], work[7], work[9], work[10], work[12]
    n_i = x.shape[0]
    # 70 % of the way from the status quo to the w·s mean starts Newton nearer the solution,
    # which the status quo pulls toward itself; the mean itself is the fall-back
    for k in range(n_i):
        base[k] = q[k] if has_q[k] and live[k] else mean[k]
        x[k] = base[k] + _TOWARD_MEAN * (mean[k] - base[k])
    ratio = _min_ratio(x, prob, power, g)
    if ratio <= 0:
        r_mean = _min_ratio(mean, prob, power, g)
        if r_mean > ratio:
            _copy(x, mean)
            ratio = r_mean
    # a point on the segment from the status quo towards the start usually works
    for frac in _FRACTIONS:
        if not ratio <= 0:
            break
        for k in range(n_i):
            cand[k] = base[k] + frac * (x[k] - base[k])
        r = _min_ratio(cand, prob, power, g)
        if r > ratio:
            _copy(x, cand)
            ratio = r
    # method of centres on max_x min_a gain_a/scale_a: each round finds the analytic centre of
    # {gain_a/scale_a > t}, then raises t toward the centre's min ratio
    t = ratio - 1e-2
    for _r in range(_MAX_CENTRES):
        if not (ratio <= 0 and ratio - t >= 1e-13):  # feasible, or stalled
            break
        for a in range(wt.shape[0]):
            wt[a] = 1.0 if part[a] else 0.0  # the analytic centre weighs every actor alike
            shift[a] = t * scale[a]
        _newton(x, wt, shift, prob, power, EPSILON, work)
        ratio = _min_ratio(x, prob, power, g)
        if ratio <= 0:
            t = t + 0.9 * (ratio - t)
    return ratio > 1e-12


@_inline
def _continuation(x, prob, power, work):
    """p = 1: Newton on ever less smoothed losses, each stage starting from the last one's answer.

    Newton on the barely smoothed loss zigzags across kinks; with a wide smoothing first, each
    stage starts within about its smoothing width of its answer. A stage whose start is not
    feasible under its own smoothing is skipped; the last stage (eps = EPSILON, on which
    feasibility was decided) can always start from the feasible start x. Returns (iterations,
    converged).
    """
    w, part = prob[6], prob[7]
    g, zero, feasible = work[0], work[11], work[13]
    _copy(feasible, x)
    iters = 0
    done = True
    for eps in EPS_STAGES:
        _smooth(prob, power, eps)
        _gains(x, prob, power, eps, g)
        start_ok = True
        for a in range(g.shape[0]):
            if part[a] and not g[a] > 0:
                start_ok = False
        if eps == EPSILON and not start_ok:
            _copy(x, feasible)
            start_ok = True
        if not start_ok:
            continue
        it, dn = _newton(x, w, zero, prob, power, eps, work)
        iters += it
        if eps == EPSILON:
            done = dn
    return iters, done


@_jit
def _exact(x, prob, g):
    """p = 1: Σ w log(gain) under the unsmoothed loss; −inf where a gain is not positive."""
    s, pp, far, w, part = prob[0], prob[1], prob[2], prob[6], prob[7]
    for a in range(s.shape[0]):
        if not part[a]:
            continue
        tot = 0.0
        for k in range(s.shape[1]):
            tot += s[a, k] * (far[a, k] - abs(x[k] - pp[a, k]))
        g[a] = tot
    return _log_sum(w, g, part)


@_inline
def _snap(x, prob, work):
    """p = 1: move each issue onto a nearby ideal point when the exact objective is no worse."""
    s, pp = prob[0], prob[1]
    g, cand = work[0], work[7]
    best = _exact(x, prob, g)
    for k in range(x.shape[0]):
        near = -1
        dist = math.inf
        for a in range(s.shape[0]):
            if s[a, k] > 0 and abs(pp[a, k] - x[k]) < dist:
                dist = abs(pp[a, k] - x[k])
                near = a
        if not dist < _SNAP:
            continue
        _copy(cand, x)
        cand[k] = pp[near, k]
        fc = _exact(cand, prob, g)
        if fc >= best:
            x[k] = cand[k]
            best = fc


@_inline
def _centre(pos, sal, cap, has, mask, q, has_q, power, cap_weights, x, prob, work):
    """Set x to the solution of the mean problem of the draws marked in ``has``; False if no deal."""
    n_a, n_i = pos.shape[1], pos.shape[2]
    mp, ms, mc = np.zeros((n_a, n_i)), np.zeros((n_a, n_i)), np.zeros((n_a, n_i))
    count = 0
    for b in range(pos.shape[0]):
        if has[b]:
            count += 1
            for a in range(n_a):
                for k in range(n_i):
                    mp[a, k] += pos[b, a, k]
                    ms[a, k] += sal[b, a, k]
                    mc[a, k] += cap[b, a, k]
    for a in range(n_a):
        for k in range(n_i):
            mp[a, k] /= count
            ms[a, k] /= count
            mc[a, k] /= count
    _setup(_read_only(mp), _read_only(ms), _read_only(mc), mask, q, has_q, power, cap_weights, prob)
    if not _feasible(x, prob, q, has_q, power, work):
        return False
    _newton(x, prob[6], work[11], prob, power, EPSILON, work)
    return True


@_entry
def solve_draws(pos, sal, cap, mask, q, has_q, power, cap_weights, out, no_deal, iters, conv):
    """Fill the outcome (B, I), no deal, Newton's iterations and convergence of every draw.

    pos, sal, cap are (B, A, I), mask (A, I), q (I,) the status quo (read where has_q). First
    each draw gets a strictly feasible start, or is found to have no deal. Draws with a deal and
    someone to bargain then run Newton: for p = 2 from the solution of the draws' mean problem
    where the objective is higher there (batches of at least WARM_MIN_DRAWS such draws), for
    p = 1 through the smoothing stages and the snap. The others get the no-deal outcome: the
    status quo, or the w·s mean where there is none. Issues nobody bargains on and without a
    status quo are NaN.
    """
    n_b, n_a, n_i = pos.shape
    prob, work = _workspace(n_a, n_i)
    w, part, live, mean = prob[6], prob[7], prob[9], prob[10]
    g, zero = work[0], work[11]
    has = np.zeros(n_b, dtype=np.bool_)
    for b in range(n_b):
        _setup(pos[b], sal[b], cap[b], mask, q, has_q, power, cap_weights, prob)
        deal = _feasible(out[b], prob, q, has_q, power, work)
        bargains = False  # part.any(), as a loop: one compiled function fewer
        for a in range(n_a):
            bargains = bargains or part[a]
        has[b] = deal and bargains
        no_deal[b] = bargains and not deal
    # p = 2 has a unique optimum: Monte Carlo draws scatter around their mean, so the mean
    # problem's solution is usually nearer each draw's optimum than the draw's own start; it
    # saves about one Newton step
    xc = np.zeros(n_i)
    n_has = 0
    for b in range(n_b):
        n_has += has[b]
    warm = (
        power == 2
        and n_has >= WARM_MIN_DRAWS
        and _centre(pos, sal, cap, has, mask, q, has_q, power, cap_weights, xc, prob, work)
    )
    for b in range(n_b):
        _setup(pos[b], sal[b], cap[b], mask, q, has_q, power, cap_weights, prob)
        x = out[b]
        iters[b] = 0
        conv[b] = True
        if has[b]:
            if power == 2:
                if warm and (
                    _objective(xc, w, zero, prob, power, EPSILON, g) > _objective(x, w, zero, prob, power, EPSILON, g)
                ):
                    _copy(x, xc)
                iters[b], conv[b] = _newton(x, w, zero, prob, power, EPSILON, work)
            else:
                iters[b], conv[b] = _continuation(x, prob, power, work)
                _snap(x, prob, work)
        else:
            for k in range(n_i):
                x[k] = q[k] if has_q[k] else mean[k]
        for k in range(n_i):
            if not (live[k] or has_q[k]):
                x[k] = math.nan
