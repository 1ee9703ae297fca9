"""The utility by which an actor judges a package: −Σ_i s_ai |x_i − p_ai|^p over its issues, normalised.

Dividing by 100^p Σ_i s_ai puts every actor's utility on [−1, 0]: 0 for its ideal package, −1 for
the farthest package on every issue. Outside options and the monthly cost of no deal are stated
on this scale. p = 1 unless the model bargains over a utility of its own (``Model.utility_power``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["package_utility"]


def package_utility(
    position: np.ndarray, salience: np.ndarray, mask: np.ndarray, x: np.ndarray, power: int = 1
) -> np.ndarray:
    """u (B, A) of packages ``x`` (B, I) for actors with positions (B, A, I); 0 for an actor with no salience.

    ``x`` may also be (B, A, I): a package per actor (used for outside options). A NaN entry of ``x`` on an
    issue the actor weighs counts as the farthest point (no agreement there is the worst it can get).
    """
    s = np.where(mask, salience, 0.0)
    pkg = x[:, None, :] if x.ndim == 2 else x
    gap = np.abs(pkg - position)
    if np.isnan(pkg).any():
        gap = np.where(np.isnan(gap), 100.0, gap)
    if power != 1:
        gap **= power
    gap *= s  # zero where the actor has no salience (or no position)
    total = s.sum(axis=-1)
    loss = gap.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, -loss / (100.0**power * np.where(total > 0, total, 1.0)), 0.0)
