"""Views of stored results kept in memory: recorded runs and scenario versions never change, so their pages
are built once. Keys carry what identifies the content (a scenario's hash, a run's id and creation time), so a
cached view can never stand for something else."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

__all__ = ["Memo"]


class Memo:
    """A bounded, thread-safe least-recently-used map from keys to values built on first use."""

    def __init__(self, size: int = 128) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value under ``key``, made by ``make()`` (outside the lock) when it is not kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # two threads may both make a missing value; both results are equal, one is kept
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
