"""KTAB's Spatial Model of Politics: ``model`` (inputs and the registered model), ``run`` (the turns) and ``core`` (utilities, challenges, bargains)."""

from .model import SMP, smp_inputs

__all__ = ["SMP", "smp_inputs"]
