"""Monte Carlo draws of a scenario's uncertain inputs (position, salience, capability ranges).

Every draw is an independent sample: draw 0 is *not* the point scenario (the point forecast
is solved separately), so summaries over the draws are plain sample statistics.

Each uncertain input (``actor.issue.field``) draws from its own random stream, keyed by its
name and derived from the one seed. A what-if that changes one input therefore leaves the
draws of every other input unchanged (common random numbers), and adding a range to one
position does not reshuffle the rest. It also lets the inputs be sampled on several threads
(NumPy's generators release the GIL) with the same result as one after the other.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..scenario.arrays import ArrayBatch, to_arrays
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .seeds import input_stream

__all__ = [
    "DISTRIBUTIONS",
    "PERT_LAMBDA",
    "Uncertain",
    "sample_batch",
    "sample_interval",
    "sample_outside",
    "uncertain_inputs",
]

#: the named distributions of an input over its range; the point value is the mode
DISTRIBUTIONS = ("uniform", "triangular", "pert")
#: shape parameter of the PERT distribution (Vose, Risk Analysis, 2008: the classic 4)
PERT_LAMBDA = 4.0
_FIELDS = ("position", "salience", "capability")
#: below this many draws in all, threads cost more than they save
_THREADED_CELLS = 200_000


@dataclass(frozen=True)
class Uncertain:
    """One input with a range: which array cell, its low, mode (the point value) and high."""

    key: str
    field: str
    actor: int
    issue: int
    low: float
    mode: float
    high: float


def uncertain_inputs(scenario: Scenario) -> list[Uncertain]:
    """The inputs of a scenario that carry a range, in file order.

    A ``capability_range`` on a position without its own capability is centred on the actor's
    capability, clipped into the range.
    """
    actors = {a.id: k for k, a in enumerate(scenario.actors)}
    issues = {i.id: k for k, i in enumerate(scenario.issues)}
    out: list[Uncertain] = []
    for p in scenario.positions:
        a, i = actors[p.actor], issues[p.issue]
        capability = p.capability if p.capability is not None else scenario.actors[a].capability
        for fld, interval, value in (
            ("position", p.range, p.position),
            ("salience", p.salience_range, p.salience),
            ("capability", p.capability_range, capability),
        ):
            if interval is None or interval[0] == interval[1]:
                continue
            lo, hi = float(interval[0]), float(interval[1])
            out.append(Uncertain(f"{p.actor}.{p.issue}.{fld}", fld, a, i, lo, min(max(float(value), lo), hi), hi))
    return out


def sample_interval(
    rng: np.random.Generator, low: float, mode: float, high: float, size: int, distribution: str
) -> np.ndarray:
    """``size`` draws on [low, high] with the given mode from a named distribution."""
    check_distribution(distribution)
    if distribution == "uniform":
        return rng.uniform(low, high, size)
    if distribution == "triangular":
        return rng.triangular(low, mode, high, size)
    width = high - low  # pert
    a = 1.0 + PERT_LAMBDA * (mode - low) / width
    b = 1.0 + PERT_LAMBDA * (high - mode) / width
    return low + width * rng.beta(a, b, size)


def check_distribution(distribution: str) -> None:
    """An InputError unless ``distribution`` names one of DISTRIBUTIONS."""
    if distribution not in DISTRIBUTIONS:
        raise InputError(
            "unknown distribution", field="distribution", value=distribution, allowed=", ".join(DISTRIBUTIONS)
        )


def sample_batch(scenario: Scenario, draws: int, seed: int, distribution: str = "pert") -> ArrayBatch:
    """``draws`` Monte Carlo draws of a scenario as an ArrayBatch (inputs without a range stay fixed)."""
    check_distribution(distribution)
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 0:
        raise InputError("the number of draws must be a whole number >= 0", field="draws", value=draws)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("the seed must be a whole number >= 0", field="seed", value=seed)
    arrays = to_arrays(scenario)
    fields = {f: np.broadcast_to(getattr(arrays, f), (draws,) + getattr(arrays, f).shape).copy() for f in _FIELDS}
    inputs = uncertain_inputs(scenario)

    def fill(u: Uncertain) -> None:
        # each input has its own stream and its own cells, so the order of the calls is free
        fields[u.field][:, u.actor, u.issue] = sample_interval(
            input_stream(int(seed), u.key), u.low, u.mode, u.high, draws, distribution
        )

    workers = min(os.cpu_count() or 1, len(inputs))
    if workers > 1 and draws * len(inputs) >= _THREADED_CELLS:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fill, inputs))
    else:
        for u in inputs:
            fill(u)
    return ArrayBatch(
        arrays.actors,
        arrays.issues,
        fields["position"],
        fields["salience"],
        fields["capability"],
        arrays.mask,
        arrays.status_quo,
    )


def sample_outside(
    scenario: Scenario, draws: int, seed: int, distribution: str = "pert"
) -> dict[tuple[int, int], np.ndarray]:
    """Draws of the outside-option points that carry a range: (actor index, issue index) -> (draws,).

    Each point draws from its own stream keyed ``actor.issue.outside``, like the other inputs, so a
    what-if on one point leaves the others' draws unchanged.
    """
    actors = {a.id: k for k, a in enumerate(scenario.actors)}
    issues = {i.id: k for k, i in enumerate(scenario.issues)}
    out: dict[tuple[int, int], np.ndarray] = {}
    for o in scenario.outside_options:
        for issue, (lo, hi) in o.range.items():
            if lo == hi:
                continue
            key = f"{o.actor}.{issue}.outside"
            out[(actors[o.actor], issues[issue])] = sample_interval(
                input_stream(int(seed), key), float(lo), float(o.point[issue]), float(hi), draws, distribution
            )
    return out
