"""Long commands (report, ingest, sensitivity) draw a progress bar on standard error when it is a terminal,
and nothing there when it is not (pipes and logs stay clean)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from backchannel.cli import output


@pytest.fixture()
def terminal(monkeypatch):
    """Standard error as a terminal, recorded."""
    buf = io.StringIO()
    monkeypatch.setattr(output, "err_console", Console(file=buf, force_terminal=True, width=100))
    return buf


@pytest.mark.parametrize(
    "args, stage",
    [
        (["report", "ukraine-2025", "--draws", "50"], "what if secondary_tariffs?"),
        (["sensitivity", "ukraine-2025", "--issue", "nato", "--actor", "ukraine"], "who to work on toward ukraine"),
    ],
)
def test_progress_is_drawn_on_a_terminal(cli, terminal, tmp_path, args, stage):
    if args[0] == "report":
        args = [*args, "-o", str(tmp_path / "r.html")]
    code, out, err = cli(*args)
    assert code == 0, err
    assert stage in terminal.getvalue()
    assert stage not in out


def test_no_progress_when_stderr_is_not_a_terminal(cli, tmp_path):
    code, _, err = cli("report", "ukraine-2025", "--draws", "50", "-o", str(tmp_path / "r.html"))
    assert code == 0 and "what if" not in err


def test_ingest_shows_each_document_it_extracts(cli, terminal):
    pytest.importorskip("spacy")
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "evidence" / "data"
    code, _, err = cli(
        "ingest", str(data / "articles" / "A_witkoff_moscow.txt"), "--scenario", str(data / "scenario.yaml")
    )
    assert code == 0, err
    assert "extracting" in terminal.getvalue() and "A_witkoff_moscow.txt" in terminal.getvalue()
