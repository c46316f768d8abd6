"""Depreciation: knowledge becomes obsolete at rate ``delta`` per year.

``tacit <- (1 - delta) tacit`` and ``explicit <- (1 - delta) explicit``, the perpetual-inventory
rule of R&D capital (Griliches 1979, who uses 10-15% a year; the default is 5% for knowledge
that includes know-how embodied in people).

Reads and writes ``tacit, explicit``.
"""

from __future__ import annotations

import numpy as np

from innocluster.cluster_parameters import ClusterScenario
from innocluster.state import State

__all__ = ["step"]


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """Scale all knowledge by ``1 - delta``."""
    keep = 1.0 - scenario.knowledge.delta
    state.orgs["tacit"][:] *= keep
    state.orgs["explicit"][:] *= keep
