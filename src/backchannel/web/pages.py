"""The pages a person uses: scenarios, forecast, what-if, evidence, history (server-rendered HTML)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .. import charts
from ..files import builtin_article, builtin_ids
from ..models import model_names
from ..narrative import forecast_summary
from ..scenario.errors import InputError
from ..service import MAX_UPLOAD_BYTES
from .api import MAX_DRAWS, MAX_SEED
from .security import TOKEN_COOKIE, check_csrf, csrf_token

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

DEFAULT_MODELS = ("compromise",)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from a template, with the CSRF token and navigation flags."""
    context.setdefault("error", None)
    context.update(csrf=csrf_token(request), evidence_enabled=request.app.state.evidence_enabled)
    return templates.TemplateResponse(request, template, context, status_code=status)


def _svc(request: Request):
    return request.app.state.service


def _require_csrf(request: Request, token: str | None) -> None:
    if not check_csrf(request, token):
        raise HTTPException(403, "the form's CSRF token is missing or wrong; reload the page and try again")


@router.get("/")
def home() -> RedirectResponse:
    """Start at the scenario list."""
    return RedirectResponse("/scenarios", status_code=303)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form (only needed when the app has a token)."""
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, token: str = Form(...)) -> Response:
    """Set the login cookie when the token is right."""
    expected = request.app.state.token
    if not expected or token != expected:
        return render(request, "login.html", status=401, error="Wrong token.")
    resp = RedirectResponse("/scenarios", status_code=303)
    resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return resp


def _scenario_rows(request: Request) -> list[dict[str, Any]]:
    rows = []
    for r in _svc(request).scenario_list():
        rows.append({**r, "ref": r["id"] if r["where"] == "built-in" else r["hash"]})
    return rows


@router.get("/scenarios")
def scenarios(request: Request) -> HTMLResponse:
    """The list of scenarios and the upload form."""
    return render(request, "scenarios.html", scenarios=_scenario_rows(request), max_kb=MAX_UPLOAD_BYTES // 1024)


@router.post("/scenarios/upload")
async def upload(request: Request, file: UploadFile = File(...), csrf: str = Form("")) -> Response:
    """Validate and store an uploaded scenario; show the one-line error on the page when it is invalid."""
    _require_csrf(request, csrf)
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    try:
        digest, _ = _svc(request).upload(file.filename or "upload.yaml", data)
    except InputError as exc:
        return render(request, "scenarios.html", status=400, error=str(exc),
                      scenarios=_scenario_rows(request), max_kb=MAX_UPLOAD_BYTES // 1024)
    return RedirectResponse(f"/scenarios/{digest}", status_code=303)


def scenario_body(s) -> str:
    """The heat map and tables of a scenario page: they depend only on the scenario version."""
    values = {(p.actor, p.issue): p.position for p in s.positions}
    sal = {(p.actor, p.issue): p.salience for p in s.positions}
    notes = {a.id: f"cap {a.capability:.2f}" for a in s.actors}
    heat = charts.heatmap([a.id for a in s.actors], [i.id for i in s.issues], values, sal, notes)
    return templates.get_template("scenario_body.html").render(s=s, heatmap=heat)


@router.get("/scenarios/{ref}")
def scenario(request: Request, ref: str) -> HTMLResponse:
    """Actors × issues heat map, scales, positions with their citations, outcomes and levers."""
    digest, s = _svc(request).scenario_version(ref)
    body = request.app.state.memo.get(("scenario-body", digest), lambda: scenario_body(s))
    return render(request, "scenario.html", s=s, ref=ref, hash=digest, body=body, models=model_names(),
                  default_models=DEFAULT_MODELS, default_draws=request.app.state.default_draws, max_draws=MAX_DRAWS,
                  whatif_enabled=request.app.state.whatif_enabled)


@router.post("/scenarios/{ref}/forecast")
def start_forecast(request: Request, ref: str, models: list[str] = Form(default=[]), draws: int = Form(0),
                   seed: int = Form(0), csrf: str = Form("")) -> Response:
    """Start a forecast in the background and show its progress."""
    _require_csrf(request, csrf)
    svc = _svc(request)
    s = svc.scenario(ref)
    models = [m for m in models if m in model_names()] or list(DEFAULT_MODELS)
    if not 0 <= draws <= MAX_DRAWS or not 0 <= seed <= MAX_SEED:
        raise HTTPException(422, f"draws must be 0..{MAX_DRAWS} and seed 0..{MAX_SEED}")
    job = request.app.state.jobs.submit(
        f"Forecast of {s.id} ({', '.join(models)}, {draws} draws, seed {seed})",
        lambda progress: svc.forecast(s, models=models, draws=draws, seed=seed, progress=progress))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int) -> Response:
    """Progress of a background forecast; opens the run when it is finished."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no job with this id")
    # One snapshot: the worker may finish while the page renders, and the page must then still refresh.
    snap = job.as_dict()
    if snap["state"] == "finished" and snap["run_id"] is not None:
        return RedirectResponse(f"/runs/{snap['run_id']}", status_code=303)
    return render(request, "job.html", job=snap)


