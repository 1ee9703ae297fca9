"""The asymmetric Nash bargaining solution with the status quo as disagreement point.

x* = argmax_x Σ_i w_i log(u_i(x) − d_i) over x in [0, 100]^I with u_i(x) > d_i for every
bargaining actor i (Nash 1950; Harsanyi & Selten 1972), where
u_i(x) = −Σ_k s_ik |x_k − x_ik|^p over the issues on which i has a position.

Choices made here (documented in docs/models.md):

* Disagreement: on an issue with a status quo q_k the disagreement outcome is q_k. On an issue
  without one nothing is agreed if talks fail, so each actor counts on its security level
  there: the point of the 0..100 scale farthest from its position. d_i sums both parts.
* Bargaining weights: ``capability`` gives w_i = the salience-weighted mean of i's
  capabilities (its capability when it has no per-issue override); ``capability_salience``
  gives w_i = Σ_k c_ik s_ik, which makes the solution the compromise (c·s weighted) mean when
  the disagreement point is far away and p = 2.
* Actors with zero weight (zero capability or salience everywhere) cannot block a deal, so
  they take no part: neither in the product nor in the constraint u_i(x) > d_i.
* No deal: when no x makes every bargaining actor strictly better off than the disagreement
  point, the outcome is the status quo (issues without one get the w·s weighted mean) and the
  diagnostics say ``no_deal: True``.
* An issue on which no bargaining actor has positive salience does not move: the outcome is its
  status quo (NaN without one).
* p = 1 is solved on the smoothed loss sqrt(z² + ε²) − ε with ε = 1e-3 (scale units), then
  each issue is snapped to an ideal point when that is at least as good under the exact loss.

The problem is concave; it is solved by damped Newton ascent on the log-barrier objective
(feasibility first by the method of centres), vectorised over draws. Iterates are clipped to
[0, 100], which is safe: moving an issue into the scale brings it nearer to every actor's
ideal point, so no gain falls.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from ..scenario.errors import InputError
from .base import BatchResult, Model, ModelResult, register

__all__ = ["Nash", "nash_solution"]

#: smoothing of the linear loss (p = 1), in scale units
EPSILON = 1e-3
#: the smoothing widths p = 1 passes through on the way to EPSILON
_EPS_STAGES = (10.0, 1.0, 0.1, 0.01, EPSILON)
#: batches at least this large start from their mean problem's solution (see _warm_start)
_WARM_MIN_DRAWS = 64
_MAX_NEWTON = 200
#: (draw, actor, issue) cells solved at once; sized so that a chunk's arrays stay in cache
_CHUNK_ELEMENTS = 100_000
_MAX_HALVINGS = 50
#: a Newton step shorter than this (scale units) ends the iteration
_STEP_TOL = 1e-7


class _Problem:
    """The arrays of one batch of Nash problems, restricted to the bargaining actors."""

    _PER_DRAW = frozenset({"w", "part", "s", "p", "live", "d", "scale", "alpha", "beta"})
    #: the quadratic case needs neither positions nor disagreement losses once alpha, beta are set
    _PER_DRAW_QUADRATIC = frozenset({"w", "part", "s", "live", "scale", "alpha", "beta"})

    def __init__(self, position, salience, capability, mask, status_quo, power, weights):
        # written to touch each (B, A, I) array as few times as possible: this runs per draw
        s = salience * mask
        s_total = s.sum(-1)
        if weights == "capability":
            sc_total = np.einsum("bai,bai->ba", s, capability)
            w = np.divide(sc_total, s_total, out=np.zeros_like(s_total), where=s_total > 0)
        else:
            w = np.einsum("bai,bai->ba", s, capability)
        self.power = power
        self.w = w  # (B, A)
        self.part = w > 0
        if not self.part.all():
            s = s * self.part[..., None]
            s_total = s.sum(-1)
        self.s = s  # (B, A, I), zero for actors that do not bargain
        self.p = position
        self.live = (s > 0).any(axis=1)  # (B, I)
        self.has_q = ~np.isnan(status_quo)  # (I,)
        self.q = np.where(self.has_q, status_quo, 50.0)
        self.eps = EPSILON if power == 1 else 0.0
        self.scale = np.where(self.part, s_total * self.loss(np.float64(100.0)), 1.0)
        if power == 2:
            # quadratic loss: gain_i(x) = alpha_i + beta_i . x - s_i . x^2 with beta = 2 s p and
            # alpha = d - Σ s p^2, which is Σ s (q^2 - 2 q p) on issues with a status quo and
            # Σ s ((100 - p)^2 - p^2) for p < 50 (else 0) on issues without (the far end)
            beta = s * position
            beta *= 2.0
            qq = np.where(self.has_q, status_quo, 0.0)
            alpha = np.einsum("bai,i->ba", s, qq * qq) - np.einsum("bai,i->ba", beta, qq)
            if not self.has_q.all():
                pn, sn = position[..., ~self.has_q], s[..., ~self.has_q]
                alpha += (sn * np.where(pn < 50.0, 10000.0 - 200.0 * pn, 0.0)).sum(-1)
            self.alpha, self.beta = alpha, beta
        else:
            self.d = (s * self.loss(self.far())).sum(-1)  # (B, A): loss at disagreement

    def far(self) -> np.ndarray:
        """Distance from each position to its disagreement outcome (status quo or the far end)."""
        if self.has_q.all():
            return np.abs(self.q - self.p)
        return np.where(self.has_q, np.abs(self.q - self.p), np.maximum(self.p, 100.0 - self.p))

    def smoothed(self, eps: float) -> "_Problem":
        """The same problem (p = 1) with the linear loss smoothed by ``eps`` instead."""
        sub = self.take(np.arange(len(self.w)))
        sub.eps = eps
        sub.d = (sub.s * sub.loss(sub.far())).sum(-1)
        return sub

    def take(self, idx: np.ndarray) -> "_Problem":
        """The sub-problem of the draws ``idx``."""
        sub = object.__new__(_Problem)
        per_draw = self._PER_DRAW_QUADRATIC if self.power == 2 else self._PER_DRAW
        for k, v in vars(self).items():
            if k in per_draw:
                sub.__dict__[k] = v[idx]
            elif k not in self._PER_DRAW:
                sub.__dict__[k] = v
        return sub

    def loss(self, z):
        """|z|^p, smoothed near 0 when p = 1."""
        if self.power == 2:
            return z * z
        return np.sqrt(z * z + self.eps**2) - self.eps

    def gain(self, x: np.ndarray) -> np.ndarray:
        """u_i(x) − d_i for every actor (B, A); 0 for actors that do not bargain."""
        if self.power == 2:
            return self.alpha + np.einsum("bai,bi->ba", self.beta, x) - np.einsum("bai,bi->ba", self.s, x * x)
        return self.d - (self.s * self.loss(x[:, None, :] - self.p)).sum(-1)

    def derivatives(self, x: np.ndarray, coef: np.ndarray):
        """The gains' gradients (B, A, I) and Σ_i coef_i ∂²gain_i/∂x_k² (B, I)."""
        if self.power == 2:
            dg = np.multiply(self.s, 2.0 * x[:, None, :])
            np.subtract(self.beta, dg, out=dg)  # two passes over (B, A, I) instead of three
            return dg, -2.0 * np.einsum("ba,bai->bi", coef, self.s)
        z = x[:, None, :] - self.p
        r = np.sqrt(z * z + self.eps**2)
        return -self.s * (z / r), -np.einsum("ba,bai->bi", coef, self.s * (self.eps**2 / r**3))

    def exact_gain(self, x: np.ndarray) -> np.ndarray:
        """The gain under the unsmoothed loss."""
        if self.power == 2:
            return self.gain(x)
        return (self.s * (self.far() - np.abs(x[:, None, :] - self.p))).sum(-1)

    def start(self) -> np.ndarray:
        """The w·s weighted mean of the bargaining positions (the status quo on dead issues)."""
        tot = np.einsum("ba,bai->bi", self.w, self.s)
        if self.power == 2:
            num = 0.5 * np.einsum("ba,bai->bi", self.w, self.beta)  # beta = 2 s p
        else:
            num = np.einsum("ba,bai,bai->bi", self.w, self.s, self.p)
        mean = np.divide(num, tot, out=np.zeros_like(tot), where=tot > 0)
        return np.where(self.live, mean, self.q)


