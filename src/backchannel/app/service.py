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
from .checks import require_finite, require_readable
from .files import builtin_ids, builtin_text, save_scenario
from .defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models, headline_model

# The analyses, the models and the store are imported by the operations that use them, so that a
# command loads only what it runs (listing scenarios imports neither the models nor the analyses).
if TYPE_CHECKING:
    from ..analysis.replay import Replay
    from .ledger import Ledger
    from ..analysis.backtest import Backtest
    from ..analysis.sensitivity import Sensitivity
    from ..analysis.whatif import WhatIf
    from ..ensemble.forecast import Forecast
    from .results import ForecastRun, MarketsResult, WhatIfRun
    from ..evidence.documents import Document
    from ..evidence.suggest import Suggestion
    from ..store import Store

__all__ = ["IngestResult", "MAX_UPLOAD_BYTES", "Service", "SuggestResult"]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
Progress = Callable[[int, int], None]
#: computes a forecast's or what-if's result elsewhere (the web app's worker process), given the keyword
#: arguments of ``compute_forecast`` or ``compute_whatif``
Compute = Callable[..., Any]


class Service:
    """Every operation of the CLI and the web app, over one store."""

    def __init__(self, store: Store | None = None, *, url: str | None = None) -> None:
        """Over ``store``, or over the store at ``url`` (default: the user's SQLite file), opened when an
        operation first needs it: forecasts that are not recorded never touch the disk."""
        self._store = store
        self._url = url
        self._builtins: dict[str, tuple[str, str, Scenario]] = {}  # id -> (its text, hash, scenario)

    def _builtin(self, scenario_id: str) -> tuple[str, Scenario]:
        """(hash, scenario) of a built-in scenario, parsed once per text (the pages show it on every view)."""
        text = builtin_text(scenario_id)
        kept = self._builtins.get(scenario_id)
        if kept is None or kept[0] != text:
            scenario = parse(text, f"{scenario_id}.yaml", "yaml")
            kept = self._builtins[scenario_id] = (text, scenario_hash(scenario), scenario)
        return kept[1], kept[2]

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
            digest, s = self._builtin(sid)
            out.append(
                {
                    "id": sid,
                    "title": s.title,
                    "hash": digest,
                    "where": "built-in",
                    "actors": len(s.actors),
                    "issues": len(s.issues),
                }
            )
        for r in self.store.scenarios():
            s = self.store.scenario(r["hash"])
            out.append({**r, "where": "store", "actors": len(s.actors), "issues": len(s.issues)})
        return out

    def scenario(self, ref: str) -> Scenario:
        """A built-in scenario by id, or a stored one by hash, hash prefix or id (never a file path)."""
        if ref in builtin_ids():
            return self._builtin(ref)[1]
        return self.store.scenario(ref)

    def scenario_version(self, ref: str) -> tuple[str, Scenario]:
        """(content hash, scenario) for a built-in id or a stored hash, hash prefix or id."""
        if ref in builtin_ids():
            return self._builtin(ref)
        return self.store.scenario_version(ref)

    def upload(self, filename: str, data: bytes, fmt: str | None = None) -> tuple[str, Scenario]:
        """Parse an uploaded scenario file in memory, store it, and return (hash, scenario)."""
        name = PurePath(filename or "upload.yaml").name
        if len(data) > MAX_UPLOAD_BYTES:
            raise InputError(
                "file too large", file=name, value=f"{len(data)} bytes", allowed=f"at most {MAX_UPLOAD_BYTES} bytes"
            )
        if b"\x00" in data[:8192]:
            raise InputError("binary file, not text", file=name, allowed="UTF-8 text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 at byte {exc.start}", file=name, allowed="UTF-8 text") from None
        scenario = parse(text, name, fmt)
        return self.store.save_scenario(scenario), scenario

    # -- forecasts --------------------------------------------------------------------------
    def compute_forecast(
        self,
        scenario: Scenario,
        *,
        models: list[str] | None = None,
        draws: int = DEFAULT_DRAWS,
        seed: int = 0,
        progress: Progress | None = None,
        executor: str = "serial",
        distribution: str = "pert",
        address: str | None = None,
    ) -> ForecastRun:
        """Forecast with each model (point and, with draws, Monte Carlo and named outcomes); not recorded.
        ``address``: the Ray cluster of the ``ray`` executor (docs/scaling.md)."""
        from ..ensemble import run_forecast
        from .results import ForecastRun

        result = run_forecast(
            scenario,
            list(models or default_models()),
            draws,
            seed,
            executor=executor,
            distribution=distribution,
            progress=progress,
            address=address,
        )
        return ForecastRun.from_forecast(result, scenario)

    def forecast(
        self,
        scenario: Scenario,
        *,
        models: list[str] | None = None,
        draws: int = DEFAULT_DRAWS,
        seed: int = 0,
        progress: Progress | None = None,
        executor: str = "serial",
        distribution: str = "pert",
        address: str | None = None,
        compute: Compute | None = None,
    ) -> ForecastRun:
        """Forecast and record the run; the result carries its ``run_id``.

        With draws, the run also records each model's probability of every open question of the
        scenario in the question ledger, dated today (UTC). A result that is not finite is refused (InputError)
        and never recorded. ``address``: the Ray cluster of the ``ray`` executor. ``compute`` takes the keyword
        arguments of :meth:`compute_forecast` and returns its result computed elsewhere (the web app's worker
        process).
        """
        run: ForecastRun = (compute or self.compute_forecast)(
            scenario=scenario,
            models=models,
            draws=draws,
            seed=seed,
            progress=progress,
            executor=executor,
            distribution=distribution,
            address=address,
        )
        return self._record_forecast(scenario, run, distribution, None)

    def _record_forecast(
        self, scenario: Scenario, run: ForecastRun, distribution: str, as_of: dt.date | None
    ) -> ForecastRun:
        """Record a forecast run and its probabilities of the scenario's open questions (dated ``as_of`` or today)."""
        from ..ensemble.forecast import CHUNK_DRAWS

        # the executor is left out on purpose: every executor gives the same result
        parameters: dict[str, Any] = {"draws": run.draws, "distribution": distribution, "chunk_draws": CHUNK_DRAWS}
        if as_of is not None:
            parameters["as_of"] = as_of.isoformat()
        payload = run.to_dict()
        require_finite(payload, scenario.id)
        run_id = self.store.record_run(
            scenario, models=list(run.models), parameters=parameters, seed=run.seed, results=payload
        )
        self.ledger.record(run_id, scenario, payload, as_of or dt.datetime.now(dt.timezone.utc).date())
        return run.recorded(run_id)

    def replay(self, scenario: Scenario, date: dt.date) -> Replay:
        """The scenario keeping only evidence published on or before ``date`` (dates of stored documents),
        starting from the stored version of its id in force on ``date`` if there is one."""
        from ..analysis.replay import as_of_scenario, version_in_force
        from ..store.evidence import list_documents
        from ..store.review import versions

        row = version_in_force(versions(self.store, scenario.id), date)
        if row is not None:
            scenario = self.store.scenario(row["hash"])

        published: dict[str, dt.date | None] = {}
        for d in list_documents(self.store):
            try:
                published[d["source"]] = dt.date.fromisoformat(d["published"]) if d.get("published") else None
            except ValueError:
                published[d["source"]] = None
        return as_of_scenario(scenario, published, date, version=row["name"] if row is not None else None)

    def forecast_as_of(
        self,
        scenario: Scenario,
        date: dt.date,
        *,
        models: list[str] | None = None,
        draws: int = 0,
        seed: int = 0,
        progress: Progress | None = None,
        executor: str = "serial",
        distribution: str = "pert",
        address: str | None = None,
    ) -> ForecastRun:
        """A recorded forecast of the scenario as it could be read on ``date``: ``"as_of"`` in its JSON says what
        was left out, and the ledger dates the run's records by ``date``."""
        replay = self.replay(scenario, date)
        run = self.compute_forecast(
            replay.scenario,
            models=models,
            draws=draws,
            seed=seed,
            progress=progress,
            executor=executor,
            distribution=distribution,
            address=address,
        )
        run = replace(run, extra={**run.extra, "as_of": replay.to_dict()})
        return self._record_forecast(replay.scenario, run, distribution, date)

    @property
    def ledger(self) -> Ledger:
        """The question ledger over this store."""
        from .ledger import Ledger

        return Ledger(self.store, self.scenario)

    def compute_whatif(
        self,
        scenario: Scenario,
        *,
        levers: list[str] | None = None,
        overrides: dict[str, float] | None = None,
        models: list[str] | None = None,
        draws: int = DEFAULT_DRAWS,
        seed: int = 0,
        progress: Progress | None = None,
        executor: str = "serial",
        address: str | None = None,
        intensity: dict[str, float] | None = None,
        baseline: Forecast | None = None,
    ) -> WhatIf:
        """Baseline and variant on common random numbers: per model the change of each issue and named
        outcome, and whether it exceeds Monte Carlo noise (not recorded). ``baseline``: the baseline already
        run with the same scenario, models, draws and seed (see ``analysis.whatif.whatif``)."""
        from ..analysis.whatif import whatif as run_whatif

        models = list(dict.fromkeys(models or default_models()))
        return run_whatif(
            scenario,
            models,
            levers=list(levers or []),
            overrides=dict(overrides or {}),
            draws=draws,
            seed=seed,
            progress=progress,
            executor=executor,
            address=address,
            intensity=intensity,
            baseline=baseline,
        )

    def whatif(
        self,
        scenario: Scenario,
        *,
        levers: list[str] | None = None,
        overrides: dict[str, float] | None = None,
        models: list[str] | None = None,
        draws: int = DEFAULT_DRAWS,
        seed: int = 0,
        progress: Progress | None = None,
        executor: str = "serial",
        address: str | None = None,
        compute: Compute | None = None,
        intensity: dict[str, float] | None = None,
    ) -> WhatIfRun:
        """A what-if recorded as a ``whatif`` run; the result carries its ``run_id``. Not finite: refused, as a
        forecast. ``compute``: as for :meth:`forecast`, with the keyword arguments of :meth:`compute_whatif`."""
        from .results import WhatIfRun

        result = (compute or self.compute_whatif)(
            scenario=scenario,
            levers=levers,
            overrides=overrides,
            models=models,
            draws=draws,
            seed=seed,
            progress=progress,
            executor=executor,
            address=address,
            intensity=intensity,
        )
        require_finite(result.to_dict(), scenario.id)
        parameters: dict[str, Any] = {"draws": draws, "levers": list(levers or []), "overrides": dict(overrides or {})}
        if intensity:
            parameters["lever_intensity"] = result.to_dict()["lever_intensity"]
        run_id = self.store.record_run(
            scenario,
            models=list(result.issues),
            parameters=parameters,
            seed=seed,
            results=result.to_dict(),
            kind="whatif",
        )
        return WhatIfRun(result, run_id)

    def lever_whatifs(
        self, scenario: Scenario, model: str, *, draws: int = DEFAULT_DRAWS, seed: int = 0
    ) -> list[WhatIf]:
        """One what-if per lever of the scenario, in full, for one model (not recorded): what ranks the levers.
        The baseline is run once and shared by the levers' what-ifs."""
        from ..ensemble import run_forecast

        base = run_forecast(scenario, [model], draws, seed) if scenario.levers else None
        return [
            self.compute_whatif(scenario, levers=[lv.id], models=[model], draws=draws, seed=seed, baseline=base)
            for lv in scenario.levers
        ]

    def headline(
        self, scenario: Scenario, run: ForecastRun, *, whatifs: Sequence[WhatIf] | None = None
    ) -> dict[str, Any]:
        """The headline's numbers of a forecast: compared with the previous forecast run of the same scenario
        (before ``run.run_id``; the newest when not recorded), the headline model's swing actor, and the levers
        ranked by their what-ifs (worked out for the headline model when not given, on the run's seed and at
        most ``DEFAULT_DRAWS`` draws, so the page of a large run stays quick)."""
        from .headline import build_headline

        payload = run.to_dict()
        previous = self.store.previous_run(scenario.id, before=run.run_id)
        model = headline_model(run.models)
        draws = min(run.draws, DEFAULT_DRAWS)
        if whatifs is None or not any(model in w.issues for w in whatifs):
            whatifs = self.lever_whatifs(scenario, model, draws=draws, seed=run.seed) if draws else []
        out = build_headline(
            scenario,
            payload,
            previous=previous["results"] if previous else None,
            previous_id=previous["id"] if previous else None,
            whatifs=[w.to_dict() for w in whatifs],
        )
        out["lever_draws"] = next((w.draws for w in whatifs if model in w.issues), 0)
        return out

    def markets(
        self, scenario: Scenario, run: ForecastRun, model: str, implied: dict[str, float] | None = None
    ) -> MarketsResult:
        """Each market variable's expected move and 5–95 % band under one model's outcome probabilities; with
        market-implied probabilities, also the priced-in mixture, the gap per outcome and each variable's
        move relative to it."""
        from ..analysis.markets import market_impacts, versus_implied
        from ..analysis.outcomes import UNNAMED
        from .results import MarketsResult

        if model in run.outcomes:
            probabilities = dict(run.outcomes[model].probability)
        elif model in run.models and run.draws and not scenario.outcomes:
            probabilities = {UNNAMED: 1.0}  # no named outcome: every draw is in none
        else:
            raise InputError(
                "the forecast has no outcome probabilities for this model",
                field="model",
                value=model,
                allowed="a model of a forecast run with draws > 0 on a scenario with named outcomes",
            )
        impacts = market_impacts(probabilities, scenario, seed=run.seed)
        versus = versus_implied(probabilities, implied, scenario, seed=run.seed) if implied else None
        return MarketsResult(
            scenario=run.scenario,
            model=model,
            draws=run.draws,
            seed=run.seed,
            probabilities=probabilities,
            variables=impacts,
            consent=run.consent,
            agreement=run.agreement.get(model),
            versus=versus,
        )

    def compute_markets(
        self,
        scenario: Scenario,
        *,
        model: str = HEADLINE_MODEL,
        draws: int = DEFAULT_DRAWS,
        seed: int = 0,
        progress: Progress | None = None,
        levers: Sequence[str] = (),
        overrides: dict[str, float] | None = None,
        intensity: dict[str, float] | None = None,
        implied: dict[str, float] | None = None,
    ) -> MarketsResult:
        """Forecast with one model (not recorded) and weight the scenario's market moves by its outcomes; with
        levers or overrides, of the what-if variant; with ``implied``, against those priced-in probabilities."""
        from ..analysis.whatif import variant_of

        variant = variant_of(scenario, list(levers), overrides, intensity) if levers or overrides else scenario
        result = self.markets(
            variant,
            self.compute_forecast(variant, models=[model], draws=draws, seed=seed, progress=progress),
            model,
            implied=implied,
        )
        if levers or overrides:
            result = replace(
                result,
                whatif={
                    "levers": list(levers),
                    "lever_intensity": {lv: float((intensity or {}).get(lv, 1.0)) for lv in levers},
                    "overrides": dict(overrides or {}),
                },
            )
        return result

    # -- analyses ---------------------------------------------------------------------------
    def sensitivity(
        self,
        scenario: Scenario,
        *,
        model: str = HEADLINE_MODEL,
        issue: str | None = None,
        actor: str | None = None,
        move: float = 5.0,
        seed: int = 0,
        executor: str | None = None,
        address: str | None = None,
    ) -> Sensitivity:
        """Which inputs move each issue's forecast most, and (with ``actor``) whom to work on."""
        from ..analysis.sensitivity import sensitivity_of

        return sensitivity_of(
            scenario, model, issue=issue, actor=actor, move=move, seed=seed, executor=executor, address=address
        )

    def backtest(
        self,
        *,
        text: str | None = None,
        name: str = "<data>",
        scenario: Scenario | None = None,
        models: Sequence[str] | None = None,
        capability: str = "equal",
        by: str = "proposal",
        boot: int = 2000,
        seed: int = 0,
        progress: Progress | None = None,
        draws: int = 0,
        executor: str = "serial",
        address: str | None = None,
    ) -> Backtest:
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
        result = run_backtest(
            cases, names, seed=seed, n_boot=boot, counts=counts, progress=progress, executor=executor, address=address
        )
        # P(outcome = reference point) from the agreement layer: DEU files record the reference point
        status_quo = status_quo_scores(data, names, seed=seed) if data is not None else {}
        if data is not None and "combined" in result.scores:
            status_quo["combined"] = combined_status_quo(data, seed=seed)
        dist = (
            distribution_scores(data, list(result.scores), result.issues, result.actual, draws=draws, seed=seed)
            if data is not None and draws
            else {}
        )
        return replace(
            result,
            status_quo={m: s.to_dict() for m, s in status_quo.items()},
            distribution={m: d.to_dict() for m, d in dist.items()},
            distribution_settings={"draws": draws, "seed": seed, "source": "analysis/deu_distribution.py"}
            if dist
            else {},
        )

    # -- evidence ---------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Stored documents with the number of extracted items of each kind."""
        from ..store.evidence import list_documents

        return list_documents(self.store)

    def document(self, ref: str | int) -> dict[str, Any]:
        """A stored document with everything extracted from it."""
        from ..store.evidence import get_document

        return get_document(self.store, ref)

    def ingest(
        self,
        scenario: Scenario,
        *,
        paths: Sequence[str | Path] = (),
        documents: Sequence[Document] = (),
        local_model: str | None = None,
        executor: str = "serial",
        address: str | None = None,
        progress: Progress | None = None,
        stage: Callable[[str], None] | None = None,
    ) -> IngestResult:
        """Read, extract and store every article (files and folders under ``paths``, then ``documents``).

        Only articles: a folder's README, licences and other non-article files are counted, not read as news.
        An article stored already for this scenario version (or met earlier in the batch) is found by its
        content hash — of the normalised text and its metadata — and skipped before any extraction. One bad
        file never stops the batch: a file that cannot be read, is too long, or fails in extraction is refused
        with one line and the others are still ingested, each in its own transaction. With a local model (a
        URL, see ``evidence.local_model``), a document the model fails on is refused; a server that stops
        answering stops the run.

        With ``executor`` processes or ray, the documents are extracted in parallel by workers that each load
        the models once; this process stores the records one by one in the documents' order, so the store ends
        up as with serial ingest (the local model runs with the serial executor only).

        ``stage(text)`` is told what is being done (loading the language models, extracting an article) and
        ``progress(done, total)`` counts the articles to extract.
        """
        from .. import __version__
        from ..ensemble.executors import check_executor, map_stateful
        from ..store.evidence import save_extraction
        from ..evidence.documents import scan_articles
        from ..evidence.extract import Extractor
        from ..evidence.local_model import LocalModelError, open_backend
        from ..store.evidence import extracted_hashes

        check_executor(executor)
        if executor != "serial" and local_model:
            raise InputError(
                "the local model runs on this machine only",
                field="executor",
                value=executor,
                allowed="serial with a local model",
            )
        backend = open_backend(local_model) if local_model else None  # an unusable URL fails before any work
        try:
            scan = scan_articles(list(paths)) if paths else None
            docs = [*(scan.documents if scan else []), *documents]
            result = IngestResult(
                scenario.id,
                [],
                [],
                list(scan.errors) if scan else [],
                local_model is not None,
                not_articles=list(scan.not_articles) if scan else [],
            )
            seen = extracted_hashes(self.store, [d.content_hash for d in docs], scenario_hash(scenario))
            todo = []
            for doc in docs:
                if doc.content_hash in seen:
                    result.known.append(doc.source)
                else:
                    seen.add(doc.content_hash)
                    todo.append(doc)
            if not todo:
                return result
            if executor != "serial":
                outputs = map_stateful(Extractor, (scenario,), extract_one, todo, executor, address=address)
                for doc, (record, names, failure) in zip(todo, outputs):
                    if record is None or failure is not None:
                        result.errors.append(
                            (failure or _refusal(doc.source, RuntimeError("no record"))).at(doc.source)
                        )
                        continue
                    _, new = save_extraction(self.store, record, doc.content_hash, scenario, __version__)
                    result.records.append(record)
                    result.added.append(new)
                    result.found_names.extend(n | {"document": doc.source} for n in names)
                return result
            if stage is not None:
                stage("loading the language models")
            extractor = Extractor(scenario, local_model=backend)
            for k, doc in enumerate(todo):
                if stage is not None:
                    stage(f"extracting {doc.source}")
                if progress is not None:
                    progress(k, len(todo))
                try:
                    record, names = extractor.extract_with_names(doc)
                except LocalModelError as exc:
                    result.errors.append(InputError(str(exc), file=doc.source))
                    continue
                except InputError as exc:
                    result.errors.append(exc.at(doc.source))
                    continue
                except Exception as exc:  # noqa: BLE001 - one article the pipeline cannot analyse never stops a batch
                    result.errors.append(_refusal(doc.source, exc))
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
            raise InputError(
                "file already exists; suggest writes a new file and never overwrites",
                file=str(write),
                allowed="a path that does not exist yet",
            )
        from ..store.evidence import stored_claims

        claims = stored_claims(self.store, {a.id for a in scenario.actors}, {i.id for i in scenario.issues})
        suggestions = suggest_positions(scenario, claims, min_change=min_change)
        if target is None:
            return SuggestResult(scenario.id, len(claims), suggestions)
        new, version, accepted = accept_all_and_apply(self.store, scenario)
        save_scenario(new, target)
        return SuggestResult(scenario.id, len(claims), suggestions, target, accepted, version)

    # -- review -----------------------------------------------------------------------------
    def review_scenario(self, ref: str) -> Scenario:
        """The scenario a review works on: a version name ("id@v2") or hash; a built-in id means its newest
        reviewed version when the store has one; else a stored scenario by hash or id."""
        from . import review

        if "@v" in ref:
            return review.resolve_version(self.store, ref)[1]
        if ref in builtin_ids():
            versions = review.history(self.store, ref)
            return self.store.scenario(versions[-1]["hash"]) if versions else self._builtin(ref)[1]
        return review.resolve_version(self.store, ref)[1]

    def review_list(
        self, scenario: Scenario, *, actor: str | None = None, issue: str | None = None, include_decided: bool = False
    ) -> dict[str, Any]:
        """``review list --json``: the pending claims and proposals on the scenario's actors and issues."""
        from . import review

        return {
            "scenario": scenario.id,
            "claims": review.pending(self.store, scenario, actor=actor, issue=issue, include_decided=include_decided),
            "proposals": review.pending_proposals(
                self.store, scenario, actor=actor, issue=issue, include_decided=include_decided
            ),
        }

    def review_accept(
        self,
        ids: Sequence[str],
        *,
        position: float | None = None,
        actor: str | None = None,
        issue: str | None = None,
        reason: str | None = None,
        by: str | None = None,
        scenario: Scenario | None = None,
    ) -> dict[str, Any]:
        """``review accept --json``: accept claims and proposals (all or none), re-assigning with actor/issue."""
        return self._review_decide("accepted", ids, position, actor, issue, reason, by, scenario)

    def review_reject(self, ids: Sequence[str], *, reason: str | None = None, by: str | None = None) -> dict[str, Any]:
        """``review reject --json``: reject claims and proposals (all or none)."""
        return self._review_decide("rejected", ids, None, None, None, reason, by, None)

    def _review_decide(
        self,
        decision: str,
        ids: Sequence[str],
        position: float | None,
        actor: str | None,
        issue: str | None,
        reason: str | None,
        by: str | None,
        scenario: Scenario | None,
    ) -> dict[str, Any]:
        from . import review

        claims, proposals = review.parse_ids([str(i) for i in ids])
        who = by or review.default_reviewer()
        review.decide(
            self.store,
            claims,
            decision,
            position=position,
            reason=reason,
            by=who,
            actor=actor,
            issue=issue,
            scenario=scenario,
            proposal_ids=proposals,
        )
        return {
            "decision": decision,
            "claims": claims,
            "proposals": [f"p{p}" for p in proposals],
            "by": who,
            "position": position,
            "actor": actor,
            "issue": issue,
            "reason": reason,
        }

    def review_apply(self, scenario: Scenario, *, by: str | None = None) -> dict[str, Any]:
        """``review apply --json`` (without a file): the new version, stored, with the changes it made."""
        from . import review

        return review.apply_reviewed(self.store, scenario, by=by)[1]

    def scenario_history(self, scenario_id: str) -> list[dict[str, Any]]:
        """``scenario history --json``: the versions of a scenario id, oldest first."""
        from . import review

        return review.history(self.store, scenario_id)

    def scenario_diff(self, a: str, b: str) -> dict[str, Any]:
        """``scenario diff --json``: what changed from version a to b, and the evidence that changed it."""
        from . import review

        return review.diff_versions(self.store, a, b)

    # -- runs -------------------------------------------------------------------------------
    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs."""
        return self.store.runs(limit)

    def run(self, run_id: int) -> dict[str, Any]:
        """One run with its results; an InputError when they cannot be shown (not finite, or not a run's shape)."""
        return require_readable(self.store.run(run_id))

    def compare_runs(self, a: int, b: int) -> dict[str, Any]:
        """What changed from forecast run ``a`` to forecast run ``b``: inputs, per-issue forecasts, probabilities."""
        from .compare import compare_runs

        ra, rb = self.store.run(a), self.store.run(b)
        for r in (ra, rb):
            if r["kind"] != "forecast":
                raise InputError(
                    "only forecast runs can be compared",
                    field="run",
                    value=r["id"],
                    allowed="ids of forecast runs (see 'backchannel runs list')",
                )
        return compare_runs(ra, rb, self.store.scenario(ra["scenario_hash"]), self.store.scenario(rb["scenario_hash"]))

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """One run without its results (cheap)."""
        return self.store.run_summary(run_id)


def _refusal(source: str, exc: Exception) -> InputError:
    """One line for an article the pipeline failed on (spaCy's own errors included)."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return InputError(
        f"extraction failed: {type(exc).__name__}: {first}",
        file=source,
        allowed="an article the pipeline can analyse (please report this file)",
    )


def _reason(error: InputError) -> str:
    """The error's line without its file name (the summary gives the file apart)."""
    return (
        InputError(error.message, line=error.line, field=error.field, value=error.value, allowed=error.allowed)
        .render()
        .lstrip(": ")
    )


@dataclass
class IngestResult:
    """What an ingest read: one extraction record per document extracted now, whether it was new, the errors
    (refused files), the files skipped as known and those that are not articles."""

    scenario: str
    records: list[dict[str, Any]]
    added: list[bool]
    errors: list[InputError]
    local_model: bool = False
    known: list[str] = field(default_factory=list)
    not_articles: list[str] = field(default_factory=list)
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

    def summary(self) -> dict[str, Any]:
        """``{"stored", "skipped_known", "skipped_non_article", "refused": [{"file", "reason"}]}``."""
        return {
            "stored": sum(self.added),
            "skipped_known": len(self.known),
            "skipped_non_article": len(self.not_articles),
            "refused": [{"file": e.file or "", "reason": _reason(e)} for e in self.errors],
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``ingest --json`` (the errors are also reported apart, one line each)."""
        return {"documents": self.records, "unmatched_names": self.unmatched_names(), "summary": self.summary()}


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
        return {
            "scenario": self.scenario,
            "suggestions": [x.to_dict() for x in self.suggestions],
            "written": str(self.written) if self.written else None,
            "accepted": self.accepted,
            "version": self.version,
        }


def extract_one(extractor: Any, doc: Document) -> tuple[dict[str, Any] | None, list[dict[str, Any]], InputError | None]:
    """One document's (record, unmatched names, refusal) with a worker's loaded extractor (an executor task of
    ``Service.ingest``); an article the pipeline fails on comes back as a refusal, so it never stops the batch."""
    try:
        record, names = extractor.extract_with_names(doc)
    except InputError as exc:
        return None, [], exc
    except Exception as exc:  # noqa: BLE001 - as in the serial loop
        return None, [], _refusal(doc.source, exc)
    return record, names, None
