"""Stokman's Equal Gain exchange model: ``model`` (rounds), ``candidates`` (the pairs of issues and actors that could trade), ``gain`` (the equal-gain terms), ``realise`` (carrying out exchanges best first) and ``kernel`` (their compiled loops)."""

from .model import Exchange, RoundLog, run_round

__all__ = ["Exchange", "RoundLog", "run_round"]
