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
(feasibility first by the method of centres), one draw at a time in compiled code
(``nash_kernel``). Iterates are clipped to [0, 100], which is safe: moving an issue into the
scale brings it nearer to every actor's ideal point, so no gain falls.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ...scenario.arrays import ArrayBatch, ScenarioArrays
from ...scenario.errors import InputError
from ..base import BatchResult, Kernel, Model, ModelResult, register

__all__ = ["Nash", "nash_solution"]


def _read_only(a: np.ndarray, dtype: type) -> np.ndarray:
    """A C-contiguous read-only view of ``a`` (a copy only if needed).

    Samplers hand over read-only arrays and tests writable ones; numba compiles one version of
    the kernel per combination, so every caller passes read-only arrays and one suffices.
    """
    view: np.ndarray = np.ascontiguousarray(a, dtype=dtype).view()
    view.flags.writeable = False
    return view


def nash_solution(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    mask: np.ndarray,
    status_quo: np.ndarray,
    power: int = 2,
    weights: str = "capability",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The Nash bargaining outcome of B problems: (outcome (B, I), no_deal (B,), iterations (B,), converged (B,))."""
    from .kernel import solve_draws  # numba is imported when a model runs, not before

    pos, sal, cap = (_read_only(a, float) for a in (position, salience, capability))
    mask, q = _read_only(mask, bool), np.asarray(status_quo, dtype=float)
    has_q = ~np.isnan(q)
    b, n_i = len(pos), len(q)
    out = np.empty((b, n_i))
    no_deal, conv = np.empty(b, dtype=bool), np.empty(b, dtype=bool)
    iters = np.empty(b, dtype=np.int64)
    # issues without a status quo get a finite stand-in (50): the kernel reads it there only as
    # the value of issues nobody bargains on, which come out NaN
    solve_draws(
        pos,
        sal,
        cap,
        mask,
        np.where(has_q, q, 50.0),
        has_q,
        int(power),
        weights == "capability",
        out,
        no_deal,
        iters,
        conv,
    )
    return out, no_deal, iters, conv


@register
class Nash(Model):
    """Asymmetric Nash bargaining solution, status quo as disagreement point (Nash 1950)."""

    name = "nash"
    kernels = (Kernel("backchannel.models.nash.kernel", "solve_draws", 10),)
    defaults: ClassVar[dict[str, Any]] = {"power": 2, "weights": "capability"}
    choices = {"weights": ("capability", "capability_salience")}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        power = self.params["power"]
        if isinstance(power, bool) or power not in (1, 2):
            raise InputError(
                f"bad value for parameter of model {self.name!r}",
                field="power",
                value=power,
                allowed="1 (linear loss) or 2 (quadratic loss)",
            )

    def utility_power(self) -> int:
        """Its own loss: |x − ideal|^power."""
        return int(self.params["power"])

    def _run(
        self,
        position: np.ndarray,
        salience: np.ndarray,
        capability: np.ndarray,
        mask: np.ndarray,
        status_quo: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return nash_solution(
            position,
            salience,
            capability,
            mask,
            status_quo,
            power=int(self.params["power"]),
            weights=self.params["weights"],
        )

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """The Nash bargaining outcome of one scenario."""
        out, no_deal, iters, conv = self._run(
            arrays.position[None], arrays.salience[None], arrays.capability[None], arrays.mask, arrays.status_quo
        )
        return self.result(
            arrays,
            out[0],
            converged=bool(conv[0]),
            diagnostics={"no_deal": bool(no_deal[0]), "iterations": int(iters[0])},
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """The Nash bargaining outcome of every draw, solved together."""
        out, no_deal, iters, conv = self._run(
            batch.position, batch.salience, batch.capability, batch.mask, batch.status_quo
        )
        return BatchResult(
            self.name,
            dict(self.params),
            batch.actors,
            batch.issues,
            out,
            np.zeros(batch.draws, dtype=int),
            conv,
            diagnostics={"no_deal": no_deal},
        )
