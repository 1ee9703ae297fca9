"""The question ledger and run comparison on the web: JSON API (in /openapi.json) and pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ..report.history import history_chart
from ..scenario.errors import InputError
from .api import INVALID, _errors
from .pages import _require_csrf, render

__all__ = ["api_router", "page_router"]

api_router = APIRouter(prefix="/api", tags=["api"], responses=_errors({401: "The app has a token and none was sent"}))
page_router = APIRouter(include_in_schema=False)


class QuestionRequest(BaseModel):
    """A question to add: will the scenario's named outcome (or a deal) come true by a date?"""

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    scenario: str = Field(min_length=1, max_length=200, description="A built-in id or a stored scenario's id")
    outcome: str = Field(min_length=1, max_length=200, description="A named outcome id, or 'deal'")
    resolves_by: dt.date
    criteria: str = Field(min_length=1, max_length=4000)


class ResolveRequest(BaseModel):
    """A resolution; ``amend`` (a reason) is required to resolve a question again."""

    answer: Literal["yes", "no"]
    on: dt.date
    amend: str | None = Field(None, min_length=1, max_length=2000)


def _ledger(request: Request):
    return request.app.state.service.ledger


@api_router.get("/questions", summary="Questions with their resolution and latest headline probability")
def questions(request: Request) -> list[dict[str, Any]]:
    """Every question of the ledger."""
    return _ledger(request).list_questions()


@api_router.post(
    "/questions",
    status_code=201,
    summary="Add a question",
    responses=INVALID
    | _errors(
        {400: "The scenario, outcome or id is not allowed (the one-line reason)", 404: "No scenario with this id"}
    ),
)
def add_question(request: Request, body: QuestionRequest) -> dict[str, Any]:
    """The same as ``backchannel question add``."""
    return _ledger(request).add(body.id, body.scenario, body.outcome, body.resolves_by, body.criteria)


@api_router.get("/questions/score", summary="Scores of the resolved questions (as 'question score --json')")
def score(request: Request) -> dict[str, Any]:
    """Brier, log score, decomposition and reliability of the headline; per model and baselines."""
    return _ledger(request).score()


@api_router.get(
    "/questions/{qid}",
    summary="One question with its full history",
    responses=INVALID | _errors({404: "No question with this id"}),
)
def question(request: Request, qid: str) -> dict[str, Any]:
    """Every recorded probability (one per run and model) and every resolution entry."""
    return _ledger(request).question(qid)


@api_router.post(
    "/questions/{qid}/resolve",
    summary="Resolve a question (again only with an amendment reason)",
    responses=INVALID
    | _errors({400: "Already resolved and no amendment reason given", 404: "No question with this id"}),
)
def resolve(request: Request, qid: str, body: ResolveRequest) -> dict[str, Any]:
    """The same as ``backchannel question resolve``."""
    return _ledger(request).resolve(qid, body.answer == "yes", body.on, body.amend)


@api_router.get(
    "/runs/{a}/compare/{b}",
    summary="What changed from run A to run B",
    responses=INVALID | _errors({400: "Not forecast runs", 404: "No run with this id"}),
)
def compare(request: Request, a: int, b: int) -> dict[str, Any]:
    """The same as ``backchannel runs compare A B --json``."""
    return request.app.state.service.compare_runs(a, b)


# -- pages ------------------------------------------------------------------------------------------
@page_router.get("/questions")
def questions_page(request: Request) -> HTMLResponse:
    """The ledger: questions, the add form, and the scores."""
    ledger = _ledger(request)
    return render(request, "questions.html", questions=ledger.list_questions(), score=ledger.score())


@page_router.post("/questions")
def add_question_page(
    request: Request,
    qid: str = Form(""),
    scenario: str = Form(""),
    outcome: str = Form(""),
    resolves_by: str = Form(""),
    criteria: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    """Add a question from the form; the one-line error on the page when it is refused."""
    _require_csrf(request, csrf)
    ledger = _ledger(request)
    try:
        ledger.add(qid, scenario, outcome, resolves_by, criteria)
    except InputError as exc:
        return render(
            request,
            "questions.html",
            status=400,
            error=str(exc),
            questions=ledger.list_questions(),
            score=ledger.score(),
        )
    return RedirectResponse(f"/questions/{qid}", status_code=303)


@page_router.get("/questions/{qid}")
def question_page(request: Request, qid: str) -> HTMLResponse:
    """A question's probability over time (one point per recorded run), its resolutions and the resolve form."""
    q = _ledger(request).question(qid)
    return render(request, "question.html", q=q, chart=history_chart(q))


@page_router.post("/questions/{qid}/resolve")
def resolve_page(
    request: Request, qid: str, answer: str = Form(""), on: str = Form(""), amend: str = Form(""), csrf: str = Form("")
) -> Response:
    """Resolve from the form; resolving again needs the amendment reason."""
    _require_csrf(request, csrf)
    ledger = _ledger(request)
    try:
        if answer not in ("yes", "no"):
            raise InputError("say how the question resolved", field="answer", value=answer, allowed="yes, no")
        ledger.resolve(qid, answer == "yes", on, amend.strip() or None)
    except InputError as exc:
        q = ledger.question(qid)
        return render(request, "question.html", status=400, error=str(exc), q=q, chart=history_chart(q))
    return RedirectResponse(f"/questions/{qid}", status_code=303)


@page_router.get("/compare")
def compare_page(request: Request, a: int, b: int) -> HTMLResponse:
    """Two runs side by side: inputs that differ, scenario changes, per-issue forecasts and probabilities."""
    return render(request, "compare.html", c=request.app.state.service.compare_runs(a, b))
