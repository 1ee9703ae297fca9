"""The bargaining models, each registered by name behind one contract (see ``base``)."""
from . import compromise, focal, nash, smp  # noqa: F401  (registers)
from .base import MODELS, BatchResult, Model, ModelResult, get_model, model_names, register

__all__ = ["MODELS", "BatchResult", "Model", "ModelResult", "get_model", "model_names", "register"]
