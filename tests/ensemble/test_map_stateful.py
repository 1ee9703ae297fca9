"""map_stateful: each worker builds its state once, results come back in item order on every executor."""

from __future__ import annotations

import os

import pytest

from backchannel.ensemble.executors import map_stateful, run_tasks
from backchannel.scenario.errors import InputError


def _setup(offset: int) -> dict[str, int]:
    return {"offset": offset, "pid": os.getpid(), "built": 1}


def _use(state: dict[str, int], item: int) -> tuple[int, int]:
    return item * 10 + state["offset"], state["pid"]


def _square(shared: int, task: int) -> int:
    return task * task + shared


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_results_in_item_order_with_one_state_per_worker(executor):
    out = map_stateful(_setup, (3,), _use, list(range(40)), executor, workers=2)
    assert [v for v, _ in out] == [k * 10 + 3 for k in range(40)]
    pids = {pid for _, pid in out}
    if executor == "serial":
        assert pids == {os.getpid()}
    else:  # worker processes, at most the two asked for, each with the state it built
        assert os.getpid() not in pids and 1 <= len(pids) <= 2


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_run_tasks_passes_the_shared_input(executor):
    assert run_tasks(_square, [1, 2, 3, 4], executor, shared=100, workers=2) == [101, 104, 109, 116]


def test_an_unknown_executor_is_an_input_error():
    with pytest.raises(InputError, match="unknown executor"):
        map_stateful(_setup, (0,), _use, [1], "threads")
