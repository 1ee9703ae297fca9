"""Monte Carlo ensembles: sampling uncertain inputs, what-if levers, executors and forecasts."""

from .executors import EXECUTORS, run_chunks, run_tasks
from .forecast import Forecast, ModelForecast, run_forecast, summarise
from .levers import apply_lever, apply_overrides
from .sampling import DISTRIBUTIONS, sample_batch

__all__ = [
    "DISTRIBUTIONS",
    "EXECUTORS",
    "Forecast",
    "ModelForecast",
    "apply_lever",
    "apply_overrides",
    "run_chunks",
    "run_forecast",
    "run_tasks",
    "sample_batch",
    "summarise",
]
