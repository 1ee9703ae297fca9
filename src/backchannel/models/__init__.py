"""The bargaining models, each registered by name behind one contract (see ``base``)."""

from . import bdm, compromise, exchange, focal, median, nash, nash_outside, smp  # noqa: F401  (each registers its model)
from . import combined  # noqa: F401  (registered last: it runs the others)
from .base import MODELS, BatchResult, Model, ModelResult, get_model, model_names, register

__all__ = ["MODELS", "BatchResult", "Model", "ModelResult", "get_model", "model_names", "register"]
