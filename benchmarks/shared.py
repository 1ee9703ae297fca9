"""Where the benchmarks find the project's shared folder (real data and articles)."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    """``../shared`` beside the repository or beside one of its parents; ``$BACKCHANNEL_SHARED`` wins."""
    if env := os.environ.get("BACKCHANNEL_SHARED"):
        return Path(env)
    repo = Path(__file__).resolve().parents[1]
    for base in (repo, *repo.parents):
        if (base / ".." / "shared" / "data").is_dir():
            return (base / ".." / "shared").resolve()
    return (repo / ".." / "shared").resolve()
