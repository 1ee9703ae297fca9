"""Fixtures of the analysis tests: the DEU development data (from the root ``data_dir`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_data(data_dir: Path) -> Path:
    """The shared real-data folder."""
    return data_dir


@pytest.fixture(scope="session")
def deu_path(data_dir: Path) -> Path:
    """Path of deu3-dev.tsv (DEU III development split)."""
    path = data_dir / "deu3-dev.tsv"
    if not path.is_file():
        pytest.fail(f"shared data missing: {path}")
    return path


@pytest.fixture(scope="session")
def deu_text(deu_path: Path) -> str:
    """The text of deu3-dev.tsv."""
    return deu_path.read_text(encoding="utf-8")
