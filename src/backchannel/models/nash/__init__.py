"""Asymmetric Nash bargaining: ``model`` (the registered model) and ``kernel`` (the compiled per-draw Newton solver)."""

from .model import Nash, nash_solution

__all__ = ["Nash", "nash_solution"]
