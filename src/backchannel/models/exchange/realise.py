"""Realising candidate exchanges best gain first, each followed by a sweep (exchange.md §2f).

``realise`` runs the compiled loop ``exchange.kernel.realise_loop``: it picks the best remaining
candidate (and the rows tied with it, in one pass), logs it, updates the live candidates that share an
actor's supply or demand issue with it and recomputes those whose inputs changed, until none is left. A tie to be drawn at random is handed back here, drawn
with the caller's Generator and the loop resumed with the chosen row, so the random stream is
NumPy's own.

Sides are addressed by flat index row * 2 + side, found through (actor, issue) look-ups held as
groups (``SideGroups``), so a sweep costs in proportion to the matches, not the list. Rows
already dropped are left alone (they never come back and no other row reads them), and a row
changed twice by one sweep is recomputed once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .candidates import ExchangeList
from .gain import gain_inputs, gain_outputs
from .kernel import realise_loop

__all__ = ["RealiseLog", "SideGroups", "realise", "side_groups"]


class SideGroups(NamedTuple):
    """Flat side indices grouped by an (actor, issue) key: group k is ``order[start[k]:start[k + 1]]``."""

    order: np.ndarray
    start: np.ndarray


def side_groups(actor: np.ndarray, issue: np.ndarray, n_issues: int, n_keys: int) -> SideGroups:
    """Group the sides (E, 2) of a candidate list by actor * n_issues + issue, flat indices ascending."""
    keys = (actor * n_issues + issue).ravel()
    order = np.argsort(keys, kind="stable").astype(np.int64)
    start = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=start[1:])
    return SideGroups(order, start)


class RealiseLog(NamedTuple):
    """Buffers the loop fills: realised rows with their moves and gain at realisation, counters.

    ``counts`` holds [realised so far, ties, exchanges realised before the first tie (-1: none)];
    ``tied`` the rows tied for best when the loop hands a draw back.
    """

    row: np.ndarray
    cur: np.ndarray
    y: np.ndarray
    gain: np.ndarray
    counts: np.ndarray
    tied: np.ndarray

    @classmethod
    def empty(cls, n: int) -> RealiseLog:
        """Buffers for a list of ``n`` candidates (each is realised at most once)."""
        return cls(
            np.zeros(n, dtype=np.int64),
            np.zeros((n, 2)),
            np.zeros((n, 2)),
            np.zeros(n),
            np.array([0, 0, -1], dtype=np.int64),
            np.zeros(n, dtype=np.int64),
        )


def realise(
    lst: ExchangeList,
    share: np.ndarray,
    position: np.ndarray,
    alive: np.ndarray,
    rng: np.random.Generator | None,
    tie_tolerance: float,
) -> RealiseLog:
    """Realise exchanges best gain first until none is left; the realised rows and counts.

    Ties go to a candidate drawn uniformly with ``rng``, or without a Generator to the earliest
    created. ``alive`` (valid rows not yet realised) and the list are updated in place.
    """
    n_actors, n_issues = position.shape
    n_keys = n_actors * n_issues
    by_supply = side_groups(lst.act, lst.sup, n_issues, n_keys)
    by_demand = side_groups(lst.act, lst.dem, n_issues, n_keys)
    ranked = np.where(alive, lst.gain, -np.inf)
    log = RealiseLog.empty(len(lst))
    fixed = (
        (lst.act, lst.sup, lst.dem, lst.override),
        gain_inputs(lst),
        gain_outputs(lst),
        share,
        position,
        tuple(by_supply),
        tuple(by_demand),
        alive,
        ranked,
        log.row,
        log.cur,
        log.y,
        log.gain,
        log.counts,
        log.tied,
        np.full(len(lst), -1, dtype=np.int64),
    )
    chosen = -1
    while True:
        n_tied = realise_loop(chosen, rng is not None, tie_tolerance, *fixed)
        if n_tied == 0:
            return log
        assert rng is not None  # without a generator the loop resolves ties itself and never hands them back
        chosen = int(log.tied[rng.integers(n_tied)])
