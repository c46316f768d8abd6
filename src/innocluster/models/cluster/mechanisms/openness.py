"""Openness: learning from the outside world and foreign direct investment (seed 004).

The outside frontier ``F`` (knowledge per field) starts at ``frontier0`` and grows at
``g_frontier`` a year. Each organisation other than an intermediary absorbs from it like a
latecomer (Mathews 2002)::

    d explicit_i = openness * A_i * max(F - explicit_i, 0)

Foreign direct investment brings ``Poisson(fdi_rate)`` foreign leading companies a year, each
at a uniform position with ``fdi_knowledge * F`` tacit knowledge, the population's leader size
and capital, the incumbents' best unit cost and quality (Finegold, Wong and Cheah
2004 on Singapore's FDI-led biotechnology). What is absorbed, and a foreign leader's whole
knowledge, is recorded in the ``learned`` frontier channel: their patents cite the outside
world.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numba
import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INTERMEDIARY,
    LEADER,
    LEARNED,
    absorptive_capacity,
    channel,
    is_producer,
    knowledge_stock,
    region_of,
)

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("knowledge", "market", "openness", "population", "space"),
    reads=("kind", "tacit", "explicit", "unit_cost", "quality"),
    writes=("explicit", "learned"),
    world_writes=("frontier",),
    flows=("absorbed", "fdi"),
    structure=("add_orgs",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of openness; see the module docstring."""
    p, orgs, world = scenario.openness, state.orgs, state.world
    if state.step > 1:
        world.frontier *= 1.0 + p.g_frontier
    explicit = orgs["explicit"]
    A = absorptive_capacity(knowledge_stock(orgs["tacit"], explicit), scenario.knowledge.K_half)
    A[orgs["kind"] == INTERMEDIARY] = 0.0
    absorbed = _absorb(explicit, p.openness * A, world.frontier)
    orgs["learned"][:, channel("frontier")] += absorbed

    arriving = int(rng.poisson(p.fdi_rate))
    if arriving:
        space, pop = scenario.space, scenario.population
        producer = is_producer(orgs["kind"])
        cost = orgs["unit_cost"][producer].min() if producer.any() else scenario.market.unit_cost
        quality = orgs["quality"][producer].max() if producer.any() else 1.0
        xy = rng.random((arriving, 2)) * space.L
        learned = np.zeros((arriving, len(LEARNED)))
        learned[:, channel("frontier")] = p.fdi_knowledge * world.frontier.sum()
        orgs.add(
            state.step,
            kind=np.full(arriving, LEADER, dtype=np.int8),
            x=xy[:, 0],
            y=xy[:, 1],
            region=region_of(xy[:, 0], xy[:, 1], space.L, space.R),
            tacit=np.tile(p.fdi_knowledge * world.frontier, (arriving, 1)),
            capital=np.full(arriving, pop.leader_capital),
            employees=np.full(arriving, pop.leader_employees),
            unit_cost=np.full(arriving, cost),
            quality=np.full(arriving, quality),
            learned=learned,
        )
    state.flows["absorbed"] = float(absorbed.sum())
    state.flows["fdi"] = float(arriving)


@numba.njit(parallel=True, cache=True)
def _absorb(explicit, rate, frontier):
    # explicit_i += rate_i * max(F - explicit_i, 0) in place; returns each row's gain.
    n, dims = explicit.shape
    gained = np.empty(n)
    for i in numba.prange(n):
        total = 0.0
        for d in range(dims):
            gain = rate[i] * max(frontier[d] - explicit[i, d], 0.0)
            explicit[i, d] += gain
            total += gain
        gained[i] = total
    return gained
