"""Entrepreneurship: spin-offs, academic spin-offs and outside entrants (seed 000).

Would-be founders appear in three ways each year:

- a **spin-off** from each firm or leader large enough to lose its founding team
  (``E_i > founders + spin_share * E_i``) with probability
  ``min(p_spin * (1 + stimulus) * Q * A_i * E_i / E_spin, 1)`` (more from knowledgeable and
  larger, that is more successful, firms: Klepper 2007); the new firm sits at the parent's
  position plus a Gaussian of ``sigma_spin`` km (the share ``spin_local`` of them; the others
  choose a region as outside entrants do), carries ``phi`` of the parent's tacit knowledge and
  part of its cost cut (below), inherits its quality, and takes
  ``max(founders, spin_share * E_i)`` employees from it (Feldman, Francis and Bercovitz 2005);
- an **academic spin-off** from each institute with probability
  ``p_academic * (1 + stimulus) * Q * A_i`` (Eesley and Miller 2018, on Stanford), with ``phi``
  of the institute's tacit knowledge and an entrant's cost;
- ``Poisson(m_entry * (1 + stimulus) * Q)`` **outside entrants**, each in a region drawn with
  probability proportional to ``w_r * ((1 - pull) / R^2 + pull * K_r / sum K)`` (``K_r`` the
  knowledge in region ``r``: the agglomeration pull; ``w_r`` the planned zone's location weight)
  and uniformly within it, with ``Exponential(entrant_knowledge)`` tacit knowledge per field.

Process know-how is the firm's own: entrants other than spin-offs start at the industry's first
unit cost times ``1 + entrant_cost_gap`` (so late entrants are behind the incumbents that have
cut theirs: Klepper 1996), a spin-off at ``c_0 (c_parent / c_0)^phi`` (the share ``phi`` of its
parent's cost cut, in logs: Klepper 2007). The others start with the incumbents'
employee-weighted mean quality (quality is common: research) and ``founders`` employees.
A founder has ``Exponential(wealth)`` wealth; while the grant pool lasts, the first founders in
line receive a start-up grant of ``grant_size``. A founder enters when wealth plus grant covers
``entry_cost * (1 - entry_cost_cut)`` and its first year promises a profit at the last market
price and the last congestion multiplier ``c_r`` of its region (market):
``(price * quality * (1 - rd_share) - unit_cost * c_r) * q(team, unit_cost) > fixed_cost``
with ``q(team, unit_cost)`` the output of the founding team at the founder's unit cost
(``state.capacity``; entry is always possible before the market has a price).
The new firm's capital is what is left after the entry cost. A spin-off records what it
inherited in its ``learned`` parent channel, so that its patents cite its parent's.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    FIRM,
    INSTITUTE,
    LEARNED,
    absorptive_capacity,
    capacity,
    channel,
    is_producer,
    knowledge_stock,
    region_of,
)

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("entrepreneurship", "government", "knowledge", "market", "research", "space"),
    reads=(
        "org_id",
        "kind",
        "x",
        "y",
        "region",
        "tacit",
        "explicit",
        "employees",
        "unit_cost",
        "quality",
    ),
    writes=("employees",),
    world_reads=("Q", "price", "congestion", "location_weight"),
    world_writes=("grant_pool",),
    flows=("entries", "spinoffs", "grants_paid"),
    structure=("add_orgs",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of entrepreneurship; see the module docstring."""
    e, orgs, world = scenario.entrepreneurship, state.orgs, state.world
    space, D = scenario.space, scenario.space.D
    kind, employees = orgs["kind"], orgs["employees"]
    producer = is_producer(kind)
    A = absorptive_capacity(
        knowledge_stock(orgs["tacit"], orgs["explicit"]), scenario.knowledge.K_half
    )
    boost = (1.0 + e.stimulus) * world.Q

    size = employees / (employees + e.E_spin)
    can_spin = producer & (employees > e.founders + e.spin_share * employees)
    p_parent = np.where(can_spin, e.p_spin * boost * A * size, 0.0)
    p_parent = np.where(kind == INSTITUTE, e.p_academic * boost * A, p_parent)
    parents = np.flatnonzero(rng.random(orgs.n) < np.minimum(p_parent, 1.0))
    spin = producer[parents]
    outsiders = int(rng.poisson(e.m_entry * boost))

    ref_quality = _incumbent_quality(orgs, producer)
    entrant_cost = scenario.market.unit_cost * (1.0 + e.entrant_cost_gap)

    # Parents' founders first, then outsiders: positions, knowledge, cost, quality.
    shift = rng.normal(0.0, e.sigma_spin, (len(parents), 2))
    px = np.clip(orgs["x"][parents] + shift[:, 0], 0.0, space.L)
    py = np.clip(orgs["y"][parents] + shift[:, 1], 0.0, space.L)
    away = rng.random(len(parents)) >= e.spin_local  # these settle as outside entrants do
    px[away], py[away] = _entrant_positions(state, scenario, rng, int(away.sum()))
    ox, oy = _entrant_positions(state, scenario, rng, outsiders)
    x, y = np.concatenate([px, ox]), np.concatenate([py, oy])
    tacit = np.concatenate(
        [e.phi * orgs["tacit"][parents], rng.exponential(e.entrant_knowledge, (outsiders, D))]
    )
    # A spin-off carries the share phi of its parent's process know-how: of its cost cut, in logs.
    c0 = scenario.market.unit_cost
    inherited = c0 * (np.maximum(orgs["unit_cost"][parents], 1e-300) / c0) ** e.phi
    cost = np.concatenate(
        [np.where(spin, inherited, entrant_cost), np.full(outsiders, entrant_cost)]
    )
    quality = np.concatenate(
        [np.where(spin, orgs["quality"][parents], ref_quality), np.full(outsiders, ref_quality)]
    )
    parent_ids = np.concatenate([orgs["org_id"][parents], np.full(outsiders, -1)])
    team = np.concatenate(
        [
            np.where(
                spin,
                np.maximum(e.founders, (e.spin_share * employees[parents]).astype(np.int64)),
                e.founders,
            ),
            np.full(outsiders, e.founders),
        ]
    )

    # Entry decision: wealth plus grant covers the entry cost, and the market pays the cost.
    founders = len(x)
    wealth = rng.exponential(e.wealth, founders)
    # Expected first-year profit at the last price; a NaN price (no market yet) is no obstacle.
    m = scenario.market
    region = region_of(x, y, space.L, space.R)
    local_cost = cost * world.congestion[region]
    margin = world.price * quality * (1.0 - scenario.research.rd_share) - local_cost
    viable = ~(margin * capacity(team, cost, m) - m.fixed_cost <= 0.0)
    grants = min(int(world.grant_pool // scenario.government.grant_size), founders)
    in_line = np.cumsum(viable) <= grants
    grant = np.where(viable & in_line, scenario.government.grant_size, 0.0)
    fee = e.entry_cost * (1.0 - e.entry_cost_cut)
    enter = viable & (wealth + grant >= fee)
    paid = float(grant[enter].sum())
    world.grant_pool -= paid

    leaving = enter[: len(parents)] & spin
    employees[parents[leaving]] -= team[: len(parents)][leaving]
    count = int(enter.sum())
    if count:
        orgs.add(
            state.step,
            parent=parent_ids[enter],
            kind=np.full(count, FIRM, dtype=np.int8),
            x=x[enter],
            y=y[enter],
            region=region[enter],
            tacit=tacit[enter],
            capital=(wealth + grant - fee)[enter],
            employees=team[enter],
            unit_cost=cost[enter],
            quality=quality[enter],
            learned=_inherited(tacit[enter], parent_ids[enter] >= 0),
        )
    state.flows["entries"] = float(count)
    state.flows["spinoffs"] = float((parent_ids[enter] >= 0).sum())
    state.flows["grants_paid"] = paid


def _inherited(tacit, spun_off) -> np.ndarray:
    # The learned channels of new firms: a spin-off's knowledge came from its parent.
    learned = np.zeros((len(tacit), len(LEARNED)))
    learned[:, channel("parent")] = np.where(spun_off, tacit.sum(axis=1), 0.0)
    return learned


def _incumbent_quality(orgs, producer) -> float:
    # The incumbents' employee-weighted mean quality (1 before there are any).
    weight = np.where(producer, orgs["employees"], 0).astype(float)
    if weight.sum() <= 0:
        return 1.0
    return float(weight @ orgs["quality"] / weight.sum())


def _entrant_positions(state, scenario, rng, count) -> tuple[np.ndarray, np.ndarray]:
    e, space, orgs, world = scenario.entrepreneurship, scenario.space, state.orgs, state.world
    regions = space.R * space.R
    K = np.bincount(
        orgs["region"], weights=knowledge_stock(orgs["tacit"], orgs["explicit"]), minlength=regions
    )
    share = K / K.sum() if K.sum() > 0 else np.full(regions, 1.0 / regions)
    weight = world.location_weight * ((1.0 - e.pull) / regions + e.pull * share)
    region = rng.choice(regions, size=count, p=weight / weight.sum())
    side = space.L / space.R
    x = (region % space.R + rng.random(count)) * side
    y = (region // space.R + rng.random(count)) * side
    return np.minimum(x, space.L), np.minimum(y, space.L)
