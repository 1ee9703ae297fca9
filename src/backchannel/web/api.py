"""The JSON API: the same operations as the CLI, described by OpenAPI at /openapi.json."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

import asyncio

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from ..analysis.deu_scores import DEFAULT_DRAWS as BACKTEST_DRAWS
from ..app.defaults import DEFAULT_DRAWS, HEADLINE_MODEL, default_models
from ..models import model_names
from ..scenario.formats.native import to_plain
from ..scenario.identity import scenario_hash
from ..scenario.bounds import MAX_SEED
from .worker import forecast_job, model_solves, whatif_job  # the store keeps the seed in a 32-bit INTEGER column


class Problem(BaseModel):
    """Every error the API sends: one line saying what is wrong and what is allowed."""

    detail: str


def _errors(codes: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an operation can answer with (all with a ``Problem`` body)."""
    return {code: {"model": Problem, "description": text} for code, text in codes.items()}


# 401 only happens when the app has a token; 422 replaces FastAPI's list-shaped default, since the app's
# handler answers every validation error with the one-line ``Problem``.
router = APIRouter(prefix="/api", tags=["api"], responses=_errors({401: "The app has a token and none was sent"}))
INVALID = _errors({422: "A parameter or the body does not match this description"})

MAX_DRAWS = 20000
#: The most model solves one request may ask for: (draws + 1) × models, twice for a what-if (baseline and variant).
MAX_SOLVES = 50_000
BUSY = _errors({429: "The forecast queue is full; the Retry-After header says when to try again"})


# the OpenAPI description of a model name and of a list of them (the registered names)
MODEL_NAME: dict[str, Any] = {"enum": model_names()}
MODEL_LIST: dict[str, Any] = {"items": {"type": "string", "enum": model_names()}}


class Upload(BaseModel):
    """A scenario file sent as text."""

    filename: str = Field("upload.yaml", max_length=200, description="Its name; the suffix tells the format")
    content: str = Field(max_length=2_000_000, description="The file's text")
    format: str | None = Field(None, description="yaml, json, decide, ktab or table; default: from the name")


