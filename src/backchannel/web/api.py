"""The JSON API: the same operations as the CLI, described by OpenAPI at /openapi.json."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from ..models import model_names
from ..scenario.formats.native import to_plain
from ..scenario.identity import scenario_hash

router = APIRouter(prefix="/api", tags=["api"])

MAX_DRAWS = 20000


class Upload(BaseModel):
    """A scenario file sent as text."""

    filename: str = Field("upload.yaml", max_length=200, description="Its name; the suffix tells the format")
    content: str = Field(max_length=2_000_000, description="The file's text")
    format: str | None = Field(None, description="yaml, json, decide, ktab or table; default: from the name")


class ForecastRequest(BaseModel):
    """What to forecast, with which models, draws and seed."""

    scenario: str = Field("ukraine-2025", max_length=200, description="Built-in id, or stored hash or id")
    models: list[str] = Field(default_factory=lambda: ["compromise"], min_length=1, max_length=10)
    draws: int = Field(0, ge=0, le=MAX_DRAWS)
    seed: int = Field(0, ge=0, le=2**32 - 1)


def _service(request: Request):
    return request.app.state.service


@router.get("/models", summary="Registered model names")
def models() -> list[str]:
    """The models a forecast can use."""
    return model_names()


@router.get("/scenarios", summary="Built-in and stored scenarios")
def scenarios(request: Request) -> list[dict[str, Any]]:
    """Every scenario the app knows."""
    return _service(request).scenario_list()


@router.post("/scenarios", status_code=201, summary="Upload a scenario file (validated, stored)")
def upload(request: Request, body: Upload) -> dict[str, Any]:
    """Parse and store a scenario sent as text; 400 with the one-line error when it is invalid."""
    digest, s = _service(request).upload(body.filename, body.content.encode("utf-8"), body.format)
    return {"hash": digest, "id": s.id, "actors": len(s.actors), "issues": len(s.issues)}


@router.get("/scenarios/{ref}", summary="One scenario in the native format")
def scenario(request: Request, ref: str) -> dict[str, Any]:
    """The scenario as native JSON, with its content hash."""
    s = _service(request).scenario(ref)
    return {"hash": scenario_hash(s), "scenario": to_plain(s)}


@router.post("/forecasts", summary="Run a forecast and record it")
def forecast(request: Request, body: ForecastRequest) -> dict[str, Any]:
    """Run the models on a scenario; the result is recorded as a run (``run_id``)."""
    for m in body.models:
        if m not in model_names():
            raise HTTPException(422, f"unknown model {m!r}; allowed: {', '.join(model_names())}")
    svc = _service(request)
    return svc.forecast(svc.scenario(body.scenario), models=body.models, draws=body.draws, seed=body.seed)


@router.get("/runs", summary="Recorded runs, newest first")
def runs(request: Request, limit: int = 50) -> list[dict[str, Any]]:
    """The newest runs."""
    if not 1 <= limit <= 1000:
        raise HTTPException(422, "limit must be between 1 and 1000")
    return _service(request).runs(limit)


@router.get("/runs/{run_id}", summary="One run with its results")
def run(request: Request, run_id: int) -> dict[str, Any]:
    """Everything needed to reproduce a run, and its results."""
    if not 0 <= run_id < 2**31:
        raise HTTPException(404, "no run with this id")
    return _service(request).run(run_id)


@router.get("/jobs/{job_id}", summary="Progress of a background forecast")
def job(request: Request, job_id: int) -> dict[str, Any]:
    """State, progress and run id of a job started from the pages."""
    j = request.app.state.jobs.get(job_id)
    if j is None:
        raise HTTPException(404, "no job with this id")
    return j.as_dict()
