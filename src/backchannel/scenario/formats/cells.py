"""Reading and writing the cells of row-based scenario files (Decide, KTAB and table CSV).

These formats hold plain numbers in text cells and give no structure a validator could point
into, so each parser checks numbers itself, naming the line and column of the bad cell, and
keeps a map from scenario fields (``positions[3]``) back to source lines for anything the
schema rejects afterwards.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from pathlib import PurePath
from typing import Any, Callable, Iterable

from ..errors import InputError
from ..schema import Scenario
from ..validation import build_scenario

__all__ = [
    "SourceLines",
    "check_id",
    "join_row",
    "format_number",
    "most_common",
    "read_number",
    "scenario_id",
    "split_row",
    "to_scale",
]


def read_number(
    text: str,
    *,
    file: str | None,
    line: int | None,
    field: str,
    low: float | None = None,
    high: float | None = None,
    allowed: str | None = None,
) -> float:
    """A finite float from a cell, within [low, high] when given, or an InputError saying where."""
    shown = allowed or _range_text(low, high)
    cell = text.strip()
    if not cell:
        raise InputError("missing number", file=file, line=line, field=field, allowed=shown)
    try:
        value = float(cell)
    except ValueError:
        raise InputError("not a number", file=file, line=line, field=field, value=cell, allowed=shown) from None
    if not math.isfinite(value):
        raise InputError("not a finite number", file=file, line=line, field=field, value=cell, allowed=shown)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError("out of range", file=file, line=line, field=field, value=value, allowed=shown)
    return value


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"a number from {low:g} to {high:g}"
    if low is not None:
        return f"a number >= {low:g}"
    if high is not None:
        return f"a number <= {high:g}"
    return "a finite number"


def format_number(value: float) -> str:
    """A number as written back to a file: up to 12 significant digits, so 3.0 is ``3``.

    Rescaling to 0..100 and back leaves float noise in the last digits (3.0000000000000004);
    12 digits drop it while keeping every digit any of the source files carries.
    """
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


def to_scale(value: float, bounds: tuple[float, float] | None) -> float:
    """A value in an issue's original units on the 0..100 scale (clipped against float noise)."""
    if bounds is None:
        return value
    low, high = bounds
    return min(100.0, max(0.0, (value - low) * 100.0 / (high - low)))


def most_common(values: Iterable[float]) -> float:
    """The most frequent value, the earliest seen among equally frequent ones."""
    items = list(values)
    counts = Counter(items)
    best = max(counts.values())
    return next(v for v in items if counts[v] == best)


def scenario_id(file: str | None, default: str = "scenario") -> str:
    """The scenario id a file implies: its stem, with dots (not allowed in ids) made dashes."""
    if not file:
        return default
    stem = PurePath(file).stem.replace(".", "-").strip(" -")
    return stem or default


class SourceLines:
    """Which source line each actor, issue and position of a scenario under construction came from."""

    def __init__(self) -> None:
        self._lines: dict[tuple[Any, ...], int] = {}

    def note(self, line: int, *loc: Any) -> None:
        """Record that the field path ``loc`` (e.g. "positions", 3) was read from ``line``."""
        self._lines[tuple(loc)] = line

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """The line of the longest recorded prefix of a field path."""
        for end in range(len(loc), 0, -1):
            line = self._lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def build(self, data: dict[str, Any], file: str | None) -> Scenario:
        """Validate the mapping into a Scenario, locating schema errors at their source lines."""
        finder: Callable[[tuple[Any, ...]], int | None] = self.line_of
        return build_scenario(data, file=file, line_of=finder)


def split_row(
    line: str, delimiter: str = ",", quotechar: str | None = '"', *, file: str | None = None, number: int | None = None
) -> list[str]:
    """The cells of one delimited line (``number`` in ``file``), stripped, with trailing empty cells (trailing
    commas) dropped; an InputError when the CSV reader refuses the line (a cell past its size limit)."""
    if quotechar is None:
        cells = line.split(delimiter)
    else:
        try:
            cells = next(csv.reader([line], delimiter=delimiter, quotechar=quotechar, skipinitialspace=True), [])
        except csv.Error as exc:
            limit = csv.field_size_limit()
            raise InputError(
                f"unreadable CSV line: {exc}",
                file=file,
                line=number,
                allowed=f"cells of at most {limit:,} characters, without NUL bytes",
            ) from None
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def join_row(cells: Iterable[str], delimiter: str = ",") -> str:
    """One delimited line from cells, quoting any cell that holds the delimiter or a quote."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(list(cells))
    return buffer.getvalue()


def check_id(value: str, *, file: str | None, line: int | None, field: str) -> str:
    """An actor or issue id read from a cell: non-empty and without dots (ids form dotted paths)."""
    value = value.strip()
    if not value:
        raise InputError("missing id", file=file, line=line, field=field, allowed="a non-empty name")
    if "." in value:
        raise InputError(
            "an id cannot contain '.'",
            file=file,
            line=line,
            field=field,
            value=value,
            allowed="a name without dots (ids are used in paths such as actor.issue.salience)",
        )
    return value
