"""The bargaining models, each registered by name behind one contract (see ``base``)."""
from . import compromise, median, bdm, smp, exchange, nash, focal  # noqa: F401,I001  (registers, in this order)
from .base import MODELS, BatchResult, Model, ModelResult, get_model, model_names, register

__all__ = ["MODELS", "BatchResult", "Model", "ModelResult", "get_model", "model_names", "register"]