def _objective(pr: _Problem, x, wt, shift):
    """Σ wt log(gain − shift) and the gains; −inf where a gain is not positive."""
    g = pr.gain(x) - shift
    pos = g > 0
    ok = (pos | ~pr.part).all(-1)
    f = (wt * np.log(np.where(pos, g, 1.0))).sum(-1)
    return np.where(ok, f, -np.inf), g


def _newton(pr: _Problem, x, wt, shift):
    """Maximise Σ wt_i log(gain_i(x) − shift_i) from a strictly feasible x, per draw.

    ``wt`` must be 0 for actors that do not bargain. Draws still moving are re-gathered only
    when their number halves, so that copying does not dominate the cost.
    """
    x = x.copy()
    n = len(x)
    iters = np.zeros(n, dtype=int)
    last = np.full(n, np.inf)  # length of each draw's previous full Newton step
    done = np.zeros(n, dtype=bool)
    f, g = _objective(pr, x, wt, shift)
    idx = np.arange(n)  # draws held by the working set
    sp, ws, ss = pr, wt, shift
    for _ in range(_MAX_NEWTON):
        act = ~done[idx]
        if not act.any():
            break
        if act.sum() < 0.5 * len(idx):
            keep = np.flatnonzero(act)
            idx, sp, ws, ss = idx[keep], sp.take(keep), ws[keep], ss[keep]
        xa, ga = x[idx], g[idx]
        coef = ws / np.where(sp.part, ga, 1.0)  # (b, A)
        dg, diag = sp.derivatives(xa, coef)
        grad = np.einsum("ba,bai->bi", coef, dg)
        diag = np.where(sp.live, diag, -1.0)
        scaled = dg * (coef / np.where(sp.part, ga, 1.0))[..., None]
        neg_hess = np.matmul(scaled.transpose(0, 2, 1), dg)
        k = np.arange(x.shape[1])
        neg_hess[:, k, k] -= diag
        # a tiny ridge keeps flat directions of the smoothed linear loss (p = 1) solvable
        neg_hess[:, k, k] += 1e-12 * np.abs(neg_hess[:, k, k]).max(-1, keepdims=True) + 1e-300
        step = np.linalg.solve(neg_hess, grad[..., None])[..., 0]
        step = np.where(sp.live, step, 0.0)
        # backtracking, projected onto the 0..100 box; Armijo on the projected step. Where the
        # predicted rise (the Newton decrement) is below the objective's rounding noise, the
        # line search cannot judge the step: take it whole (if feasible) and stop there.
        fa = f[idx]
        noise = (grad * step).sum(-1) < 1e-13 * np.maximum(1.0, np.abs(fa))
        alpha = np.ones(len(idx))
        pending = ~done[idx]
        new_x, new_f, new_g = xa.copy(), fa.copy(), ga.copy()
        for _h in range(_MAX_HALVINGS):
            pi = np.flatnonzero(pending)
            if not len(pi):
                break
            if len(pi) == len(idx):  # every draw still searching: views, not copies
                sub, xp, wp, sh, gp, fp, np_ = sp, xa, ws, ss, grad, fa, noise
                cand = xa + alpha[:, None] * step
            else:
                sub, xp, wp, sh, gp, fp, np_ = sp.take(pi), xa[pi], ws[pi], ss[pi], grad[pi], fa[pi], noise[pi]
                cand = xp + alpha[pi, None] * step[pi]
            np.clip(cand, 0.0, 100.0, out=cand)
            fc, gc = _objective(sub, cand, wp, sh)
            rise = (gp * (cand - xp)).sum(-1)
            ok = np.isfinite(fc) & ((fc >= fp + 1e-4 * rise) | np_)
            acc = pi[ok]
            new_x[acc], new_f[acc], new_g[acc] = cand[ok], fc[ok], gc[ok]
            pending[acc] = False
            alpha[pi[~ok]] *= 0.5
        moved = np.abs(new_x - xa).max(-1)
        was_active = ~done[idx]
        x[idx], f[idx], g[idx] = new_x, new_f, new_g
        iters[idx[was_active]] += 1
        # Newton converges quadratically: after a full step of length h following one of length
        # h0, the error left is about (h / h0^2) h^2; stop once that is below the tolerance too
        size = np.abs(step).max(-1)
        full = alpha == 1.0
        h0 = last[idx]
        left = np.divide(size**3, h0 * h0, out=np.full(len(idx), np.inf),
                         where=full & np.isfinite(h0) & (h0 * h0 > 0))
        last[idx] = np.where(full, size, np.inf)
        # also stop on a step below the tolerance, no move at all, a failed line search (no
        # further rise can be seen) or a step taken at the rounding noise
        done[idx] |= pending | (size < _STEP_TOL) | (moved == 0.0) | noise | (left < _STEP_TOL * 1e-3)
    return x, g, iters, done


