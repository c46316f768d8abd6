"""The cluster model's mechanisms one by one, its parameters, its tables, and ablations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import innocluster as ic
from innocluster.core.engine import generator_for, run_model
from innocluster.errors import InnoclusterError
from innocluster.models import MODELS, model_of
from innocluster.models.cluster.mechanisms import (
    depreciation,
    entrepreneurship,
    government,
    market,
    mobility,
    research,
    spillover,
)
from innocluster.models.cluster.model import morans_i, top_share
from innocluster.models.cluster.parameters import INSTRUMENTS
from innocluster.models.cluster.state import (
    FIRM,
    INSTITUTE,
    INTERMEDIARY,
    LEADER,
    World,
    draw_fields,
)
from innocluster.scenario import load_scenario

SMALL = {"steps": 15, "n_firms": 60, "n_institutes": 4}


def scenario(**overrides):
    return load_scenario("default", {**SMALL, **overrides})


def fresh_state(sc, seed=0):
    return MODELS["cluster"].init(sc, generator_for(seed, "init"))


def step_once(module, state, sc, seed=0, t=1):
    state.step = t
    state.flows.clear()
    module.step(state, sc, np.random.default_rng(seed))


# --- parameters ---------------------------------------------------------------------------


def test_budget_shares_above_one_are_refused_by_name():
    with pytest.raises(
        InnoclusterError, match="budget shares of the instruments sum to 1.5; expected at most 1$"
    ):
        load_scenario("default", {"government.subsidy": 0.6, "government.institutes": 0.5})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"strategic_fields": [3, 16]}, r"strategic_fields \[16\]: expected fields 0..15$"),
        ({"zone_regions": [100]}, r"zone_regions \[100\]: expected regions 0..99$"),
        ({"anchor_x": 150.0}, "expected a position in the 100 km square$"),
        ({"research.p_patent": 1.5}, "research.p_patent"),
        ({"n_firms": 2.5}, "population.n_firms"),
    ],
)
def test_bad_cluster_parameters_are_explained(overrides, message):
    with pytest.raises(InnoclusterError, match=message):
        load_scenario("default", overrides)


# --- government ---------------------------------------------------------------------------


def test_government_spends_its_budget_by_the_shares():
    sc = scenario(anchor_steps=[1, 1], anchor_cost=5.0, exogenous=100.0, tax=0.0)
    state = fresh_state(sc)
    n0 = state.orgs.n
    step_once(government, state, sc)
    f = state.flows
    assert f["budget"] == 100.0 and f["gov_anchors"] == 10.0
    g = sc.government
    for name in INSTRUMENTS[:-1]:
        assert f[f"gov_{name}"] == pytest.approx(getattr(g, name) * 90.0)
    assert f["gov_spending"] == pytest.approx(10.0 + 90.0 * (1.0 - 0.0))
    kinds = state.orgs["kind"][n0:]
    assert (kinds == INSTITUTE).sum() == 2  # two anchors this step
    institutes = state.orgs["kind"] == INSTITUTE
    assert state.orgs["subsidy"][institutes].sum() == pytest.approx(g.institutes * 90.0)
    producers = state.orgs["kind"] <= LEADER
    assert state.orgs["subsidy"][producers].sum() == pytest.approx(g.subsidy * 90.0)
    assert state.world.grant_pool == pytest.approx(g.grants * 90.0)


def test_intermediaries_are_established_when_the_fund_allows():
    sc = scenario(exogenous=1000.0, tax=0.0, intermediary_cost=25.0)
    state = fresh_state(sc)
    step_once(government, state, sc)
    made = int((state.orgs["kind"] == INTERMEDIARY).sum())
    assert made == int(sc.government.intermediaries * 1000.0 // 25.0)
    assert state.world.intermediary_fund == pytest.approx(
        sc.government.intermediaries * 1000.0 - made * 25.0
    )


def test_targeted_subsidies_go_only_to_firms_focused_on_strategic_fields():
    sc = scenario(targeted=True, strategic_fields=[0])
    state = fresh_state(sc)
    state.orgs["revenue"][:] = 1.0
    step_once(government, state, sc)
    profile = state.orgs["tacit"] + state.orgs["explicit"]
    paid = state.orgs["subsidy"] > 0
    producers = state.orgs["kind"] <= LEADER
    assert state.world.strategic.tolist() == [True] + [False] * 15
    assert set(profile[paid & producers].argmax(axis=1)) == {0}
    assert paid[producers & (profile.argmax(axis=1) == 0)].all()


def test_the_zone_relieves_fixed_costs_inside_it_only():
    sc = scenario(zone_regions=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    state = fresh_state(sc)
    step_once(government, state, sc)
    inside = np.isin(state.orgs["region"], np.arange(10)) & (state.orgs["kind"] <= LEADER)
    assert (state.orgs["relief"][inside] > 0).all()
    assert (state.orgs["relief"][~inside] == 0).all()
    assert (state.orgs["relief"] <= sc.market.fixed_cost).all()
    assert state.world.location_weight[:10].min() > 1.0 == state.world.location_weight[10:].max()


# --- research -----------------------------------------------------------------------------


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
    assert (state.orgs["unit_cost"][producers] >= sc.research.cost_floor).all()
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


# --- entrepreneurship ---------------------------------------------------------------------


def test_spinoffs_sit_near_their_parents_and_carry_their_knowledge():
    sc = scenario(p_spin=1.0, p_academic=1.0, m_entry=0.0, wealth=1e6, sigma_spin=1.0)
    state = fresh_state(sc)
    state.orgs["employees"][:] = 50
    state.orgs["tacit"][:] *= 10
    before = state.orgs.n
    ids = dict(zip(state.orgs["org_id"].tolist(), range(before), strict=True))
    x, y, tacit = state.orgs["x"].copy(), state.orgs["y"].copy(), state.orgs["tacit"].copy()
    step_once(entrepreneurship, state, sc)
    new = slice(before, state.orgs.n)
    parents = np.array([ids[p] for p in state.orgs["parent"][new]])
    assert len(parents) == state.flows["spinoffs"] == state.flows["entries"] > 0
    dist = np.hypot(state.orgs["x"][new] - x[parents], state.orgs["y"][new] - y[parents])
    assert np.median(dist) < 3.0
    np.testing.assert_allclose(state.orgs["tacit"][new], sc.entrepreneurship.phi * tacit[parents])
    assert (state.orgs["kind"][new] == FIRM).all()


def test_entry_needs_wealth_or_a_grant():
    sc = scenario(p_spin=0.0, p_academic=0.0, m_entry=500.0, wealth=1.0, entry_cost=5.0)
    poor = fresh_state(sc)
    step_once(entrepreneurship, poor, sc)
    granted = fresh_state(sc)
    granted.world.grant_pool = 1000.0 * sc.government.grant_size
    step_once(entrepreneurship, granted, sc)
    # P(wealth >= 5) = exp(-5); with a grant of 3, P(wealth >= 2) = exp(-2).
    assert poor.flows["entries"] < 15
    assert granted.flows["entries"] > 40 and granted.flows["grants_paid"] > 0
    assert granted.world.grant_pool == pytest.approx(
        1000.0 * sc.government.grant_size - granted.flows["grants_paid"]
    )


def test_no_entry_when_the_price_does_not_cover_the_cost():
    sc = scenario(p_spin=1.0, m_entry=200.0, wealth=1e6)
    state = fresh_state(sc)
    state.world.price = 0.01
    step_once(entrepreneurship, state, sc)
    assert state.flows["entries"] == 0


# --- market -------------------------------------------------------------------------------


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


# --- mobility, depreciation, spillover ----------------------------------------------------


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), p_move=st.floats(0.0, 1.0))
def test_mobility_conserves_employees_and_only_adds_knowledge(seed, p_move):
    sc = scenario(p_move=p_move)
    state = fresh_state(sc, seed)
    state.orgs["employees"][:] = np.random.default_rng(seed).integers(1, 40, state.orgs.n)
    employees, tacit = state.orgs["employees"].sum(), state.orgs["tacit"].copy()
    step_once(mobility, state, sc, seed)
    assert state.orgs["employees"].sum() == employees
    assert (state.orgs["employees"][state.orgs["kind"] <= LEADER] >= 1).all()
    assert (state.orgs["tacit"] >= tacit - 1e-12).all()


def test_movers_stay_in_their_labour_market_cell():
    sc = scenario(p_move=0.5, r_mob=50.0)  # two cells per side
    state = fresh_state(sc)
    state.orgs["employees"][:] = 20
    state.orgs["tacit"][:] = 0.0
    west = state.orgs["x"] < 50.0
    state.orgs["tacit"][west] = 1.0  # only the west half knows anything
    south = state.orgs["y"] < 50.0
    step_once(mobility, state, sc)
    gained = state.orgs["tacit"].sum(axis=1) > 0
    assert not (gained & ~west).any()  # no know-how crossed to the east
    assert state.flows["movers"] > 0 and south.any()


def test_depreciation_scales_knowledge():
    sc = scenario(delta=0.1)
    state = fresh_state(sc)
    tacit = state.orgs["tacit"].copy()
    step_once(depreciation, state, sc)
    np.testing.assert_allclose(state.orgs["tacit"], 0.9 * tacit)


def test_spillover_flows_from_the_knowledgeable_and_intermediaries_amplify_it():
    sc = scenario(n_firms=0, n_leaders=0, n_institutes=0)
    state = fresh_state(sc)
    orgs = state.orgs
    D = sc.space.D
    orgs.add(
        0,
        kind=np.array([FIRM, FIRM, FIRM], dtype=np.int8),
        x=np.array([10.0, 11.0, 80.0]),
        y=np.array([10.0, 10.0, 80.0]),
        region=np.zeros(3, dtype=np.int32),
        tacit=np.ones((3, D)),
        explicit=np.array([np.full(D, 5.0), np.zeros(D), np.zeros(D)]),
    )
    step_once(spillover, state, sc)
    gained = orgs["explicit"][:, 0].copy()
    assert gained[0] == 5.0 and gained[1] > 0 and gained[2] == 0  # far away: nothing
    orgs["explicit"][1:] = 0.0
    orgs.add(
        1, kind=np.array([INTERMEDIARY], dtype=np.int8), x=np.array([11.0]), y=np.array([11.0])
    )
    step_once(spillover, state, sc)
    assert orgs["explicit"][1, 0] == pytest.approx(2 * gained[1])  # broker = 1: doubled
    assert orgs["explicit"][3].sum() == 0


# --- the whole model ----------------------------------------------------------------------


def test_a_run_writes_valid_tables_and_every_indicator(tmp_path):
    run = ic.simulate("default", seed=3, overrides=SMALL)
    declared = [c.name for c in MODELS["cluster"].indicators]
    assert run.indicators.columns.tolist() == ["step", *declared]
    for name in ("gini_orgs_regions", "tech_entropy", "size_top10_share", "price"):
        assert run.indicators[name].notna().all(), name
    eg = run.indicators.eg_index.to_numpy()
    assert np.isfinite(eg).all() and eg.std() > 0  # measures space, not only firm sizes
    orgs = run.organizations
    assert set(orgs.kind) <= {"firm", "leader", "institute", "intermediary"}
    spun = orgs[orgs.parent.notna()]
    assert spun.parent.isin(orgs.org_id).all()
    assert run.patents.org_id.isin(orgs.org_id).all()
    again = ic.load_run(run.save(tmp_path / "run"))
    for name in ("organizations", "patents", "indicators"):
        assert again.tables[name].equals(run.tables[name])


def test_same_seed_same_tables_and_different_seed_different_ones():
    a = ic.simulate("default", seed=11, overrides=SMALL)
    b = ic.simulate("default", seed=11, overrides=SMALL)
    c = ic.simulate("default", seed=12, overrides=SMALL)
    assert all(a.tables[n].equals(b.tables[n]) for n in a.tables)
    assert not a.tables["patents"].equals(c.tables["patents"])


def _final(seed=5, **overrides):
    sc = scenario(steps=20, **overrides)
    sim = run_model(model_of(sc), sc, seed)
    return sim.rows, sim.state


@pytest.mark.parametrize(
    ("mechanism", "changed"),
    [
        ("government", lambda on, off: off[0]["gov_spending"] == 0 < on[0]["gov_spending"]),
        (
            "spillover",
            lambda on, off: (
                sum(r["knowledge_explicit"] for r in off) < sum(r["knowledge_explicit"] for r in on)
            ),
        ),
        (
            "research",
            lambda on, off: (
                all(np.isnan(r["process_share"]) for r in off)
                and not np.isnan(on[-1]["process_share"])
            ),
        ),
        (
            "entrepreneurship",
            lambda on, off: sum(r["entries"] for r in off) == 0 < sum(r["entries"] for r in on),
        ),
        (
            "market",
            lambda on, off: (
                sum(r["exits"] for r in off) == 0 == sum(r["output"] for r in off)
                and np.isnan(off[-1]["price"])
                and on[-1]["output"] > 0
            ),
        ),
        (
            "mobility",
            lambda on, off: (
                sum(r["knowledge_tacit"] for r in off) < sum(r["knowledge_tacit"] for r in on)
            ),
        ),
        (
            "depreciation",
            lambda on, off: off[-1]["knowledge_tacit"] > on[-1]["knowledge_tacit"],
        ),
    ],
)
def test_each_mechanism_switched_off_alone_changes_what_it_should(mechanism, changed):
    on, _ = _final()
    off, state = _final(**{f"mechanisms.{mechanism}": False})
    assert len(off) == 20 and state.orgs.n > 0
    assert changed(on, off)


def test_top_share_and_morans_i():
    assert top_share(np.array([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0.1) == 1.0
    assert top_share(np.ones(20), 0.1) == pytest.approx(0.1)
    assert np.isnan(top_share(np.zeros(3), 0.1))
    row, col = np.divmod(np.arange(100), 10)
    checkerboard = ((row + col) % 2).astype(float)  # every rook neighbour differs
    assert morans_i(checkerboard, 10) == pytest.approx(-1.0)
    assert morans_i((col < 5).astype(float), 10) > 0.7  # two halves
    assert np.isnan(morans_i(np.ones(100), 10))


def test_world_defaults_have_the_right_shapes():
    world = World(Q=0.5, D=4, regions=9)
    assert world.strategic.shape == (4,) and world.zone.shape == (9,)
    assert world.location_weight.tolist() == [1.0] * 9


def test_one_or_two_threads_give_the_same_run():
    import numba

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs two numba threads")
    before = numba.get_num_threads()
    tables = []
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            run = ic.simulate("default", seed=4, overrides={**SMALL, "steps": 25})
            tables.append(run.tables)
    finally:
        numba.set_num_threads(before)
    assert all(tables[0][name].equals(tables[1][name]) for name in tables[0])


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), r=st.floats(0.5, 40.0))
def test_near_kind_matches_all_pairs(seed, r):
    from innocluster.models.cluster.kernels import near_kind

    sc = scenario(n_firms=150, n_intermediaries=12)
    state = fresh_state(sc, seed % 1000)
    orgs = state.orgs
    got = near_kind(orgs, INTERMEDIARY, r, sc.space.L)
    brokers = np.flatnonzero(orgs["kind"] == INTERMEDIARY)
    dist = np.hypot(
        orgs["x"][:, None] - orgs["x"][brokers], orgs["y"][:, None] - orgs["y"][brokers]
    )
    dist[brokers, np.arange(len(brokers))] = np.inf  # itself does not count
    np.testing.assert_array_equal(got, (dist < r).any(axis=1))
