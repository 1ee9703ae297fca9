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
