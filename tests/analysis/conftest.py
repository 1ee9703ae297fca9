"""Fixtures of the analysis tests: the shared real data beside the repository."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_dir() -> Path:
    """$BACKCHANNEL_SHARED, else the nearest ``shared`` folder beside the repository or above it."""
    env = os.environ.get("BACKCHANNEL_SHARED")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    # CI: ../shared beside the clone; a git worktree sits deeper, so look further up too.
    for folder in (root, *root.parents):
        if (folder.parent / "shared" / "data").is_dir():
            return folder.parent / "shared"
    return root.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real-data folder."""
    return shared_dir() / "data"


@pytest.fixture(scope="session")
def deu_path(shared_data) -> Path:
    """Path of deu3-dev.tsv (DEU III development split)."""
    path = shared_data / "deu3-dev.tsv"
    if not path.is_file():
        pytest.fail(f"shared data missing: {path}")
    return path


@pytest.fixture(scope="session")
def deu_text(deu_path) -> str:
    """The text of deu3-dev.tsv."""
    return deu_path.read_text(encoding="utf-8")
