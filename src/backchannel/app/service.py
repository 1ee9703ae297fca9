"""The operations the CLI and the web app share: one place that loads, runs and records."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Callable

from ..ensemble import run_forecast
from ..ensemble.forecast import CHUNK_DRAWS
from ..analysis.markets import DISCLAIMER, market_impacts, versus_implied
from ..analysis.outcomes import UNNAMED, outcomes_payload
from ..analysis.whatif import whatif as run_whatif
from .defaults import DEFAULT_DRAWS, default_models, headline_model
from .headline import build_headline, headline_number
from .files import builtin_ids, load_scenario
from ..scenario.errors import InputError
from ..scenario.formats import parse
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from ..store import Store
from ..store.evidence import get_document, list_documents

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
    def compute_forecast(self, scenario: Scenario, *, models: list[str] | None = None, draws: int = DEFAULT_DRAWS,
                         seed: int = 0, progress: Progress | None = None, executor: str = "serial",
                         distribution: str = "pert") -> dict[str, Any]:
        """Forecast with each model (point and, with draws, Monte Carlo) and return the JSON payload."""
        result = run_forecast(scenario, list(models or default_models()), draws, seed, executor=executor,
                              distribution=distribution, progress=progress)
        payload = result.to_dict()
        if draws:
            payload.update(outcomes_payload(result, scenario))
            number = headline_number(payload)
            if number is not None:
                payload["headline"] = number
        return payload

    def forecast(self, scenario: Scenario, *, models: list[str] | None = None, draws: int = DEFAULT_DRAWS,
                 seed: int = 0,
                 progress: Progress | None = None, executor: str = "serial",
                 distribution: str = "pert") -> dict[str, Any]:
        """Forecast, record the run, and return the payload with its ``run_id``."""
        payload = self.compute_forecast(scenario, models=models, draws=draws, seed=seed, progress=progress,
                                        executor=executor, distribution=distribution)
        # the executor is left out on purpose: every executor gives the same result
        parameters = {"draws": draws, "distribution": distribution, "chunk_draws": CHUNK_DRAWS}
        payload["run_id"] = self.store.record_run(scenario, models=list(payload["models"]),
                                                  parameters=parameters, seed=seed, results=payload)
        return payload

    def compute_whatif(self, scenario: Scenario, *, levers: list[str] | None = None,
                       overrides: dict[str, float] | None = None, models: list[str] | None = None,
                       draws: int = DEFAULT_DRAWS, seed: int = 0, progress: Progress | None = None,
                       intensity: dict[str, float] | None = None) -> dict[str, Any]:
        """Baseline and variant on common random numbers: per model the change of each issue and named
        outcome, and whether it exceeds Monte Carlo noise (not recorded)."""
        models = list(dict.fromkeys(models or default_models()))
        return run_whatif(scenario, models, levers=list(levers or []), overrides=dict(overrides or {}),
                          draws=draws, seed=seed, progress=progress, intensity=intensity).to_dict()

    def whatif(self, scenario: Scenario, *, levers: list[str] | None = None,
               overrides: dict[str, float] | None = None, models: list[str] | None = None,
               draws: int = DEFAULT_DRAWS, seed: int = 0, progress: Progress | None = None,
               intensity: dict[str, float] | None = None) -> dict[str, Any]:
        """A what-if recorded as a ``whatif`` run; the payload carries its ``run_id``."""
        payload = self.compute_whatif(scenario, levers=levers, overrides=overrides, models=models, draws=draws,
                                      seed=seed, progress=progress, intensity=intensity)
        parameters = {"draws": draws, "levers": list(levers or []), "overrides": dict(overrides or {})}
        if intensity:
            parameters["lever_intensity"] = payload["lever_intensity"]
        payload["run_id"] = self.store.record_run(scenario, models=list(payload["models"]), parameters=parameters,
                                                  seed=seed, results=payload, kind="whatif")
        return payload

    def lever_whatifs(self, scenario: Scenario, model: str, *, draws: int = DEFAULT_DRAWS, seed: int = 0,
                      intensity: float = 1.0) -> list[dict[str, Any]]:
        """One what-if per lever of the scenario for one model (not recorded): what ranks the levers."""
        return [self.compute_whatif(scenario, levers=[lv.id], models=[model], draws=draws, seed=seed,
                                    intensity={lv.id: intensity} if intensity != 1.0 else None)
                for lv in scenario.levers]

    def headline(self, scenario: Scenario, payload: dict[str, Any], *, run_id: int | None = None,
                 whatifs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The headline's numbers of a forecast payload: compared with the previous forecast run of the same
        scenario (before ``run_id``; the newest when None), the headline model's swing actor, and the levers
        ranked by their what-ifs (worked out for the headline model when not given, on the run's seed and at most
        ``DEFAULT_DRAWS`` draws, so the page of a large run stays quick)."""
        previous = self.store.previous_run(scenario.id, before=run_id)
        model = headline_model(payload.get("models") or {})
        draws, seed = min(int(payload.get("draws") or 0), DEFAULT_DRAWS), int(payload.get("seed") or 0)
        if whatifs is None or not any(model in (w.get("models") or {}) for w in whatifs):
            whatifs = self.lever_whatifs(scenario, model, draws=draws, seed=seed) if draws else []
        out = build_headline(scenario, payload, previous=previous["results"] if previous else None,
                             previous_id=previous["id"] if previous else None, whatifs=whatifs)
        out["lever_draws"] = next((int(w.get("draws") or 0) for w in whatifs if model in (w.get("models") or {})), 0)
        return out

    def markets(self, scenario: Scenario, payload: dict[str, Any], model: str, seed: int = 0,
                implied: dict[str, float] | None = None) -> dict[str, Any]:
        """Each market variable's expected move and 5–95 % band under one model's outcome probabilities; with
        market-implied probabilities, also the priced-in mixture, the gap per outcome and each variable's
        ``move_vs_implied``."""
        if not payload.get("outcomes") or model not in payload["outcomes"]:
            raise InputError("the forecast has no outcome probabilities for this model", field="model", value=model,
                             allowed="a model of a forecast run with draws > 0 on a scenario with named outcomes")
        probs = {**payload["outcomes"][model], UNNAMED: payload["outcomes_detail"][model]["unnamed"]}
        impacts = market_impacts(probs, scenario, seed=seed)
        out: dict[str, Any] = {"model": model, "disclaimer": DISCLAIMER,
                               "variables": {k: v.to_dict() for k, v in impacts.items()}}
        if implied:
            versus = versus_implied(probs, implied, scenario, seed=seed)
            out.update(probabilities=probs, implied=versus["implied"], given=versus["given"], gap=versus["gap"],
                       implied_note=versus["note"])
            for k, v in versus["variables"].items():
                out["variables"][k].update(move_vs_implied=v["move_vs_implied"], implied_expected=v["implied_expected"])
        return out

    # -- evidence ---------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Stored documents with the number of extracted items of each kind."""
        return list_documents(self.store)

    def document(self, ref: str | int) -> dict[str, Any]:
        """A stored document with everything extracted from it."""
        return get_document(self.store, ref)

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
