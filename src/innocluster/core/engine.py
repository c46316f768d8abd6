"""The run loop: build the state, apply the enabled mechanisms in their fixed order, observe.

Randomness enters once. The run's seed makes a :class:`numpy.random.SeedSequence`; each
mechanism gets its own generator from a child sequence keyed by the mechanism's *name* (CRC-32 of
the name as spawn key), and the initial state gets the child named ``"init"``. Switching one
mechanism off therefore leaves every other mechanism's stream of draws untouched (common random
numbers for ablations), and the same (scenario, seed) gives the same run on any machine and with
any number of threads.

One step ``t = 1, 2, ...``:

1. ``state.step = t``; ``state.flows`` is cleared;
2. each enabled mechanism of the model runs, in the model's order;
3. the model's observer reads the state and the step's flows into one indicators row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from innocluster.core.spec import ModelSpec, stream_key
from innocluster.core.state import State
from innocluster.errors import InnoclusterError

__all__ = ["Simulation", "generator_for", "run_model"]


def generator_for(seed: int, name: str) -> np.random.Generator:
    """The generator of the part ``name`` (a mechanism, or ``"init"``) of a run with ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_key(name),)))


@dataclass
class Simulation:
    """What a run produced: its final state, its indicator rows and the seconds it took.

    ``timings`` holds the wall seconds spent in ``init``, in each mechanism and in ``observe``,
    summed over steps.
    """

    scenario: Any
    seed: int
    model: ModelSpec
    state: State
    rows: list[dict[str, float]]
    timings: dict[str, float] = field(default_factory=dict)


def run_model(
    model: ModelSpec,
    scenario: Any,
    seed: int,
    *,
    observe: bool = True,
    on_step: Callable[[int, int], None] | None = None,
) -> Simulation:
    """Simulate ``scenario.steps`` steps of ``model`` from ``seed``.

    Args:
        model: the model to run (see :mod:`innocluster.models` for the registry).
        scenario: a validated scenario of the model (an instance of ``model.scenario``).
        seed: a non-negative integer.
        observe: record an indicators row each step (turn off only to time the mechanisms).
        on_step: called as ``on_step(t, steps)`` after each step (progress display).

    Raises:
        InnoclusterError: the seed is negative, or the scenario is not one of the model's.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InnoclusterError(f"seed: expected a non-negative integer, got {seed!r}")
    if not isinstance(scenario, model.scenario):
        raise InnoclusterError(
            f"scenario '{getattr(scenario, 'name', scenario)}' is not a scenario of the "
            f"'{model.name}' model"
        )
    switches = scenario.mechanisms
    enabled = [(m.name, m.step) for m in model.mechanisms if getattr(switches, m.name)]
    rngs = {name: generator_for(seed, name) for name, _ in enabled}
    timings = {name: 0.0 for name in ("init", *rngs, "observe")}

    start = time.perf_counter()
    state = model.init(scenario, generator_for(seed, "init"))
    timings["init"] = time.perf_counter() - start
    rows: list[dict[str, float]] = []
    for t in range(1, scenario.steps + 1):
        state.step = t
        state.flows.clear()
        for name, step in enabled:
            start = time.perf_counter()
            step(state, scenario, rngs[name])
            timings[name] += time.perf_counter() - start
        if observe:
            start = time.perf_counter()
            rows.append({"step": t, **model.observe(state, scenario)})
            timings["observe"] += time.perf_counter() - start
        if on_step is not None:
            on_step(t, scenario.steps)
    return Simulation(scenario, seed, model, state, rows, timings)
