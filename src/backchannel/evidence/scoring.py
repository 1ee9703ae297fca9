"""Scoring extracted evidence against hand labels (the format of shared/articles/labels.json).

Per file the labels list the attributed quotes of four or more words (first words, speaker,
actor or null), the claims (actor, issue, position 0..100) and the deadlines
({"words": text inside the deadline phrase, "days": int|null, "due": "YYYY-MM-DD"}).
"""

from __future__ import annotations

import re

from .quotes import MIN_WORDS

__all__ = ["score", "score_prf", "FIGURES", "prf", "PRF_FIGURES"]

FIGURES = (
    "quote_recall",
    "quote_precision",
    "quote_precision_all",
    "speaker_actor",
    "unaffiliated_null",
    "claim_pair_recall",
    "claim_pair_precision",
    "claim_direction",
    "deadline_found",
    "deadline_days",
)

#: Figures reported as precision, recall and F1, each from (true positives, predictions, gold items):
#: quote spans and speakers at exact and at overlap matching (as quote extractors report them),
#: claims as (actor, issue) pairs, claims with the right direction, deadlines.
PRF_FIGURES = (
    "quote_span_exact",
    "quote_span_overlap",
    "speaker_exact",
    "speaker_overlap",
    "speaker_party",
    "claim_pair",
    "claim_direction",
    "deadline",
)


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


def _words(s: str) -> set[str]:
    return set(_norm(s).split()) - {"the", "a", "an", "of", "s"}


def _span_exact(gold: dict, pred: str) -> bool:
    """Exact span: the prediction is the labelled quote (its full ``text`` when the label has one, else
    a prediction starting with the labelled first words and ending where the quotation does)."""
    if gold.get("text"):
        return _norm(pred) == _norm(gold["text"])
    return _norm(pred).startswith(_norm(gold["start_words"]))


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined)."""
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_prf(labels: list[dict], results: dict[str, dict]) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per figure of ``PRF_FIGURES``.

    Quotes: gold = labelled quotes, predicted = attributed quotes of four or more words; a span
    matches exactly (see ``_span_exact``) or by overlap (the labelled first words lie in the first
    part of the prediction). Speakers: a true positive is a matched quote whose speaker string is
    the labelled one (exact, after normalising case and quote marks) or shares a word with it
    (overlap: "Peskov" for "Kremlin spokesman Dmitry Peskov"), or whose actor is right. Claims:
    (actor, issue) pairs per article; direction counts a pair found on the right side of 50.
    Deadlines: a predicted deadline overlapping the labelled words.
    """
    c = {k: [0, 0, 0] for k in PRF_FIGURES}
    for item in labels:
        res = results[item["file"]]
        preds = [q for q in res["quotes"] if q["speaker"] and len(re.findall(r"[\w’'-]+", q["text"])) >= MIN_WORDS]
        for k in ("quote_span_exact", "quote_span_overlap", "speaker_exact", "speaker_overlap", "speaker_party"):
            c[k][1] += len(preds)
            c[k][2] += len(item["quotes"])
        used_exact: set[int] = set()
        used_overlap: set[int] = set()
        for gold in item["quotes"]:
            key = _norm(gold["start_words"])
            ex = next((k for k, q in enumerate(preds) if k not in used_exact and _span_exact(gold, q["text"])), None)
            if ex is not None:
                used_exact.add(ex)
                c["quote_span_exact"][0] += 1
            ov = next(
                (k for k, q in enumerate(preds) if k not in used_overlap and key in _norm(q["text"])[: len(key) + 40]),
                None,
            )
            if ov is None:
                continue
            used_overlap.add(ov)
            c["quote_span_overlap"][0] += 1
            q = preds[ov]
            c["speaker_exact"][0] += _norm(q["speaker"] or "") == _norm(gold["speaker"] or "")
            c["speaker_overlap"][0] += bool(_words(q["speaker"] or "") & _words(gold["speaker"] or ""))
            c["speaker_party"][0] += q["actor"] == gold["actor"]
        gold_pairs: dict[tuple[str, str], float] = {}
        for g in item["claims"]:
            gold_pairs.setdefault((g["actor"], g["issue"]), g["position"])
        pred_pairs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for p in res["claims"]:
            pred_pairs.setdefault((p["actor"], p["issue"]), [])
            if p["position"] is not None:
                pred_pairs[(p["actor"], p["issue"])].append((p["position"], p["confidence"]))
        c["claim_pair"][1] += len(pred_pairs)
        c["claim_pair"][2] += len(gold_pairs)
        c["claim_pair"][0] += len(set(pred_pairs) & set(gold_pairs))
        c["claim_direction"][1] += len(pred_pairs)
        c["claim_direction"][2] += len(gold_pairs)
        for pair, pos in gold_pairs.items():
            found = pred_pairs.get(pair)
            if found:
                est = sum(p * w for p, w in found) / sum(w for _, w in found)
                c["claim_direction"][0] += _direction_ok(pos, est)
        text = res["text"]
        c["deadline"][1] += len(res["deadlines"])
        c["deadline"][2] += len(item.get("deadlines", []))
        hit_ids: set[int] = set()
        for g in item.get("deadlines", []):
            at = text.find(g["words"])
            if at < 0:
                continue
            k = next(
                (
                    k
                    for k, d in enumerate(res["deadlines"])
                    if k not in hit_ids and d["start"] < at + len(g["words"]) and d["end"] > at
                ),
                None,
            )
            if k is not None:
                hit_ids.add(k)
                c["deadline"][0] += 1
    return {k: (v[0], v[1], v[2]) for k, v in c.items()}


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
                match = next(
                    (k for k, q in enumerate(preds) if k not in used and key in _norm(q["text"])[: len(key) + 40]), None
                )
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
