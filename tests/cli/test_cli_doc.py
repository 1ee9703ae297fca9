"""docs/cli.md documents every command of ``backchannel`` and every option of each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from backchannel.cli import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "backchannel"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):  # a group (Typer may ship its own click)
            yield from _commands(cmd, path)
        else:
            yield path, cmd


COMMANDS = dict(_commands(typer.main.get_command(app)))


def test_the_command_tree_is_what_the_doc_walks():
    # 30 leaf commands: 7 scenario, 3 runs, 2 evidence, 4 review, 5 question and 9 top-level ones
    assert len(COMMANDS) == 30


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_and_option_is_documented(path):
    assert f"`{path}" in DOC, f"{path} is not in docs/cli.md"
    section = DOC[DOC.index(f"`{path}") :]
    section = re.split(r"\n\n|\n\|", section, maxsplit=1)[0]  # its paragraph, or its table row
    for param in COMMANDS[path].params:
        if getattr(param, "opts", None) and param.param_type_name == "option" and param.name != "help":
            assert any(o in section for o in param.opts), f"{path}: {param.opts} not documented near the command"