def _feasible_start(pr: _Problem, mean: np.ndarray):
    """A point with every bargaining actor strictly better off, per draw, and whether one exists."""
    base = np.where(pr.has_q & pr.live, pr.q, mean)
    # 70 % of the way from the status quo to the w·s mean starts Newton nearer the solution,
    # which the status quo pulls toward itself; the mean itself is the fallback
    x = base + 0.7 * (mean - base)
    ratio = np.where(pr.part, pr.gain(x) / pr.scale, np.inf).min(-1)
    retry = ratio <= 0
    if retry.any():
        r_mean = np.where(pr.part, pr.gain(mean) / pr.scale, np.inf).min(-1)
        use = retry & (r_mean > ratio)
        x[use], ratio[use] = mean[use], r_mean[use]
    # the w·s mean, or a point on the segment from the status quo towards it, usually works
    for frac in (0.5, 0.2, 0.05, 0.01, 1e-3, 1e-4):
        bad = np.flatnonzero(ratio <= 0)
        if not len(bad):
            break
        sub = pr.take(bad)
        cand = base[bad] + frac * (x[bad] - base[bad])
        r = np.where(sub.part, sub.gain(cand) / sub.scale, np.inf).min(-1)
        better = r > ratio[bad]
        x[bad[better]], ratio[bad[better]] = cand[better], r[better]
    # method of centres on max_x min_i gain_i/scale_i for the rest: each round finds the
    # analytic centre of {gain_i/scale_i > t}, then raises t toward the centre's min ratio
    bad = np.flatnonzero(ratio <= 0)
    if len(bad):
        sub = pr.take(bad)
        xb = x[bad]
        rb = np.where(sub.part, sub.gain(xb) / sub.scale, np.inf).min(-1)
        t = rb - 1e-2
        for _ in range(60):
            live = np.flatnonzero((rb <= 0) & (rb - t >= 1e-13))  # neither feasible nor stalled
            if not len(live):
                break
            s2 = sub.take(live)
            ones = s2.part.astype(float)  # the analytic centre weighs every actor alike
            xl, _g, _it, _d = _newton(s2, xb[live], ones, t[live, None] * s2.scale)
            rl = np.where(s2.part, s2.gain(xl) / s2.scale, np.inf).min(-1)
            xb[live], rb[live] = xl, rl
            t[live] = np.where(rl > 0, t[live], t[live] + 0.9 * (rl - t[live]))
        x[bad], ratio[bad] = xb, rb
    return x, ratio > 1e-12


