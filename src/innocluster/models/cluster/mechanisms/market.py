"""Market and industry life cycle: demand, price, profits, growth and exit (Klepper 1996).

Demand (MU spent per year) follows a logistic life cycle from ``demand0`` towards
``demand_max``, optionally declining after ``decline_start``::

    demand_t = demand_max / (1 + (demand_max / demand0 - 1) exp(-growth t))
               * (1 - decline)^max(t - decline_start, 0)      (decline only if decline_start > 0)

The demand of a year is this times the world's ``demand_factor`` (variety, set by the
institutions mechanism; 1 without it). The life-cycle stage
``maturity_t = demand_t / demand_max`` is read before that shift. Each firm or leader makes
``q_i = productivity * E_i * c_0 / unit_cost_i`` units (``state.capacity``: the unit cost is the
wage bill over labour productivity, so process innovation raises output per head) and sells
its quality-weighted output at the one price that clears demand:
``price = demand / sum_j quality_j q_j`` per quality unit, so
``revenue_i = price * quality_i * q_i``. Profit is::

    profit_i = revenue_i - unit_cost_i c_r(i) q_i - (fixed_cost - relief_i) - rd_share revenue_i

with the congestion multiplier of the firm's region ``c_r = max(crowding_r, 1)^congestion``,
``crowding_r = output_r / (sum_s output_s / R^2)`` the region's output over the mean region's:
land, wages and local inputs cost more where production crowds (Combes, Duranton and Gobillon
2019). Profit adds to capital; the margin ``profit_i / revenue_i`` is kept for next year's
research. Employment grows with the margin (growth is costly, so gradual: Klepper 1996; a
margin is below 1, so the growth it drives is below ``hiring``, unless a planned zone's relief
exceeds a small firm's costs), plus a size-independent shock (Gibrat's law)::

    E_i <- E_i max(1 + hiring * margin_i + growth_noise Z, 0)

``Z ~ Normal(0, 1)``, rounded at random to whole persons. A firm or leader whose capital is
below zero, or that has no employees left, exits. Early on demand outgrows capacity, prices are
high and entry pays; the early entrants grow first, put more of a larger R&D budget into
process innovation (research), cut their costs and expand; the price follows their costs down,
below the cost at which newcomers start and at which laggards produce: the shakeout, with no
fixed cost and no demand peak needed.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import math

import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import capacity, is_producer

__all__ = ["CONTRACT", "step", "demand", "congestion"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("market", "research", "space"),
    reads=("org_id", "kind", "region", "employees", "quality", "unit_cost", "relief"),
    writes=("revenue", "margin", "capital", "employees"),
    world_reads=("demand_factor",),
    world_writes=("demand", "maturity", "price", "revenue", "congestion"),
    flows=("output", "exits"),
    structure=("remove_orgs", "alliances"),
)


def demand(t: int, scenario: ClusterScenario) -> float:
    """Market demand of year ``t``, MU/year (see the module docstring)."""
    m = scenario.market
    level = m.demand_max / (1.0 + (m.demand_max / m.demand0 - 1.0) * math.exp(-m.growth * t))
    if m.decline_start > 0 and t > m.decline_start:
        level *= (1.0 - m.decline) ** (t - m.decline_start)
    return level


def congestion(region: np.ndarray, output: np.ndarray, scenario: ClusterScenario) -> np.ndarray:
    """Unit-cost multiplier of each region, ``(R * R,)``, >= 1 (see the module docstring).

    Args:
        region: region of each producer, ``(n,)``.
        output: each producer's output, units/year ``(n,)``.
        scenario: the scenario; it gives ``space.R`` (regions per side) and the exponent
            ``market.congestion``.
    """
    regions = scenario.space.R**2
    per_region = np.bincount(region, weights=output, minlength=regions)
    mean = per_region.sum() / regions
    if mean <= 0:
        return np.ones(regions)
    return np.maximum(per_region / mean, 1.0) ** scenario.market.congestion


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of the market; see the module docstring."""
    m, orgs, world = scenario.market, state.orgs, state.world
    base = demand(state.step, scenario)
    world.maturity = min(base / m.demand_max, 1.0)  # the stage, before variety's shift
    world.demand = base * world.demand_factor
    producer = np.flatnonzero(is_producer(orgs["kind"]))
    employees = orgs["employees"]
    q = capacity(employees[producer], orgs["unit_cost"][producer], m)
    supply = orgs["quality"][producer] * q
    total = supply.sum()
    world.price = world.demand / total if total > 0 else float("nan")
    revenue = world.demand * supply / total if total > 0 else np.zeros(len(producer))
    world.congestion = congestion(orgs["region"][producer], q, scenario)
    profit = (
        revenue * (1.0 - scenario.research.rd_share)
        - orgs["unit_cost"][producer] * world.congestion[orgs["region"][producer]] * q
        - (m.fixed_cost - orgs["relief"][producer])
    )
    orgs["revenue"][producer] = revenue
    orgs["capital"][producer] += profit
    world.revenue = float(revenue.sum())

    margin = np.divide(profit, revenue, out=np.full(len(producer), -1.0), where=revenue > 0)
    orgs["margin"][producer] = margin
    growth = m.hiring * margin
    shock = m.growth_noise * rng.standard_normal(len(producer))  # Gibrat: size-independent
    target = employees[producer] * np.maximum(1.0 + growth + shock, 0.0)
    employees[producer] = np.floor(target + rng.random(len(producer))).astype(np.int64)

    leave = np.zeros(orgs.n, dtype=bool)
    leave[producer] = (orgs["capital"][producer] < 0.0) | (employees[producer] <= 0)
    gone = orgs["org_id"][leave]
    state.flows["output"] = float(q.sum())
    state.flows["exits"] = float(orgs.remove(leave, state.step))
    if len(gone):
        state.alliances.remove_orgs(gone, state.step)
