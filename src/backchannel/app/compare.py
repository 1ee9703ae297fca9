"""What changed between two recorded forecast runs: their inputs, per-issue forecasts and probabilities."""

from __future__ import annotations

from typing import Any

from ..scenario.schema import Scenario

__all__ = ["compare_runs"]

_SETTINGS = ("scenario", "scenario_hash", "models", "seed", "version")


def _change(a: float | None, b: float | None) -> dict[str, float | None]:
    return {"a": a, "b": b, "change": None if a is None or b is None else b - a}


def _positions(sa: Scenario, sb: Scenario) -> list[dict[str, Any]]:
    """Positions, saliences and capabilities that differ between two scenario versions (absent = None)."""

    def table(s: Scenario) -> dict[tuple[str, str], dict[str, Any]]:
        caps = {a.id: a.capability for a in s.actors}
        return {
            (p.actor, p.issue): {
                "position": p.position,
                "salience": p.salience,
                "capability": p.capability if p.capability is not None else caps[p.actor],
            }
            for p in s.positions
        }

    ta, tb = table(sa), table(sb)
    out = []
    for key in sorted(set(ta) | set(tb)):
        va, vb = ta.get(key), tb.get(key)
        for field in ("position", "salience", "capability"):
            a = None if va is None else float(va[field])
            b = None if vb is None else float(vb[field])
            if a != b:
                out.append({"actor": key[0], "issue": key[1], "field": field, **_change(a, b)})
    return out


def compare_runs(ra: dict[str, Any], rb: dict[str, Any], sa: Scenario, sb: Scenario) -> dict[str, Any]:
    """Run B against run A: settings that differ, changed positions, and per model (run by both) the change of
    each issue's point forecast and median and of each named outcome's probability."""
    settings = {k: {"a": ra[k], "b": rb[k]} for k in _SETTINGS if ra[k] != rb[k]}
    params = sorted(set(ra["parameters"]) | set(rb["parameters"]))
    settings.update(
        {
            f"parameters.{k}": {"a": ra["parameters"].get(k), "b": rb["parameters"].get(k)}
            for k in params
            if ra["parameters"].get(k) != rb["parameters"].get(k)
        }
    )
    pa, pb = ra["results"], rb["results"]
    common = [m for m in pa.get("models", {}) if m in pb.get("models", {})]
    issues: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, dict[str, Any]] = {}
    for m in common:
        ma, mb = pa["models"][m], pb["models"][m]
        rows = {}
        for issue in dict.fromkeys([*ma["outcome"], *mb["outcome"]]):
            row = {"point": _change(ma["outcome"].get(issue), mb["outcome"].get(issue))}
            da, db = (ma.get("distribution") or {}).get(issue), (mb.get("distribution") or {}).get(issue)
            if da and db:
                row["median"] = _change(da.get("p50"), db.get("p50"))
            rows[issue] = row
        issues[m] = rows
        oa, ob = (pa.get("outcomes") or {}).get(m), (pb.get("outcomes") or {}).get(m)
        if oa is not None and ob is not None:
            outcomes[m] = {k: _change(oa.get(k), ob.get(k)) for k in dict.fromkeys([*oa, *ob])}
            ua = (pa.get("outcomes_detail") or {}).get(m, {}).get("unnamed")
            ub = (pb.get("outcomes_detail") or {}).get(m, {}).get("unnamed")
            outcomes[m]["unnamed"] = _change(ua, ub)
        aa, ab = (pa.get("agreement") or {}).get(m), (pb.get("agreement") or {}).get(m)
        if aa and ab and "p_deal" in aa and "p_deal" in ab:
            outcomes.setdefault(m, {})["deal"] = _change(aa["p_deal"], ab["p_deal"])
    return {
        "a": ra["id"],
        "b": rb["id"],
        "settings": settings,
        "positions": _positions(sa, sb),
        "models": common,
        "issues": issues,
        "outcomes": outcomes,
    }
