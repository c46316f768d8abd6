"""Spillover: explicit knowledge leaks between nearby organisations (seed 000).

Each year organisation ``i`` absorbs, in every field ``d``, a share of its knowledge gap to its
neighbours within ``r_geo`` km::

    d explicit_id = s_sp * A_i * b_i * sum_{j: d_ij < r_geo} exp(-d_ij / lam) * prox_ij
                                                             * max(explicit_jd - explicit_id, 0)

with absorptive capacity ``A_i = K_i / (K_i + K_half)`` (Cohen and Levinthal 1990),
technological proximity ``prox_ij`` the cosine of the knowledge profiles ``tacit + explicit``
(Jaffe 1986), and ``b_i = 1 + broker`` for an organisation within ``r_geo`` of an intermediary
(1 otherwise): intermediaries make knowledge travel (Howells 2006). Knowledge is non-rival:
the source loses nothing. All gains are computed from the state at the start of the step.
Neighbours come from a cell grid (:mod:`innocluster.knowledge_gap`), never from
all pairs; intermediaries are found with a k-d tree. Spillovers decay within a few kilometres
(Audretsch and Feldman 1996), which is what makes innovation cluster.

Reads ``kind, x, y, tacit, explicit``. Writes ``explicit``. Flow: ``spillover`` (units gained).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from innocluster.cluster_parameters import ClusterScenario
from innocluster.cluster_state import INTERMEDIARY, absorptive_capacity, knowledge_stock
from innocluster.knowledge_gap import gap_to_neighbours
from innocluster.state import State

__all__ = ["step"]


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of spillover; see the module docstring."""
    p, orgs = scenario.spillover, state.orgs
    x, y, tacit, explicit = orgs["x"], orgs["y"], orgs["tacit"], orgs["explicit"]
    gap = gap_to_neighbours(x, y, explicit, tacit + explicit, p.r_geo, p.lam, scenario.space.L)
    A = absorptive_capacity(knowledge_stock(tacit, explicit), scenario.knowledge.K_half)
    factor = p.s_sp * A * (1.0 + p.broker * _near_intermediary(orgs, p.r_geo))
    factor[orgs["kind"] == INTERMEDIARY] = 0.0
    gain = factor[:, None] * gap
    explicit += gain
    state.flows["spillover"] = float(gain.sum())


def _near_intermediary(orgs, r: float) -> np.ndarray:
    # 1.0 where an intermediary is closer than r km, else 0.0.
    brokers = orgs["kind"] == INTERMEDIARY
    if not brokers.any():
        return np.zeros(orgs.n)
    tree = cKDTree(np.column_stack([orgs["x"][brokers], orgs["y"][brokers]]))
    # The tree's ball is closed; the largest float below r makes it "closer than r" as elsewhere.
    radius = np.nextafter(r, 0.0)
    near = tree.query_ball_point(
        np.column_stack([orgs["x"], orgs["y"]]), radius, return_length=True
    )
    return (np.asarray(near) > 0).astype(float)
