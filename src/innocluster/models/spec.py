"""What the engine needs to know about a model: its state, its steps in order, its observer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from innocluster.state import State
from innocluster.tables import Column

#: A mechanism: ``step(state, scenario, rng)`` changes the fields it documents, in place.
Mechanism = Callable[[State, Any, np.random.Generator], None]


@dataclass(frozen=True)
class ModelSpec:
    """A model the engine can run.

    Attributes:
        name: the value of the scenario's ``model`` key.
        init: ``init(scenario, rng) -> State``, the state at step 0.
        mechanisms: ``(name, step)`` pairs in the fixed order they run each step; the name is
            also the scenario's ``[mechanisms]`` switch and the name its generator is seeded by.
        observe: ``observe(state, scenario) -> dict``, one row of the indicators table, read at
            the end of each step (``state.flows`` holds what the step's mechanisms counted).
        indicators: the indicator columns ``observe`` returns, besides ``step``.
        organizations: ``organizations(state, scenario) -> dict of arrays``: the columns of the
            organizations table for live and exited organisations.
    """

    name: str
    init: Callable[[Any, np.random.Generator], State]
    mechanisms: tuple[tuple[str, Mechanism], ...]
    observe: Callable[[State, Any], dict[str, float]]
    indicators: tuple[Column, ...]
    organizations: Callable[[State, Any], dict[str, np.ndarray]]
