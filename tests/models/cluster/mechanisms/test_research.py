"""The research mechanism: the knowledge production function, innovations and patents."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.cluster.mechanisms import research
from innocluster.models.cluster.state import LEADER, channel, draw_fields
from tests.models.cluster.helpers import fresh_state, scenario, step_once


def test_incremental_fields_follow_knowledge():
    profile = np.array([[1.0, 3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    owner = np.zeros(40_000, dtype=np.int64)
    u = np.random.default_rng(1).random(40_000)
    fields = draw_fields(profile, owner, u)
    share = np.bincount(fields, minlength=4) / len(fields)
    np.testing.assert_allclose(share, [0.25, 0.75, 0, 0], atol=0.01)
    flat = draw_fields(profile, np.ones(40_000, dtype=np.int64), u)
    np.testing.assert_allclose(np.bincount(flat, minlength=4) / 40_000, 0.25, atol=0.01)


def test_research_writes_patents_knowledge_costs_and_quality_consistently():
    sc = scenario()
    state = fresh_state(sc)
    state.orgs["revenue"][:] = 50.0
    tacit0 = state.orgs["tacit"].sum()
    step_once(research, state, sc)
    f = state.flows
    patents = state.patent_records()
    assert f["innovations"] > 0 and len(patents["patent_id"]) == f["patents"]
    assert state.orgs["tacit"].sum() == pytest.approx(tacit0 + f["innovations"])
    assert state.orgs["explicit"].sum() == pytest.approx(f["patents"])
    assert patents["patent_id"].tolist() == list(range(int(f["patents"])))
    assert (patents["year"] == 1).all() and patents["field"].max() < sc.space.D
    producers = state.orgs["kind"] <= LEADER
    assert (state.orgs["unit_cost"][producers] <= sc.market.unit_cost).all()
    assert (state.orgs["unit_cost"][producers] > 0).all()
    assert np.ptp(state.orgs["quality"][producers]) == 0  # product innovations are imitated
    assert (state.orgs["quality"] >= 1.0).all()
    assert (state.orgs["quality"] <= sc.research.quality_max).all()
    assert f["process"] + f["product"] <= f["innovations"]


def test_no_research_money_means_no_innovation():
    sc = scenario(institute_budget=0.0)
    state = fresh_state(sc)
    step_once(research, state, sc)  # revenue 0, no subsidies yet
    assert (
        state.flows["innovations"] == 0
        and state.patent_records() is None
        or len(state.patent_records()["patent_id"]) == 0
    )


def test_the_split_of_rd_maximises_the_value_of_expected_innovations():
    # s = Vc^g / (Vc^g + Vd^g), g = 1 / (1 - beta): the maximiser of
    # Vc s^beta + Vd (1 - s)^beta, found here by brute force.
    beta, grid = 0.5, np.linspace(0.0, 1.0, 100_001)
    for vc, vd in [(1.0, 1.0), (3.0, 1.0), (0.2, 5.0)]:
        best = grid[np.argmax(vc * grid**beta + vd * (1.0 - grid) ** beta)]
        assert research.process_share(np.array([vc]), np.array([vd]), beta)[0] == pytest.approx(
            best, abs=1e-4
        )
    edge = research.process_share(
        np.array([0.0, 1.0, 0.0, 2.0]), np.array([0.0, 0.0, np.inf, np.inf]), beta
    )
    assert edge.tolist() == [0.5, 1.0, 0.0, 0.0]


def test_process_is_worth_more_to_larger_firms_and_product_is_not():
    sc = scenario()
    revenue = np.array([10.0, 100.0, 1000.0])
    margin = np.array([0.2, 0.2, 0.2])
    v_process, v_product = research.innovation_values(revenue, margin, sc)
    assert np.allclose(v_process / revenue, v_process[0] / revenue[0])  # proportional to sales
    assert np.ptp(v_product) == 0  # new sales, whatever the size
    share = research.process_share(v_process, v_product, sc.research.beta)
    assert np.all(np.diff(share) > 0)
    # A firm that sells at a loss gains nothing from new buyers: all its R&D goes to process.
    _, at_a_loss = research.innovation_values(revenue, -margin, sc)
    assert (at_a_loss == 0).all()


def test_larger_firms_make_more_process_innovations():
    sc = scenario(institute_budget=0.0)
    state = fresh_state(sc)
    producers = np.flatnonzero(state.orgs["kind"] <= LEADER)
    small, large = producers[: len(producers) // 2], producers[len(producers) // 2 :]
    state.orgs["revenue"][small], state.orgs["revenue"][large] = 5.0, 500.0
    state.orgs["margin"][producers] = 0.2
    step_once(research, state, sc)
    assert state.orgs["rd_process"][large].min() > state.orgs["rd_process"][small].max()
    cost = state.orgs["unit_cost"]
    assert cost[large].mean() < cost[small].mean() <= sc.market.unit_cost


def test_a_runaway_of_innovation_stays_finite():
    # With the knowledge elasticity kept at its early value, leaders make thousands of process
    # innovations a year; the unit cost stops at its guard and the market stays finite.
    import innocluster as ic

    run = ic.simulate("default", seed=0, steps=40, overrides={"research.eta_late": 0.6})
    ind = run.indicators
    assert np.isfinite(ind.price).all() and np.isfinite(ind.output).all()
    assert (ind.price > 0).all()


@settings(max_examples=200)
@given(
    vc=st.floats(0.0, 1e6),
    vd=st.floats(0.0, 1e6),
    more=st.floats(1.01, 100.0),
    beta=st.floats(0.05, 0.95),
)
def test_the_process_share_is_a_share_and_follows_the_values(vc, vd, more, beta):
    s = research.process_share(np.array([vc, vc * more, vc]), np.array([vd, vd, vd * more]), beta)
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert s[1] >= s[0] >= s[2]  # more worth in process, more process R&D; and conversely


def test_the_local_pool_raises_innovation_and_its_share_is_learned_by_spillover():
    sc = scenario(gamma=0.5)
    counts, learned = [], []
    for pool in (0.0, 99.0):
        state = fresh_state(sc)
        state.orgs["revenue"][:] = 50.0
        state.orgs["pool"][:] = pool
        step_once(research, state, sc, seed=4)
        counts.append(state.flows["innovations"])
        learned.append(state.orgs["learned"].sum(axis=0))
    # maturity 0: mu times (1 + 99)^0.5 = 10 with the pool
    assert counts[1] / counts[0] == pytest.approx(10.0, rel=0.15)
    assert learned[0][channel("spillover")] == 0.0
    spill, own = learned[1][channel("spillover")], learned[1][channel("own")]
    assert spill / (spill + own) == pytest.approx(0.9)  # 1 - 100^-0.5
