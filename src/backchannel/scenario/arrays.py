"""The numeric view of a scenario that models consume: NumPy arrays over actors and issues."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .schema import Scenario

__all__ = ["ArrayBatch", "ScenarioArrays", "to_arrays"]


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=a.dtype)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class ScenarioArrays:
    """Positions, saliences and capabilities as (actors, issues) arrays.

    ``mask[a, i]`` is False where actor ``a`` has no position on issue ``i``; there the
    position is 0 and the salience 0, so weighted sums ignore it, but models must still
    respect the mask. Positions are on 0..100, saliences on 0..1, capabilities non-negative.
    ``status_quo`` is NaN for issues without one.
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    mask: np.ndarray
    status_quo: np.ndarray

    def __post_init__(self) -> None:
        shape = (len(self.actors), len(self.issues))
        for name in ("position", "salience", "capability", "mask"):
            arr = getattr(self, name)
            if arr.shape != shape:
                raise ValueError(f"{name} has shape {arr.shape}, expected {shape}")
            object.__setattr__(self, name, _frozen(arr))
        object.__setattr__(self, "status_quo", _frozen(np.asarray(self.status_quo, dtype=float)))

    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actors)

    @property
    def n_issues(self) -> int:
        """Number of issues."""
        return len(self.issues)

    @property
    def weight(self) -> np.ndarray:
        """Capability × salience, zero where there is no position."""
        return np.where(self.mask, self.capability * self.salience, 0.0)

    def replace(self, **changes: Any) -> "ScenarioArrays":
        """A copy with some arrays replaced."""
        fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
        fields.update(changes)
        return ScenarioArrays(**fields)

    def take_actors(self, order: Sequence[int] | np.ndarray) -> "ScenarioArrays":
        """A copy with the actors reordered (or subset) by index."""
        order = np.asarray(order)
        return ScenarioArrays(
            actors=tuple(self.actors[i] for i in order),
            issues=self.issues,
            position=self.position[order],
            salience=self.salience[order],
            capability=self.capability[order],
            mask=self.mask[order],
            status_quo=self.status_quo,
        )

    def repeat(self, draws: int) -> "ArrayBatch":
        """A batch holding ``draws`` identical copies of these arrays."""

        def rep(a: np.ndarray) -> np.ndarray:
            return np.broadcast_to(a, (draws,) + a.shape).copy()

        return ArrayBatch(
            self.actors,
            self.issues,
            rep(self.position),
            rep(self.salience),
            rep(self.capability),
            self.mask,
            self.status_quo,
        )


@dataclass(frozen=True, eq=False)
class ArrayBatch:
    """B draws of a scenario: position, salience and capability carry a leading draws axis."""

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: np.ndarray  # (B, A, I)
    salience: np.ndarray  # (B, A, I)
    capability: np.ndarray  # (B, A, I)
    mask: np.ndarray  # (A, I), shared by all draws
    status_quo: np.ndarray  # (I,)

    def __post_init__(self) -> None:
        shape = (len(self.actors), len(self.issues))
        b = self.position.shape[0]
        for name in ("position", "salience", "capability"):
            arr = getattr(self, name)
            if arr.shape != (b,) + shape:
                raise ValueError(f"{name} has shape {arr.shape}, expected {(b,) + shape}")
            object.__setattr__(self, name, _frozen(arr))
        object.__setattr__(self, "mask", _frozen(np.asarray(self.mask, dtype=bool)))
        object.__setattr__(self, "status_quo", _frozen(np.asarray(self.status_quo, dtype=float)))

    @property
    def draws(self) -> int:
        """Number of draws B."""
        return int(self.position.shape[0])

    @property
    def weight(self) -> np.ndarray:
        """Capability × salience per draw, zero where there is no position."""
        return np.where(self.mask, self.capability * self.salience, 0.0)

    def draw(self, b: int) -> ScenarioArrays:
        """The arrays of draw ``b``."""
        return ScenarioArrays(
            self.actors, self.issues, self.position[b], self.salience[b], self.capability[b], self.mask, self.status_quo
        )


def to_arrays(scenario: Scenario) -> ScenarioArrays:
    """The numeric view of a scenario, actors and issues in file order."""
    actors = tuple(a.id for a in scenario.actors)
    issues = tuple(i.id for i in scenario.issues)
    a_index = {a: k for k, a in enumerate(actors)}
    i_index = {i: k for k, i in enumerate(issues)}
    shape = (len(actors), len(issues))
    position = np.zeros(shape)
    salience = np.zeros(shape)
    capability = np.repeat(np.array([a.capability for a in scenario.actors], dtype=float)[:, None], len(issues), axis=1)
    mask = np.zeros(shape, dtype=bool)
    for p in scenario.positions:
        a, i = a_index[p.actor], i_index[p.issue]
        position[a, i] = p.position
        salience[a, i] = p.salience
        if p.capability is not None:
            capability[a, i] = p.capability
        mask[a, i] = True
    status_quo = np.array([np.nan if i.status_quo is None else i.status_quo for i in scenario.issues])
    return ScenarioArrays(actors, issues, position, salience, capability, mask, status_quo)
