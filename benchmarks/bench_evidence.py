"""Score evidence extraction against a labels file and measure its speed and memory.

Usage: python benchmarks/bench_evidence.py [LABELS_JSON ARTICLES_DIR] [--scenario FILE_OR_ID] [--repeat N]
(default: ../shared/articles/labels.json and ../shared/articles)

The labels file has the format of shared/articles/labels.json (see its README): per file, the
attributed quotes of four or more words (first words, speaker, actor or null), the claims
(actor, issue, position 0..100) and the deadlines ({"words", "days", "due"}). Prints one line
per figure. Runs on one core (BLAS threads pinned to 1 before NumPy loads).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from backchannel.evidence.documents import read_document  # noqa: E402
from backchannel.evidence.scoring import prf, score, score_prf  # noqa: E402
from backchannel.scenario.formats import parse  # noqa: E402
from shared import shared_dir  # noqa: E402  (benchmarks/shared.py)

FIXTURE = ROOT / "tests" / "evidence" / "data" / "scenario.yaml"


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def _scenario(ref: str | None):
    if ref is None:
        try:
            from backchannel.app.files import builtin_ids, load_scenario

            if "ukraine-2025" in builtin_ids():
                return load_scenario("ukraine-2025")
        except ImportError:
            pass
        ref = str(FIXTURE)
    path = Path(ref)
    if path.exists():
        return parse(path.read_text(encoding="utf-8"), str(path), None)
    from backchannel.app.files import load_scenario

    return load_scenario(ref)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", nargs="?", default=str(shared_dir() / "articles" / "labels.json"))
    ap.add_argument("articles", nargs="?", default=str(shared_dir() / "articles"))
    ap.add_argument(
        "--scenario", default=None, help="scenario file or built-in id (default: ukraine-2025 or the test fixture)"
    )
    ap.add_argument("--repeat", type=int, default=3, help="passes over the articles for the speed figure")
    args = ap.parse_args(argv)
    labels = json.loads(Path(args.labels).read_text(encoding="utf-8"))
    scenario = _scenario(args.scenario)

    t0 = time.perf_counter()
    from backchannel.evidence.extract import Extractor

    ex = Extractor(scenario)
    _ = ex.encoder
    load = time.perf_counter() - t0

    docs = [read_document(Path(args.articles) / item["file"]) for item in labels]
    results = {item["file"]: ex.extract(d) for item, d in zip(labels, docs)}
    t1 = time.perf_counter()
    for _ in range(args.repeat):
        for d in docs:
            ex.extract(d)
    per_s = args.repeat * len(docs) / (time.perf_counter() - t1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    counts = score(labels, results)
    print(f"labels: {args.labels}  articles: {len(docs)}  scenario: {scenario.id}")
    for name, (hit, total) in counts.items():
        print(f"{name:22s} {_ratio(hit, total)}")
    print(f"{'figure':22s} {'precision':>9s} {'recall':>7s} {'F1':>6s}   (tp/predicted/gold)")
    for name, (tp, npred, ngold) in score_prf(labels, results).items():
        p, r, f = prf(tp, npred, ngold)
        print(f"{name:22s} {p:9.3f} {r:7.3f} {f:6.3f}   ({tp}/{npred}/{ngold})")
    print(f"{'load_seconds':22s} {load:.2f}   (target <= 3)")
    print(f"{'articles_per_second':22s} {per_s:.2f}   (target >= 2, one core)")
    print(f"{'peak_memory_mb':22s} {peak_mb:.0f}   (target <= 600)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
