"""Research: the knowledge production function, the direction of innovation and patents.

Expected innovations follow the knowledge production function (Griliches 1979; Jaffe 1986)::

    mu_i = a * Q * RD_i^beta * (1 + K_i)^eta_t,      n_i ~ Poisson(mu_i)
    eta_t = eta + (eta_late - eta) * maturity_t

with R&D money ``RD_i = rd_share * revenue_i + subsidy_i`` for firms and leaders (their own R&D
out of last year's revenue: a one-year lag from R&D to innovation) and
``RD_i = institute_budget + subsidy_i + supply_i`` for institutes (``supply``: the governance
regime's knowledge supply); intermediaries do no research, and no
R&D money means no innovation. The knowledge elasticity moves from ``eta`` in a new industry
to ``eta_late`` at saturated demand: new knowledge matters most early, scale later (Audretsch
and Feldman 1996; Klepper 1996). Each innovation chooses its field:

- for a firm or leader, with probability ``subsidy_i / RD_i`` when subsidies are targeted,
  uniformly among the strategic fields (the subsidised share of its R&D; institute funding is
  not steered);
- otherwise it is radical with probability ``p_radical`` (a field drawn uniformly: variety), or
  incremental (a field drawn in proportion to the organisation's knowledge ``tacit + explicit``).

It adds one unit of tacit knowledge in its field; with probability ``p_patent`` it is also
codified: one unit of explicit knowledge and a row of the patents table. For firms and leaders
an innovation is a process innovation with probability
``process_early + (process_late - process_early) * maturity`` (the life-cycle stage, Klepper
1996), cutting the part of the unit cost above ``cost_floor`` by the share ``cost_step``
(``c <- c_min + (c - c_min)(1 - cost_step)``: diminishing returns); otherwise a product
innovation closing the share ``quality_step`` of the gap to ``quality_max``. Since a firm's
R&D scales with its revenue, large firms make more process innovations, and a cut in unit cost
is worth more to a firm the more it sells.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INSTITUTE,
    draw_fields,
    file_patents,
    is_producer,
    knowledge_stock,
)

__all__ = ["CONTRACT", "step", "rd_money"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("research",),
    reads=("org_id", "kind", "revenue", "subsidy", "supply", "tacit", "explicit", "x", "y"),
    writes=("tacit", "explicit", "unit_cost", "quality"),
    world_reads=("Q", "maturity", "strategic"),
    world_writes=("patents_filed",),
    flows=("innovations", "process", "product", "patents"),
    structure=("patents",),
)


def rd_money(kind, revenue, subsidy, supply, rd_share: float, institute_budget: float):
    """R&D money of each organisation this year, MU ``(n,)`` (see the module docstring)."""
    own = np.where(is_producer(kind), rd_share * revenue, 0.0)
    own = np.where(kind == INSTITUTE, institute_budget, own)
    return own + subsidy + supply


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of research; see the module docstring."""
    p, orgs, world = scenario.research, state.orgs, state.world
    kind = orgs["kind"]
    tacit, explicit = orgs["tacit"], orgs["explicit"]
    rd = rd_money(
        kind, orgs["revenue"], orgs["subsidy"], orgs["supply"], p.rd_share, p.institute_budget
    )
    K = knowledge_stock(tacit, explicit)
    eta = p.eta + (p.eta_late - p.eta) * world.maturity
    mu = np.where(rd > 0, p.a * world.Q * rd**p.beta * (1.0 + K) ** eta, 0.0)
    counts = rng.poisson(mu)
    owner = np.repeat(np.arange(orgs.n), counts)
    m, D = len(owner), tacit.shape[1]

    u = rng.random((m, 4))
    field = draw_fields(tacit + explicit, owner, u[:, 0])
    radical = u[:, 1] < p.p_radical
    field = np.where(radical, np.minimum((u[:, 0] * D).astype(np.int64), D - 1), field)
    if world.strategic.any():
        subsidised = np.divide(orgs["subsidy"], rd, out=np.zeros(orgs.n), where=rd > 0)
        directed = (u[:, 2] < subsidised[owner]) & is_producer(kind)[owner]
        strategic = np.flatnonzero(world.strategic)
        pick = strategic[
            np.minimum((u[:, 0] * len(strategic)).astype(np.int64), len(strategic) - 1)
        ]
        field = np.where(directed, pick, field)
    patented = u[:, 3] < p.p_patent

    cell = owner * D + field
    tacit += np.bincount(cell, minlength=orgs.n * D).reshape(orgs.n, D)
    explicit += np.bincount(cell[patented], minlength=orgs.n * D).reshape(orgs.n, D)

    producer = is_producer(kind)
    share = p.process_early + (p.process_late - p.process_early) * world.maturity
    process = (rng.random(m) < share) & producer[owner]
    product = ~process & producer[owner]
    n_process = np.bincount(owner[process], minlength=orgs.n)
    n_product = np.bincount(owner[product], minlength=orgs.n)
    cost = orgs["unit_cost"]
    floor = np.minimum(p.cost_floor, cost)
    cost[:] = floor + (cost - floor) * (1.0 - p.cost_step) ** n_process
    quality = orgs["quality"]
    ceiling = np.maximum(p.quality_max, quality)
    quality[:] = ceiling - (ceiling - quality) * (1.0 - p.quality_step) ** n_product

    file_patents(state, owner[patented], field[patented])
    state.flows["innovations"] = float(m)
    state.flows["process"] = float(process.sum())
    state.flows["product"] = float(product.sum())
    state.flows["patents"] = float(patented.sum())