def _centre_solution(centre: _Problem) -> np.ndarray | None:
    """The solution (1, I) of the draws' mean problem, or None when it has no deal."""
    xc, ok = _feasible_start(centre, centre.start())
    if not ok.all():
        return None
    return _newton(centre, xc, centre.w, np.zeros_like(centre.w))[0]


def _warm_start(sub: _Problem, x: np.ndarray, xc: np.ndarray) -> np.ndarray:
    """Start each draw at ``xc``, the solution of the draws' mean problem, where that is better.

    Monte Carlo draws scatter around their mean, so the mean problem's solution is usually
    nearer each draw's optimum than the draw's own start. With p = 2 the optimum is unique,
    so the start moves the answer only within the tolerance; it saves about one Newton step.
    """
    cand = np.broadcast_to(xc, x.shape)
    zero = np.zeros_like(sub.w)
    better = _objective(sub, cand, sub.w, zero)[0] > _objective(sub, x, sub.w, zero)[0]
    return np.where(better[:, None], cand, x)


def _continuation(pr: _Problem, feasible: np.ndarray):
    """p = 1: Newton on ever less smoothed losses, each stage starting from the last one's answer.

    Newton on the barely smoothed loss zigzags across kinks; with a wide smoothing first, each
    stage starts within about its smoothing width of its answer. A stage whose start is not
    feasible under its own smoothing is skipped; the last stage (eps = EPSILON, on which
    feasibility was decided) can always start from ``feasible``.
    """
    x = feasible.copy()
    iters = np.zeros(len(x), dtype=int)
    done = np.ones(len(x), dtype=bool)
    for eps in _EPS_STAGES:
        st = pr.smoothed(eps)
        start_ok = ((st.gain(x) > 0) | ~st.part).all(-1)
        if eps == EPSILON:
            x = np.where(start_ok[:, None], x, feasible)
            start_ok[:] = True
        sel = np.flatnonzero(start_ok)
        if not len(sel):
            continue
        sub = st.take(sel)
        xs, _g, it, dn = _newton(sub, x[sel], sub.w, np.zeros_like(sub.w))
        x[sel], iters[sel] = xs, iters[sel] + it
        if eps == EPSILON:
            done[sel] = dn
    return x, iters, done


