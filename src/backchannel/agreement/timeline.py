"""The steps of the deal-over-time forecast: weekly up to three months after as_of, monthly after, to the horizon."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..scenario.schema import Deadline

__all__ = ["DAYS_PER_MONTH", "Step", "add_months", "timeline"]

#: the mean Gregorian month, for turning days into months of cost
DAYS_PER_MONTH = 365.2425 / 12
_WEEKLY_MONTHS = 3


@dataclass(frozen=True)
class Step:
    """One date of the forecast: months since as_of, and the levers of the deadlines passed by then."""

    date: dt.date
    months: float
    levers: tuple[str, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def timeline(as_of: dt.date, horizon: dt.date | None, deadlines: tuple[Deadline, ...] = ()) -> list[Step]:
    """Step 0 is as_of (the one-shot decision); then weekly to three months, monthly to the horizon (included).

    A deadline due after as_of fires its lever from the first step on or after its due date; one due
    on or before as_of has passed already and its effect is in the data.
    """
    dates = [as_of]
    if horizon is not None:
        weekly_end = add_months(as_of, _WEEKLY_MONTHS)
        day = as_of + dt.timedelta(days=7)
        while day <= min(weekly_end, horizon):
            dates.append(day)
            day += dt.timedelta(days=7)
        k = _WEEKLY_MONTHS + 1
        while add_months(as_of, k) <= horizon:
            dates.append(add_months(as_of, k))
            k += 1
        if dates[-1] < horizon:
            dates.append(horizon)
    pending = sorted((d for d in deadlines if d.fires is not None and d.due > as_of), key=lambda d: d.due)
    steps = []
    for day in dates:
        fired = tuple(dict.fromkeys(d.fires for d in pending if d.due <= day if d.fires is not None))
        steps.append(Step(day, (day - as_of).days / DAYS_PER_MONTH, fired))
    return steps
