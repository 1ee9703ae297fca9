"""The question ledger's operations: add, list, resolve and score questions, and record forecast runs.

A question asks whether a named outcome of a scenario (or, with the agreement layer, a deal) comes
true by a date. Every forecast run with draws records, dated by the run (or its as-of date), each
model's probability of every open question of its scenario; the headline model is ``combined``
when the run has it, else the run's first model. ``score`` judges each resolved question by its
last record dated before the resolution date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable

import numpy as np

from ..analysis.scoring import brier, log_score, murphy_decomposition, reliability_table
from ..scenario.errors import InputError
from ..scenario.schema import Scenario
from ..store import Store
from ..store import questions as db
from ..store.questions import NewRecord, Question, Record, Resolution

__all__ = ["DEAL", "HEADLINE_MODEL", "Ledger", "headline_model", "parse_date", "probability_of"]

#: the outcome name of "a deal is reached" (the agreement layer's ``p_deal``)
DEAL = "deal"
#: the headline model of a run when it has it
HEADLINE_MODEL = "combined"
_QID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")


def parse_date(value: str | dt.date, field: str) -> dt.date:
    """An ISO date (YYYY-MM-DD), or an InputError naming the field."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError("not a date", field=field, value=value, allowed="YYYY-MM-DD") from None


def headline_model(models: list[str]) -> str:
    """The model whose probability a run puts forward: ``combined`` if run, else the first model."""
    return HEADLINE_MODEL if HEADLINE_MODEL in models else models[0]


def probability_of(payload: dict[str, Any], model: str, outcome: str) -> float | None:
    """A model's probability of a named outcome (or of a deal) in a forecast payload; None when absent."""
    if outcome == DEAL:
        value = ((payload.get("agreement") or {}).get(model) or {}).get("p_deal")
    else:
        value = ((payload.get("outcomes") or {}).get(model) or {}).get(outcome)
    return None if value is None else float(value)


def _plain(x: float) -> float | None:
    """NaN as None (the JSON printers refuse NaN)."""
    return None if x is None or math.isnan(x) else float(x)