def _snap(pr: _Problem, x, wt):
    """For p = 1: move each issue onto a nearby ideal point when the exact objective is no worse."""
    def exact(xx):
        g = pr.exact_gain(xx)
        ok = np.where(pr.part, g > 0, True).all(-1)
        f = np.where(pr.part, wt * np.log(np.where(pr.part & (g > 0), g, 1.0)), 0.0).sum(-1)
        return np.where(ok, f, -np.inf)

    best = exact(x)
    for k in range(x.shape[1]):
        dist = np.where(pr.s[:, :, k] > 0, np.abs(pr.p[:, :, k] - x[:, None, k]), np.inf)
        near = dist.argmin(-1)
        close = dist.min(-1) < 20 * EPSILON
        cand = x.copy()
        cand[:, k] = np.where(close, np.take_along_axis(pr.p[:, :, k], near[:, None], 1)[:, 0], x[:, k])
        fc = exact(cand)
        take = close & (fc >= best)
        x = np.where(take[:, None], cand, x)
        best = np.where(take, fc, best)
    return x


def _chunks(draws: int, per_draw: int) -> list[slice]:
    """Consecutive slices of draws holding about _CHUNK_ELEMENTS (draw, actor, issue) cells each."""
    size = max(1, _CHUNK_ELEMENTS // max(1, per_draw))
    return [slice(lo, min(draws, lo + size)) for lo in range(0, draws, size)]


def nash_solution(position, salience, capability, mask, status_quo, power=2, weights="capability"):
    """The Nash bargaining outcome of B problems: (outcome (B, I), no_deal (B,), iterations (B,), converged (B,))."""
    pos, sal, cap = np.asarray(position, float), np.asarray(salience, float), np.asarray(capability, float)
    mask, q = np.asarray(mask, bool), np.asarray(status_quo, float)
    b = len(pos)
    # Every draw is solved on its own, so the draws are taken a cache-sized chunk at a time (the
    # results do not depend on the chunking); only the warm start looks at every draw at once.
    parts = []
    for c in _chunks(b, pos[0].size if b else 1):
        pr = _Problem(pos[c], sal[c], cap[c], mask, q, power, weights)
        mean = pr.start()
        x, deal = _feasible_start(pr, mean)
        parts.append((c, pr, mean, x, deal, deal & pr.part.any(-1)))
    bargain = np.concatenate([p[5] for p in parts]) if parts else np.zeros(0, dtype=bool)
    xc = None
    n_ok = int(bargain.sum())
    if power == 2 and n_ok >= _WARM_MIN_DRAWS:
        rows = slice(None) if n_ok == b else np.flatnonzero(bargain)  # no copies when every draw has a deal
        xc = _centre_solution(_Problem(pos[rows].mean(0, keepdims=True), sal[rows].mean(0, keepdims=True),
                                       cap[rows].mean(0, keepdims=True), mask, q, power, weights))
    out = np.empty((b, len(q)))
    iters = np.zeros(b, dtype=int)
    conv = np.ones(b, dtype=bool)
    no_deal = np.zeros(b, dtype=bool)
    for c, pr, mean, x, deal, has in parts:
        out[c], iters[c], conv[c] = _solve_chunk(pr, mean, x, has, xc)
        no_deal[c] = ~deal & pr.part.any(-1)
    return out, no_deal, iters, conv


def _solve_chunk(pr: _Problem, mean: np.ndarray, x: np.ndarray, has: np.ndarray, xc: np.ndarray | None):
    """(outcome, iterations, converged) of the draws of one chunk, from their feasible starts ``x``.

    ``has`` marks the draws with a deal and someone to bargain; ``xc`` is the warm start (or None).
    """
    out = np.empty_like(x)
    iters = np.zeros(len(x), dtype=int)
    conv = np.ones(len(x), dtype=bool)
    ok = np.flatnonzero(has)
    if len(ok):
        sub = pr if len(ok) == len(x) else pr.take(ok)  # no copies when every draw has a deal
        if pr.power == 2:
            start = x[ok] if xc is None else _warm_start(sub, x[ok], xc)
            xs, _g, it, dn = _newton(sub, start, sub.w, np.zeros_like(sub.w))
        else:
            xs, it, dn = _continuation(sub, x[ok])
            xs = _snap(sub, xs, sub.w)
        out[ok], iters[ok], conv[ok] = xs, it, dn
    rest = np.flatnonzero(~has)
    if len(rest):
        # no deal: the status quo stands; issues without one keep the w·s weighted mean
        out[rest] = np.where(pr.has_q, pr.q, mean[rest])
    return np.where(pr.live | pr.has_q, out, np.nan), iters, conv


@register
class Nash(Model):
    """Asymmetric Nash bargaining solution, status quo as disagreement point (Nash 1950)."""

    name = "nash"
    defaults: dict[str, Any] = {"power": 2, "weights": "capability"}
    choices = {"weights": ("capability", "capability_salience")}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        power = self.params["power"]
        if isinstance(power, bool) or power not in (1, 2):
            raise InputError(f"bad value for parameter of model {self.name!r}", field="power", value=power,
                             allowed="1 (linear loss) or 2 (quadratic loss)")

    def _run(self, position, salience, capability, mask, status_quo):
        return nash_solution(position, salience, capability, mask, status_quo,
                             power=int(self.params["power"]), weights=self.params["weights"])

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The Nash bargaining outcome of one scenario."""
        out, no_deal, iters, conv = self._run(arrays.position[None], arrays.salience[None],
                                              arrays.capability[None], arrays.mask, arrays.status_quo)
        return self.result(arrays, out[0], converged=bool(conv[0]),
                           diagnostics={"no_deal": bool(no_deal[0]), "iterations": int(iters[0])})

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """The Nash bargaining outcome of every draw, solved together."""
        out, no_deal, iters, conv = self._run(batch.position, batch.salience, batch.capability,
                                              batch.mask, batch.status_quo)
        return BatchResult(self.name, dict(self.params), batch.actors, batch.issues, out,
                           np.zeros(batch.draws, dtype=int), conv, diagnostics={"no_deal": no_deal})
