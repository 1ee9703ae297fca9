"""Paraphrases and cue-less clauses placed by sentence embeddings against the issues' scale labels."""

from __future__ import annotations

import numpy as np

from ...scenario.schema import Scenario
from ..article import Article
from ..lexicon import STANCE_NOUNS, STANCE_VERBS
from .record import Claim


def label_texts(issue) -> tuple[np.ndarray, list[str]]:
    points = sorted(issue.scale)
    return np.array(points, dtype=float), [f"{issue.name}: {issue.scale[p]}" for p in points]


LABEL_CACHE: dict[tuple, np.ndarray] = {}


def encode_cached(encoder, texts: list[str]) -> np.ndarray:
    """Scale labels and issue texts are the same for every article: encode them once."""
    key = (id(encoder), tuple(texts))
    if key not in LABEL_CACHE:
        LABEL_CACHE[key] = encoder.encode(texts)
    return LABEL_CACHE[key]


def embed_positions(claims: list[Claim], pending, issues, encoder) -> None:
    """Place cue-less claims by the clause's similarity to the issue's scale labels."""
    if not pending:
        return
    vecs = encoder.encode([p[4] for p in pending])
    for (k, issue_id, *_), v in zip(pending, vecs):
        points, labels = label_texts(issues[issue_id])
        if len(points) < 2:
            continue
        sims = encode_cached(encoder, labels) @ v
        # Softmax over the labels: only the relative closeness matters.
        w = np.exp((sims - sims.max()) / 0.02)
        claims[k].position = float((w * points).sum() / w.sum())
        claims[k].confidence = max(0.1, claims[k].confidence - 0.25)


def embed_links(art: Article, unlinked, scenario: Scenario, encoder) -> list[Claim]:
    """Paraphrases: sentences with a claimant and a stance verb but no issue keyword."""
    stance = []
    for s0, s1, claimants in unlinked:
        govs = [g for _, g in claimants if g is not None]
        if any(
            g.lemma_.lower() in (STANCE_VERBS - {"say", "see", "view"}) or g.lemma_.lower() in STANCE_NOUNS
            for g in govs
        ):
            stance.append((s0, s1, claimants))
    if not stance:
        return []
    issue_texts = [f"{i.name}. " + "; ".join(i.scale.values()) for i in scenario.issues]
    iv = encode_cached(encoder, issue_texts)
    sv = encoder.encode([art.text[s0:s1] for s0, s1, _ in stance])
    sims = sv @ iv.T  # (sentences, issues)
    out = []
    for k, ((s0, s1, claimants), row) in enumerate(zip(stance, sims)):
        order = np.argsort(row)[::-1]
        best, second = row[order[0]], row[order[1]] if len(row) > 1 else 0.0
        # Relative test: the best issue must stand out from the others, not just pass a bar.
        if best < 0.35 or best - second < 0.08:
            continue
        issue = scenario.issues[int(order[0])]
        points, labels = label_texts(issue)
        pos = None
        if len(points) >= 2:
            lv = encode_cached(encoder, labels) @ sv[k]
            w = np.exp((lv - lv.max()) / 0.02)
            pos = float((w * points).sum() / w.sum())
        for actor, _ in claimants[:1]:
            # Linked by similarity alone: kept for a reader to check, weighed little.
            out.append(Claim(actor, issue.id, pos, 0.15, art.text[s0:s1], s0, s1))
    return out
