"""The operations the CLI and the web app share: one place that loads, runs and records."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Callable

from .files import builtin_ids, load_scenario
from .models import get_model
from .scenario.arrays import to_arrays
from .scenario.errors import InputError
from .scenario.formats import parse
from .scenario.identity import scenario_hash
from .scenario.schema import Scenario
from .store import Store

__all__ = ["Service", "MAX_UPLOAD_BYTES"]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
Progress = Callable[[int, int], None]


class Service:
    """Scenarios, forecasts and runs over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- scenarios --------------------------------------------------------------------------
    def scenario_list(self) -> list[dict[str, Any]]:
        """Built-in scenarios, then stored versions: id, title, hash, where."""
        out = []
        for sid in builtin_ids():
            s = load_scenario(sid)
            out.append({"id": sid, "title": s.title, "hash": scenario_hash(s), "where": "built-in",
                        "actors": len(s.actors), "issues": len(s.issues)})
        for r in self.store.scenarios():
            s = self.store.scenario(r["hash"])
            out.append({**r, "where": "store", "actors": len(s.actors), "issues": len(s.issues)})
        return out

    def scenario(self, ref: str) -> Scenario:
        """A built-in scenario by id, or a stored one by hash, hash prefix or id (never a file path)."""
        if ref in builtin_ids():
            return load_scenario(ref)
        return self.store.scenario(ref)

    def scenario_version(self, ref: str) -> tuple[str, Scenario]:
        """(content hash, scenario) for a built-in id or a stored hash, hash prefix or id."""
        if ref in builtin_ids():
            scenario = load_scenario(ref)
            return scenario_hash(scenario), scenario
        return self.store.scenario_version(ref)

    def upload(self, filename: str, data: bytes, fmt: str | None = None) -> tuple[str, Scenario]:
        """Parse an uploaded scenario file in memory, store it, and return (hash, scenario)."""
        name = PurePath(filename or "upload.yaml").name
        if len(data) > MAX_UPLOAD_BYTES:
            raise InputError("file too large", file=name, value=f"{len(data)} bytes",
                             allowed=f"at most {MAX_UPLOAD_BYTES} bytes")
        if b"\x00" in data[:8192]:
            raise InputError("binary file, not text", file=name, allowed="UTF-8 text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 at byte {exc.start}", file=name, allowed="UTF-8 text") from None
        scenario = parse(text, name, fmt)
        return self.store.save_scenario(scenario), scenario

    # -- forecasts --------------------------------------------------------------------------
    def compute_forecast(self, scenario: Scenario, *, models: list[str] | None = None, draws: int = 0,
                         seed: int = 0, progress: Progress | None = None) -> dict[str, Any]:
        """Forecast with each model and return the JSON payload, without recording it."""
        models = list(models or ["compromise"])
        arrays = to_arrays(scenario)
        results = {}
        for k, name in enumerate(models):
            results[name] = get_model(name).solve(arrays).to_dict()
            if progress:
                progress(k + 1, len(models))
        return {"scenario": scenario.id, "seed": seed, "draws": draws, "models": results}

    def forecast(self, scenario: Scenario, *, models: list[str] | None = None, draws: int = 0, seed: int = 0,
                 progress: Progress | None = None) -> dict[str, Any]:
        """Forecast, record the run, and return the payload with its ``run_id``."""
        payload = self.compute_forecast(scenario, models=models, draws=draws, seed=seed, progress=progress)
        payload["run_id"] = self.store.record_run(scenario, models=list(payload["models"]),
                                                  parameters={"draws": draws}, seed=seed, results=payload)
        return payload

    # -- runs -------------------------------------------------------------------------------
    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs."""
        return self.store.runs(limit)

    def run(self, run_id: int) -> dict[str, Any]:
        """One run with its results."""
        return self.store.run(run_id)

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """One run without its results (cheap)."""
        return self.store.run_summary(run_id)
