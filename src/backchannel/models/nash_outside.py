"""Nash bargaining among the actors whose consent counts, with their outside options as the disagreement point.

x* = argmax_x Σ_a w_a log(u_a(x) − d_a) subject to u_a(x) > d_a for every bargaining actor a
(Nash 1950; the asymmetric form of Harsanyi & Selten 1972; outside options as the disagreement
point as in Binmore, Rubinstein & Wolinsky 1986, who show that the breakdown point of a
strategic bargaining game is the players' outside options when breakdown is exogenous), with

    u_a(x) = −Σ_i σ_ai (x_i − p_ai)²,   σ_ai = s_ai / (100² Σ_j s_aj)

the quadratic loss normalised so that u_a runs from 0 (a's ideal package) to −1 (the farthest
package on every issue), the scale on which outside options and their costs are stated.

Unlike the other models, this one decides whether there is a deal: when no package makes every
bargaining actor strictly better off than its disagreement utility d_a, there is none. Given only
the scenario's arrays (``solve``), every actor with weight bargains and d_a = u_a(status quo), the
far end of the scale standing in for a missing status quo (as in ``nash``). The Nash solution does
not change when an actor's utility is rescaled, so this then gives the ``nash`` model's answer with
p = 2 and capability weights. The agreement layer calls ``solve_against`` with the actors whose
consent counts and their outside options net of the cost of no deal.

How it is solved (vectorised over draws): the Pareto set of these utilities is
{x(λ) = Σ_a λ_a σ_a p_a / Σ_a λ_a σ_a : λ ≥ 0}, so a feasible package exists exactly when some x(λ)
gives everyone a gain. Multiplicative weights on λ (raising the weight of whoever gains least)
approach the max–min package, stopping on a draw once it has a package with every gain positive or
weights proving there is none (minimax duality, see ``_max_min_search``); from there damped Newton
ascent on the log objective, with a backtracking line search that keeps every gain positive, finds x*.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from .base import BatchResult, Model, ModelResult, register

__all__ = ["NashOutside", "nash_outside_solution", "normalised_salience", "quadratic_utility"]

_WEIGHT_STEPS = 400
_SCALE_FREE_STEPS = 2000
_NEWTON_STEPS = 100
_HALVINGS = 40
_STEP_TOL = 1e-9


def normalised_salience(salience: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """σ (B, A, I): saliences over 100² times each actor's salience total (0 for an actor with none)."""
    s = np.where(mask, salience, 0.0)
    total = s.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, s / (1e4 * np.where(total > 0, total, 1.0)), 0.0)


def quadratic_utility(sigma: np.ndarray, position: np.ndarray, x: np.ndarray) -> np.ndarray:
    """u (B, A) of packages x (B, I): −Σ_i σ_ai (x_i − p_ai)² (issues without σ count nothing)."""
    z = np.where(sigma > 0, x[:, None, :] - position, 0.0)
    return -(sigma * z * z).sum(axis=-1)


def _pareto_point(lam: np.ndarray, sigma: np.ndarray, position: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """x(λ) (B, I); ``fallback`` where no actor with weight has salience."""
    ws = lam[:, :, None] * sigma
    den = ws.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (ws * position).sum(axis=1) / np.where(den > 0, den, 1.0), fallback)


