"""Whether a model's compiled kernels still have to be compiled on this machine, and the notice to print.

The models bdm, exchange, nash and median run as Numba kernels cached on disk (``cache=True``).
The first use on a machine compiles them, which takes seconds; after that a process loads them.
A kernel needs compiling when numba's cache index for its entry function (the ``.nbi`` file
next to the module, or under NUMBA_CACHE_DIR) holds no entry for the function's current code
and this machine's code generator. The check reads the index the way numba 0.68 does when it
loads (``Dispatcher._cache``: ``_cache_file._load_index()`` gives the entries, empty when the
source file changed, and ``_index_key(signature, codegen)`` the key an entry needs), without
compiling or loading anything. Where those internals are missing it answers "no" (no notice).
"""
from __future__ import annotations

import importlib

__all__ = ["COMPILE_SECONDS", "compile_notice", "compile_pending"]

#: the kernels' entry functions (module in backchannel.models, function) per model
_ENTRIES = {
    "bdm": (("bdm_round", "run_draws"), ("median", "_lowest_medians")),
    "exchange": (("exchange_kernel", "gain_rows"), ("exchange_kernel", "realise_loop")),
    "median": (("median", "_lowest_medians"),),
    "nash": (("nash_kernel", "solve_draws"),),
}
#: about how long the first use compiles, seconds (this machine, empty cache, 2026-12-01)
COMPILE_SECONDS = {"bdm": 7, "exchange": 4, "median": 2, "nash": 10}


def _cached(dispatcher) -> bool:
    """Whether numba's on-disk cache holds ``dispatcher`` compiled from its current code."""
    try:
        cache = dispatcher._cache
        codegen = dispatcher.targetctx.codegen()
        index = cache._cache_file._load_index()
        return any(key == cache._index_key(key[0], codegen) for key in index)
    except Exception:  # numba internals changed: assume cached rather than announce wrongly
        return True


def compile_pending(model: str) -> bool:
    """Whether using ``model`` will first compile kernels (False for models without any)."""
    for module, function in _ENTRIES.get(model, ()):
        kernel = getattr(importlib.import_module(f"backchannel.models.{module}"), function)
        if not _cached(kernel):
            return True
    return False


def compile_notice(models) -> str | None:
    """One line announcing the compiles that using ``models`` will do, or None when there are none."""
    pending = [m for m in dict.fromkeys(models) if compile_pending(m)]
    if not pending:
        return None
    seconds = sum(COMPILE_SECONDS[m] for m in pending)
    names = " and ".join(pending) if len(pending) < 3 else ", ".join(pending[:-1]) + " and " + pending[-1]
    noun = "model" if len(pending) == 1 else "models"
    return f"compiling the {names} {noun} for this machine (once, about {seconds} s)…"
