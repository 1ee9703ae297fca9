"""The headline of a forecast: the answer first, in numbers an interface turns into 3–5 lines.

* the headline model's most likely named outcome, its probability and Monte Carlo standard error, and
  P(no deal) when the forecast has an agreement layer (``agreement[model].p_deal``);
* the biggest change since the previous run of the same scenario (a named outcome's probability in
  percentage points, and the issue whose point forecast moved most);
* the swing actor: the actor whose input moves the headline model's point forecast most in the
  tornado of ``analysis.sensitivity`` (largest swing over every issue);
* the strongest lever: the lever whose what-if changes the headline outcome's probability most;
* how much the models disagree: the range of the headline outcome's probability across the models,
  and the issue whose point forecasts are furthest apart.

Everything here is arithmetic on payloads already computed (forecast, what-ifs, tornado); nothing is
drawn again, so the same inputs and seed give the same headline wherever it is shown.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence, TypeGuard

from ..analysis.outcomes import UNNAMED
from ..analysis.sensitivity import DEFAULT_STEPS, tornado
from ..models import get_model
from ..scenario.arrays import to_arrays
from ..scenario.schema import Scenario
from .defaults import headline_model

__all__ = ["build_headline", "headline_number", "lever_ranking", "model_disagreement", "since_previous", "swing_actor"]

Payload = Mapping[str, Any]


def _finite(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def p_no_deal(payload: Payload, model: str) -> float | None:
    """1 − P(deal) of ``model`` when the forecast has an agreement layer, else None."""
    p = ((payload.get("agreement") or {}).get(model) or {}).get("p_deal")
    return 1.0 - float(p) if _finite(p) else None


def headline_number(payload: Payload) -> dict[str, Any] | None:
    """The headline model's most likely named outcome: ``{model, outcome, probability, stderr, draws}``
    (ties go to the outcome declared first); None without outcome probabilities."""
    outcomes = payload.get("outcomes") or {}
    if not outcomes:
        return None
    model = headline_model(outcomes)
    named = {k: float(v) for k, v in outcomes[model].items() if k != UNNAMED}
    if not named:
        return None
    best = max(named, key=lambda k: (named[k], -list(named).index(k)))
    detail = (payload.get("outcomes_detail") or {}).get(model) or {}
    se = (detail.get("stderr") or {}).get(best)
    return {
        "model": model,
        "outcome": best,
        "probability": named[best],
        "stderr": float(se) if _finite(se) else None,
        "draws": int(payload.get("draws") or 0),
        "p_no_deal": p_no_deal(payload, model),
    }


def since_previous(payload: Payload, previous: Payload | None, previous_id: int | None = None) -> dict[str, Any] | None:
    """The biggest change of the headline model from ``previous`` (a payload of the same scenario): the named
    outcome whose probability moved most (percentage points) and the issue whose point moved most."""
    if previous is None:
        return None
    model = headline_model(payload.get("models") or {})
    out: dict[str, Any] = {"run_id": previous_id, "model": model, "outcome": None, "issue": None}
    now, then = (payload.get("outcomes") or {}).get(model), (previous.get("outcomes") or {}).get(model)
    if now and then:
        moves = {k: float(now[k]) - float(then[k]) for k in now if k in then and k != UNNAMED}
        if moves and max(abs(v) for v in moves.values()) > 0.0:
            k = max(moves, key=lambda key: abs(moves[key]))
            out["outcome"] = {"id": k, "before": float(then[k]), "after": float(now[k]), "change": moves[k]}
    pts_now = ((payload.get("models") or {}).get(model) or {}).get("outcome") or {}
    pts_then = ((previous.get("models") or {}).get(model) or {}).get("outcome") or {}
    shifts = {
        i: float(pts_now[i]) - float(pts_then[i])
        for i in pts_now
        if i in pts_then and _finite(pts_now[i]) and _finite(pts_then[i])
    }
    if shifts and max(abs(v) for v in shifts.values()) >= 0.05:  # shown to one decimal
        i = max(shifts, key=lambda key: abs(shifts[key]))
        out["issue"] = {"id": i, "before": float(pts_then[i]), "after": float(pts_now[i]), "change": shifts[i]}
    return out


def swing_actor(scenario: Scenario, model: str, seed: int = 0) -> dict[str, Any] | None:
    """The tornado bar with the largest swing of the headline model's point forecast over every issue."""
    arrays = to_arrays(scenario)
    table = tornado(arrays, get_model(model), seed=seed)
    bars = [b for bars in table.values() for b in bars if _finite(b.swing)]
    if not bars:
        return None
    top = max(bars, key=lambda b: (b.swing, b.actor))
    step = DEFAULT_STEPS[top.field]
    shown = {"position": f"±{step:g} points", "salience": f"±{step:g}", "capability": f"±{100 * step:g} %"}[top.field]
    return {
        "model": model,
        "actor": top.actor,
        "field": top.field,
        "issue": top.issue,
        "swing": float(top.swing),
        "step": shown,
    }


