"""Backtest every registered model on deu3-dev.tsv and cross-validate the focal model's tuning.

Usage: PYTHONPATH=src python benchmarks/bench_deu_backtest.py [path/to/deu3-dev.tsv] [--capability equal|gdp]
       [--by proposal|issue] [--models M ...]
Prints the backtest table (MAE, RMSE, median AE, n, 95 % paired cluster-bootstrap interval of
the MAE difference to the compromise model) and the grouped cross-validation of ``focal``.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from backchannel.analysis.backtest import cases_from_deu, run_backtest
from backchannel.analysis.crossval import grouped_cv
from backchannel.scenario.formats.deu import parse_deu
from backchannel.models import get_model, model_names
from shared import shared_dir  # benchmarks/shared.py

SHARED = shared_dir()
DEFAULT = SHARED / "data" / "deu3-dev.tsv"


def main() -> None:
    """Print the table and the cross-validation result."""
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--capability", default="equal", choices=["equal", "gdp"])
    ap.add_argument("--models", nargs="*", default=None)
    ap.add_argument("--by", default="proposal", choices=["proposal", "issue"])
    args = ap.parse_args()
    data = parse_deu(Path(args.path).read_text(encoding="utf-8"), args.path, capability=args.capability)
    cases = cases_from_deu(data)
    print(f"deu: {data.counts}  capability={args.capability}  by={args.by}")
    print(f"{'model':<14}{'MAE':>8}{'RMSE':>8}{'medAE':>8}{'n':>5}   diff vs compromise [95% CI]   time")
    for name in args.models or model_names():
        t0 = time.perf_counter()
        try:
            # Each proposal is one negotiation: models that link issues see all of its issues.
            s = run_backtest(cases_from_deu(data, by=args.by), [name]).scores[name]
        except Exception as exc:  # report and go on: one broken model should not hide the others
            print(f"{name:<14} failed: {exc}")
            continue
        dt = time.perf_counter() - t0
        print(
            f"{name:<14}{s.mae:8.2f}{s.rmse:8.2f}{s.median_ae:8.2f}{s.n:5d}   "
            f"[{s.diff_vs_compromise[0]:+.2f}, {s.diff_vs_compromise[1]:+.2f}]   {dt:.1f}s"
        )
    grid = [
        get_model("focal", radius=float(r), pull=p) for r, p in itertools.product(range(0, 55, 5), (0.5, 0.75, 1.0))
    ]
    cv = grouped_cv(cases, grid, folds=10, repeats=5, seed=0)
    print(
        f"\nfocal, 10-fold CV grouped by proposal x5 repeats: MAE {cv.mae:.2f} "
        f"(repeats {', '.join(f'{v:.2f}' for v in cv.mae_by_repeat)}) vs compromise {cv.reference_mae:.2f}; "
        f"diff 95% CI [{cv.diff_interval[0]:+.2f}, {cv.diff_interval[1]:+.2f}]"
    )
    print("settings chosen per fold:", cv.chosen)


if __name__ == "__main__":
    main()
