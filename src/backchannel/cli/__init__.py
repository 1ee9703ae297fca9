"""The command-line interface: ``backchannel`` (Typer + Rich)."""
from __future__ import annotations

import sys

import typer

from ..scenario.errors import InputError
from . import backtest as _backtest
from . import forecast as _forecast
from . import markets as _markets
from . import report as _report
from . import runs as _runs
from . import scenario as _scenario
from . import sensitivity as _sensitivity
from . import serve as _serve
from . import whatif as _whatif
from .output import err_console

__all__ = ["app", "main"]

app = typer.Typer(
    name="backchannel",
    help="From the news about a negotiation to a model of it, and to a forecast you can check.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(_scenario.app, name="scenario")
app.add_typer(_runs.app, name="runs")
app.command()(_forecast.forecast)
app.command()(_serve.serve)
app.command()(_report.report)
app.command()(_backtest.backtest)
app.command()(_whatif.whatif)
app.command()(_sensitivity.sensitivity)
app.command()(_markets.markets)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints one line on stderr and exits with code 2."""
    try:
        app(args=argv, prog_name="backchannel")
    except InputError as exc:
        err_console.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
