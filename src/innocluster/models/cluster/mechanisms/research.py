"""Research: the knowledge production function, the direction of innovation and patents.

Expected innovations follow the knowledge production function (Griliches 1979; Jaffe 1986)::

    mu_i = a * Q * RD_i^beta * (1 + K_i)^eta_t * (1 + U_i)^gamma,      n_i ~ Poisson(mu_i)
    eta_t = eta + (eta_late - eta) * maturity_t

with R&D money ``RD_i = rd_share * revenue_i + subsidy_i`` for firms and leaders (their own R&D
out of last year's revenue: a one-year lag from R&D to innovation) and
``RD_i = institute_budget + subsidy_i + supply_i`` for institutes (``supply``: the governance
regime's knowledge supply); intermediaries do no research, and no
R&D money means no innovation. The knowledge elasticity moves from ``eta`` in a new industry
to ``eta_late`` at saturated demand: new knowledge matters most early, scale later (Audretsch
and Feldman 1996; Klepper 1996). ``U_i`` is the usable local knowledge pool the spillover
mechanism wrote this year (field ``pool``; 0 without spillover): the neighbours' knowledge
raises research productivity with elasticity ``gamma`` (Jaffe 1986). The share
``1 - (1 + U_i)^-gamma`` of an organisation's innovations exists because of the pool; it is
recorded in the ``learned`` spillover channel, the rest in its own channel, so the patents
built on neighbours' knowledge cite them. Each innovation chooses its field:

- for a firm or leader, with probability ``subsidy_i / RD_i`` when subsidies are targeted,
  uniformly among the strategic fields (the subsidised share of its R&D; institute funding is
  not steered);
- otherwise it is radical with probability ``p_radical`` (a field drawn uniformly: variety), or
  incremental (a field drawn in proportion to the organisation's knowledge ``tacit + explicit``).

It adds one unit of tacit knowledge in its field; with probability ``p_patent`` it is also
codified: one unit of explicit knowledge and a row of the patents table.

Firms and leaders run two lines of R&D, **process** and **product** (Klepper 1996), each
with the production function above: ``mu_i^x = a * Q * (s_i^x RD_i)^beta * (1 + K_i)^eta_t``
with ``s_i^c + s_i^d = 1``. They split the budget by what one innovation of each kind is worth
to them (MU/year), from last year's revenue and profit margin (market)::

    V_i^c = cost_step / (1 - cost_step) * (1 - rd_share) * revenue_i      (process)
    V_i^d = new_sales * max(margin_i, 0)                                 (product)

A process innovation cuts the unit cost by the share ``cost_step``; the same employees then
make ``1 / (1 - cost_step)`` times the output (the unit cost is the wage bill over labour
productivity, see :func:`~innocluster.models.cluster.state.capacity`), so its value grows with
what the firm sells. A product innovation draws ``new_sales`` MU a year of new buyers whatever
the firm's size (Klepper 1996; Cohen and Klepper 1996), worth the firm's margin on them.
Maximising ``V^c mu^c + V^d mu^d`` over the split gives
``s_i^c = (V^c)^g / ((V^c)^g + (V^d)^g)`` with ``g = 1 / (1 - beta)`` (both values 0: an even
split; no market yet: all product). So the process share of innovation rises as firms grow,
and large firms do more R&D (a share of revenue) and more of it in process.

A process innovation multiplies the unit cost by ``1 - cost_step`` (a proportional cut; the
cost never falls below :data:`MIN_COST` times the first one, a guard against overflow). A
product innovation closes the share ``quality_step`` of the gap to ``quality_max`` and brings
its innovator ``new_sales`` MU a year of new buyers, served by hiring at this year's output per
head (rounded at random). Product innovations are imitated at once (Klepper 1996): every firm
and leader makes the best product quality of the year, so quality is common and only rescales
the price per quality unit. ``rd`` and ``rd_process`` record each organisation's R&D money and
its process share. Each innovation also adds one unit to the organisation's ``learned``
channels, split as above between own (its patents may cite its own earlier ones) and
spillover.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INSTITUTE,
    capacity,
    channel,
    draw_fields,
    file_patents,
    is_producer,
    knowledge_stock,
)

__all__ = ["CONTRACT", "MIN_COST", "step", "rd_money"]

#: The lowest unit cost, as a share of the first one (a guard against overflow).
MIN_COST = 1e-9


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("research", "market"),
    reads=(
        "org_id",
        "kind",
        "employees",
        "revenue",
        "margin",
        "subsidy",
        "supply",
        "pool",
        "tacit",
        "explicit",
        "unit_cost",
        "quality",
        "x",
        "y",
    ),
    writes=(
        "tacit",
        "explicit",
        "unit_cost",
        "quality",
        "employees",
        "rd",
        "rd_process",
        "learned",
    ),
    world_reads=("Q", "maturity", "strategic", "price"),
    world_writes=("patents_filed",),
    flows=("innovations", "process", "product", "patents", "new_sales"),
    structure=("patents",),
)


def rd_money(kind, revenue, subsidy, supply, rd_share: float, institute_budget: float):
    """R&D money of each organisation this year, MU ``(n,)`` (see the module docstring)."""
    own = np.where(is_producer(kind), rd_share * revenue, 0.0)
    own = np.where(kind == INSTITUTE, institute_budget, own)
    return own + subsidy + supply


def innovation_values(revenue, margin, scenario: ClusterScenario):
    """What one process and one product innovation are worth to each producer, MU/year.

    Args:
        revenue: each producer's revenue in the last market, MU/year ``(n,)``.
        margin: its profit margin there (profit / revenue) ``(n,)``; NaN before its first.
        scenario: gives ``research.cost_step``, ``new_sales`` and ``rd_share``.

    Returns:
        ``(V_process, V_product)``, each ``(n,)`` and >= 0 (see the module docstring).
    """
    p = scenario.research
    process = p.cost_step / (1.0 - p.cost_step) * (1.0 - p.rd_share) * revenue
    product = p.new_sales * np.maximum(np.nan_to_num(margin, nan=np.inf), 0.0)
    return np.nan_to_num(process), product


def process_share(v_process, v_product, beta: float) -> np.ndarray:
    """The share of R&D money each producer puts into process, ``(n,)`` in [0, 1].

    The budget split that maximises ``V^c (s RD)^beta + V^d ((1 - s) RD)^beta``:
    ``s = (V^c)^g / ((V^c)^g + (V^d)^g)``, ``g = 1 / (1 - beta)``; an even split when both
    values are 0, all product when product is worth infinitely more (no price yet).
    """
    g = 1.0 / (1.0 - beta)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = (v_process / v_product) ** g  # inf / inf, 0 / 0 handled below
        share = ratio / (1.0 + ratio)
    share = np.where(np.isinf(ratio), 1.0, share)
    share = np.where(np.isinf(v_product) & ~np.isinf(v_process), 0.0, share)
    return np.where((v_process == 0) & (v_product == 0), 0.5, share)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of research; see the module docstring."""
    p, orgs, world = scenario.research, state.orgs, state.world
    kind = orgs["kind"]
    tacit, explicit = orgs["tacit"], orgs["explicit"]
    producer = is_producer(kind)
    rd = rd_money(
        kind, orgs["revenue"], orgs["subsidy"], orgs["supply"], p.rd_share, p.institute_budget
    )
    v_process, v_product = innovation_values(orgs["revenue"], orgs["margin"], scenario)
    s = np.where(producer, process_share(v_process, v_product, p.beta), 0.0)
    orgs["rd"][:], orgs["rd_process"][:] = rd, s

    K = knowledge_stock(tacit, explicit)
    eta = p.eta + (p.eta_late - p.eta) * world.maturity
    gamma = p.gamma * (1.0 - world.maturity)
    own_share = (1.0 + orgs["pool"]) ** -gamma  # of mu: what own knowledge alone would make
    scale = p.a * world.Q * (1.0 + K) ** eta / own_share
    # Producers: two lines, process and product; institutes: one line, s = 0.
    mu_process = np.where(producer & (rd > 0), scale * (s * rd) ** p.beta, 0.0)
    mu_product = np.where(rd > 0, scale * ((1.0 - s) * rd) ** p.beta, 0.0)
    n_process = rng.poisson(mu_process)
    n_other = rng.poisson(mu_product)
    counts = n_process + n_other
    owner = np.repeat(np.arange(orgs.n), counts)
    m, D = len(owner), tacit.shape[1]

    u = rng.random((m, 4))
    field = draw_fields(tacit + explicit, owner, u[:, 0])
    radical = u[:, 1] < p.p_radical
    field = np.where(radical, np.minimum((u[:, 0] * D).astype(np.int64), D - 1), field)
    if world.strategic.any():
        subsidised = np.divide(orgs["subsidy"], rd, out=np.zeros(orgs.n), where=rd > 0)
        directed = (u[:, 2] < subsidised[owner]) & producer[owner]
        strategic = np.flatnonzero(world.strategic)
        pick = strategic[
            np.minimum((u[:, 0] * len(strategic)).astype(np.int64), len(strategic) - 1)
        ]
        field = np.where(directed, pick, field)
    patented = u[:, 3] < p.p_patent

    cell = owner * D + field
    tacit += np.bincount(cell, minlength=orgs.n * D).reshape(orgs.n, D)
    explicit += np.bincount(cell[patented], minlength=orgs.n * D).reshape(orgs.n, D)
    orgs["learned"][:, channel("own")] += counts * own_share
    orgs["learned"][:, channel("spillover")] += counts * (1.0 - own_share)

    n_product = np.where(producer, n_other, 0)
    cost = orgs["unit_cost"]
    cost *= (1.0 - p.cost_step) ** n_process
    # A numerical guard, not a mechanism: a runaway of innovation (e.g. eta_late = eta) would
    # otherwise drive costs to 0 and output to infinity; default runs stay far above it.
    np.maximum(cost, MIN_COST * scenario.market.unit_cost, out=cost, where=producer)
    quality = orgs["quality"]
    ceiling = np.maximum(p.quality_max, quality)
    quality[:] = ceiling - (ceiling - quality) * (1.0 - p.quality_step) ** n_product
    if producer.any():
        quality[producer] = quality[producer].max()  # imitated at once
    # New buyers: new_sales MU/year more, served by employees at this year's output per head.
    if np.isfinite(world.price):
        per_head = capacity(1, cost, scenario.market) * world.price * quality
        hires = np.divide(
            p.new_sales * n_product, per_head, out=np.zeros(orgs.n), where=per_head > 0
        )
        employees = orgs["employees"]
        employees += np.floor(hires + rng.random(orgs.n)).astype(np.int64) * (n_product > 0)

    file_patents(state, owner[patented], field[patented])
    state.flows["innovations"] = float(m)
    state.flows["process"] = float(n_process.sum())
    state.flows["product"] = float(n_product.sum())
    state.flows["patents"] = float(patented.sum())
    state.flows["new_sales"] = float(p.new_sales * n_product.sum())
