"""The capability × salience weighted median per issue, as a compiled kernel (the median model and bdm use it).

The median voter model: per issue, the position that beats every other in a weighted pairwise vote.

Position ``x*`` wins when, for every alternative ``y``, the capability × salience weighted vote
``Σ_k w_k (|x_k − y| − |x_k − x*|)`` is ≥ 0 (Black 1948; the "median voter" of the bargaining
literature, e.g. Thomson et al. 2006). Candidates are the positions actors hold. On one dimension
the winners are exactly the weighted medians: ``x*`` wins iff the weight at or left of ``x*`` is at
least half the total and the weight at or right of it is at least half too.

Ties. When the weight splits exactly in half, two neighbouring positions both win (every
position between them would too); we return the lowest winning actor position. The rule depends
only on the multiset of (position, weight) pairs, so it is invariant to the order of the actors.
"Exactly" is up to a relative tolerance of ``TIE_TOLERANCE`` of the total weight, so that
summing the same weights in another order (a permutation of the actors) cannot flip a tie.
An issue where every actor has zero weight is an all-way tie (the lowest position); an issue
where no actor has a position gets NaN.
"""

from __future__ import annotations

import numpy as np

from .base import Kernel

__all__ = ["MEDIAN_KERNEL", "TIE_TOLERANCE", "weighted_median"]

#: the compiled kernel, for the first-use notice of every model that calls it
MEDIAN_KERNEL = Kernel("backchannel.models.median_kernel", "lowest_medians", 3)

#: relative tolerance (of the total weight) under which two vote totals count as tied
TIE_TOLERANCE = 1e-12


def weighted_median(position: np.ndarray, weight: np.ndarray, mask: np.ndarray | bool) -> np.ndarray:
    """The lowest weighted median of ``position`` over the actors axis (-2); NaN where no actor is masked in.

    ``position`` and ``weight`` are (..., A, I); ``mask`` broadcasts against them. Sort-based:
    O(A log A) per issue and draw, compiled.
    """
    position = np.asarray(position, dtype=float)
    mask = np.broadcast_to(np.asarray(mask, dtype=bool), position.shape)
    weight = np.where(mask, np.asarray(weight, dtype=float), 0.0)
    key = np.where(mask, position, np.inf)  # actors without a position sort last, with no weight
    rows = key.shape[:-2] + key.shape[-1:]
    out = np.empty(rows)
    n = key.shape[-2]
    if n:
        from .median_kernel import lowest_medians  # numba is imported only when a median is taken

        lowest_medians(
            np.ascontiguousarray(np.swapaxes(key, -1, -2)).reshape(-1, n),
            np.ascontiguousarray(np.swapaxes(weight, -1, -2)).reshape(-1, n),
            out.reshape(-1),
        )
    return np.where(mask.any(axis=-2), out, np.nan)