def _log_objective(g: np.ndarray, w: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Σ_a w_a log g_a over live actors; −inf where a live gain is not positive."""
    ok = np.where(live, g > 0, True).all(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(live, w * np.log(np.where(live & (g > 0), g, 1.0)), 0.0).sum(axis=1)
    return np.where(ok, f, -np.inf)


def _max_min_search(
    lam: np.ndarray,
    sigma: np.ndarray,
    pos: np.ndarray,
    d: np.ndarray,
    live: np.ndarray,
    q: np.ndarray,
    best_x: np.ndarray,
    best_m: np.ndarray,
    steps: int,
    scale_free: bool,
) -> np.ndarray:
    """Decide, on the draws where x(λ) gives someone no gain yet, whether some package gives everyone one.

    max_x min_a g_a(x) = min over the simplex of φ(λ) = Σ_a λ_a g_a(x(λ)) (minimax: the gains g_a are
    concave, x(λ) maximises Σ_a λ_a g_a), a convex function whose gradient is g(x(λ)). Exponentiated
    gradient steps on λ (``scale_free``: each scaled by the spread of the gains, so that the step does
    not depend on their size; else η = 40/√k on the raw gains, fast when the gains are of order 0.1)
    stop a draw as soon as it has a certificate: a package with every gain positive
    (updated in ``best_x``, ``best_m`` in place), or a λ with φ(λ) ≤ 0, which proves no package gives
    everyone a gain. Returns (B,) True where the search proved there is none; a draw with neither
    certificate after the step budget (its max–min gain within rounding of 0) keeps best_m ≤ 0: no deal.
    """
    blocked = np.zeros(len(lam), dtype=bool)
    rows = np.flatnonzero((best_m <= 0) & live.any(axis=1))
    lam_r = lam[rows] / np.maximum(lam[rows].sum(axis=1, keepdims=True), 1e-300)
    x_r = _pareto_point(lam_r, sigma[rows], pos[rows], q[rows])  # φ(λ) is a certificate at x(λ) only
    floor = 1e-300 if scale_free else 1e-12
    for k in range(steps):
        if not len(rows):
            break
        sg, ps, lv = sigma[rows], pos[rows], live[rows]
        g = quadratic_utility(sg, ps, x_r) - d[rows]
        m = np.where(lv, g, np.inf).min(axis=1)
        better = m > best_m[rows]
        best_x[rows[better]], best_m[rows[better]] = x_r[better], m[better]
        phi = np.where(lv, lam_r * g, 0.0).sum(axis=1)
        blocked[rows[phi <= 0]] = True
        keep = (best_m[rows] <= 0) & (phi > 0)
        rows, lam_r, g, sg, ps, lv = rows[keep], lam_r[keep], g[keep], sg[keep], ps[keep], lv[keep]
        top = np.where(lv, g, -np.inf).max(axis=1, keepdims=True)
        spread = np.maximum(top - np.where(lv, g, np.inf).min(axis=1, keepdims=True), 1e-300) if scale_free else 1.0
        eta = (2.0 if scale_free else 40.0) / np.sqrt(k + 1.0)
        lam_r = np.where(lv, lam_r * np.exp(-eta * (np.where(lv, g, top) - top) / spread), 0.0)
        lam_r /= np.maximum(lam_r.sum(axis=1, keepdims=True), 1e-300)
        lam_r = np.where(lv, np.maximum(lam_r, floor), 0.0)
        x_r = _pareto_point(lam_r, sg, ps, q[rows])
    return blocked


def nash_outside_solution(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    mask: np.ndarray,
    disagreement: np.ndarray,
    participants: np.ndarray,
    status_quo: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nash bargaining outcome of B problems: (outcome (B, I), deal (B,) bool, converged (B,) bool).

    ``disagreement`` (B, A) is each actor's utility without a deal, ``participants`` (A,) who bargains.
    Issues no bargaining actor weighs take the status quo (NaN without one). Where no package gives
    every bargaining actor a gain, ``deal`` is False and the outcome is the status quo (x(w) without one).
    """
    pos = np.asarray(position, dtype=float)
    sigma = (
        normalised_salience(np.asarray(salience, float), np.asarray(mask, bool))
        * np.asarray(participants, bool)[None, :, None]
    )
    cap = np.asarray(capability, dtype=float)
    b, _, n_i = pos.shape
    s_tot = np.where(mask, salience, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(s_tot > 0, (np.where(mask, salience, 0.0) * cap).sum(axis=-1) / np.where(s_tot > 0, s_tot, 1), 0)
    live = (sigma.sum(axis=-1) > 0) & (w > 0)
    sigma = np.where(live[:, :, None], sigma, 0.0)
    d = np.asarray(disagreement, dtype=float)
    q = np.broadcast_to(np.asarray(status_quo, dtype=float), (b, n_i))
    live_issue = sigma.sum(axis=1) > 0

    # max-min package by multiplicative weights over the Pareto set, on the draws without a gain for all yet
    lam = np.where(live, w, 0.0)
    best_x = _pareto_point(lam, sigma, pos, q)
    best_m = np.where(live, quadratic_utility(sigma, pos, best_x) - d, np.inf).min(axis=1)
    blocked = _max_min_search(lam, sigma, pos, d, live, q, best_x, best_m, _WEIGHT_STEPS, scale_free=False)
    # gains far below 0.1 (a veto player whose outside option is near its ideal) need the scale-free steps
    blocked |= _max_min_search(
        lam, sigma, pos, d, live & ~blocked[:, None], q, best_x, best_m, _SCALE_FREE_STEPS, scale_free=True
    )
    nobody = ~live.any(axis=1)
    deal = ((best_m > 0) & ~blocked) | nobody
    # without a deal the outcome is the status quo, the weighted package standing in for a missing one (as nash)
    x = np.where(deal[:, None], best_x, np.where(np.isnan(q), _pareto_point(np.where(live, w, 0.0), sigma, pos, q), q))

    converged = ~deal | nobody
    active = deal & ~nobody
    eye = np.eye(n_i)
    for _ in range(_NEWTON_STEPS):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        xs, sg, ps, ws, ds, lv = x[idx], sigma[idx], pos[idx], w[idx], d[idx], live[idx]
        li = live_issue[idx]
        z = np.where(sg > 0, xs[:, None, :] - ps, 0.0)
        g = -(sg * z * z).sum(axis=-1) - ds
        coef = np.where(lv, ws / np.where(lv, g, 1.0), 0.0)
        du = -2.0 * sg * z  # (n, A, I)
        grad = (coef[:, :, None] * du).sum(axis=1)
        diag = -2.0 * (coef[:, :, None] * sg).sum(axis=1)  # (n, I)
        outer = np.swapaxes(du * (coef / np.where(lv, g, 1.0))[:, :, None], 1, 2) @ du  # Σ_a c_a/g_a du duᵀ
        hess = diag[:, :, None] * eye - outer
        hess = np.where(li[:, :, None] & li[:, None, :], hess, 0.0) - (~li)[:, :, None] * eye
        grad = np.where(li, grad, 0.0)
        step = -np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        f0 = _log_objective(g, ws, lv)
        slope = (grad * step).sum(axis=1)
        t = np.ones(len(idx))
        done = np.zeros(len(idx), bool)
        new = xs.copy()
        for _h in range(_HALVINGS):
            cand = np.clip(xs + t[:, None] * step, 0.0, 100.0)
            f1 = _log_objective(quadratic_utility(sg, ps, cand) - ds, ws, lv)
            ok = ~done & (f1 >= f0 + 1e-4 * t * slope)
            new[ok] = cand[ok]
            done |= ok
            if done.all():
                break
            t = np.where(done, t, t * 0.5)
        moved = np.abs(new - xs).max(axis=1)
        x[idx] = new
        finished = (moved < _STEP_TOL) | ~done
        converged[idx[finished]] = True
        active[idx[finished]] = False
    x = np.where(live_issue, x, q)
    return x, deal, converged


def status_quo_disagreement(sigma: np.ndarray, position: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
    """d (B, A) = u_a(status quo), the far end of the scale from a's position standing in for a missing one."""
    q = np.asarray(status_quo, dtype=float)
    far = np.where(position < 50.0, 100.0, 0.0)
    point = np.where(np.isnan(q)[None, None, :], far, q[None, None, :])
    z = np.where(sigma > 0, point - position, 0.0)
    return -(sigma * z * z).sum(axis=-1)


@register
class NashOutside(Model):
    """Nash bargaining among the actors whose consent counts, outside options as disagreement point."""

    name = "nash_outside"
    defaults: ClassVar[dict[str, Any]] = {}
    #: the agreement layer solves it again with the consent actors and their outside options
    bargains_on_outside = True

    def utility_power(self) -> int:
        """Quadratic loss (p = 2)."""
        return 2

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The Nash bargaining outcome of one scenario, every actor bargaining against the status quo."""
        batch = arrays.repeat(1)
        res = self.solve_batch(batch, rng)
        return self.result(
            arrays,
            res.outcome[0],
            converged=bool(res.converged[0]),
            diagnostics={"no_deal": bool(res.diagnostics["no_deal"][0])},
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Every draw, every actor bargaining against the status quo."""
        sigma = normalised_salience(batch.salience, batch.mask)
        d = status_quo_disagreement(sigma, batch.position, batch.status_quo)
        return self.solve_against(batch, d, np.ones(len(batch.actors), bool))

    def solve_against(self, batch: ArrayBatch, disagreement: np.ndarray, participants: np.ndarray) -> BatchResult:
        """Every draw with the given disagreement utilities (B, A) and bargaining actors (A,)."""
        out, deal, conv = nash_outside_solution(
            batch.position, batch.salience, batch.capability, batch.mask, disagreement, participants, batch.status_quo
        )
        return BatchResult(
            self.name,
            dict(self.params),
            batch.actors,
            batch.issues,
            out,
            np.zeros(batch.draws, dtype=int),
            conv,
            diagnostics={"no_deal": ~deal},
        )
