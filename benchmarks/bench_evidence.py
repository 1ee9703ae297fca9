"""Score evidence extraction against a labels file and measure its speed and memory.

Usage: python benchmarks/bench_evidence.py LABELS_JSON ARTICLES_DIR [--scenario FILE_OR_ID] [--repeat N]

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
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from backchannel.evidence.documents import read_document  # noqa: E402
from backchannel.evidence.quotes import MIN_WORDS  # noqa: E402
from backchannel.scenario.formats import parse  # noqa: E402

FIXTURE = ROOT / "tests" / "evidence" / "data" / "scenario.yaml"


def _norm(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.findall(r"[\w']+", s.lower()))


def _side(x: float) -> str:
    return "low" if x < 50 else "high" if x > 50 else "mid"


def _direction_ok(gold: float, pred: float) -> bool:
    """Below or above 50 as the label; a label of exactly 50 wants 40..60."""
    if _side(gold) == "mid":
        return 40 <= pred <= 60
    return _side(gold) == _side(pred)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def score(labels: list[dict], results: dict[str, dict]) -> dict[str, tuple[int, int]]:
    """Counts (hits, total) per figure."""
    c = {k: [0, 0] for k in ("quote_recall", "quote_precision", "quote_precision_all", "speaker_actor",
                             "unaffiliated_null", "claim_pair_recall", "claim_pair_precision", "claim_direction",
                             "deadline_found", "deadline_days")}
    for item in labels:
        res = results[item["file"]]
        preds = [q for q in res["quotes"] if len(re.findall(r"[\w’'-]+", q["text"])) >= MIN_WORDS]
        used = set()
        for gold in item["quotes"]:
            c["quote_recall"][1] += 1
            key = _norm(gold["start_words"])
            match = next((k for k, q in enumerate(preds) if k not in used and _norm(q["text"]).startswith(key)), None)
            if match is None:
                match = next((k for k, q in enumerate(preds) if k not in used and key in _norm(q["text"])[:len(key) + 40]), None)
            if match is None:
                continue
            used.add(match)
            c["quote_recall"][0] += 1
            if gold["actor"] is None:
                c["unaffiliated_null"][1] += 1
                c["unaffiliated_null"][0] += preds[match]["actor"] is None
            else:
                c["speaker_actor"][1] += 1
                c["speaker_actor"][0] += preds[match]["actor"] == gold["actor"]
        attributed = [k for k, q in enumerate(preds) if q["speaker"]]
        c["quote_precision"][1] += len(attributed)
        c["quote_precision"][0] += len([k for k in attributed if k in used])
        c["quote_precision_all"][1] += len(preds)
        c["quote_precision_all"][0] += len(used)
        gold_pairs: dict[tuple[str, str], float] = {}
        for g in item["claims"]:
            gold_pairs.setdefault((g["actor"], g["issue"]), g["position"])
        pred_pairs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for p in res["claims"]:
            pred_pairs.setdefault((p["actor"], p["issue"]), [])
            if p["position"] is not None:
                pred_pairs[(p["actor"], p["issue"])].append((p["position"], p["confidence"]))
        for pair, pos in gold_pairs.items():
            c["claim_pair_recall"][1] += 1
            if pair in pred_pairs:
                c["claim_pair_recall"][0] += 1
                found = pred_pairs[pair]
                if found:
                    # The pair's estimate: confidence-weighted mean of its claims, as `suggest` aggregates.
                    est = sum(p * w for p, w in found) / sum(w for _, w in found)
                    c["claim_direction"][1] += 1
                    c["claim_direction"][0] += _direction_ok(pos, est)
                else:
                    c["claim_direction"][1] += 1
        c["claim_pair_precision"][1] += len(pred_pairs)
        c["claim_pair_precision"][0] += len(set(pred_pairs) & set(gold_pairs))
        text = res["text"]
        for g in item.get("deadlines", []):
            c["deadline_found"][1] += 1
            at = text.find(g["words"])
            if at < 0:
                at = _norm(text).find(_norm(g["words"]))  # approximate when punctuation differs
                continue
            hit = next((d for d in res["deadlines"] if d["start"] < at + len(g["words"]) and d["end"] > at), None)
            if hit is None:
                continue
            c["deadline_found"][0] += 1
            c["deadline_days"][1] += 1
            if g.get("days") is not None:
                c["deadline_days"][0] += hit["days"] == g["days"]
            else:
                c["deadline_days"][0] += g.get("due") is not None and hit["due"] == g.get("due")
    return {k: tuple(v) for k, v in c.items()}


def _scenario(ref: str | None):
    if ref is None:
        try:
            from backchannel.files import builtin_ids, load_scenario

            if "ukraine-2025" in builtin_ids():
                return load_scenario("ukraine-2025")
        except ImportError:
            pass
        ref = str(FIXTURE)
    path = Path(ref)
    if path.exists():
        return parse(path.read_text(encoding="utf-8"), str(path), None)
    from backchannel.files import load_scenario

    return load_scenario(ref)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels")
    ap.add_argument("articles")
    ap.add_argument("--scenario", default=None, help="scenario file or built-in id (default: ukraine-2025 or the test fixture)")
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
    print(f"{'load_seconds':22s} {load:.2f}   (target <= 3)")
    print(f"{'articles_per_second':22s} {per_s:.2f}   (target >= 2, one core)")
    print(f"{'peak_memory_mb':22s} {peak_mb:.0f}   (target <= 600)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
