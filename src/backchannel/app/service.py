"""Every operation of the CLI and the web app, in one place that loads, validates at the core, runs and
records: scenarios, forecast, what-if, markets, sensitivity, backtest, evidence, ingest, suggest, runs.

Inputs are checked once, by the core function each operation calls (``run_forecast``, ``sensitivity_of``,
``parse_deu``, …); the interfaces only turn their ``InputError`` into a line and an exit code or an HTTP status.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..scenario.errors import InputError
from ..scenario.formats import parse
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from .files import builtin_ids, load_scenario, save_scenario

# The analyses, the models and the store are imported by the operations that use them, so that a
# command loads only what it runs (listing scenarios imports neither the models nor the analyses).
if TYPE_CHECKING:
    from ..analysis.replay import Replay
    from .ledger import Ledger
    from ..analysis.backtest import Backtest
    from ..analysis.sensitivity import Sensitivity
    from ..analysis.whatif import WhatIf
    from .results import ForecastRun, MarketsResult, WhatIfRun
    from ..evidence.documents import Document
    from ..evidence.suggest import Suggestion
    from ..store import Store

__all__ = ["IngestResult", "MAX_UPLOAD_BYTES", "Service", "SuggestResult"]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
Progress = Callable[[int, int], None]


class Service:
    """Every operation of the CLI and the web app, over one store."""

    def __init__(self, store: Store | None = None, *, url: str | None = None) -> None:
        """Over ``store``, or over the store at ``url`` (default: the user's SQLite file), opened when an
        operation first needs it: forecasts that are not recorded never touch the disk."""
        self._store = store
        self._url = url

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            from ..store import Store  # SQLAlchemy is imported by the operations that use the store

            self._store = Store(self._url)
        return self._store

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
                         seed: int = 0, progress: Progress | None = None, executor: str = "serial",
                         distribution: str = "pert", address: str | None = None) -> ForecastRun:
        """Forecast with each model (point and, with draws, Monte Carlo and named outcomes); not recorded.
        ``address``: the Ray cluster of the ``ray`` executor (docs/scaling.md)."""
        from ..ensemble import run_forecast
        from .results import ForecastRun

        result = run_forecast(scenario, list(models or ["compromise"]), draws, seed, executor=executor,
                              distribution=distribution, progress=progress, address=address)
        return ForecastRun.from_forecast(result, scenario)

    def forecast(self, scenario: Scenario, *, models: list[str] | None = None, draws: int = 0, seed: int = 0,
                 progress: Progress | None = None, executor: str = "serial",
                 distribution: str = "pert", address: str | None = None) -> ForecastRun:
        """Forecast and record the run; the result carries its ``run_id``.

        With draws, the run also records each model's probability of every open question of the
        scenario in the question ledger, dated today (UTC). ``address``: the Ray cluster of the ``ray`` executor.
        """
        run = self.compute_forecast(scenario, models=models, draws=draws, seed=seed, progress=progress,
                                    executor=executor, distribution=distribution, address=address)
        return self._record_forecast(scenario, run, distribution, None)

    def _record_forecast(self, scenario: Scenario, run: ForecastRun, distribution: str,
                         as_of: dt.date | None) -> ForecastRun:
        """Record a forecast run and its probabilities of the scenario's open questions (dated ``as_of`` or today)."""
        from ..ensemble.forecast import CHUNK_DRAWS

        # the executor is left out on purpose: every executor gives the same result
        parameters: dict[str, Any] = {"draws": run.draws, "distribution": distribution, "chunk_draws": CHUNK_DRAWS}
        if as_of is not None:
            parameters["as_of"] = as_of.isoformat()
        payload = run.to_dict()
        run_id = self.store.record_run(scenario, models=list(run.models), parameters=parameters, seed=run.seed,
                                       results=payload)
        self.ledger.record(run_id, scenario, payload, as_of or dt.datetime.now(dt.timezone.utc).date())
        return run.recorded(run_id)

    def replay(self, scenario: Scenario, date: dt.date) -> Replay:
        """The scenario keeping only evidence published on or before ``date`` (dates of stored documents)."""
        from ..analysis.replay import as_of_scenario
        from ..store.evidence import list_documents

        published: dict[str, dt.date | None] = {}
        for d in list_documents(self.store):
            try:
                published[d["source"]] = dt.date.fromisoformat(d["published"]) if d.get("published") else None
            except ValueError:
                published[d["source"]] = None
        return as_of_scenario(scenario, published, date)

    def forecast_as_of(self, scenario: Scenario, date: dt.date, *, models: list[str] | None = None, draws: int = 0,
                       seed: int = 0, progress: Progress | None = None, executor: str = "serial",
                       distribution: str = "pert", address: str | None = None) -> ForecastRun:
        """A recorded forecast of the scenario as it could be read on ``date``: ``"as_of"`` in its JSON says what
        was left out, and the ledger dates the run's records by ``date``."""
        replay = self.replay(scenario, date)
        run = self.compute_forecast(replay.scenario, models=models, draws=draws, seed=seed, progress=progress,
                                    executor=executor, distribution=distribution, address=address)
        run = replace(run, extra={**run.extra, "as_of": replay.to_dict()})
        return self._record_forecast(replay.scenario, run, distribution, date)

    @property
    def ledger(self) -> Ledger:
        """The question ledger over this store."""
        from .ledger import Ledger

        return Ledger(self.store, self.scenario)

    def compute_whatif(self, scenario: Scenario, *, levers: list[str] | None = None,
                       overrides: dict[str, float] | None = None, models: list[str] | None = None,
                       draws: int = 1000, seed: int = 0, progress: Progress | None = None, executor: str = "serial",
                       address: str | None = None) -> WhatIf:
        """Baseline and variant on common random numbers: per model the change of each issue and named
        outcome, and whether it exceeds Monte Carlo noise (not recorded)."""
        from ..analysis.whatif import whatif as run_whatif

        models = list(dict.fromkeys(models or ["compromise"]))
        return run_whatif(scenario, models, levers=list(levers or []), overrides=dict(overrides or {}),
                          draws=draws, seed=seed, progress=progress, executor=executor, address=address)

    def whatif(self, scenario: Scenario, *, levers: list[str] | None = None,
               overrides: dict[str, float] | None = None, models: list[str] | None = None, draws: int = 1000,
               seed: int = 0, progress: Progress | None = None, executor: str = "serial",
               address: str | None = None) -> WhatIfRun:
        """A what-if recorded as a ``whatif`` run; the result carries its ``run_id``."""
        from .results import WhatIfRun

        result = self.compute_whatif(scenario, levers=levers, overrides=overrides, models=models, draws=draws,
                                     seed=seed, progress=progress, executor=executor, address=address)
        parameters = {"draws": draws, "levers": list(levers or []), "overrides": dict(overrides or {})}
        run_id = self.store.record_run(scenario, models=list(result.issues), parameters=parameters, seed=seed,
                                       results=result.to_dict(), kind="whatif")
        return WhatIfRun(result, run_id)

    def markets(self, scenario: Scenario, run: ForecastRun, model: str) -> MarketsResult:
        """Each market variable's expected move and 5–95 % band under one model's outcome probabilities."""
        from ..analysis.markets import market_impacts
        from ..analysis.outcomes import UNNAMED
        from .results import MarketsResult

        if model in run.outcomes:
            probabilities = dict(run.outcomes[model].probability)
        elif model in run.models and run.draws and not scenario.outcomes:
            probabilities = {UNNAMED: 1.0}  # no named outcome: every draw is in none
        else:
            raise InputError("the forecast has no outcome probabilities for this model", field="model", value=model,
                             allowed="a model of a forecast run with draws > 0 on a scenario with named outcomes")
        impacts = market_impacts(probabilities, scenario, seed=run.seed)
        return MarketsResult(scenario=run.scenario, model=model, draws=run.draws, seed=run.seed,
                             probabilities=probabilities, variables=impacts, consent=run.consent,
                             agreement=run.agreement.get(model))

    def compute_markets(self, scenario: Scenario, *, model: str = "compromise", draws: int = 2000, seed: int = 0,
                        progress: Progress | None = None) -> MarketsResult:
        """Forecast with one model (not recorded) and weight the scenario's market moves by its outcomes."""
        return self.markets(scenario, self.compute_forecast(scenario, models=[model], draws=draws, seed=seed,
                                                            progress=progress), model)

    # -- analyses ---------------------------------------------------------------------------
    def sensitivity(self, scenario: Scenario, *, model: str = "compromise", issue: str | None = None,
                    actor: str | None = None, move: float = 5.0, seed: int = 0, executor: str | None = None,
                    address: str | None = None) -> Sensitivity:
        """Which inputs move each issue's forecast most, and (with ``actor``) whom to work on."""
        from ..analysis.sensitivity import sensitivity_of

        return sensitivity_of(scenario, model, issue=issue, actor=actor, move=move, seed=seed, executor=executor,
                              address=address)

    def backtest(self, *, text: str | None = None, name: str = "<data>", scenario: Scenario | None = None,
                 models: Sequence[str] | None = None, capability: str = "equal", by: str = "proposal",
                 boot: int = 2000, seed: int = 0, progress: Progress | None = None, draws: int = 0,
                 executor: str = "serial", address: str | None = None) -> Backtest:
        """Score the models on decided issues: a DEU table or scenario file given as ``text``, or a scenario
        whose issues record ``actual``. Default models: every registered one. On a DEU table, ``draws`` > 0
        also scores each model's forecast distribution (CRPS, coverage, interval score, PIT). ``executor``:
        where the models run (one task per model, same result on each)."""
        from ..analysis.backtest import cases_from_deu, cases_from_scenario, run_backtest
        from ..analysis.deu_distribution import status_quo_scores
        from ..analysis.deu_scores import combined_status_quo, distribution_scores
        from ..models import model_names
        from ..scenario.formats.deu import check_capability, looks_like_deu, parse_deu

        check_capability(capability)  # the same options whatever the data, so a typo never passes silently
        counts: dict[str, int] = {}
        data = None
        if text is not None and looks_like_deu(text):
            data = parse_deu(text, name, capability=capability)
            cases, counts = cases_from_deu(data, by=by), data.counts
        else:
            if scenario is None:
                scenario = parse(text or "", name)
            cases = cases_from_scenario(scenario)
        names = list(dict.fromkeys(models or model_names()))
        result = run_backtest(cases, names, seed=seed, n_boot=boot, counts=counts, progress=progress,
                              executor=executor, address=address)
        # P(outcome = reference point) from the agreement layer: DEU files record the reference point
        status_quo = status_quo_scores(data, names, seed=seed) if data is not None else {}
        if data is not None and "combined" in result.scores:
            status_quo["combined"] = combined_status_quo(data, seed=seed)
        dist = (distribution_scores(data, list(result.scores), result.issues, result.actual, draws=draws, seed=seed)
                if data is not None and draws else {})
        return replace(result, status_quo={m: s.to_dict() for m, s in status_quo.items()},
                       distribution={m: d.to_dict() for m, d in dist.items()},
                       distribution_settings={"draws": draws, "seed": seed, "source": "analysis/deu_distribution.py"}
                       if dist else {})

    # -- evidence ---------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Stored documents with the number of extracted items of each kind."""
        from ..store.evidence import list_documents

        return list_documents(self.store)

    def document(self, ref: str | int) -> dict[str, Any]:
        """A stored document with everything extracted from it."""
        from ..store.evidence import get_document

        return get_document(self.store, ref)

    def ingest(self, scenario: Scenario, *, paths: Sequence[str | Path] = (), documents: Sequence[Document] = (),
               local_model: str | None = None, executor: str = "serial", address: str | None = None) -> IngestResult:
        """Read, extract and store every document (files and folders under ``paths``, then ``documents``).

        Each document is stored in its own transaction, so a file that fails leaves the store as it was and the
        other files are still ingested. With a local model (a URL, see ``evidence.local_model``), a document the
        model fails on is not stored (an error); a server that stops answering stops the run.

        With ``executor`` processes or ray, the documents are extracted in parallel by workers that each load
        the models once; this process stores the records one by one in the documents' order, so the store ends
        up as with serial ingest (the local model runs with the serial executor only).
        """
        from .. import __version__
        from ..ensemble.executors import check_executor, map_stateful
        from ..store.evidence import save_extraction
        from ..evidence.documents import read_documents
        from ..evidence.extract import Extractor
        from ..evidence.local_model import LocalModelError, open_backend

        check_executor(executor)
        if executor != "serial" and local_model:
            raise InputError("the local model runs on this machine only", field="executor", value=executor,
                             allowed="serial with a local model")
        backend = open_backend(local_model) if local_model else None  # an unusable URL fails before any work
        try:
            docs, errors = read_documents(list(paths)) if paths else ([], [])
            docs = [*docs, *documents]
            result = IngestResult(scenario.id, [], [], errors, local_model is not None)
            if not docs:
                return result
            if executor != "serial":
                records = map_stateful(Extractor, (scenario,), extract_one, docs, executor, address=address)
                for doc, record in zip(docs, records):
                    _, new = save_extraction(self.store, record, doc.content_hash, scenario, __version__)
                    result.records.append(record)
                    result.added.append(new)
                return result
            extractor = Extractor(scenario, local_model=backend)
            for doc in docs:
                try:
                    record, names = extractor.extract_with_names(doc)
                except LocalModelError as exc:
                    result.errors.append(InputError(f"{doc.source}: {exc}"))
                    continue
                _, new = save_extraction(self.store, record, doc.content_hash, scenario, __version__)
                result.records.append(record)
                result.added.append(new)
                result.found_names.extend(n | {"document": doc.source} for n in names)
        finally:
            if backend is not None:
                backend.close()
        return result

    def suggest(self, scenario: Scenario, *, min_change: float = 5.0, write: str | Path | None = None) -> SuggestResult:
        """The stored claims on the scenario's actors and issues as suggested positions (a read-only preview);
        with ``write``, every pending claim is accepted and the update rule of ``review apply`` makes the next
        version, stored and written to that new file (never over an existing one)."""
        from ..evidence.suggest import suggest_positions
        from .review import accept_all_and_apply

        target = None if write is None else Path(write)
        if target is not None and target.exists():
            raise InputError("file already exists; suggest writes a new file and never overwrites",
                             file=str(write), allowed="a path that does not exist yet")
        from ..store.evidence import stored_claims

        claims = stored_claims(self.store, {a.id for a in scenario.actors}, {i.id for i in scenario.issues})
        suggestions = suggest_positions(scenario, claims, min_change=min_change)
        if target is None:
            return SuggestResult(scenario.id, len(claims), suggestions)
        new, version, accepted = accept_all_and_apply(self.store, scenario)
        save_scenario(new, target)
        return SuggestResult(scenario.id, len(claims), suggestions, target, accepted, version)

    # -- runs -------------------------------------------------------------------------------
    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs."""
        return self.store.runs(limit)

    def run(self, run_id: int) -> dict[str, Any]:
        """One run with its results."""
        return self.store.run(run_id)

    def compare_runs(self, a: int, b: int) -> dict[str, Any]:
        """What changed from forecast run ``a`` to forecast run ``b``: inputs, per-issue forecasts, probabilities."""
        from .compare import compare_runs

        ra, rb = self.store.run(a), self.store.run(b)
        for r in (ra, rb):
            if r["kind"] != "forecast":
                raise InputError("only forecast runs can be compared", field="run", value=r["id"],
                                 allowed="ids of forecast runs (see 'backchannel runs list')")
        return compare_runs(ra, rb, self.store.scenario(ra["scenario_hash"]), self.store.scenario(rb["scenario_hash"]))

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """One run without its results (cheap)."""
        return self.store.run_summary(run_id)


@dataclass
class IngestResult:
    """What an ingest read: one extraction record per stored document, whether it was new, and the errors."""

    scenario: str
    records: list[dict[str, Any]]
    added: list[bool]
    errors: list[InputError]
    local_model: bool = False
    #: names near claims that match no actor, per document: {"name", "count", "document"}
    found_names: list[dict[str, Any]] = field(default_factory=list)

    def unmatched_names(self, limit: int = 15) -> list[dict[str, Any]]:
        """The names near claims that match no actor over all documents, most frequent first:
        ``[{"name", "count", "documents"}]`` (alias candidates)."""
        total: dict[str, dict[str, Any]] = {}
        for item in self.found_names:
            entry = total.setdefault(item["name"], {"name": item["name"], "count": 0, "documents": []})
            entry["count"] += item["count"]
            if item["document"] not in entry["documents"]:
                entry["documents"].append(item["document"])
        return sorted(total.values(), key=lambda e: (-e["count"], e["name"]))[:limit]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``ingest --json`` (the errors are reported apart, one line each)."""
        return {"documents": self.records, "unmatched_names": self.unmatched_names()}


@dataclass(frozen=True)
class SuggestResult:
    """Suggested positions from the stored claims, and the file written (if any)."""

    scenario: str
    claims: int
    suggestions: list[Suggestion]
    written: Path | None = None
    #: with a file written: how many pending claims were accepted, and the version stored
    accepted: int | None = None
    version: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``suggest --json`` and the API."""
        return {"scenario": self.scenario, "suggestions": [x.to_dict() for x in self.suggestions],
                "written": str(self.written) if self.written else None,
                "accepted": self.accepted, "version": self.version}


def extract_one(extractor: Any, doc: Document) -> dict[str, Any]:
    """One document's record with a worker's loaded extractor (an executor task of ``Service.ingest``)."""
    record: dict[str, Any] = extractor.extract(doc)
    return record
