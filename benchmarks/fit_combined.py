"""Fit the combined model on deu3-dev.tsv and print what ships in models/combined.py.

Usage: PYTHONPATH=src python benchmarks/fit_combined.py [path/to/deu3-dev.tsv] [--rule one_se|min]
Prints the CV CRPS of each shrinkage λ tried (the variants), the λ the rule picks, the weights, and the
nested cross-validation of the whole procedure beside the compromise model; takes about half a minute.
The shipped figures are the default run (rule one_se, 400 draws, seed 0); ``--rule min`` is the one
alternative tried, reported in docs/models.md.
"""

from __future__ import annotations

import argparse
import json
import time

from backchannel.analysis.deu_scores import fit_combined
from backchannel.scenario.formats.deu import parse_deu
from shared import shared_dir  # benchmarks/shared.py


def main() -> None:
    """Fit and print."""
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(shared_dir() / "data" / "deu3-dev.tsv"))
    ap.add_argument("--rule", default="one_se", choices=["one_se", "min"])
    ap.add_argument("--draws", type=int, default=400)
    args = ap.parse_args()
    start = time.perf_counter()
    with open(args.path, encoding="utf-8") as fh:
        data = parse_deu(fh.read(), args.path, capability="equal")
    fit = fit_combined(data, draws=args.draws, seed=0, rule=args.rule)
    print(json.dumps(fit, indent=2))
    print(f"variants tried: {len(fit['cv_crps'])} shrinkage values; {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
