"""The compiled kernel of ``weighted_median``: the lowest weighted median of each row (Numba, cached on disk).

In its own module so that importing the models does not import Numba (the CLI starts faster); see
``weighted_median`` for the rule and its ties.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .weighted_median import TIE_TOLERANCE

__all__ = ["lowest_medians"]


@njit(cache=True)
def lowest_medians(key, weight, out):
    """Fill ``out[m]`` with the lowest weighted median of row m of ``key`` and ``weight`` (M, A)."""
    rows, n = key.shape
    order = np.empty(n, dtype=np.intp)
    for m in range(rows):
        x, w = key[m], weight[m]
        if n <= 32:  # stable insertion sort: equal positions keep the actors' order
            for k in range(n):
                order[k] = k
            for k in range(1, n):
                item, p = order[k], k
                while p > 0 and x[order[p - 1]] > x[item]:
                    order[p] = order[p - 1]
                    p -= 1
                order[p] = item
        else:
            # element by element: a slice assignment compiles a shape check whose error text
            # takes seconds to compile
            srt = np.argsort(x, kind="mergesort")
            for k in range(n):
                order[k] = srt[k]
        total = 0.0
        for k in range(n):
            total += w[order[k]]
        # The lowest winner is the lowest position with at least half the weight at or below
        # it: every lower position has less than half at or below it, so this one also has at
        # most half strictly below it. Which member of a group of tied positions crosses the
        # half does not matter: they share the position.
        half = (0.5 - TIE_TOLERANCE) * total
        out[m] = x[order[0]]
        cum = 0.0
        for k in range(n):
            cum += w[order[k]]
            if cum >= half:
                out[m] = x[order[k]]
                break