def lever_ranking(whatifs: Sequence[Payload], model: str, outcome: str | None) -> list[dict[str, Any]]:
    """One row per lever what-if of ``model``: the change of P(``outcome``) and of P(deal) when the what-if
    has it, with standard errors; largest effect on the headline outcome first."""
    rows = []
    for w in whatifs:
        parts = (w.get("models") or {}).get(model)
        if not parts:
            continue
        c = (parts.get("outcomes") or {}).get(outcome) if outcome else None
        deal = parts.get("agreement") if isinstance(parts.get("agreement"), Mapping) else None  # change of P(deal)
        intensity = w.get("lever_intensity") or {}
        rows.append(
            {
                "levers": list(w.get("levers") or []),
                "intensity": dict(intensity),
                "overrides": dict(w.get("overrides") or {}),
                "outcome": outcome,
                "change": c.get("change") if c else None,
                "stderr": c.get("stderr") if c else None,
                "exceeds_noise": bool(c.get("exceeds_noise")) if c else False,
                "deal_change": deal.get("change") if deal else None,
                "deal_stderr": deal.get("stderr") if deal else None,
            }
        )
    return sorted(rows, key=lambda r: -abs(r["change"]) if _finite(r["change"]) else 0.0)


def model_disagreement(payload: Payload, outcome: str | None) -> dict[str, Any] | None:
    """How far apart the models are: P(``outcome``) lowest and highest, and the issue of widest point spread."""
    models = payload.get("models") or {}
    if len(models) < 2:
        return None
    out: dict[str, Any] = {"models": len(models), "outcome": None, "issue": None}
    probs = {m: float(p[outcome]) for m, p in (payload.get("outcomes") or {}).items() if outcome and outcome in p}
    if len(probs) >= 2:
        lo, hi = min(probs, key=lambda m: probs[m]), max(probs, key=lambda m: probs[m])
        out["outcome"] = {"id": outcome, "low_model": lo, "low": probs[lo], "high_model": hi, "high": probs[hi]}
    spreads: dict[str, tuple[float, float]] = {}
    issues = list(next(iter(models.values())).get("outcome") or {})
    for i in issues:
        pts = [float(m["outcome"][i]) for m in models.values() if _finite(m.get("outcome", {}).get(i))]
        if len(pts) >= 2:
            spreads[i] = (min(pts), max(pts))
    if spreads:
        i = max(spreads, key=lambda key: spreads[key][1] - spreads[key][0])
        out["issue"] = {"id": i, "low": spreads[i][0], "high": spreads[i][1]}
    return out


def build_headline(
    scenario: Scenario,
    payload: Payload,
    *,
    previous: Payload | None = None,
    previous_id: int | None = None,
    whatifs: Sequence[Payload] = (),
    swing: bool = True,
) -> dict[str, Any]:
    """The headline's numbers (JSON-ready): ``number``, ``since``, ``swing``, ``levers``, ``disagreement``."""
    number = headline_number(payload)
    model = number["model"] if number else headline_model(payload.get("models") or {})
    outcome = number["outcome"] if number else None
    return {
        "model": model,
        "number": number,
        "since": since_previous(payload, previous, previous_id),
        "swing": swing_actor(scenario, model, int(payload.get("seed") or 0)) if swing else None,
        "levers": lever_ranking(whatifs, model, outcome),
        "disagreement": model_disagreement(payload, outcome),
    }
