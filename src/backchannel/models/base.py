"""The model contract: a constructor that stores keyword parameters, a pure ``solve``, a registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..scenario.arrays import ArrayBatch, ScenarioArrays
from ..scenario.errors import InputError

__all__ = ["BatchResult", "Kernel", "Model", "ModelResult", "MODELS", "get_model", "model_names", "register"]


def _plain(value: Any) -> Any:
    """JSON-ready copy of a value (arrays to lists, NaN to None)."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if v != v else v
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Kernel:
    """A compiled (Numba, ``cache=True``) entry function a model runs: where it is, and about how many
    seconds it takes to compile with what it calls on an empty cache (this machine, 2026-12-01)."""

    module: str
    function: str
    seconds: int


@dataclass(frozen=True, eq=False)
class ModelResult:
    """What one model run predicts.

    ``outcome[i]`` is the forecast on issue ``i`` (0..100; NaN where no actor has a
    position). Dynamic models also give ``final_positions`` (actors × issues) and may give a
    ``trajectory`` (rounds + 1, actors, issues) that starts with the initial positions.
    """

    model: str
    params: dict[str, Any]
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    outcome: np.ndarray
    rounds: int = 0
    converged: bool = True
    final_positions: np.ndarray | None = None
    trajectory: np.ndarray | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def outcome_by_issue(self) -> dict[str, float]:
        """Issue id -> forecast."""
        return {i: float(v) for i, v in zip(self.issues, self.outcome)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: outcome per issue, rounds, final positions per actor."""
        out: dict[str, Any] = {
            "model": self.model,
            "params": _plain(self.params),
            "outcome": _plain(self.outcome_by_issue()),
            "rounds": self.rounds,
            "converged": self.converged,
        }
        if self.final_positions is not None:
            out["final_positions"] = {
                a: _plain(dict(zip(self.issues, self.final_positions[k]))) for k, a in enumerate(self.actors)
            }
        if self.diagnostics:
            out["diagnostics"] = _plain(self.diagnostics)
        return out


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The results of B draws: ``outcome`` is (B, issues); ``final_positions`` (B, actors, issues)."""

    model: str
    params: dict[str, Any]
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    outcome: np.ndarray
    rounds: np.ndarray
    converged: np.ndarray
    final_positions: np.ndarray | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_results(cls, model: "Model", batch: ArrayBatch, results: list[ModelResult]) -> "BatchResult":
        """Stack single-draw results into a batch result."""
        finals = [r.final_positions for r in results]
        return cls(
            model=model.name,
            params=dict(model.params),
            actors=batch.actors,
            issues=batch.issues,
            outcome=np.stack([r.outcome for r in results]) if results else np.zeros((0, len(batch.issues))),
            rounds=np.array([r.rounds for r in results], dtype=int),
            converged=np.array([r.converged for r in results], dtype=bool),
            final_positions=None
            if not results or any(f is None for f in finals)
            else np.stack([f for f in finals if f is not None]),
        )


class Model:
    """Base class of every bargaining model.

    Subclasses set ``name`` and ``defaults`` (every hyper-parameter with its default) and
    implement ``solve``; they override ``solve_batch`` when they can vectorise over draws.
    """

    name: ClassVar[str] = ""
    #: whether the model moves actors' positions over rounds (reports final positions)
    dynamic: ClassVar[bool] = False
    defaults: ClassVar[dict[str, Any]] = {}
    #: allowed values of string-valued parameters
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: the compiled kernels it runs (for the first-use compile notice); none for plain NumPy models
    kernels: ClassVar[tuple[Kernel, ...]] = ()

    def __init__(self, **params: Any) -> None:
        for key, value in params.items():
            if key not in self.defaults:
                raise InputError(
                    f"unknown parameter of model {self.name!r}",
                    field=key,
                    value=value,
                    allowed=", ".join(self.defaults) or "no parameters",
                )
            if key in self.choices and value not in self.choices[key]:
                raise InputError(
                    f"bad value for parameter of model {self.name!r}",
                    field=key,
                    value=value,
                    allowed=", ".join(self.choices[key]),
                )
        self.params: dict[str, Any] = {**self.defaults, **params}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def utility_power(self) -> int:
        """p of the utility the agreement layer judges packages by, u = −Σ s·|x − ideal|^p (normalised):
        1 (the default: linear loss) unless the model bargains over a utility of its own."""
        return 1

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """Forecast one scenario; pure: never mutates ``arrays`` or ``self``."""
        raise NotImplementedError

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Forecast every draw of a batch (a loop of ``solve`` unless overridden)."""
        return BatchResult.from_results(self, batch, [self.solve(batch.draw(b), rng) for b in range(batch.draws)])

    def result(self, arrays: ScenarioArrays, outcome: np.ndarray, **extra: Any) -> ModelResult:
        """A ModelResult of this model for ``arrays``."""
        return ModelResult(
            model=self.name,
            params=dict(self.params),
            actors=arrays.actors,
            issues=arrays.issues,
            outcome=np.asarray(outcome, dtype=float),
            **extra,
        )


MODELS: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator adding a model to the registry under its ``name``."""
    if not cls.name or cls.name in MODELS:
        raise ValueError(f"model name {cls.name!r} is empty or already registered")
    MODELS[cls.name] = cls
    return cls


def model_names() -> list[str]:
    """The registered model names, in registration order."""
    return list(MODELS)


def get_model(name: str, **params: Any) -> Model:
    """An instance of the registered model ``name``."""
    if name not in MODELS:
        raise InputError("unknown model", field="model", value=name, allowed=", ".join(MODELS))
    return MODELS[name](**params)
