"""Government leadership: a budget spent on the instruments of cluster policy (seed 000).

The budget of year ``t`` is ``B_t = tax * revenue_{t-1} + exogenous`` (a share of the cluster's
output plus money from outside). Anchors are paid first, at the steps they arrive; the rest is
split by the budget shares of the instruments (unallocated shares are not spent):

- ``subsidy``: R&D subsidies to firms and leaders in proportion to their revenue (the base of
  their own R&D); *broad*, or *targeted* at the ``M`` strategic fields (only firms whose field of
  largest knowledge is strategic, and the subsidised share of their innovations is directed to
  strategic fields by the research mechanism);
- ``grants``: added to the pool of start-up grants the entrepreneurship mechanism pays out;
- ``zone``: the planned zone pays part of the costs of the firms and leaders in its regions
  (land, buildings, services: its money shared equally among them, ``relief`` MU each) and its
  lower costs draw entrants: the zone regions' location weight is ``1 + zone_pull``;
- ``institutes``: research money to institutes, in proportion to their researchers;
- ``intermediaries``: saved until an intermediary can be established (``intermediary_cost``),
  placed where the employees are;
- ``anchors``: at each step of ``anchor_steps`` an anchor organisation of ``anchor_kind`` with
  ``anchor_knowledge`` tacit units per field arrives at (``anchor_x``, ``anchor_y``).

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import INSTRUMENTS, ClusterScenario
from innocluster.models.cluster.state import (
    INSTITUTE,
    INTERMEDIARY,
    LEADER,
    is_producer,
    knowledge_stock,
    region_of,
)

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("government", "market", "population", "space"),
    reads=("kind", "region", "revenue", "employees", "tacit", "explicit", "x", "y"),
    writes=("subsidy", "relief"),
    world_reads=("revenue",),
    world_writes=("strategic", "zone", "location_weight", "grant_pool", "intermediary_fund"),
    flows=("budget", *(f"gov_{i}" for i in INSTRUMENTS), "gov_spending"),
    structure=("add_orgs",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of government; see the module docstring."""
    g, orgs, world = scenario.government, state.orgs, state.world
    orgs["subsidy"][:] = 0.0
    orgs["relief"][:] = 0.0
    world.location_weight[:] = 1.0
    spend = dict.fromkeys(INSTRUMENTS, 0.0)
    budget = g.tax * world.revenue + g.exogenous

    arriving = g.anchor_steps.count(state.step)
    if arriving:
        _add_anchors(state, scenario, arriving)
        spend["anchors"] = arriving * g.anchor_cost
    available = max(budget - spend["anchors"], 0.0)

    kind, producer = orgs["kind"], is_producer(orgs["kind"])
    spend["subsidy"] = _subsidise(state, scenario, g.subsidy * available, producer)
    spend["zone"] = _fund_zone(state, scenario, g.zone * available, producer)

    spend["institutes"] = g.institutes * available
    institutes = kind == INSTITUTE
    researchers = orgs["employees"][institutes].astype(float)
    if researchers.sum() > 0:
        orgs["subsidy"][institutes] += spend["institutes"] * researchers / researchers.sum()

    spend["grants"] = g.grants * available
    world.grant_pool += spend["grants"]

    spend["intermediaries"] = g.intermediaries * available
    world.intermediary_fund += spend["intermediaries"]
    new = int(world.intermediary_fund // g.intermediary_cost)
    if new and orgs.n:
        _add_intermediaries(state, scenario, rng, new)
        world.intermediary_fund -= new * g.intermediary_cost

    state.flows["budget"] = budget
    for name, amount in spend.items():
        state.flows[f"gov_{name}"] = amount
    state.flows["gov_spending"] = sum(spend.values())


def _subsidise(state, scenario, amount, producer) -> float:
    g, orgs, world = scenario.government, state.orgs, state.world
    eligible = producer.copy()
    if g.targeted:
        if not world.strategic.any():
            world.strategic[_strategic_fields(state, scenario)] = True
        profile = orgs["tacit"] + orgs["explicit"]
        eligible &= world.strategic[profile.argmax(axis=1)] & (profile.max(axis=1) > 0)
    base = np.where(eligible, orgs["revenue"], 0.0)
    if base.sum() <= 0:
        base = eligible.astype(float)
    if base.sum() <= 0:
        return 0.0
    orgs["subsidy"][:] += amount * base / base.sum()
    return amount


def _strategic_fields(state, scenario) -> np.ndarray:
    g = scenario.government
    if g.strategic_fields:
        return np.asarray(g.strategic_fields)
    orgs = state.orgs
    totals = orgs["tacit"].sum(axis=0) + orgs["explicit"].sum(axis=0)
    return np.argsort(-totals, kind="stable")[: g.M]


def _fund_zone(state, scenario, amount, producer) -> float:
    g, orgs, world = scenario.government, state.orgs, state.world
    if amount <= 0:
        return 0.0
    if not world.zone.any():
        world.zone[_zone_regions(scenario)] = True
    inside = producer & world.zone[orgs["region"]]
    orgs["relief"][inside] = amount / max(int(inside.sum()), 1)
    world.location_weight[:] = np.where(world.zone, 1.0 + g.zone_pull, 1.0)
    return amount


def _zone_regions(scenario) -> np.ndarray:
    regions = scenario.government.zone_regions
    if regions:
        return np.asarray(regions)
    R = scenario.space.R
    mid = R // 2
    rows = np.array([mid - 1, mid - 1, mid, mid])
    cols = np.array([mid - 1, mid, mid - 1, mid])
    return rows * R + cols


def _add_anchors(state, scenario, count) -> None:
    g, space, pop = scenario.government, scenario.space, scenario.population
    kind = INSTITUTE if g.anchor_kind == "institute" else LEADER
    x = np.full(count, g.anchor_x)
    y = np.full(count, g.anchor_y)
    state.orgs.add(
        state.step,
        kind=np.full(count, kind, dtype=np.int8),
        x=x,
        y=y,
        region=region_of(x, y, space.L, space.R),
        tacit=np.full((count, space.D), g.anchor_knowledge),
        capital=np.full(count, pop.leader_capital),
        employees=np.full(count, g.anchor_employees),
        unit_cost=np.full(count, scenario.market.unit_cost),
    )


def _add_intermediaries(state, scenario, rng, count) -> None:
    space, orgs = scenario.space, state.orgs
    weight = orgs["employees"].astype(float) * (orgs["kind"] != INTERMEDIARY)
    if weight.sum() <= 0:
        weight = knowledge_stock(orgs["tacit"], orgs["explicit"]) + 1.0
    host = rng.choice(orgs.n, size=count, p=weight / weight.sum())
    x = np.clip(orgs["x"][host] + rng.normal(0.0, 1.0, count), 0.0, space.L)
    y = np.clip(orgs["y"][host] + rng.normal(0.0, 1.0, count), 0.0, space.L)
    orgs.add(
        state.step,
        kind=np.full(count, INTERMEDIARY, dtype=np.int8),
        x=x,
        y=y,
        region=region_of(x, y, space.L, space.R),
        employees=np.full(count, 2),
    )
