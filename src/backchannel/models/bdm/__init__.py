"""Bueno de Mesquita's expected-utility model: ``model`` (the model and one issue's run) and ``rounds`` (the compiled rounds)."""

from .model import BDM, run_issue

__all__ = ["BDM", "run_issue"]
