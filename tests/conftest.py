"""Shared fixtures: where the shared data lives, a fresh store, and an in-process CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BACKCHANNEL_SHARED", ROOT.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared folder (real data, articles, model notes), beside the repository."""
    if not SHARED.is_dir():
        pytest.fail(f"shared data folder not found at {SHARED}; set BACKCHANNEL_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def data_dir(shared: Path) -> Path:
    """``shared/data``: real scenario files, DEU data, KTAB references."""
    return shared / "data"


# today's flagship, frozen: pinned-output and report tests read this copy, so that edits to the
# built-in ukraine-2025 (new sources, veto players, outside options) test the inputs, not the models
FROZEN_UKRAINE = ROOT / "tests" / "data" / "ukraine-2025-frozen.yaml"


@pytest.fixture(scope="session")
def frozen_ukraine() -> str:
    """Path of the frozen copy of the ukraine-2025 scenario (as shipped before the agreement layer)."""
    return str(FROZEN_UKRAINE)


@pytest.fixture()
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite store for one test, also set as BACKCHANNEL_DB for the CLI."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    monkeypatch.setenv("BACKCHANNEL_DB", url)
    return url


@pytest.fixture()
def cli(db_url: str, capsys: pytest.CaptureFixture[str]):
    """Run the CLI in-process: ``cli("forecast", "--json")`` -> (exit code, stdout, stderr)."""
    from backchannel.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return run
