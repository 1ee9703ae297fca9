"""Equal-gain terms of candidate exchanges: moves, outcome shifts, gain, validity and caps.

``equal_gain`` recomputes a set of rows of an :class:`ExchangeList` in place with the compiled
kernel ``exchange_kernel.gain_row``, which the realisation loop also runs after each realised
exchange, so the first computation and every recomputation are the same code.
"""

from __future__ import annotations

import numpy as np

from .candidates import ExchangeList
from .kernel import gain_rows

__all__ = ["equal_gain", "gain_inputs", "gain_outputs"]


def gain_inputs(lst: ExchangeList) -> tuple[np.ndarray, ...]:
    """The arrays ``gain_row`` reads, in its order."""
    return (
        lst.cur,
        lst.target,
        lst.rate,
        lst.pass_on,
        lst.sal_sup,
        lst.sal_dem,
        lst.outcome,
        lst.start,
        lst.override_shift,
        lst.stale_sum,
        lst.stale_pos,
        lst.stale_neg,
    )


def gain_outputs(lst: ExchangeList) -> tuple[np.ndarray, ...]:
    """The arrays ``gain_row`` writes, in its order."""
    return lst.last, lst.y, lst.shift, lst.gain, lst.valid


def equal_gain(lst: ExchangeList, idx: np.ndarray) -> None:
    """Recompute the moves, shifts, gain and validity of rows ``idx`` in place (exchange.md §2d-e).

    Rows that are not ``usable`` come out NaN and invalid.
    """
    gain_rows(np.asarray(idx, dtype=np.int64), gain_inputs(lst), gain_outputs(lst))