class ForecastRequest(BaseModel):
    """What to forecast, with which models, draws and seed."""

    scenario: str = Field("ukraine-2025", min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    models: list[str] = Field(
        default_factory=default_models,
        min_length=1,
        max_length=10,
        json_schema_extra=MODEL_LIST,
        description="Registered model names",
    )
    draws: int = Field(DEFAULT_DRAWS, ge=0, le=MAX_DRAWS, description="Monte Carlo draws (0: point forecast only)")
    seed: int = Field(0, ge=0, le=MAX_SEED)


class WhatIfRequest(ForecastRequest):
    """Levers and overrides to compare with the baseline on common random numbers (the default draws unless said)."""

    levers: list[str] = Field(default_factory=list, max_length=20, description="Lever ids of the scenario, in order")
    lever_intensity: dict[str, float] = Field(
        default_factory=dict, max_length=20, description="lever id -> fraction 0..1 of its full effect (default 1)"
    )
    overrides: dict[str, float] = Field(
        default_factory=dict, max_length=200, description="actor.issue.field or actor.capability -> value"
    )
    draws: int = Field(DEFAULT_DRAWS, ge=0, le=MAX_DRAWS)


class WhatIfView(BaseModel):
    """Per model, per issue and named outcome: baseline, variant, change, its standard error, and whether
    it exceeds Monte Carlo noise; with the id of the run that recorded it."""

    model_config = ConfigDict(extra="allow")
    scenario: str
    levers: list[str]
    overrides: dict[str, float]
    draws: int
    seed: int
    models: dict[str, dict[str, Any]]
    run_id: int


class DocumentSummary(BaseModel):
    """A stored document and how many items of each kind were extracted from it."""

    model_config = ConfigDict(extra="allow")
    id: int
    hash: str
    source: str
    title: str | None
    published: str | None
    url: str | None


class Uploaded(BaseModel):
    """A stored scenario: its content hash and size."""

    hash: str
    id: str
    actors: int
    issues: int


class ScenarioView(BaseModel):
    """A scenario in the native format, with its content hash."""

    hash: str
    scenario: dict[str, Any]


class RunSummary(BaseModel):
    """What reproduces a run: scenario hash, models, parameters, seed, version."""

    model_config = ConfigDict(extra="allow")
    id: int
    kind: str
    scenario: str
    scenario_hash: str
    models: list[str]
    parameters: dict[str, Any]
    seed: int
    version: str
    created_at: str
    status: str


class RunView(RunSummary):
    """A run and its results (the forecast payload)."""

    results: dict[str, Any]


class ForecastView(BaseModel):
    """A forecast's payload: results per model, and the id of the run that recorded it."""

    model_config = ConfigDict(extra="allow")
    scenario: str
    seed: int
    draws: int
    models: dict[str, dict[str, Any]]
    run_id: int


class MarketsRequest(BaseModel):
    """Whose outcome probabilities weight the scenario's market moves, from a forecast of how many draws."""

    scenario: str = Field("ukraine-2025", min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    model: str = Field(HEADLINE_MODEL, json_schema_extra=MODEL_NAME, description="A registered model")
    draws: int = Field(DEFAULT_DRAWS, ge=1, le=MAX_DRAWS)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    levers: list[str] = Field(default_factory=list, max_length=20, description="Forecast this what-if first: levers")
    lever_intensity: dict[str, float] = Field(
        default_factory=dict, max_length=20, description="lever id -> fraction 0..1 of its full effect (default 1)"
    )
    overrides: dict[str, float] = Field(
        default_factory=dict, max_length=200, description="actor.issue.field or actor.capability -> value"
    )
    implied: dict[str, float] = Field(
        default_factory=dict,
        max_length=50,
        description="outcome -> market-implied probability 0..1 (the rest shares "
        "the remaining mass in the model's proportions)",
    )


class SensitivityRequest(BaseModel):
    """Which inputs move each issue's forecast (tornado) and, with an actor, whom to work on."""

    scenario: str = Field("ukraine-2025", min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    model: str = Field(HEADLINE_MODEL, json_schema_extra=MODEL_NAME, description="A registered model")
    issue: str | None = Field(None, max_length=200, description="Only this issue")
    actor: str | None = Field(None, max_length=200, description="Whom to work on, toward this actor's position")
    move: float = Field(5.0, gt=0, le=100, description="Points to move the forecast toward the actor")
    seed: int = Field(0, ge=0, le=MAX_SEED)


class BacktestRequest(BaseModel):
    """Score models on decided issues: a stored or built-in scenario whose issues record ``actual``, or a DEU
    table or scenario file sent as text."""

    scenario: str | None = Field(None, min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    filename: str = Field("data.tsv", max_length=200, description="The sent file's name; its suffix tells the format")
    content: str | None = Field(None, max_length=2_000_000, description="A DEU table or scenario file's text")
    models: list[str] = Field(
        default_factory=lambda: ["compromise"], min_length=1, max_length=10, json_schema_extra=MODEL_LIST
    )
    capability: str = Field("equal", description="DEU capabilities: equal, or gdp from the table's GDP row")
    by: str = Field("proposal", description="DEU model input: a whole proposal at a time, or one issue")
    boot: int = Field(2000, ge=100, le=10000, description="Bootstrap replicates of the paired interval")
    draws: int = Field(
        BACKTEST_DRAWS,
        ge=0,
        le=5000,
        description="Draws per issue of each model's DEU forecast "
        "distribution (CRPS, coverage, interval score, PIT); 0 skips them",
    )
    seed: int = Field(0, ge=0, le=MAX_SEED)


class IngestRequest(BaseModel):
    """An article sent as text, read against a scenario's actors and issues and stored."""

    scenario: str = Field("ukraine-2025", min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    filename: str = Field(
        "article.txt",
        min_length=1,
        max_length=200,
        description="Its name; .html/.htm and .md are read as HTML and Markdown, others as text",
    )
    content: str = Field(min_length=1, max_length=2_000_000, description="The article's text")


class SuggestRequest(BaseModel):
    """Turn the stored claims into suggested positions for a scenario."""

    scenario: str = Field("ukraine-2025", min_length=1, max_length=200, description="Built-in id, or stored hash or id")
    min_change: float = Field(5.0, ge=0, le=100, description="Smallest change worth suggesting")


class ReviewDecision(BaseModel):
    """Accept or reject claims (ids "12" or 12) and proposals ("p3"), all or none."""

    ids: list[str | int] = Field(min_length=1, max_length=1000, description='Claim ids (12) and proposal ids ("p3")')
    reason: str | None = Field(None, max_length=2000, description="Why (stored with the decision)")
    by: str | None = Field(None, max_length=200, description="Who decides (default: the login name of the server)")


class ReviewAccept(ReviewDecision):
    """Accept, optionally confirming a position or re-assigning a misread claim's actor or issue."""

    position: float | None = Field(None, ge=0, le=100, description="Confirm the position the claim states")
    actor: str | None = Field(None, max_length=200, description="Re-assign the claims to this actor of the scenario")
    issue: str | None = Field(None, max_length=200, description="Re-assign to this issue (needs position)")
    scenario: str = Field(
        "ukraine-2025", min_length=1, max_length=200, description="Scenario whose actor and issue ids count"
    )


class ReviewApply(BaseModel):
    """Apply the accepted claims and proposals as the next version of a scenario."""

    scenario: str = Field(
        "ukraine-2025", min_length=1, max_length=200, description="Id (its newest version), version name or hash"
    )
    by: str | None = Field(None, max_length=200)


class JobView(BaseModel):
    """A background forecast's progress."""

    id: int
    label: str
    done: int
    total: int
    state: str
    run_id: int | None
    error: str | None


def _check_models(models: list[str]) -> None:
    """422 naming the first model that is not registered."""
    for m in models:
        if m not in model_names():
            raise HTTPException(422, f"unknown model {m!r}; allowed: {', '.join(model_names())}")


def _service(request: Request):
    return request.app.state.service


def check_cost(draws: int, models: list[str], variants: int = 1) -> None:
    """422 when a request asks for more than :data:`MAX_SOLVES` model solves."""
    solves = model_solves(draws, len(models), variants)
    if solves > MAX_SOLVES:
        raise HTTPException(
            422,
            f"too costly: {solves:,} model solves ((draws + 1) × {len(models)} models"
            + (f" × {variants} variants" if variants > 1 else "")
            + f"); allowed: at most "
            f"{MAX_SOLVES:,} per request (fewer draws or models)",
        )


async def queued(request: Request, label: str, work: Any) -> Any:
    """Run ``work(progress)`` on the app's job queue (one job at a time, low priority) and wait for it without
    holding a server thread; the job's own error is raised again here (an InputError answers 400)."""
    job = request.app.state.jobs.submit(label, work)
    assert job.future is not None
    await asyncio.wrap_future(job.future)
    if job.exception is not None:
        raise job.exception
    return job.result


@router.get("/models", summary="Registered model names")
def models() -> list[str]:
    """The models a forecast can use."""
    return model_names()


@router.get("/scenarios", summary="Built-in and stored scenarios")
def scenarios(request: Request) -> list[dict[str, Any]]:
    """Every scenario the app knows."""
    return _service(request).scenario_list()


@router.post(
    "/scenarios",
    status_code=201,
    summary="Upload a scenario file (validated, stored)",
    responses=INVALID | _errors({400: "The file is not a valid scenario (the one-line reason)"}),
)
def upload(request: Request, body: Upload) -> Uploaded:
    """Parse and store a scenario sent as text; 400 with the one-line error when it is invalid."""
    digest, s = _service(request).upload(body.filename, body.content.encode("utf-8"), body.format)
    return Uploaded(hash=digest, id=s.id, actors=len(s.actors), issues=len(s.issues))


@router.get(
    "/scenarios/{ref}",
    summary="One scenario in the native format",
    responses=INVALID | _errors({404: "No scenario with this id, hash or hash prefix"}),
)
def scenario(request: Request, ref: str) -> ScenarioView:
    """The scenario as native JSON, with its content hash."""
    s = _service(request).scenario(ref)
    return ScenarioView(hash=scenario_hash(s), scenario=to_plain(s))


@router.post(
    "/forecasts",
    summary="Run a forecast and record it",
    operation_id="forecast",
    responses=INVALID
    | BUSY
    | _errors(
        {
            400: "The scenario cannot be forecast (the one-line reason)",
            404: "No scenario with this id, hash or hash prefix",
        }
    ),
)
async def forecast(request: Request, body: ForecastRequest, as_of: dt.date | None = None) -> ForecastView:
    """Run the models on a scenario as a background job (one at a time, at low priority) and answer when it
    is done; the result is recorded as a run (``run_id``). At most ``MAX_SOLVES`` model solves per request.
    With ``as_of`` (a query parameter), a replay on that date: only evidence published on or before it."""
    _check_models(body.models)
    check_cost(body.draws, body.models)
    svc = _service(request)
    s = await run_in_threadpool(svc.scenario, body.scenario)
    label = f"API forecast of {s.id} ({', '.join(body.models)}, {body.draws} draws, seed {body.seed})"
    if as_of is not None:
        date = as_of
        return await queued(
            request,
            label,
            lambda progress: svc.forecast_as_of(
                s, date, models=body.models, draws=body.draws, seed=body.seed, progress=progress
            ).to_dict(),
        )
    return await queued(request, label, forecast_job(svc, s, models=body.models, draws=body.draws, seed=body.seed))


@router.post(
    "/whatifs",
    summary="Run a what-if against the baseline and record it",
    operation_id="whatif",
    responses=INVALID
    | BUSY
    | _errors(
        {
            400: "A lever or override is not valid for the scenario (the one-line reason)",
            404: "No scenario with this id, hash or hash prefix",
        }
    ),
)
async def whatif(request: Request, body: WhatIfRequest) -> WhatIfView:
    """Baseline and variant (levers, then overrides) on common random numbers, as a background job like a
    forecast; recorded as a run."""
    _check_models(body.models)
    check_cost(body.draws, body.models, variants=2)
    svc = _service(request)
    s = await run_in_threadpool(svc.scenario, body.scenario)
    return await queued(
        request,
        f"API what-if of {s.id} ({', '.join(body.models)}, {body.draws} draws)",
        whatif_job(
            svc,
            s,
            levers=body.levers,
            overrides=body.overrides,
            models=body.models,
            draws=body.draws,
            seed=body.seed,
            intensity=body.lever_intensity,
        ),
    )


@router.get("/evidence", summary="Ingested documents with counts of extracted items", operation_id="evidence")
def documents(request: Request) -> list[DocumentSummary]:
    """Every stored document."""
    return _service(request).documents()


@router.get(
    "/evidence/{doc_id}",
    summary="One document with its mentions, quotes, claims, deadlines and events",
    operation_id="document",
    responses=INVALID | _errors({404: "No document with this id"}),
)
def document(request: Request, doc_id: int) -> dict[str, Any]:
    """A document in the shape of ``backchannel ingest --json``; offsets refer to its ``text``."""
    return _service(request).document(doc_id)


@router.post(
    "/markets",
    summary="Market moves weighted by one model's outcome probabilities",
    operation_id="markets",
    responses=INVALID
    | _errors(
        {
            400: "The scenario declares no markets or named outcomes (the one-line reason)",
            404: "No scenario with this id, hash or hash prefix",
        }
    ),
)
def markets(request: Request, body: MarketsRequest) -> dict[str, Any]:
    """The ``markets --json`` result: each variable's expected move, 5–95 % band and driver (not recorded)."""
    svc = _service(request)
    return svc.compute_markets(
        svc.scenario(body.scenario),
        model=body.model,
        draws=body.draws,
        seed=body.seed,
        levers=body.levers,
        overrides=body.overrides,
        intensity=body.lever_intensity,
        implied=body.implied or None,
    ).to_dict()


@router.post(
    "/sensitivity",
    summary="Tornado per issue, and whom to work on",
    operation_id="sensitivity",
    responses=INVALID
    | _errors(
        {
            400: "An issue, actor or model is not valid (the one-line reason)",
            404: "No scenario with this id, hash or hash prefix",
        }
    ),
)
def sensitivity(request: Request, body: SensitivityRequest) -> dict[str, Any]:
    """The ``sensitivity --json`` result (not recorded)."""
    svc = _service(request)
    return svc.sensitivity(
        svc.scenario(body.scenario),
        model=body.model,
        issue=body.issue,
        actor=body.actor,
        move=body.move,
        seed=body.seed,
    ).to_dict()


@router.post(
    "/backtests",
    summary="Score models on decided issues",
    operation_id="backtest",
    responses=INVALID
    | _errors(
        {400: "The data cannot be scored (the one-line reason)", 404: "No scenario with this id, hash or hash prefix"}
    ),
)
def backtest(request: Request, body: BacktestRequest) -> dict[str, Any]:
    """The ``backtest --json`` result: MAE, RMSE, median error, n and the interval vs compromise per model."""
    svc = _service(request)
    if (body.scenario is None) == (body.content is None):
        raise HTTPException(422, "send either scenario or content")
    source = (
        {"scenario": svc.scenario(body.scenario)}
        if body.scenario is not None
        else {"text": body.content, "name": PurePath(body.filename).name}
    )
    return svc.backtest(
        **source,
        models=body.models,
        capability=body.capability,
        by=body.by,
        boot=body.boot,
        seed=body.seed,
        draws=body.draws,
    ).to_dict()


@router.post(
    "/ingest",
    summary="Read an article, extract its evidence and store it",
    operation_id="ingest",
    responses=INVALID
    | _errors(
        {
            400: "The article cannot be read (the one-line reason)",
            404: "No scenario with this id, hash or hash prefix",
            503: "The evidence extras (spaCy and the language models) are not installed",
        }
    ),
)
def ingest(request: Request, body: IngestRequest) -> dict[str, Any]:
    """The ``ingest --json`` result for one article; sending it again changes nothing."""
    from ..evidence.documents import SUFFIXES, parse_document

    svc = _service(request)
    name = PurePath(body.filename).name or "article.txt"
    doc = parse_document(body.content, name, SUFFIXES.get(PurePath(name).suffix.lower(), "text"))
    return svc.ingest(svc.scenario(body.scenario), documents=[doc]).to_dict()


@router.post(
    "/suggest",
    summary="Stored claims as suggested positions",
    operation_id="suggest",
    responses=INVALID
    | _errors(
        {400: "The body is not valid JSON (the one-line reason)", 404: "No scenario with this id, hash or hash prefix"}
    ),
)
def suggest(request: Request, body: SuggestRequest) -> dict[str, Any]:
    """The ``suggest --json`` result (the web app never writes files)."""
    svc = _service(request)
    return svc.suggest(svc.scenario(body.scenario), min_change=body.min_change).to_dict()


REVIEW_ERRORS = INVALID | _errors(
    {
        400: "An id, actor, issue or position is not valid (the one-line reason)",
        404: "No scenario with this id, version name or hash",
    }
)


@router.get(
    "/review",
    summary="Claims and proposals still to review",
    operation_id="review_list",
    responses=REVIEW_ERRORS,
)
def review_list(
    request: Request,
    scenario: str = "ukraine-2025",
    actor: str | None = None,
    issue: str | None = None,
    all: bool = False,
) -> dict[str, Any]:
    """The ``review list --json`` result: pending claims per actor and issue with their sentences, and the
    pending proposals on the agreement layer (``all``: the decided ones too)."""
    svc = _service(request)
    return svc.review_list(svc.review_scenario(scenario), actor=actor, issue=issue, include_decided=all)


@router.post(
    "/review/accept",
    summary="Accept claims and proposals",
    operation_id="review_accept",
    responses=REVIEW_ERRORS,
)
def review_accept(request: Request, body: ReviewAccept) -> dict[str, Any]:
    """The ``review accept --json`` result; all or none."""
    svc = _service(request)
    scenario = svc.review_scenario(body.scenario) if body.actor is not None or body.issue is not None else None
    return svc.review_accept(
        [str(i) for i in body.ids],
        position=body.position,
        actor=body.actor,
        issue=body.issue,
        reason=body.reason,
        by=body.by,
        scenario=scenario,
    )


@router.post(
    "/review/reject",
    summary="Reject claims and proposals",
    operation_id="review_reject",
    responses=REVIEW_ERRORS,
)
def review_reject(request: Request, body: ReviewDecision) -> dict[str, Any]:
    """The ``review reject --json`` result; all or none."""
    return _service(request).review_reject([str(i) for i in body.ids], reason=body.reason, by=body.by)


@router.post(
    "/review/apply",
    summary="Apply the accepted evidence as the next scenario version",
    operation_id="review_apply",
    responses=REVIEW_ERRORS,
)
def review_apply(request: Request, body: ReviewApply) -> dict[str, Any]:
    """The ``review apply --json`` result (no file is written): the new version's name, hash and changes."""
    svc = _service(request)
    return svc.review_apply(svc.review_scenario(body.scenario), by=body.by)


@router.get(
    "/scenarios/{sid}/history",
    summary="The versions of a scenario id",
    operation_id="scenario_history",
    responses=INVALID,
)
def scenario_history(request: Request, sid: str) -> list[dict[str, Any]]:
    """The ``scenario history --json`` result, oldest first."""
    return _service(request).scenario_history(sid)


@router.get(
    "/versions/diff",
    summary="What changed between two versions, and the evidence that changed it",
    operation_id="scenario_diff",
    responses=REVIEW_ERRORS,
)
def scenario_diff(request: Request, a: str, b: str) -> dict[str, Any]:
    """The ``scenario diff --json`` result."""
    return _service(request).scenario_diff(a, b)


@router.get("/runs", summary="Recorded runs, newest first", responses=INVALID)
def runs(request: Request, limit: int = 50) -> list[RunSummary]:
    """The newest runs."""
    if not 1 <= limit <= 1000:
        raise HTTPException(422, "limit must be between 1 and 1000")
    return _service(request).runs(limit)


@router.get(
    "/runs/{run_id}",
    summary="One run with its results",
    response_model=RunView,
    responses=INVALID | _errors({404: "No run with this id"}),
)
def run(request: Request, run_id: int) -> Response:
    """Everything needed to reproduce a run, and its results."""
    # a run never changes once recorded: validate and encode its (often large) results once, keyed by what
    # identifies it, and answer with the bytes; the cheap summary look-up keeps a deleted run a 404
    svc = _service(request)
    stamp = svc.run_summary(run_id)["created_at"]
    body = request.app.state.memo.get(
        ("run-json", run_id, stamp), lambda: RunView.model_validate(svc.run(run_id)).model_dump_json().encode()
    )
    return Response(body, media_type="application/json")


@router.get(
    "/jobs/{job_id}",
    summary="Progress of a background forecast",
    responses=INVALID | _errors({404: "No job with this id (jobs are kept in memory)"}),
)
def job(request: Request, job_id: int) -> JobView:
    """State, progress and run id of a job started from the pages."""
    j = request.app.state.jobs.get(job_id)
    if j is None:
        raise HTTPException(404, "no job with this id")
    return j.as_dict()
