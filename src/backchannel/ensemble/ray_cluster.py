"""The ``ray`` executor: a run's tasks as Ray tasks on a cluster (an existing one, or a local one).

- Where: ``address`` (``--ray-address``), else ``RAY_ADDRESS``, else a local cluster started for the
  process (and stopped when it exits). Workers must be able to import ``backchannel`` (installed in
  the cluster's image, or on ``PYTHONPATH`` of the nodes); see docs/scaling.md.
- Large inputs: the run's ``shared`` input is put into the object store once; every task gets a
  reference, which a worker on the same node reads without a copy.
- Progress: the driver waits on the tasks as they finish anywhere on the cluster and reports each.
- Failures: a task whose worker process or node dies is run again (``MAX_RETRIES``); since a task's
  result depends only on its inputs and seed, the run completes with the same result.

Ray is an optional extra (``pip install 'backchannel[ray]'``); without it the executor is one
InputError line.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Sequence

from ..scenario.errors import InputError

__all__ = ["MAX_RETRIES", "connect", "map_stateful_on_ray", "ray_module", "run_on_ray"]

#: how often a task is run again after its worker process or node died
MAX_RETRIES = 5

_remote_call: Any = None
_address: str | None = None


def ray_module() -> Any:
    """The ``ray`` package, or an InputError saying the extra is missing."""
    try:
        import ray
    except ImportError:
        raise InputError(
            "the ray executor needs the ray extra: pip install 'backchannel[ray]'",
            field="executor",
            value="ray",
            allowed="serial, processes (or install the extra)",
        ) from None
    return ray


def connect(address: str | None = None) -> Any:
    """Join the cluster at ``address`` (else ``RAY_ADDRESS``, else start a local one); returns ``ray``."""
    global _address
    ray = ray_module()
    wanted = address or os.environ.get("RAY_ADDRESS") or None
    if ray.is_initialized():
        if wanted == _address:
            return ray
        ray.shutdown()
    try:
        if wanted:
            ray.init(address=wanted, log_to_driver=False, configure_logging=False)
        else:
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    except ConnectionError as exc:
        raise InputError(
            f"cannot reach the Ray cluster ({exc})",
            field="ray-address",
            value=wanted,
            allowed="the address of a running Ray head node (ray start --head), or none for a local cluster",
        ) from None
    _address = wanted
    return ray


def _call(fn: Callable[[Any, Any], Any], shared: Any, task: Any) -> Any:
    """What a Ray task runs: one task of the run on the shared input."""
    return fn(shared, task)


def run_on_ray(
    fn: Callable[[Any, Any], Any],
    tasks: Sequence[Any],
    shared: Any = None,
    progress: Callable[[int, int], Any] | None = None,
    address: str | None = None,
) -> list[Any]:
    """``[fn(shared, task) for task in tasks]`` as Ray tasks, results in task order."""
    global _remote_call
    ray = connect(address)
    if _remote_call is None:
        _remote_call = ray.remote(max_retries=MAX_RETRIES)(_call)
    shared_ref = ray.put(shared)
    refs = [_remote_call.remote(fn, shared_ref, task) for task in tasks]
    where = {ref: k for k, ref in enumerate(refs)}
    results: list[Any] = [None] * len(refs)
    pending, done = list(refs), 0
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                results[where[ref]] = ray.get(ref)
                done += 1
                if progress:
                    progress(done, len(refs))
    except ray.exceptions.RayTaskError as exc:
        for ref in pending:
            ray.cancel(ref)
        raise exc.as_instanceof_cause() from None
    return results


class _Holder:
    """A Ray actor's state: built once when the actor starts (again if it is restarted)."""

    def __init__(self, setup: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.state = setup(*args)

    def call(self, fn: Callable[[Any, Any], Any], item: Any) -> Any:
        return fn(self.state, item)


def map_stateful_on_ray(
    setup: Callable[..., Any],
    setup_args: tuple[Any, ...],
    fn: Callable[[Any, Any], Any],
    items: Sequence[Any],
    address: str | None = None,
) -> list[Any]:
    """``map_stateful`` on Ray: one actor per CPU of the cluster, each building its state once; results
    in item order. An actor whose process dies is restarted (its state built again) and its item retried."""
    ray = connect(address)
    from ray.util import ActorPool

    n = max(1, min(len(items), int(ray.cluster_resources().get("CPU", 1))))
    holder = ray.remote(num_cpus=1, max_restarts=MAX_RETRIES, max_task_retries=MAX_RETRIES)(_Holder)
    # the arguments go with each actor (small: a scenario), so that a restarted actor still has them
    actors = [holder.remote(setup, setup_args) for _ in range(n)]
    try:
        pool = ActorPool(actors)
        return list(pool.map(lambda actor, item: actor.call.remote(fn, item), list(items)))
    except ray.exceptions.RayTaskError as exc:
        raise exc.as_instanceof_cause() from None
    finally:
        for actor in actors:
            ray.kill(actor)
