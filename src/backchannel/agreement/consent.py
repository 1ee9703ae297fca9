"""Consent rules as arrays: who must accept, and how their acceptances combine into a deal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import Consent

__all__ = ["ConsentRule", "accepted", "actor_weights", "consent_rule"]


@dataclass(frozen=True, eq=False)
class ConsentRule:
    """``members`` (A,) whose acceptance counts; ``threshold`` None: all must accept (veto), else the
    accepting members' share of the members' capability weights must reach it (qualified majority)."""

    members: np.ndarray
    threshold: float | None = None


def consent_rule(consent: Consent | None, actors: tuple[str, ...]) -> ConsentRule | None:
    """The arrays of a scenario's consent rule (None without one)."""
    if consent is None:
        return None
    members = set(consent.members(actors))
    mask = np.array([a in members for a in actors], dtype=bool)
    qm = consent.qualified_majority
    return ConsentRule(mask, None if qm is None else float(qm.threshold))


def actor_weights(capability: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(B, A) voting weight of each actor: its mean capability over the issues it has a position on."""
    n = mask.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(n > 0, np.where(mask, capability, 0.0).sum(axis=-1) / np.where(n > 0, n, 1), 0.0)
    return np.where(n > 0, own, capability.mean(axis=-1))


def accepted(rule: ConsentRule | None, accepts: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """(B,) whether the rule is met, given (B, A) acceptances and voting weights; always without a rule."""
    if rule is None:
        return np.ones(accepts.shape[0], dtype=bool)
    if rule.threshold is None:
        return np.asarray(accepts[:, rule.members].all(axis=1), dtype=bool)
    w = np.where(rule.members, weight, 0.0)
    total = w.sum(axis=1)
    share = np.where(total > 0, (w * accepts).sum(axis=1) / np.where(total > 0, total, 1.0), 1.0)
    return np.asarray(share >= rule.threshold - 1e-12, dtype=bool)
