"""The defaults every interface shares, declared once: how many draws, and which model leads a headline.

The CLI's commands, the web forms, the JSON API and the report all read these, so the same scenario
and seed give the same headline number wherever it is read.
"""
from __future__ import annotations

from typing import Iterable

from ..models import model_names

__all__ = ["DEFAULT_DRAWS", "HEADLINE_MODEL", "headline_model", "default_models"]

#: Monte Carlo draws of a forecast, a what-if, the market impacts, a report, the web forms and the API.
DEFAULT_DRAWS = 1000

#: The model whose numbers lead a headline, the default model of every command and form, and the one
#: whose outcome probabilities weight the market moves. The single place to change when the scored
#: ``combined`` model is promoted.
HEADLINE_MODEL = "compromise"


def headline_model(models: Iterable[str] | None = None) -> str:
    """The headline model among ``models`` (those of a run): ``HEADLINE_MODEL`` when it ran, otherwise the
    first model of the run; ``HEADLINE_MODEL`` when no models are given."""
    names = list(models or [])
    if not names or HEADLINE_MODEL in names:
        return HEADLINE_MODEL
    return names[0]


def default_models() -> list[str]:
    """The models run when none is named: the headline model (when it is registered)."""
    return [HEADLINE_MODEL] if HEADLINE_MODEL in model_names() else model_names()[:1]
