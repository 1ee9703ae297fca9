"""The attempts to beat the compromise model on deu3-dev.tsv that did not work, scored like focal.

Usage: PYTHONPATH=src python benchmarks/bench_deu_alternatives.py [path/to/deu3-dev.tsv] [--capability equal|gdp]
Each family is a grid of settings; 10-fold cross-validation grouped by proposal (5 repeats)
picks a setting on each training part and scores the test part (analysis.crossval). Printed:
in-sample best MAE, CV MAE, and the paired 95 % interval of CV MAE minus compromise MAE.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from backchannel.analysis.backtest import cases_from_deu, run_backtest
from backchannel.analysis.crossval import grouped_cv_errors
from backchannel.scenario.formats.deu import parse_deu
from shared import shared_dir  # benchmarks/shared.py

SHARED = shared_dir()
DEFAULT = SHARED / "data" / "deu3-dev.tsv"


def padded(data):
    """(issues, actors) arrays over all actors, plus per-issue metadata."""
    items = data.scored
    n, a = len(items), len(data.actors)
    x, w, m = np.zeros((n, a)), np.zeros((n, a)), np.zeros((n, a), bool)
    s = np.zeros((n, a))
    for k, it in enumerate(items):
        cols = [data.actors.index(q) for q in it.arrays.actors]
        x[k, cols] = it.arrays.position[:, 0]
        s[k, cols] = it.arrays.salience[:, 0]
        w[k, cols] = it.arrays.capability[:, 0]  # capability for now
        m[k, cols] = True
    meta = dict(
        y=np.array([i.outcome for i in items]),
        rp=np.array([i.reference_point for i in items]),
        unan=np.array([i.unanimity for i in items]),
        cod=np.array([i.codecision for i in items]),
        cluster=np.array([i.proposal for i in items]),
        com=np.array([q == "com" for q in data.actors]),
        ep=np.array([q == "ep" for q in data.actors]),
    )
    return x, s, w, m, meta


def wmean(x, w, m):
    """Weighted mean per issue (unweighted where all weights are zero)."""
    w = np.where(m, w, 0.0)
    tot = w.sum(1)
    plain = (x * m).sum(1) / m.sum(1)
    return np.where(tot > 0, (w * x).sum(1) / np.where(tot > 0, tot, 1), plain)


def procedural(x, s, c, m, meta):
    """Weights s^σ × c × role multipliers, then gravity toward/away from rp by voting rule."""
    grid = list(
        itertools.product(
            [0.5, 1, 2], [0.5, 1, 2, 3], [0, 0.5, 1, 2], [0, 0.5, 1], [-0.2, 0, 0.1, 0.2, 0.3], [-0.3, -0.15, 0, 0.15]
        )
    )
    has_rp, rp0 = ~np.isnan(meta["rp"]), np.nan_to_num(meta["rp"])
    out = []
    for sig, mc, me_cod, me_cns, tq, tu in grid:
        mult = np.ones_like(x)
        mult[:, meta["com"]] = mc
        mult[:, meta["ep"]] = np.where(meta["cod"], me_cod, me_cns)[:, None]
        f = wmean(x, s**sig * c * mult, m)
        t = np.where(meta["unan"], tu, tq)
        out.append(np.clip(np.where(has_rp, f + t * (f - rp0), f), 0, 100))
    return grid, np.array(out)


def focal_with_bonus(x, s, c, m, meta):
    """Snap to the nearest tabled position, the Commission's/EP's/rp (unanimity) counted nearer."""
    grid = list(itertools.product([10, 15, 20, 25, 30, 40], [0, 5, 10, 15, 20], [0, 5, 10], [0, 5, 10]))
    f = wmean(x, s * c, m)
    tabled = m & (s * c > 0)
    has_rp = ~np.isnan(meta["rp"]) & meta["unan"]
    cand = np.concatenate([x, np.nan_to_num(meta["rp"])[:, None]], axis=1)
    ok = np.concatenate([tabled, has_rp[:, None]], axis=1)
    out = []
    for radius, bcom, bep, brp in grid:
        bonus = np.zeros_like(cand)
        bonus[:, :-1][:, meta["com"]] = bcom
        bonus[:, :-1][:, meta["ep"]] = np.where(meta["cod"], bep, 0)[:, None]
        bonus[:, -1] = brp
        score = np.where(ok, np.abs(cand - f[:, None]) - bonus, np.inf)
        j = score.argmin(1)
        best = score[np.arange(len(f)), j]
        out.append(np.where(best <= radius, cand[np.arange(len(f)), j], f))
    return grid, np.array(out)


def blends(x, s, c, m, meta):
    """(1 − α) compromise + α median (weighted or not), and extremising away from 50."""
    f = wmean(x, s * c, m)
    med = np.array([np.median(x[k][m[k]]) for k in range(len(f))])
    grid, out = [], []
    for a in (0.1, 0.2, 0.3, 0.5):
        grid.append(("median", a))
        out.append((1 - a) * f + a * med)
    for k in (0.8, 1.2, 1.4, 1.6):
        grid.append(("extremise", k))
        out.append(np.clip(50 + k * (f - 50), 0, 100))
    return grid, np.array(out)


def stacking(data):
    """Convex combinations (steps of 0.1) of the other registered models' forecasts."""
    names = ["compromise", "exchange", "smp", "median", "bdm", "nash"]
    bt = run_backtest(cases_from_deu(data), names, n_boot=10)
    preds = np.array([bt.predictions[n] for n in names])
    grid = [w for w in itertools.product(np.arange(0, 1.01, 0.1), repeat=len(names)) if abs(sum(w) - 1) < 1e-9]
    return [dict(zip(names, np.round(w, 1))) for w in grid], np.array([np.dot(w, preds) for w in grid])


def main() -> None:
    """Print one line per family."""
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--capability", default="equal", choices=["equal", "gdp"])
    args = ap.parse_args()
    data = parse_deu(Path(args.path).read_text(encoding="utf-8"), args.path, capability=args.capability)
    x, s, c, m, meta = padded(data)
    y = meta["y"]
    ref = np.abs(wmean(x, s * c, m) - y)
    print(f"compromise MAE {ref.mean():.2f}  (capability={args.capability}, n={len(y)})")
    families = (
        ("procedural weights + rp gravity", lambda: procedural(x, s, c, m, meta)),
        ("focal + agenda/rp bonus", lambda: focal_with_bonus(x, s, c, m, meta)),
        ("median blends / extremising", lambda: blends(x, s, c, m, meta)),
        ("stack of the other models", lambda: stacking(data)),
    )
    for name, family in families:
        grid, preds = family()
        errors = np.abs(preds - y)
        cv = grouped_cv_errors(errors, ref, meta["cluster"], [str(g) for g in grid])
        best = errors.mean(1).argmin()
        shown = {k: float(v) for k, v in grid[best].items() if v} if isinstance(grid[best], dict) else grid[best]
        print(
            f"{name:<34} settings {len(grid):5d}  in-sample best {errors[best].mean():.2f} {shown}  "
            f"CV {cv.mae:.2f}  diff [{cv.diff_interval[0]:+.2f}, {cv.diff_interval[1]:+.2f}]"
        )


if __name__ == "__main__":
    main()
