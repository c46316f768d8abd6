"""Institutions: institutional quality co-evolves with knowledge (seed 004).

Knowledge, organisation and institution co-evolve. Each year a reform happens with probability
``p_reform * responsiveness * clip(g / g_ref, 0, 1)``, where ``g`` is the growth rate of the
cluster's total knowledge since last year: fast knowledge growth puts pressure on institutions,
and a responsive government answers it. A reform lifts ``Q`` by ``lift * (1 - Q)``; without
reform ``Q`` decays by the share ``decay`` (North 1990). ``Q`` scales research productivity and
entrepreneurship (both read the world's ``Q``).

Variety shifts demand towards new fields: with ``H`` the entropy of the cluster's knowledge
over fields, demand is multiplied by ``1 + variety_demand * (H / log D - 1/2)`` (more than 1
when knowledge is spread over many fields; Frenken, Van Oort and Verburg 2007).

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import math

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.measures.technology import entropy
from innocluster.models.cluster.parameters import ClusterScenario

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("institutions",),
    reads=("tacit", "explicit"),
    world_writes=("Q", "knowledge_total", "demand_factor"),
    flows=("reforms",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of institutional change; see the module docstring."""
    p, orgs, world = scenario.institutions, state.orgs, state.world
    by_field = orgs["tacit"].sum(axis=0) + orgs["explicit"].sum(axis=0)
    total = float(by_field.sum())
    previous = world.knowledge_total
    growth = (total - previous) / previous if previous > 0 else 0.0
    pressure = min(max(growth / p.g_ref, 0.0), 1.0)
    reform = bool(rng.random() < p.p_reform * p.responsiveness * pressure)
    world.Q = world.Q + p.lift * (1.0 - world.Q) if reform else world.Q * (1.0 - p.decay)
    world.knowledge_total = total
    if total > 0:
        H = float(entropy(by_field[None, :])[0])
        world.demand_factor = 1.0 + p.variety_demand * (H / math.log(len(by_field)) - 0.5)
    state.flows["reforms"] = float(reform)
