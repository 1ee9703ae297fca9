"""Whether a model's compiled kernels still have to be compiled on this machine, and the notice to print.

The models bdm, exchange, nash and median run as Numba kernels cached on disk (``cache=True``); each
model declares its kernels (``Model.kernels``), and a kernel shared by two models counts once.
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
from typing import Any, Iterable

from .base import MODELS, Kernel

__all__ = ["compile_notice", "compile_pending"]


def _cached(dispatcher: Any) -> bool:
    """Whether numba's on-disk cache holds ``dispatcher`` compiled from its current code."""
    try:
        cache = dispatcher._cache
        codegen = dispatcher.targetctx.codegen()
        index = cache._cache_file._load_index()
        return any(key == cache._index_key(key[0], codegen) for key in index)
    except Exception:  # numba internals changed: assume cached rather than announce wrongly
        return True


def _pending(model: str) -> list[Kernel]:
    """The kernels ``model`` declares that are not cached (none for models without kernels)."""
    cls = MODELS.get(model)
    return [
        k for k in (cls.kernels if cls else ()) if not _cached(getattr(importlib.import_module(k.module), k.function))
    ]


def compile_pending(model: str) -> bool:
    """Whether using ``model`` will first compile kernels (False for models without any)."""
    return bool(_pending(model))


def compile_notice(models: Iterable[str]) -> str | None:
    """One line announcing the compiles that using ``models`` will do, or None when there are none."""
    pending = {m: _pending(m) for m in dict.fromkeys(models)}
    names = [m for m, entries in pending.items() if entries]
    if not names:
        return None
    seconds = sum(k.seconds for k in {k for entries in pending.values() for k in entries})
    listed = " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]
    noun = "model" if len(names) == 1 else "models"
    return f"compiling the {listed} {noun} for this machine (once, about {seconds} s)…"
