"""The pages a person uses: scenarios, forecast, what-if, evidence, history (server-rendered HTML)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..app.files import builtin_article, builtin_ids
from ..app.results import ForecastRun
from ..models import model_names
from ..analysis.whatif import WhatIf, variant_of
from ..ensemble.levers import check_intensity
from ..report.view import change_label, forecast_view, headline_view, heatmap_of, whatif_view
from ..scenario.errors import InputError
from ..app.defaults import HEADLINE_MODEL, default_models, headline_model
from ..app.service import MAX_UPLOAD_BYTES
from .api import MAX_DRAWS, MAX_SEED, check_cost
from .evidence_view import KINDS, highlighted_html, matches, timeline
from .worker import forecast_job, whatif_job
from .security import SESSION_COOKIE, check_csrf, csrf_token, same_secret, set_session

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

# the headline models: combined first when its cross-validated scores allow it (models/combined.py)
DEFAULT_MODELS = tuple(default_models())


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from a template, with the CSRF token and navigation flags."""
    context.setdefault("error", None)
    context.update(
        csrf=csrf_token(request),
        signed_in=bool(request.app.state.token)
        and request.app.state.sessions.valid(request.cookies.get(SESSION_COOKIE)),
    )
    return templates.TemplateResponse(request, template, context, status_code=status)


def _svc(request: Request):
    return request.app.state.service


def _text(value: object) -> str | None:
    """A form field's text (None for a missing field or an uploaded file)."""
    return value if isinstance(value, str) else None


def _require_csrf(request: Request, token: str | None) -> None:
    if not check_csrf(request, token):
        raise HTTPException(403, "the form's CSRF token is missing or wrong; reload the page and try again")


FIRST_SCENARIO = "ukraine-2025"


