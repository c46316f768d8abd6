"""The market mechanism: demand over the life cycle, price, profits, congestion and exit."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.models.cluster.mechanisms import entrepreneurship, market
from innocluster.models.cluster.state import LEADER
from tests.models.cluster.helpers import fresh_state, scenario, step_once


def test_demand_follows_the_logistic_life_cycle_and_can_decline():
    sc = scenario()
    m = sc.market
    assert market.demand(0, sc) == pytest.approx(m.demand0)
    values = [market.demand(t, sc) for t in range(200)]
    assert np.all(np.diff(values) >= 0) and np.all(np.diff(values[:50]) > 0)
    assert values[-1] == pytest.approx(m.demand_max, rel=1e-6)
    falling = scenario(decline_start=30, decline=0.1)
    assert market.demand(31, falling) == pytest.approx(0.9 * market.demand(31, sc))


def test_the_price_clears_demand_and_losers_exit():
    sc = scenario()
    state = fresh_state(sc)
    state.orgs["capital"][:5] = -100.0  # the first five producers cannot survive a year
    before = state.orgs.n
    step_once(market, state, sc)
    world = state.world
    assert world.revenue == pytest.approx(world.demand)
    assert state.flows["exits"] >= 5 and state.orgs.n == before - state.flows["exits"]
    producers = state.orgs["kind"] <= LEADER
    assert (state.orgs["capital"][producers] >= 0).all()


def test_congestion_raises_costs_only_above_the_mean_region():
    sc = scenario(congestion=0.5)
    regions = sc.space.R**2
    # 100 regions; output 40 in region 0, 10 in region 1, 50 spread one each over regions 2..51.
    region = np.concatenate([[0, 1], np.arange(2, 52)])
    output = np.concatenate([[40.0, 10.0], np.ones(50)])
    c = market.congestion(region, output, sc)
    assert c.shape == (regions,)
    assert c[0] == pytest.approx(40.0**0.5)  # the mean region produces 1
    assert c[1] == pytest.approx(10.0**0.5)
    assert (c[2:] == 1.0).all()
    assert (market.congestion(region, output, scenario(congestion=0.0)) == 1.0).all()
    assert (market.congestion(region, np.zeros(len(region)), sc) == 1.0).all()


def test_a_crowded_region_earns_less_and_deters_founders():
    # Two identical producers, one alone and one among 30 others: the crowded one pays more.
    sc = scenario(congestion=0.5, p_spin=0.0, p_academic=0.0)
    state = fresh_state(sc)
    producers = np.flatnonzero(state.orgs["kind"] <= LEADER)
    state.orgs["region"][producers] = 7
    state.orgs["region"][producers[0]] = 93
    for name in ("employees", "quality", "unit_cost", "capital"):
        state.orgs[name][producers[0]] = state.orgs[name][producers[1]]
    step_once(market, state, sc)
    alone, crowded = producers[0], producers[1]
    assert state.world.congestion[7] > 5 * state.world.congestion[93]
    assert state.orgs["capital"][alone] > state.orgs["capital"][crowded]
    # Founders see last year's multipliers: at a price that pays the cost only where it is
    # not raised, nobody enters the crowded region.
    entry = scenario(
        congestion=0.5, p_spin=0.0, p_academic=0.0, m_entry=300.0, wealth=1e6, pull=0.0
    )
    state = fresh_state(entry)
    state.world.congestion = np.ones(entry.space.R**2)
    state.world.congestion[:50] = 3.0
    state.world.price = (
        1.6 * entry.market.unit_cost * (1.0 + entry.entrepreneurship.entrant_cost_gap)
    )
    before = state.orgs.n
    step_once(entrepreneurship, state, entry)
    new = state.orgs["region"][before:]
    assert len(new) > 50 and (new >= 50).all()


def test_the_margin_is_kept_and_drives_growth_without_shocks():
    sc = scenario(growth_noise=0.0, congestion=0.0)
    state = fresh_state(sc)
    producers = np.flatnonzero(state.orgs["kind"] <= LEADER)
    state.orgs["unit_cost"][producers[: len(producers) // 2]] = 0.5  # twice as productive
    employees = state.orgs["employees"].copy()
    step_once(market, state, sc)
    margin = state.orgs["margin"][producers]
    revenue = state.orgs["revenue"][producers]
    assert np.all(np.isfinite(margin)) and (revenue > 0).all()
    # Output per head doubles with half the unit cost, at the same wage bill per head: a
    # margin of 1 - rd_share - c / price per unit.
    low, high = producers[: len(producers) // 2], producers[len(producers) // 2 :]
    price = state.world.price * state.orgs["quality"][producers[0]]
    rd = sc.research.rd_share
    np.testing.assert_allclose(state.orgs["margin"][low], 1.0 - rd - 0.5 / price)
    np.testing.assert_allclose(state.orgs["margin"][high], 1.0 - rd - 1.0 / price)
    expected = employees[producers] * (1.0 + sc.market.hiring * margin)
    assert np.all(np.abs(state.orgs["employees"][producers] - expected) <= 1.0)
