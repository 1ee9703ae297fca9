"""Terminal output shared by the commands: Rich consoles and JSON printing."""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


__all__ = ["Stages", "announce_compiles", "console", "err_console", "print_json", "fmt", "progress_bar", "stages"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Print data as indented JSON on standard output (no Rich markup, no wrapping)."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False))


def fmt(value: float | None, digits: int = 1) -> str:
    """A number for a table cell; an en dash for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def announce_compiles(models) -> None:
    """Say on standard error, before the wait, when using ``models`` first compiles their kernels."""
    from ..models.first_use import compile_notice  # the models (NumPy) load with the commands that use them

    notice = compile_notice(models)
    if notice:
        err_console.print(notice, markup=False)


class Stages:
    """A progress bar through named stages: call it as ``progress(done, total)``; ``stage(text)`` starts the next."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._task = bar.add_task("", total=None)

    def stage(self, text: str, total: int | None = None) -> None:
        """Start a stage: its description, and its number of steps when known."""
        self._bar.update(self._task, description=text, completed=0, total=total)
        self._bar.refresh()  # each stage is drawn at once, however short

    def advance(self) -> None:
        """One step of the current stage done."""
        self._bar.advance(self._task)

    def __call__(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)


@contextmanager
def stages(disable: bool = False) -> Iterator[Stages]:
    """A transient Rich progress bar on standard error (as ``backtest`` has), for work over two seconds; drawn
    only when standard error is a terminal, so logs and pipes stay clean."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True, disable=disable or not err_console.is_terminal) as bar:
        yield Stages(bar)


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a transient bar on standard error (None when disabled).

    The bar appears at the first report, so input the core rejects before any work never draws one.
    """
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("solves"), TimeElapsedColumn())
    bar = Progress(*columns, console=err_console, transient=True)
    task: list[Any] = []

    def report(done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done, total=total)

    try:
        yield report
    finally:
        bar.stop()
