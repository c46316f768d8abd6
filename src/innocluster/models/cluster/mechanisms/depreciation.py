"""Depreciation: knowledge becomes obsolete at rate ``delta`` per year.

``tacit <- (1 - delta) tacit`` and ``explicit <- (1 - delta) explicit``, the perpetual-inventory
rule of R&D capital (Griliches 1979, who uses 10-15% a year; the default is 5% for knowledge
that includes know-how embodied in people). The record of where knowledge came from
(``learned``, which citations follow) ages at the same rate.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("knowledge",),
    reads=("tacit", "explicit", "learned"),
    writes=("tacit", "explicit", "learned"),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """Scale all knowledge by ``1 - delta``."""
    keep = 1.0 - scenario.knowledge.delta
    state.orgs["tacit"][:] *= keep
    state.orgs["explicit"][:] *= keep
    state.orgs["learned"][:] *= keep  # the record of where knowledge came from ages with it
