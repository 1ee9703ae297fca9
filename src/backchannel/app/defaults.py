"""The defaults every interface shares, declared once: how many draws, and which model leads a headline.

The CLI's commands, the web forms, the JSON API and the report all read these, so the same scenario
and seed give the same headline number wherever it is read.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["DEFAULT_DRAWS", "HEADLINE_MODEL", "headline_model", "default_models"]

#: Monte Carlo draws of a forecast, a what-if, the market impacts, a report, the web forms and the API.
DEFAULT_DRAWS = 1000

#: The model run when none is named (forecast, what-if, markets, sensitivity, the web forms and the API),
#: and the one whose outcome probabilities weight the market moves of a run without a headline model.
HEADLINE_MODEL = "compromise"


def headline_model(models: Iterable[str] | None = None) -> str:
    """The headline model of a run with ``models``: the first of ``models.combined.headline_models()`` that
    ran (``combined`` once its cross-validated scores promote it, then ``compromise``), else the run's first
    model; ``HEADLINE_MODEL`` when no models are given. The one rule every interface uses."""
    names = list(models or [])
    if not names:
        return HEADLINE_MODEL
    from ..models.combined import headline_models  # the models (and NumPy) load only where a run needs them

    return next((m for m in (*headline_models(), HEADLINE_MODEL) if m in names), names[0])


def default_models() -> list[str]:
    """The models run when none is named: ``HEADLINE_MODEL`` (the report runs every headline model)."""
    from ..models import model_names

    return [HEADLINE_MODEL] if HEADLINE_MODEL in model_names() else model_names()[:1]