@router.get("/")
def home(request: Request) -> HTMLResponse:
    """The first-run page: what to do first (open the built-in scenario, run a forecast, upload a scenario,
    ingest news), and the latest runs once there are some."""
    builtin = FIRST_SCENARIO if FIRST_SCENARIO in builtin_ids() else builtin_ids()[0]
    return render(
        request,
        "home.html",
        builtin=builtin,
        builtin_title=_svc(request).scenario(builtin).title,
        headline_model=HEADLINE_MODEL,
        default_models=DEFAULT_MODELS,
        default_draws=request.app.state.default_draws,
        runs=_svc(request).runs(5),
    )


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form (only needed when the app has a token)."""
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, token: str = Form(...), csrf: str = Form("")) -> Response:
    """Sign in: a signed session cookie with an expiry when the token is right (compared in constant time)."""
    _require_csrf(request, csrf)
    if not same_secret(token, request.app.state.token):
        return render(request, "login.html", status=401, error="Wrong token.")
    resp = RedirectResponse("/", status_code=303)
    set_session(request, resp)
    return resp


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    """Sign out: the session cookie is revoked and deleted."""
    _require_csrf(request, csrf)
    request.app.state.sessions.revoke(request.cookies.get(SESSION_COOKIE))
    resp = RedirectResponse("/login" if request.app.state.token else "/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return resp


def _scenario_rows(request: Request) -> list[dict[str, Any]]:
    from ..app.review import version_names

    names = version_names(_svc(request).store)  # "ukraine-2025@v2": tells same-titled versions apart
    rows = []
    for r in _svc(request).scenario_list():
        ref = r["id"] if r["where"] == "built-in" else r["hash"]
        rows.append({**r, "ref": ref, "name": names.get(r["hash"], "") if r["where"] == "store" else ""})
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
        return render(
            request,
            "scenarios.html",
            status=400,
            error=str(exc),
            scenarios=_scenario_rows(request),
            max_kb=MAX_UPLOAD_BYTES // 1024,
        )
    return RedirectResponse(f"/scenarios/{digest}", status_code=303)


def scenario_body(s) -> str:
    """The heat map and tables of a scenario page: they depend only on the scenario version."""
    return templates.get_template("scenario_body.html").render(s=s, heatmap=heatmap_of(s))


@router.get("/scenarios/{ref}")
def scenario(request: Request, ref: str) -> HTMLResponse:
    """Actors × issues heat map, scales, positions with their citations, outcomes and levers."""
    digest, s = _svc(request).scenario_version(ref)
    body = request.app.state.memo.get(("scenario-body", digest), lambda: scenario_body(s))
    return render(
        request,
        "scenario.html",
        s=s,
        ref=ref,
        hash=digest,
        body=body,
        models=model_names(),
        default_models=DEFAULT_MODELS,
        default_draws=request.app.state.default_draws,
        max_draws=MAX_DRAWS,
    )


def _run_settings(models: list, draws: int, seed: int, variants: int = 1) -> list[str]:
    """The registered models among those ticked (the default when none is); 422 for draws or seed out of range
    or a run past the per-request cost limit."""
    if not 0 <= draws <= MAX_DRAWS or not 0 <= seed <= MAX_SEED:
        raise HTTPException(422, f"draws must be 0..{MAX_DRAWS} and seed 0..{MAX_SEED}")
    chosen = [m for m in models if m in model_names()] or list(DEFAULT_MODELS)
    check_cost(draws, chosen, variants)
    return chosen


@router.post("/scenarios/{ref}/forecast")
def start_forecast(
    request: Request,
    ref: str,
    models: list[str] = Form(default=[]),
    draws: int = Form(0),
    seed: int = Form(0),
    csrf: str = Form(""),
) -> Response:
    """Start a forecast in the background and show its progress."""
    _require_csrf(request, csrf)
    svc = _svc(request)
    s = svc.scenario(ref)
    models = _run_settings(models, draws, seed)
    job = request.app.state.jobs.submit(
        f"Forecast of {s.id} ({', '.join(models)}, {draws} draws, seed {seed})",
        forecast_job(svc, s, models=models, draws=draws, seed=seed),
    )
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


def run_view(svc, run: dict[str, Any]) -> dict[str, Any]:
    """What the run page shows: a forecast's charts and tables, or a what-if's side-by-side tables."""
    s = svc.store.scenario(run["scenario_hash"])
    if run["kind"] == "whatif":
        return {"scenario": s, "whatif": whatif_view(s, WhatIf.from_dict(run["results"]))}
    forecast = ForecastRun.from_dict(run["results"]).recorded(run["id"])
    view = {"scenario": s, **forecast_view(s, forecast), **headline_view(s, svc.headline(s, forecast))}
    if s.markets is not None and forecast.outcomes:
        view["markets"] = svc.markets(s, forecast, headline_model(forecast.outcomes))
    return view


def _implied(request: Request) -> dict[str, float]:
    """``implied:OUTCOME`` query parameters of the priced-in form, in percent, as probabilities (blank: left out)."""
    out: dict[str, float] = {}
    for key, raw in request.query_params.multi_items():
        if not key.startswith("implied:") or raw.strip() == "":
            continue
        try:
            out[key.removeprefix("implied:")] = float(raw) / 100.0
        except ValueError:
            raise InputError(
                "a priced-in probability must be a number of percent",
                field=key.removeprefix("implied:"),
                value=raw,
                allowed="0..100",
            ) from None
    return out


def cached_run(request: Request, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(run with results, its page view), built once per recorded run; a cheap look-up checks it still exists."""
    svc = _svc(request)
    stamp = svc.run_summary(run_id)["created_at"]

    def make() -> tuple[dict[str, Any], dict[str, Any]]:
        run = svc.run(run_id)
        try:
            return run, run_view(svc, run)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:  # damaged stored results
            raise InputError(
                f"run {run_id} cannot be shown: its stored results are damaged ({type(exc).__name__})",
                field="run",
                value=run_id,
                allowed="a run recorded by this version; forecast again",
            ) from None

    return request.app.state.memo.get(("run", run_id, stamp), make)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int) -> HTMLResponse:
    """A run: a forecast (charts, models side by side, outcome probabilities, summary) or a what-if (baseline
    and variant side by side), with what reproduces it."""
    run, view = cached_run(request, run_id)
    try:
        implied = _implied(request)
        if implied and view.get("markets"):
            forecast = ForecastRun.from_dict(run["results"])
            view = {
                **view,
                "markets": _svc(request).markets(view["scenario"], forecast, view["markets"].model, implied=implied),
            }
    except InputError as exc:
        return render(request, "run.html", status=400, error=str(exc), run=run, implied={}, **view)
    return render(request, "run.html", run=run, implied={k: f"{100 * v:g}" for k, v in implied.items()}, **view)


def _overrides(form, scenario) -> dict[str, float]:
    """``set:actor.issue.field`` form fields whose value differs from the scenario's."""
    out: dict[str, float] = {}
    for key, raw in form.multi_items():
        if not key.startswith("set:") or raw in ("", None):
            continue
        path = key.removeprefix("set:")
        try:
            value = float(raw)
        except ValueError:
            raise InputError("not a number", field=path, value=raw) from None
        actor, issue, field = (path.split(".") + ["", "", ""])[:3]
        current = scenario.position(actor, issue)
        if current is None or getattr(current, field, None) != value:
            out[path] = value
    return out


