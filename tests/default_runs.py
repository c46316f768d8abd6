"""Runs of the default scenario over ten seeds, computed once per set of overrides.

The behaviour tests compare outcomes under different overrides over the same seeds (common
random numbers); this cache lets several tests share a set of runs.
"""

from __future__ import annotations

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
    return tuple(ic.simulate("default", seed=s, overrides=overrides) for s in seeds)