@router.get("/runs")
def runs(request: Request) -> HTMLResponse:
    """Every recorded run with what reproduces it."""
    return render(request, "runs.html", runs=_svc(request).runs(200))


def _cell(point: float | None, band: dict[str, float] | None) -> str:
    if point is None or (isinstance(point, float) and math.isnan(point)):
        return "–"
    text = f"{point:.1f}"
    if band:
        text += f" [{band['p05']:.1f}–{band['p95']:.1f}]"
    return text


def run_view(svc, run: dict[str, Any]) -> dict[str, Any]:
    """What the run page and the report show of a forecast run."""
    payload = run["results"]
    s = svc.store.scenario(run["scenario_hash"])
    models = list(payload.get("models", {}))
    series = {m: {i.id: {"point": payload["models"][m]["outcome"].get(i.id),
                         **(payload["models"][m].get("distribution", {}).get(i.id) or {})}
                  for i in s.issues} for m in models}
    chart = charts.interval_chart([i.id for i in s.issues], series, {i.id: i.status_quo for i in s.issues},
                                  title="Forecast per issue: dot = point forecast, box = 25–75 %, line = 5–95 %")
    rows = [{"issue": i.name, "sq": "–" if i.status_quo is None else f"{i.status_quo:g}",
             "cells": [_cell(payload["models"][m]["outcome"].get(i.id),
                             payload["models"][m].get("distribution", {}).get(i.id)) for m in models]}
            for i in s.issues]
    outcomes = payload.get("outcomes") or {}
    outcome_models = list(outcomes)
    labels = [o.id for o in s.outcomes] + (["unnamed"] if outcomes else [])
    outcome_rows = [(k, [f"{100 * outcomes[m].get(k, 0.0):.1f} %" for m in outcome_models]) for k in labels]
    outcome_chart = charts.bar_chart(labels, outcomes, title="Probability of each named outcome") if outcomes else ""
    return {"scenario": s, "models": models, "chart": chart, "rows": rows, "summary": forecast_summary(s, payload),
            "outcome_chart": outcome_chart, "outcome_models": outcome_models, "outcome_rows": outcome_rows}


def cached_run(request: Request, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(run with results, its page view), built once per recorded run; a cheap look-up checks it still exists."""
    svc = _svc(request)
    stamp = svc.run_summary(run_id)["created_at"]

    def make() -> tuple[dict[str, Any], dict[str, Any]]:
        run = svc.run(run_id)
        return run, run_view(svc, run)

    return request.app.state.memo.get(("run", run_id, stamp), make)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int) -> HTMLResponse:
    """A forecast run: charts, models side by side, outcome probabilities, summary, reproduction data."""
    run, view = cached_run(request, run_id)
    return render(request, "run.html", run=run, **view)


@router.get("/articles/{name}")
def article(request: Request, name: str, q: str = "") -> HTMLResponse:
    """An article shipped with the package, with the cited sentence highlighted."""
    text = builtin_article(Path(name).name)
    pos = text.find(q) if q else -1
    found = pos >= 0
    before, match, after = (text[:pos], text[pos:pos + len(q)], text[pos + len(q):]) if found else (text, "", "")
    return render(request, "article.html", document=name, q=q, found=found, before=before, match=match, after=after)


__all__ = ["router", "render", "run_view", "builtin_ids"]
