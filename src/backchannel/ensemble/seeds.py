"""How one run seed becomes the independent random streams of a run.

Every stream is ``SeedSequence(seed, spawn_key=(purpose, *name))``: purpose 0 for the draws of
an uncertain input, 1 for a model's point solve or chunk of draws. Names are hashed to 128
bits, so two inputs or models never share a stream in practice, and a stream depends only on
the seed and its own name: never on how many other inputs, models or chunks there are.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["input_stream", "task_seed"]

_INPUT, _TASK = 0, 1


def _words(text: str) -> tuple[int, ...]:
    """A name as four 32-bit words (BLAKE2b, 128 bits)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[k : k + 4], "little") for k in range(0, 16, 4))


def input_stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one uncertain input (``actor.issue.field``)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed), spawn_key=(_INPUT, *_words(key)))))


def task_seed(seed: int, *parts: str | int) -> np.random.SeedSequence:
    """The seed of one task of a run, e.g. ``task_seed(seed, "draws", "nash", 3)`` for chunk 3."""
    key: list[int] = [_TASK]
    for part in parts:
        key.extend(_words(part) if isinstance(part, str) else (int(part),))
    return np.random.SeedSequence(int(seed), spawn_key=tuple(key))
