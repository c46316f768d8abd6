"""Knowledge governance: the regime, its instruments and the knowledge platform (seed 004).

The regime (``governance.regime``) sets the action each year:

- ``none``: nothing; ``supply``, ``connect``, ``platform``: that action every year;
- ``adaptive``: every ``T_gov`` years (and in year 1) the cluster's phase is diagnosed with the
  code that diagnoses real data (:mod:`innocluster.measures.phase`, DESIGN 4.2):
  the knowledge stock (perpetual-inventory patent stock per 100 organisations) and the
  alliance stock (alliances per organisation) are scored high or low against the fixed
  thresholds ``knowledge_threshold`` and ``alliance_threshold``, and the action the phase calls
  for is applied until the next diagnosis.

The actions spend ``budget`` MU a year:

- ``supply``: research money to institutes, in proportion to their researchers;
- ``connect``: ``budget / match_cost`` brokered firm-institute matches a year (the world's
  ``connect``, read by the alliances mechanism);
- ``supply_network`` (low knowledge, many alliances): half as ``supply``, half as ``connect``;
- ``platform``: builds the knowledge platform once and grows it. A **public** platform
  (government-run) is open to all but intermediaries: each year a share ``public_growth`` of
  non-members joins; its common language starts at ``language_public`` and grows towards 1
  with its age (``1 - (1 - language_public) exp(-age / 10)``). A **private** platform is built
  by the largest leading company (the largest firm if there is none): its partners join at the rate
  ``private_growth``, other firms and leaders pay its fee and join at the rate ``fee_share``; its
  language is the owner's standard, ``language_private``, from the start, and on it the owner
  and its partners draw on the members' best knowledge (the seci mechanism). If the owner
  exits (in a shakeout), the largest remaining leading company (else firm) takes the platform
  over, with its members and language.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import math

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.measures.phase import phase_at
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INSTITUTE,
    INTERMEDIARY,
    LEADER,
    cluster_stocks,
    is_producer,
    partner_ids,
)

__all__ = ["CONTRACT", "step", "diagnose"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("governance",),
    reads=("org_id", "kind", "employees"),
    writes=("supply", "member"),
    world_writes=("phase", "action", "connect", "platform_owner", "platform_age", "language"),
    flows=("governance_spending",),
)


def diagnose(knowledge: float, alliances: float, scenario: ClusterScenario) -> tuple[str, str]:
    """The phase and the action it calls for, from the cluster's stock indices (DESIGN 4.2).

    ``knowledge`` and ``alliances`` are the indices of
    :func:`~innocluster.models.cluster.state.cluster_stocks`.
    """
    g = scenario.governance
    return phase_at(knowledge, alliances, (g.knowledge_threshold, g.alliance_threshold))


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of knowledge governance; see the module docstring."""
    g, orgs, world = scenario.governance, state.orgs, state.world
    if g.regime == "adaptive":
        if state.step == 1 or state.step % g.T_gov == 0:
            world.phase, world.action = diagnose(*cluster_stocks(state), scenario)
    else:
        world.action = g.regime
    world.connect = 0.0
    orgs["supply"][:] = 0.0
    if world.platform_age > 0:
        world.platform_age += 1
        world.language = _language(world.platform_age, world.platform_owner, g)
    spent = 0.0
    if world.action in ("supply", "supply_network"):
        share = 1.0 if world.action == "supply" else 0.5
        institutes = orgs["kind"] == INSTITUTE
        researchers = orgs["employees"][institutes].astype(float)
        if researchers.sum() > 0:
            orgs["supply"][institutes] = share * g.budget * researchers / researchers.sum()
            spent += share * g.budget
    if world.action in ("connect", "supply_network"):
        share = 1.0 if world.action == "connect" else 0.5
        world.connect = share * g.budget / g.match_cost
        spent += share * g.budget
    if world.action == "platform":
        _grow_platform(state, scenario, rng)
        spent += g.budget
    state.flows["governance_spending"] = spent


def _grow_platform(state, scenario, rng) -> None:
    g, orgs, world, ties = scenario.governance, state.orgs, state.world, state.alliances
    member = orgs["member"]
    if world.platform_age == 0:
        world.platform_age = 1
        world.platform_owner = _owner(orgs) if g.platform_owner == "private" else -1
        world.language = _language(1, world.platform_owner, g)
    if world.platform_owner >= 0 and not (orgs["org_id"] == world.platform_owner).any():
        world.platform_owner = _owner(orgs)  # the owner exited: the largest leader takes over
    u = rng.random(orgs.n)
    if world.platform_owner < 0:  # open to all but intermediaries, which hold no knowledge
        member[(member == 0) & (orgs["kind"] != INTERMEDIARY) & (u < g.public_growth)] = 1
        return
    ids = orgs["org_id"]
    owner = world.platform_owner
    partners = np.isin(ids, partner_ids(ties, owner))
    member[ids == owner] = 1
    payers = is_producer(orgs["kind"]) & ~partners & (u < g.fee_share)
    member[(partners & (u < g.private_growth)) | payers] = 1


def _owner(orgs) -> int:
    # The largest leading company, else the largest firm; -1 (a public platform) if none.
    kind, employees = orgs["kind"], orgs["employees"]
    for candidates in (kind == LEADER, is_producer(kind)):
        if candidates.any():
            rows = np.flatnonzero(candidates)
            return int(orgs["org_id"][rows[np.argmax(employees[rows])]])
    return -1


def _language(age: int, owner: int, g) -> float:
    if owner >= 0:
        return g.language_private
    return 1.0 - (1.0 - g.language_public) * math.exp(-age / 10.0)
