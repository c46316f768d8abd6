"""Running many (scenario, seed) pairs on Dask: the executor, the task, :func:`run_batch`.

Every run is one Dask task. By default a :class:`dask.distributed.LocalCluster` of worker
*processes* is started (one per core, or ``workers``), each with one thread; ``scheduler``
sends the tasks to a running scheduler instead (``dask scheduler`` and ``dask worker ADDR`` by
hand, or dask-jobqueue on a batch system, see ``docs/experiments.md``); ``client`` reuses a
:class:`dask.distributed.Client` the caller holds (e.g. across calibration batches).

Threads: a run inside a task uses one numba thread (``numba.set_num_threads(1)`` for the
task's duration), and the local workers start with ``NUMBA_NUM_THREADS``, ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` and ``MKL_NUM_THREADS`` set to 1, so that N workers on N cores do not
oversubscribe them; the parallelism of a sweep is across runs. A run's result does not depend
on the number of threads, nor on which worker runs it or when: it is a function of (scenario,
seed) alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from innocluster._version import __version__
from innocluster.errors import InnoclusterError
from innocluster.experiments.store import run_path, write_run
from innocluster.scenario import Scenario, load_scenario

__all__ = ["WORKER_ENV", "dask_client", "run_batch", "run_tasks"]

#: The environment of local worker processes: one thread for numba and the BLAS libraries.
WORKER_ENV = {
    "NUMBA_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def dask_client(
    workers: int | None = None, scheduler: str | None = None, client: Any = None
) -> Iterator[Any]:
    """A Dask client: the given ``client``, one connected to ``scheduler``, or a local cluster.

    Args:
        workers: worker processes of the local cluster (default: one per core).
        scheduler: the address of a running scheduler (``tcp://host:8786``).
        client: a :class:`dask.distributed.Client` to use as it is (not closed on exit).

    Raises:
        InnoclusterError: more than one of them is given, ``workers`` is below 1, or the
            scheduler cannot be reached.
    """
    given = [
        name
        for name, v in (("workers", workers), ("scheduler", scheduler), ("client", client))
        if v is not None
    ]
    if len(given) > 1:
        raise InnoclusterError(f"give one of workers, scheduler, client; got {' and '.join(given)}")
    if client is not None:
        yield client
        return
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            connected = Client(scheduler, timeout="10s")
        except OSError as err:
            raise InnoclusterError(f"--scheduler {scheduler}: cannot connect ({err})") from None
        with connected:
            yield connected
        return
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise InnoclusterError(f"workers: expected a positive integer, got {workers!r}")
    cluster = LocalCluster(
        n_workers=workers or default_workers(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
        env=WORKER_ENV,
    )
    with cluster, Client(cluster) as local:
        yield local


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    import numba

    # Numba re-reads the environment when it compiles; a worker whose environment no longer
    # names the thread count its pool was launched with would fail on its first compilation
    # (a fresh install, or an edited kernel whose cache is stale).
    os.environ["NUMBA_NUM_THREADS"] = str(numba.config.NUMBA_NUM_THREADS)
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def _one_thread_task(function: Callable[..., Any], *args: Any) -> Any:
    # A task runs with one numba thread: parallelism is across tasks, one per core. The
    # workers' NUMBA_NUM_THREADS comes too late when a worker process re-imports a main module
    # that has already loaded numba (the command line's), so the limit is also set here.
    with _one_thread():
        return function(*args)


def _indicators(scenario: Scenario, seed: int) -> pa.Table:
    from innocluster.run import simulate

    return simulate(scenario, seed=seed).tables["indicators"]


def run_to_file(
    scenario: Scenario, seed: int, rid: str, indicators: Sequence[str], out: str
) -> dict[str, Any]:
    """The task of a sweep: simulate, write the run file, return the run's summary.

    An exception in the model is caught and returned as the run's error, so one broken run
    does not stop the others.

    Returns:
        ``{"run_id", "status" ("ok" or "error"), "error" (text or None), "final" (the last
        step's kept indicators), "wall_seconds"}``.
    """
    start = time.perf_counter()
    try:
        table = _indicators(scenario, seed).select(["step", *indicators])
    except Exception as err:  # noqa: BLE001  (any failure of the model is the run's result)
        return {
            "run_id": rid,
            "status": "error",
            "error": f"{type(err).__name__}: {err}",
            "final": {},
            "wall_seconds": time.perf_counter() - start,
        }
    wall = time.perf_counter() - start
    column = pa.array([rid] * table.num_rows, type=pa.string())
    table = table.add_column(0, "run_id", column)
    meta = {"run_id": rid, "seed": int(seed), "wall_seconds": wall, "innocluster": __version__}
    write_run(table, run_path(Path(out), rid), meta)
    final = {name: table.column(name)[-1].as_py() for name in indicators}
    return {"run_id": rid, "status": "ok", "error": None, "final": final, "wall_seconds": wall}


def _run_frame(scenario: Scenario, seed: int) -> pd.DataFrame:
    from innocluster.tables import to_pandas

    return to_pandas(_indicators(scenario, seed))


def run_tasks(
    client: Any,
    function: Callable[..., Any],
    arguments: Sequence[tuple[Any, ...]],
    keys: Sequence[str] | None = None,
    on_result: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """Submit ``function(*arguments[i])`` for every ``i`` and gather the results in order.

    Each task runs with one numba thread (tasks run in parallel, one per worker thread).

    ``on_result(i, result)`` is called as each task finishes (in completion order). A task
    whose worker dies is run again elsewhere by Dask; a task that keeps killing workers, or
    raises, gives its exception as its result.
    """
    from dask.distributed import as_completed

    futures = [
        client.submit(
            _one_thread_task, function, *args, key=None if keys is None else keys[i], pure=False
        )
        for i, args in enumerate(arguments)
    ]
    index = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    try:
        for future in as_completed(futures):
            i = index[future.key]
            try:
                results[i] = future.result()
            except Exception as err:  # noqa: BLE001  (a lost task is that task's result)
                results[i] = err
            future.release()
            if on_result is not None:
                on_result(i, results[i])
    finally:
        client.cancel([f for f in futures if not f.done()])
    return results


def run_batch(
    scenarios: Sequence[Scenario | str | dict[str, Any]],
    seeds: Sequence[int],
    workers: int | None = None,
    scheduler: str | None = None,
    *,
    client: Any = None,
) -> list[pd.DataFrame]:
    """Simulate each ``(scenarios[i], seeds[i])`` as a Dask task; return their indicators.

    Args:
        scenarios: validated scenarios, preset names, file paths or mappings.
        seeds: one seed per scenario.
        workers: worker processes of a local cluster (default: one per core).
        scheduler: the address of a running Dask scheduler, instead of a local cluster.
        client: a Dask client to reuse (e.g. one per calibration, across many batches).

    Returns:
        One indicators DataFrame per pair (``step`` and the model's indicators), in the order
        given; identical whatever the number of workers.

    Raises:
        InnoclusterError: the lengths differ, a scenario or seed is not valid, or a run fails
            (the message names the pair and the error).
    """
    if len(scenarios) != len(seeds):
        raise InnoclusterError(
            f"run_batch: expected one seed per scenario, got {len(scenarios)} scenarios and "
            f"{len(seeds)} seeds"
        )
    resolved = [load_scenario(s) for s in scenarios]
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise InnoclusterError(
                f"run_batch: seed: expected a non-negative integer, got {seed!r}"
            )
    with dask_client(workers, scheduler, client) as active:
        pairs = [(scenario, int(seed)) for scenario, seed in zip(resolved, seeds, strict=True)]
        results = run_tasks(active, _run_frame, pairs)
    for i, result in enumerate(results):
        if isinstance(result, Exception):
            raise InnoclusterError(
                f"run_batch: run {i} (scenario '{resolved[i].name}', seed {seeds[i]}) failed: "
                f"{type(result).__name__}: {result}"
            )
    return results
