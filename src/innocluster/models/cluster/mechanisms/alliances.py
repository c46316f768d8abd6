"""Alliances: partner search, acceptance at intermediate proximity, ageing and dissolution.

Each year every alliance is used and strengthens by ``growth`` (up to ``max_strength``), then
ends with probability ``q_alliance / strength``: strong ties last (Gilbert, Pyka and Ahrweiler
2001, the SKIN model). Then every firm, leader and institute looks for a partner with
probability ``p_seek`` and draws one candidate:

- within its local cell (a square grid of cells of side at least ``r_partner`` km), uniformly;
  or
- when an intermediary is closer than ``spillover.r_geo`` km, with probability ``match_share``,
  across the whole cluster: a firm or leader draws an institute and an institute draws a firm or
  leader (intermediaries widen the pool and match knowledge suppliers with users: Howells 2006);
- and ``connect`` more brokered firm-institute pairs a year when the governance regime connects
  (the world's ``connect``: matches paid by the governance budget).

A candidate accepts with probability ``exp(-(prox - prox_opt)^2 / (2 prox_width^2))``, where
``prox`` is the cosine of the two knowledge profiles: partners with complementary, neither
identical nor unrelated, knowledge (Nooteboom 2000, optimal cognitive distance). New ties start
at strength 1.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.space import build_grid, cell_of
from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.kernels import near_kind
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import INSTITUTE, INTERMEDIARY, is_producer

__all__ = ["CONTRACT", "step", "acceptance", "proximity", "candidates"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("alliances", "space", "spillover"),
    reads=("org_id", "kind", "x", "y", "tacit", "explicit"),
    world_reads=("connect",),
    flows=("alliances_formed", "alliances_ended"),
    structure=("alliances",),
)


def proximity(profile: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine similarity of the profiles of rows ``i`` and ``j`` (0 for a zero profile)."""
    a, b = profile[i], profile[j]
    norm = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return np.divide((a * b).sum(axis=1), norm, out=np.zeros(len(i)), where=norm > 0)


def acceptance(prox: np.ndarray, prox_opt: float, prox_width: float) -> np.ndarray:
    """Probability that a candidate at proximity ``prox`` is accepted (peak 1 at ``prox_opt``)."""
    return np.exp(-((prox - prox_opt) ** 2) / (2.0 * prox_width**2))


def candidates(state: State, scenario: ClusterScenario, rng: np.random.Generator):
    """This year's (seeker, candidate) rows, before acceptance: two int64 arrays."""
    p, orgs = scenario.alliances, state.orgs
    kind = orgs["kind"]
    able = np.flatnonzero(kind != INTERMEDIARY)
    seekers = able[rng.random(len(able)) < p.p_seek]
    u = rng.random((len(seekers), 2))

    # Local: a uniform draw among the able organisations of the seeker's cell.
    L = scenario.space.L
    grid = build_grid(orgs["x"][able], orgs["y"][able], p.r_partner, L, cap=False)
    own = cell_of(orgs["x"][seekers], orgs["y"][seekers], grid.ncell, L)
    lo, hi = grid.cell_start[own], grid.cell_start[own + 1]
    local = able[grid.order[np.minimum(lo + (u[:, 0] * (hi - lo)).astype(np.int64), hi - 1)]]

    # Brokered: near an intermediary, a supplier-user match across the cluster.
    institutes = np.flatnonzero(kind == INSTITUTE)
    producers = np.flatnonzero(is_producer(kind))
    brokered = near_kind(orgs, INTERMEDIARY, scenario.spillover.r_geo, scenario.space.L)[seekers]
    brokered &= u[:, 1] < p.match_share
    match = _match(kind[seekers], institutes, producers, rng)
    partner = np.where(brokered & (match >= 0), match, local)

    # Matches paid by the governance regime: firm-institute pairs.
    extra = int(rng.poisson(state.world.connect)) if len(institutes) and len(producers) else 0
    firms = producers[rng.integers(0, max(len(producers), 1), extra)]
    labs = institutes[rng.integers(0, max(len(institutes), 1), extra)]
    return np.concatenate([seekers, firms]), np.concatenate([partner, labs])


def _match(kinds, institutes, producers, rng) -> np.ndarray:
    # A firm or leader is matched with an institute and an institute with a firm or leader;
    # -1 where the other side is empty (the local candidate is kept).
    pick_lab = (
        institutes[rng.integers(0, len(institutes), len(kinds))]
        if len(institutes)
        else np.full(len(kinds), -1)
    )
    pick_firm = (
        producers[rng.integers(0, len(producers), len(kinds))]
        if len(producers)
        else np.full(len(kinds), -1)
    )
    return np.where(kinds == INSTITUTE, pick_firm, pick_lab)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of alliances; see the module docstring."""
    p, orgs, ties = scenario.alliances, state.orgs, state.alliances
    ended = 0
    if len(ties):
        ties.strength[:] = np.minimum(ties.strength + p.growth, p.max_strength)
        ended = ties.remove(rng.random(len(ties)) < p.q_alliance / ties.strength, state.step)
    seeker, partner = candidates(state, scenario, rng)
    profile = orgs["tacit"] + orgs["explicit"]
    prox = proximity(profile, seeker, partner)
    accept = (seeker != partner) & (
        rng.random(len(seeker)) < acceptance(prox, p.prox_opt, p.prox_width)
    )
    ids = orgs["org_id"]
    formed = ties.add(ids[seeker[accept]], ids[partner[accept]], state.step)
    state.flows["alliances_formed"] = float(formed)
    state.flows["alliances_ended"] = float(ended)
