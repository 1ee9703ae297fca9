"""The review pages: pending claims to accept or reject, apply as a new version, history and diff."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..app import review
from ..app.files import builtin_ids, load_scenario
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from .pages import _require_csrf, render

router = APIRouter(include_in_schema=False)


def _store(request: Request):
    return request.app.state.service.store


def _scenario(request: Request, ref: str) -> Scenario:
    """A version name or hash from the store; a built-in id means its newest reviewed version."""
    store = _store(request)
    if "@v" in ref or ref not in builtin_ids():
        return review.resolve_version(store, ref)[1]
    versions = review.history(store, ref)
    return store.scenario(versions[-1]["hash"]) if versions else load_scenario(ref)


def _page(
    request: Request,
    ref: str,
    actor: str | None,
    issue: str | None,
    status: int = 200,
    error: str | None = None,
    done: str | None = None,
) -> HTMLResponse:
    s = _scenario(request, ref)
    rows = review.pending(_store(request), s, actor=actor or None, issue=issue or None)
    proposals = review.pending_proposals(_store(request), s, actor=actor or None, issue=issue or None)
    for p in proposals:
        p["summary"] = review.describe_proposal(p, s)
    current = {(p.actor, p.issue): p.position for p in s.positions}
    for r in rows:
        r["now"] = current.get((r["actor"], r["issue"]))
    return render(
        request,
        "review.html",
        status=status,
        error=error,
        done=done,
        ref=ref,
        s=s,
        claims=rows,
        proposals=proposals,
        actor=actor or "",
        issue=issue or "",
        actors=[a.id for a in s.actors],
        issues=[i.id for i in s.issues],
        reviewer=review.default_reviewer(),
        history=review.history(_store(request), s.id),
    )


@router.get("/review")
def review_page(
    request: Request, scenario: str = "ukraine-2025", actor: str = "", issue: str = "", done: str = ""
) -> HTMLResponse:
    """Pending claims per actor and issue, each with its sentence in context, to accept or reject."""
    return _page(request, scenario, actor, issue, done=done[:40] or None)


@router.post("/review/decide")
async def decide(request: Request) -> Response:
    """Accept or reject the ticked claims (all or none), with position, reason and reviewer."""
    form = await request.form()
    _require_csrf(request, str(form.get("csrf", "")))
    ref = str(form.get("scenario") or "ukraine-2025")
    actor, issue = str(form.get("actor") or ""), str(form.get("issue") or "")
    decision = "accepted" if form.get("decision") == "accept" else "rejected"
    try:
        ids = [str(v) for v in form.getlist("claim")]
        raw = str(form.get("position") or "").strip()
        position = float(raw) if raw else None
    except ValueError:
        return _page(request, ref, actor, issue, 400, "--position must be a number")
    to_actor, to_issue = str(form.get("to_actor") or "") or None, str(form.get("to_issue") or "") or None
    try:
        claims, proposals = review.parse_ids(ids)
        review.decide(
            _store(request),
            claims,
            decision,
            position=position,
            reason=str(form.get("reason") or "") or None,
            by=str(form.get("by") or "") or None,
            actor=to_actor,
            issue=to_issue,
            scenario=_scenario(request, ref),
            proposal_ids=proposals,
        )
    except InputError as exc:
        return _page(request, ref, actor, issue, 400, str(exc))
    query = urlencode({"scenario": ref, "actor": actor, "issue": issue, "done": f"{decision} {len(ids)}"})
    return RedirectResponse(f"/review?{query}", status_code=303)


@router.post("/review/apply")
def apply(request: Request, scenario: str = Form("ukraine-2025"), by: str = Form(""), csrf: str = Form("")) -> Response:
    """Apply the accepted claims with the update rule; show the new version's diff."""
    _require_csrf(request, csrf)
    _, version = review.apply_reviewed(_store(request), _scenario(request, scenario), by=by or None)
    parent = review.history(_store(request), version["scenario"])[version["number"] - 2]["name"]
    return RedirectResponse(f"/versions/diff?{urlencode({'a': parent, 'b': version['name']})}", status_code=303)


@router.get("/scenarios/{sid}/history")
def history(request: Request, sid: str) -> HTMLResponse:
    """The versions of a scenario id, with links to each diff."""
    return render(request, "versions.html", sid=sid, versions=review.history(_store(request), sid))


@router.get("/versions/diff")
def diff(request: Request, a: str, b: str) -> HTMLResponse:
    """What changed between two versions, and which sentences changed it."""
    d: dict[str, Any] = review.diff_versions(_store(request), a, b)
    return render(request, "diff.html", d=d)
