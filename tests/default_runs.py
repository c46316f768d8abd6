"""Runs of the default scenario over ten seeds, computed once per set of overrides.

The behaviour tests compare outcomes under different overrides over the same seeds (common
random numbers); this cache lets several tests share a set of runs. The runs of a set are
computed in two worker processes with one numba thread each (the machine's two cores): a run's
tables do not depend on the number of threads or processes, so this only saves time.
"""

from __future__ import annotations

import atexit
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import innocluster as ic

SEEDS = range(10)


def runs(seeds: range = SEEDS, **overrides) -> tuple[ic.Run, ...]:
    """The default scenario with ``overrides``, one run per seed (default :data:`SEEDS`)."""
    frozen = tuple(
        sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in overrides.items())
    )
    return _runs(seeds, frozen)


@cache
def _runs(seeds: range, frozen: tuple) -> tuple[ic.Run, ...]:
    overrides = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return tuple(_pool().map(_simulate, seeds, [overrides] * len(seeds)))


def _simulate(seed: int, overrides: dict) -> ic.Run:
    return ic.simulate("default", seed=seed, overrides=overrides)


def _one_thread() -> None:
    import numba

    numba.set_num_threads(1)


@cache
def _pool() -> ProcessPoolExecutor:
    # Fresh (spawned) processes: numba's threads are not forked.
    pool = ProcessPoolExecutor(
        max_workers=2, mp_context=multiprocessing.get_context("spawn"), initializer=_one_thread
    )
    atexit.register(pool.shutdown)
    return pool