class Ledger:
    """Questions over one store; ``scenario_of(ref)`` reads a built-in or stored scenario."""

    def __init__(self, store: Store, scenario_of: Callable[[str], Scenario]) -> None:
        self.store = store
        self.scenario_of = scenario_of

    # -- questions ------------------------------------------------------------------------------
    def add(self, qid: str, scenario: str, outcome: str, resolves_by: str | dt.date, criteria: str) -> dict[str, Any]:
        """Add a question about a scenario id's named outcome (or ``deal``) resolving by a date."""
        if not _QID.match(qid):
            raise InputError(
                "bad question id",
                field="QID",
                value=qid,
                allowed="letters, digits, and _ . : - (up to 200 characters, starting with a letter or digit)",
            )
        if not criteria.strip():
            raise InputError(
                "empty resolution criteria",
                field="--criteria",
                value=criteria,
                allowed="a sentence saying how the question resolves",
            )
        by = parse_date(resolves_by, "--resolves-by")
        s = self.scenario_of(scenario)
        named = [o.id for o in s.outcomes]
        if outcome != DEAL and outcome not in named:
            raise InputError(
                "the scenario has no such named outcome",
                field="--outcome",
                value=outcome,
                allowed=", ".join([*named, DEAL]),
            )
        return db.add_question(self.store, qid, s.id, outcome, by, criteria.strip()).to_dict()

    def _view(self, q: Question, recs: list[Record], res: list[Resolution]) -> dict[str, Any]:
        head = [r for r in recs if r.headline]
        out = q.to_dict()
        out["resolution"] = res[-1].to_dict() if res else None
        out["amendments"] = len(res) - 1 if res else 0
        out["records"] = len(recs)
        out["latest"] = (
            None
            if not head
            else {
                "probability": head[-1].probability,
                "model": head[-1].model,
                "as_of": head[-1].as_of.isoformat(),
                "run_id": head[-1].run_id,
            }
        )
        return out

    def list_questions(self) -> list[dict[str, Any]]:
        """Every question with its resolution in force, its number of records and its latest headline probability."""
        recs, res = db.records(self.store), db.resolutions(self.store)
        return [
            self._view(q, [r for r in recs if r.question == q.id], [r for r in res if r.question == q.id])
            for q in db.questions(self.store)
        ]

    def resolve(self, qid: str, answer: bool, on: str | dt.date, amend: str | None = None) -> dict[str, Any]:
        """Resolve a question; resolving again needs ``amend`` (a reason), and adds a superseding entry."""
        q = db.get_question(self.store, qid)
        when = parse_date(on, "--on")
        earlier = db.resolutions(self.store, q.id)
        if earlier and not (amend and amend.strip()):
            raise InputError(
                "the question is already resolved",
                field="QID",
                value=qid,
                allowed="--amend REASON to supersede the resolution of " + earlier[-1].resolved_on.isoformat(),
            )
        if amend is not None and not earlier:
            raise InputError(
                "nothing to amend: the question is not resolved yet",
                field="--amend",
                value=amend,
                allowed="resolve without --amend",
            )
        db.add_resolution(self.store, q.id, answer, when, amend.strip() if amend else None)
        return self.question(q.id)

    def question(self, qid: str) -> dict[str, Any]:
        """One question with its full history: every record (one point per run and model) and every resolution."""
        q = db.get_question(self.store, qid)
        recs, res = db.records(self.store, q.id), db.resolutions(self.store, q.id)
        out = self._view(q, recs, res)
        out["history"] = [r.to_dict() for r in recs]
        out["resolutions"] = [r.to_dict() for r in res]
        return out

    def questions_about(self, scenario: str) -> list[dict[str, Any]]:
        """Every question about a scenario id, each with its full history (for the report's charts)."""
        return [self.question(q.id) for q in db.questions_for(self.store, scenario)]

    # -- recording ------------------------------------------------------------------------------
    def record(self, run_id: int, scenario: Scenario, payload: dict[str, Any], as_of: dt.date) -> int:
        """Record every model's probability of each open question of the run's scenario; returns how many."""
        if not payload.get("draws"):
            return 0
        models = list(payload.get("models") or {})
        if not models:
            return 0
        head = headline_model(models)
        resolved = {r.question for r in db.resolutions(self.store)}
        new = []
        for q in db.questions_for(self.store, scenario.id):
            if q.id in resolved:
                continue
            choices = 2 if q.outcome == DEAL else len(scenario.outcomes) + 1
            for m in models:
                p = probability_of(payload, m, q.outcome)
                if p is not None:
                    new.append(NewRecord(q.id, m, m == head, p, choices))
        return db.add_records(self.store, run_id, as_of, new)

    # -- scores ---------------------------------------------------------------------------------
    def score(self) -> dict[str, Any]:
        """Brier and log scores of the resolved questions: headline, per model, and two baselines."""
        latest: dict[str, Resolution] = {}
        for entry in db.resolutions(self.store):
            latest[entry.question] = entry
        recs = db.records(self.store)
        head_p: list[float] = []
        outcome: list[float] = []
        uniform: list[float] = []
        per_model: dict[str, tuple[list[float], list[float]]] = {}
        for qid, res in sorted(latest.items()):
            before = [r for r in recs if r.question == qid and r.as_of < res.resolved_on]
            heads = [r for r in before if r.headline]
            if not heads:
                continue
            y = 1.0 if res.answer else 0.0
            head_p.append(heads[-1].probability)
            outcome.append(y)
            uniform.append(1.0 / heads[-1].choices)
            last: dict[str, Record] = {}
            for r in before:
                last[r.model] = r
            for m, r in last.items():
                ps, ys = per_model.setdefault(m, ([], []))
                ps.append(r.probability)
                ys.append(y)
        n = len(outcome)
        y_arr = np.array(outcome)
        # leave-one-out base rate: the share of yes among the other resolved questions (0.5 with none)
        base = np.full(n, 0.5) if n < 2 else (y_arr.sum() - y_arr) / (n - 1)
        decomposition = murphy_decomposition(head_p, outcome)
        return {
            "n": n,
            "brier": _plain(brier(head_p, outcome)),
            "log": _plain(log_score(head_p, outcome)),
            "decomposition": {k: _plain(v) for k, v in decomposition.to_dict().items()},
            "reliability": [
                {"bin": r["bin"], "forecast_mean": r["forecast_mean"], "observed": r["observed"], "count": r["count"]}
                for r in reliability_table(head_p, outcome)
            ],
            "models": {
                m: {"brier": _plain(brier(ps, ys)), "log": _plain(log_score(ps, ys))}
                for m, (ps, ys) in sorted(per_model.items())
            },
            "baselines": {
                "uniform": {"brier": _plain(brier(uniform, outcome)), "log": _plain(log_score(uniform, outcome))},
                "base_rate": {"brier": _plain(brier(base, outcome)), "log": _plain(log_score(base, outcome))},
            },
        }
