"""A scenario's content hash: the identity under which it is stored and runs are recorded."""

from __future__ import annotations

import hashlib
import json

from .formats.native import to_plain
from .schema import Scenario

__all__ = ["scenario_hash"]


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (sorted keys), as 64 hex digits."""
    canonical = json.dumps(to_plain(scenario), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