@router.get("/scenarios/{ref}/whatif")
def whatif_page(request: Request, ref: str) -> HTMLResponse:
    """Toggle levers and edit positions and saliences, then compare with the baseline."""
    s = _svc(request).scenario(ref)
    return render(
        request,
        "whatif.html",
        s=s,
        ref=ref,
        models=model_names(),
        default_models=DEFAULT_MODELS,
        default_draws=request.app.state.default_draws,
        max_draws=MAX_DRAWS,
    )


@router.post("/scenarios/{ref}/whatif")
async def run_whatif(request: Request, ref: str) -> Response:
    """Run the what-if (baseline and variant on common random numbers), record it, and show it."""
    form = await request.form()
    _require_csrf(request, _text(form.get("csrf")))
    svc = _svc(request)
    s = svc.scenario(ref)
    levers = [lv for lv in form.getlist("levers") if isinstance(lv, str)]
    intensity_raw = {lv: form.get(f"intensity:{lv}") for lv in levers}
    try:
        draws, seed = int(_text(form.get("draws")) or 0), int(_text(form.get("seed")) or 0)
    except ValueError:
        raise HTTPException(422, "draws and seed must be whole numbers") from None
    models = _run_settings(form.getlist("models"), draws, seed, variants=2)
    try:  # a bad lever or value is shown on the form at once, not found later by the job
        overrides = _overrides(form, s)
        intensity = {
            lv: check_intensity(lv, raw)
            for lv, raw in intensity_raw.items()
            if isinstance(raw, str) and raw.strip() not in ("", "1")
        }
        variant_of(s, levers, overrides, intensity)
    except InputError as exc:
        return render(
            request,
            "whatif.html",
            status=400,
            error=str(exc),
            s=s,
            ref=ref,
            models=model_names(),
            default_models=DEFAULT_MODELS,
            default_draws=draws,
            max_draws=MAX_DRAWS,
        )
    job = request.app.state.jobs.submit(
        f"What-if of {s.id}: {change_label(levers, overrides, intensity)} ({', '.join(models)}, {draws} draws, "
        f"seed {seed})",
        whatif_job(
            svc, s, levers=levers, overrides=overrides, models=models, draws=draws, seed=seed, intensity=intensity
        ),
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/evidence")
def evidence(request: Request, actor: str = "", issue: str = "") -> HTMLResponse:
    """Ingested documents, filterable by actor and issue, and a timeline of deadlines and events."""
    svc = _svc(request)
    docs = [svc.document(d["id"]) | {"counts": d} for d in svc.documents()]
    actors = sorted(
        {it["actor"] for d in docs for k in ("mentions", "claims", "quotes") for it in d[k] if it.get("actor")}
    )
    issues = sorted({c["issue"] for d in docs for c in d["claims"] if c.get("issue")})
    wanted = (actor or None, issue or None)
    shown = [
        d["counts"]
        for d in docs
        if wanted == (None, None) or any(matches(it, k, *wanted) for k in KINDS for it in d[k])
    ]
    query = "?" + urlencode({"actor": actor, "issue": issue}) if actor or issue else ""
    return render(
        request,
        "evidence.html",
        documents=shown,
        actors=actors,
        issues=issues,
        actor=actor,
        issue=issue,
        query=query,
        timeline=timeline(docs, actor or None),
    )


@router.get("/evidence/{doc_id}")
def document(request: Request, doc_id: int, actor: str = "", issue: str = "") -> HTMLResponse:
    """One document with its quotes, claims, deadlines and events highlighted in the text."""
    doc = _svc(request).document(doc_id)
    claims = [c for c in doc["claims"] if matches(c, "claims", actor or None, issue or None)]
    quotes = [q for q in doc["quotes"] if matches(q, "quotes", actor or None, None)] if not issue else []
    return render(
        request,
        "document.html",
        doc=doc,
        actor=actor,
        issue=issue,
        claims=claims,
        quotes=quotes,
        body=highlighted_html(doc, actor or None, issue or None),
    )


@router.get("/articles/{name}")
def article(request: Request, name: str, q: str = "") -> HTMLResponse:
    """An article shipped with the package, with the cited sentence highlighted."""
    text = builtin_article(Path(name).name)
    pos = text.find(q) if q else -1
    found = pos >= 0
    before, match, after = (text[:pos], text[pos : pos + len(q)], text[pos + len(q) :]) if found else (text, "", "")
    return render(request, "article.html", document=name, q=q, found=found, before=before, match=match, after=after)


__all__ = ["router", "render", "run_view", "builtin_ids"]
