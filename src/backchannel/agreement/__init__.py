"""The agreement layer: whether a model's settlement becomes a deal, and by when.

Where a deal would land is the models' question; whether the actors whose consent counts prefer
it to going on without one is this package's (see docs/models.md, "Agreement"). Pure numeric:
it takes arrays and returns arrays, never touching the disk.
"""

from .consent import ConsentRule, accepted, consent_rule
from .layer import Decision, decide, deal_probability
from .options import OutsideArrays, fill_outside_points, no_deal_point, outside_arrays
from .timeline import Step, timeline
from .utility import package_utility

__all__ = [
    "ConsentRule",
    "Decision",
    "OutsideArrays",
    "Step",
    "accepted",
    "consent_rule",
    "deal_probability",
    "decide",
    "fill_outside_points",
    "no_deal_point",
    "outside_arrays",
    "package_utility",
    "timeline",
]
