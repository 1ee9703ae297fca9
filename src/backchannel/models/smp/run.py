"""The turn loop of KTAB's Spatial Model of Politics and the final election over distinct positions.

Works on KTAB's internal scale: positions and saliences on [0, 1], one capability per actor.
The ideal point of every actor follows its position (KTAB's default identity accommodation),
so utilities are always measured from current positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import (
    bargains,
    best_challenges,
    risk_attitudes,
    scalar_pce,
    spatial_utility,
    utility_tensor,
    weighted_distance,
)

__all__ = ["SmpSettings", "SmpState", "SmpRun", "bargain_values", "distinct_positions", "run_smp", "state_of", "step"]


@dataclass(frozen=True)
class SmpSettings:
    """Hyper-parameters of one run (KTAB's defaults)."""

    max_turns: int = 100
    min_turns: int = 2
    tolerance: float = 0.02
    min_delta: float = 1e-4
    min_gain: float = 1e-5
    position_tolerance: float = 1e-3
    risk_estimate: str = "one_third"
    risk_range: str = "mid"
    sal_power: int = 2
    prob_power: int = 2


@dataclass(frozen=True)
class SmpState:
    """One state: positions and everything the actors infer from them."""

    position: np.ndarray  # (A, K)
    risk: np.ndarray  # (A,) risk attitudes R_i
    utility: np.ndarray  # (A, A, A) U[h, i, j]
    own_utility: np.ndarray  # (A, A) U[i, i, j]: actor i's own utility of j's position


@dataclass(frozen=True)
class SmpRun:
    """A finished run: trajectory, final state and the final election."""

    trajectory: np.ndarray  # (T + 1, A, K)
    turns: int
    converged: bool
    final: SmpState
    distinct: np.ndarray  # indices of the actors whose positions are the distinct final positions
    distinct_probability: np.ndarray  # win probability of each distinct position
    owner: np.ndarray  # (A,) index into ``distinct`` of each actor's position
    initial_risk: np.ndarray  # (A,)

    @property
    def win_probability(self) -> np.ndarray:
        """Win probability of each actor's final position."""
        return self.distinct_probability[self.owner]

    def expected(self) -> np.ndarray:
        """E[x]: the probability-weighted mean of the distinct final positions, (K,)."""
        return self.distinct_probability @ self.final.position[self.distinct]

    def mode(self) -> np.ndarray:
        """The most probable distinct final position, (K,)."""
        return self.final.position[self.distinct[int(np.argmax(self.distinct_probability))]]


def state_of(position: np.ndarray, sal2: np.ndarray, capability: np.ndarray, s: SmpSettings) -> SmpState:
    """Risk attitudes and utility estimates at ``position``.

    Risk attitudes come from a risk-neutral Condorcet election over every actor's position
    (voters weighted by capability only, as KTAB does).
    """
    dist = weighted_distance(position, position, sal2)
    p = scalar_pce(capability, spatial_utility(dist, 0.0))
    risk = risk_attitudes(p, s.risk_range)
    U = utility_tensor(dist, risk, s.risk_estimate)
    idx = np.arange(len(position))
    return SmpState(position, risk, U, U[idx, idx, :])


def step(
    state: SmpState,
    sal: np.ndarray,
    sal2: np.ndarray,
    capability: np.ndarray,
    strength: np.ndarray,
    sal_total: np.ndarray,
    s: SmpSettings,
) -> np.ndarray:
    """Positions after one turn: challenges, bargains, then each actor's choice among its bargains."""
    pos = state.position
    targets, probs, _ = best_challenges(state.utility, strength, sal_total, s.min_gain)
    # Queues hold bargains by initiator index (KTAB fills them in thread order); the order
    # matters only when two options tie exactly, and then the first one wins.
    init = np.flatnonzero(targets >= 0)
    new = pos.copy()
    if init.size == 0:
        return new
    rcvr = targets[init]
    b_i, b_j = bargains(pos, sal, init, rcvr, probs[init], s.sal_power, s.prob_power)
    status_quo, value = bargain_values(state, sal2, init, rcvr, b_i, b_j)
    for k in np.unique(np.concatenate([init, rcvr])):
        queue = np.flatnonzero((init == k) | (rcvr == k))
        util = np.column_stack([status_quo, value[:, queue]])
        chosen = int(np.argmax(scalar_pce(capability, util)))
        if chosen:
            b = queue[chosen - 1]
            new[k] = b_i[b] if init[b] == k else b_j[b]
    return new


def bargain_values(
    state: SmpState, sal2: np.ndarray, init: np.ndarray, rcvr: np.ndarray, b_i: np.ndarray, b_j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's value of the status quo (A,) and of every bargain (A, bargains).

    The value of a state is the actor's mean utility over all actors' positions in it; a
    bargain changes only the initiator's and the receiver's positions.
    """
    n = len(state.position)
    r = state.risk[:, None]
    u_bi = spatial_utility(weighted_distance(state.position, b_i, sal2), r)
    u_bj = spatial_utility(weighted_distance(state.position, b_j, sal2), r)
    own = state.own_utility
    total = own.sum(axis=1)
    return total / n, (total[:, None] - own[:, init] - own[:, rcvr] + u_bi + u_bj) / n


def distinct_positions(position: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Indices of distinct positions (first of each group closer than ``tol``) and each actor's group.

    Like KTAB, an actor belongs to the last distinct position it is equivalent to.
    """
    d = np.sqrt(((position[:, None, :] - position[None, :, :]) ** 2).sum(axis=-1))
    distinct: list[int] = []
    for i in range(len(position)):
        if not distinct or not (d[i, distinct] < tol).any():
            distinct.append(i)
    idx = np.array(distinct)
    eq = d[:, idx] < tol
    owner = len(idx) - 1 - np.argmax(eq[:, ::-1], axis=1)
    return idx, owner


def state_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Σ_i ‖a_i − b_i‖₂: how far all actors moved between two states."""
    return float(np.sqrt(((a - b) ** 2).sum(axis=1)).sum())


def run_smp(
    position: np.ndarray, salience: np.ndarray, capability: np.ndarray, settings: SmpSettings = SmpSettings()
) -> SmpRun:
    """Run the model from ``position`` (A, K on [0, 1]) until KTAB's stopping rule fires."""
    s = settings
    sal = np.asarray(salience, dtype=float)
    sal2 = sal**2
    cap = np.asarray(capability, dtype=float)
    sal_total = sal.sum(axis=1)
    strength = cap * sal_total
    history = [np.array(position, dtype=float)]
    state = state_of(history[0], sal2, cap, s)
    initial_risk = state.risk
    converged = False
    t = 0
    while True:
        t += 1
        history.append(step(state, sal, sal2, cap, strength, sal_total, s))
        state = state_of(history[-1], sal2, cap, s)
        first = state_distance(history[0], history[1]) + s.min_delta
        quiet = state_distance(history[t], history[t - 1]) / first < s.tolerance
        if t >= s.min_turns and quiet:
            converged = True
            break
        if t >= s.max_turns:
            break
    distinct, owner = distinct_positions(state.position, s.position_tolerance)
    prob = scalar_pce(cap, state.own_utility[:, distinct])
    return SmpRun(np.stack(history), t, converged, state, distinct, prob, owner, initial_risk)
