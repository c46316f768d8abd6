"""Spillover: explicit knowledge leaks between nearby organisations (seed 000).

Each year organisation ``i`` absorbs, in every field ``d``, a share of its knowledge gap to its
neighbours within ``r_geo`` km::

    d explicit_id = s_sp * A_i * b_i * sum_j w_ij max(explicit_jd - explicit_id, 0) / max(W_i, 1)
    w_ij = exp(-d_ij / lam) * prox_ij  for d_ij < r_geo,      W_i = sum_j w_ij

with absorptive capacity ``A_i = K_i / (K_i + K_half)`` (Cohen and Levinthal 1990),
technological proximity ``prox_ij`` the cosine of the knowledge profiles ``tacit + explicit``
(Jaffe 1986), and ``b_i = 1 + broker`` for an organisation within ``r_geo`` of an intermediary
(1 otherwise): intermediaries make knowledge travel (Howells 2006). Where the neighbours'
weights sum to more than 1 the sum becomes a weighted mean, so that a crowd of neighbours
cannot push an organisation past what they know (the gain is at most ``s_sp * A_i * b_i``
times the largest gap). Knowledge is non-rival: the source loses nothing. All gains are
computed from the state at the start of the step. What each organisation gains is recorded in
its ``learned`` spillover channel, which its patents' citations follow. Neighbours come from a
cell grid (:mod:`innocluster.models.cluster.kernels`), never from all pairs; intermediaries are
found on a cell grid too. Spillovers decay within a few kilometres
(Audretsch and Feldman 1996), which is what makes innovation cluster.

Spillover is also an externality of the neighbours' knowledge on research (Jaffe 1986): the
mechanism writes each organisation's **usable local pool**

    U_i = A_i * b_i * P_i,      P_i = sum_j w_ij K_j  (the same neighbours and weights)

the knowledge within reach, as much of it as the organisation can absorb, which the knowledge
production function of research reads (``(1 + U_i)^gamma``). With the mechanism off the pool
is 0 and research draws on the organisation's own knowledge alone.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.kernels import gap_to_neighbours, near_kind, pool_of_neighbours
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INTERMEDIARY,
    absorptive_capacity,
    channel,
    knowledge_stock,
)

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("knowledge", "space", "spillover"),
    reads=("kind", "x", "y", "tacit", "explicit"),
    writes=("explicit", "learned", "pool"),
    flows=("spillover",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of spillover; see the module docstring."""
    p, orgs = scenario.spillover, state.orgs
    x, y, tacit, explicit = orgs["x"], orgs["y"], orgs["tacit"], orgs["explicit"]
    gap, weight = gap_to_neighbours(
        x, y, explicit, tacit + explicit, p.r_geo, p.lam, scenario.space.L
    )
    K = knowledge_stock(tacit, explicit)
    usable = absorptive_capacity(K, scenario.knowledge.K_half) * (
        1.0 + p.broker * near_kind(orgs, INTERMEDIARY, p.r_geo, scenario.space.L)
    )
    usable[orgs["kind"] == INTERMEDIARY] = 0.0
    pool = pool_of_neighbours(x, y, K, tacit + explicit, p.r_geo, p.lam, scenario.space.L)
    orgs["pool"][:] = usable * pool
    scale = p.s_sp * usable / np.maximum(weight, 1.0)
    explicit += scale[:, None] * gap
    gained = scale * gap.sum(axis=1)
    orgs["learned"][:, channel("spillover")] += gained
    state.flows["spillover"] = float(gained.sum())
