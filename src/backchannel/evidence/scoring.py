"""Scoring extracted evidence against hand labels (the format of shared/articles/labels.json).

Per file the labels list the attributed quotes of four or more words (first words, speaker,
actor or null), the claims (actor, issue, position 0..100) and the deadlines
({"words": text inside the deadline phrase, "days": int|null, "due": "YYYY-MM-DD"}).
"""
from __future__ import annotations

import re

from .quotes import MIN_WORDS

__all__ = ["score", "FIGURES"]

FIGURES = ("quote_recall", "quote_precision", "quote_precision_all", "speaker_actor", "unaffiliated_null",
           "claim_pair_recall", "claim_pair_precision", "claim_direction", "deadline_found", "deadline_days")


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


def score(labels: list[dict], results: dict[str, dict]) -> dict[str, tuple[int, int]]:
    """Counts (hits, total) per figure; ``results`` maps a labelled file name to its extraction record."""
    c = {k: [0, 0] for k in FIGURES}
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
                continue  # the labelled words are not in the text: counted as not found
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
