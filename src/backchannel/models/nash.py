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
(feasibility first by the method of centres), vectorised over draws. Every iterate stays in
the per-issue hull of the bargaining actors' positions, which is safe: moving an issue into
that hull brings it nearer to every actor's ideal point, so no gain falls.
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
_MAX_NEWTON = 200
_MAX_HALVINGS = 50
#: a Newton step shorter than this (scale units) ends the iteration
_STEP_TOL = 1e-7


class _Problem:
    """The arrays of one batch of Nash problems, restricted to the bargaining actors."""

    _PER_DRAW = frozenset({"w", "part", "s", "p", "live", "d", "scale", "alpha", "beta"})
    #: the quadratic case needs neither positions nor disagreement losses once alpha, beta are set
    _PER_DRAW_QUADRATIC = frozenset({"w", "part", "s", "live", "scale", "alpha", "beta"})

    def __init__(self, position, salience, capability, mask, status_quo, power, weights):
        s = salience * mask
        sc = s * capability
        s_total = s.sum(-1)
        if weights == "capability":
            w = np.divide(sc.sum(-1), s_total, out=np.zeros_like(s_total), where=s_total > 0)
        else:
            w = sc.sum(-1)
        self.power = power
        self.w = w  # (B, A)
        self.part = w > 0
        self.s = s if self.part.all() else s * self.part[..., None]  # (B, A, I)
        self.p = position
        self.live = (self.s > 0).any(axis=1)  # (B, I)
        self.has_q = ~np.isnan(status_quo)  # (I,)
        self.q = np.where(self.has_q, status_quo, 50.0)
        self.eps = EPSILON if power == 1 else 0.0
        self.d = (self.s * self.loss(self.far())).sum(-1)  # (B, A): loss at disagreement
        self.scale = np.where(self.part, self.s.sum(-1) * self.loss(np.float64(100.0)), 1.0)
        if power == 2:
            # quadratic loss: gain_i(x) = alpha_i + beta_i . x - s_i . x^2
            self.beta = 2.0 * self.s * self.p
            self.alpha = self.d - (self.beta * self.p).sum(-1) * 0.5

    def far(self) -> np.ndarray:
        """Distance from each position to its disagreement outcome (status quo or the far end)."""
        if self.has_q.all():
            return np.abs(self.q - self.p)
        return np.where(self.has_q, np.abs(self.q - self.p), np.maximum(self.p, 100.0 - self.p))

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
            dg = self.beta - 2.0 * self.s * x[:, None, :]
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
        ws = self.w[..., None] * self.s
        tot = ws.sum(1)
        mean = np.divide((ws * self.p).sum(1), tot, out=np.zeros_like(tot), where=tot > 0)
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
        step = np.linalg.solve(neg_hess, grad[..., None])[..., 0]
        step = np.where(sp.live, step, 0.0)
        # backtracking, projected onto the 0..100 box; Armijo on the projected step
        fa = f[idx]
        alpha = np.ones(len(idx))
        pending = ~done[idx]
        new_x, new_f, new_g = xa.copy(), fa.copy(), ga.copy()
        for _h in range(_MAX_HALVINGS):
            pi = np.flatnonzero(pending)
            if not len(pi):
                break
            sub = sp if len(pi) == len(idx) else sp.take(pi)
            cand = np.clip(xa[pi] + alpha[pi, None] * step[pi], 0.0, 100.0)
            fc, gc = _objective(sub, cand, ws[pi], ss[pi])
            rise = (grad[pi] * (cand - xa[pi])).sum(-1)
            ok = np.isfinite(fc) & (fc >= fa[pi] + 1e-4 * rise)
            acc = pi[ok]
            new_x[acc], new_f[acc], new_g[acc] = cand[ok], fc[ok], gc[ok]
            pending[acc] = False
            alpha[pi[~ok]] *= 0.5
        moved = np.abs(new_x - xa).max(-1)
        was_active = ~done[idx]
        x[idx], f[idx], g[idx] = new_x, new_f, new_g
        iters[idx[was_active]] += 1
        # a Newton step this short is within ~its square of the optimum: stop after it
        done[idx] |= pending | (np.abs(step).max(-1) < _STEP_TOL) | (moved == 0.0)
    return x, g, iters, done


def _feasible_start(pr: _Problem, mean: np.ndarray):
    """A point with every bargaining actor strictly better off, per draw, and whether one exists."""
    x = mean.copy()
    base = np.where(pr.has_q & pr.live, pr.q, x)
    ratio = np.where(pr.part, pr.gain(x) / pr.scale, np.inf).min(-1)
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
    # method of centres on max_x min_i gain_i/scale_i for the rest
    bad = np.flatnonzero(ratio <= 0)
    if len(bad):
        sub = pr.take(bad)
        xb = x[bad]
        rb = np.where(sub.part, sub.gain(xb) / sub.scale, np.inf).min(-1)
        t = rb - 1e-2
        ones = sub.part.astype(float)  # the analytic centre weighs every actor alike
        for _ in range(60):
            xb, _g, _it, _d = _newton(sub, xb, ones, t[:, None] * sub.scale)
            rb = np.where(sub.part, sub.gain(xb) / sub.scale, np.inf).min(-1)
            if ((rb > 0) | (rb - t < 1e-13)).all():
                break
            t = np.where(rb > 0, t, t + 0.9 * (rb - t))
        x[bad], ratio[bad] = xb, rb
    return x, ratio > 1e-12


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


def nash_solution(position, salience, capability, mask, status_quo, power=2, weights="capability"):
    """The Nash bargaining outcome of B problems: (outcome (B, I), no_deal (B,), iterations (B,), converged (B,))."""
    pr = _Problem(np.asarray(position, float), np.asarray(salience, float), np.asarray(capability, float),
                  np.asarray(mask, bool), np.asarray(status_quo, float), power, weights)
    b = len(pr.w)
    mean = pr.start()
    x, deal = _feasible_start(pr, mean)
    out = np.empty_like(x)
    iters = np.zeros(b, dtype=int)
    conv = np.ones(b, dtype=bool)
    ok = np.flatnonzero(deal & pr.part.any(-1))
    if len(ok):
        sub = pr.take(ok)
        xs, _g, it, dn = _newton(sub, x[ok], sub.w, np.zeros_like(sub.w))
        if power == 1:
            xs = _snap(sub, xs, sub.w)
        out[ok], iters[ok], conv[ok] = xs, it, dn
    rest = np.flatnonzero(~(deal & pr.part.any(-1)))
    if len(rest):
        # no deal: the status quo stands; issues without one keep the w·s weighted mean
        out[rest] = np.where(pr.has_q, pr.q, mean[rest])
    out = np.where(pr.live | pr.has_q, out, np.nan)
    no_deal = ~deal & pr.part.any(-1)
    return out, no_deal, iters, conv


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
