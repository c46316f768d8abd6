"""The governance mechanism: the regime's actions, the adaptive diagnosis and the platform.

Slow behaviour tests of the knowledge-governance claims (public against private platforms over
ten seeds, the adaptive regime on constructed stocks) are in
``tests/models/cluster/test_governance_behaviour.py``; these check one step at a time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.cluster.mechanisms import governance
from innocluster.models.cluster.state import (
    FIRM,
    INSTITUTE,
    INTERMEDIARY,
    LEADER,
    cluster_stocks,
    is_producer,
    partner_ids,
)
from tests.models.cluster.helpers import bare_state, fresh_state, place, scenario, step_once


def regime(name, seed=0, **overrides):
    sc = scenario(**{"governance.regime": name, **overrides})
    return sc, fresh_state(sc, seed)


# --- the actions ----------------------------------------------------------------------------


def test_supply_pays_institutes_only_in_proportion_to_their_researchers():
    sc, state = regime("supply", **{"governance.budget": 50.0})
    orgs = state.orgs
    institutes = orgs["kind"] == INSTITUTE
    orgs["employees"][institutes] = [10, 20, 30, 40]
    orgs["supply"][:] = 9.0  # last year's money is not kept
    step_once(governance, state, sc)
    np.testing.assert_allclose(orgs["supply"][institutes], [5.0, 10.0, 15.0, 20.0], rtol=1e-15)
    assert (orgs["supply"][~institutes] == 0).all()
    assert state.flows["governance_spending"] == 50.0
    assert state.world.action == "supply" and state.world.connect == 0.0


def test_supply_without_institutes_spends_nothing():
    sc, state = bare_state(**{"governance.regime": "supply"})
    place(state, sc, FIRM, [10.0, 20.0], [10.0, 20.0], employees=np.array([5, 7]))
    step_once(governance, state, sc)
    assert state.flows["governance_spending"] == 0.0 and (state.orgs["supply"] == 0).all()


def test_connect_pays_for_budget_over_match_cost_matches_and_is_reset_next_year():
    sc, state = regime("connect", **{"governance.budget": 50.0, "governance.match_cost": 2.0})
    step_once(governance, state, sc)
    assert state.world.connect == 25.0 and state.flows["governance_spending"] == 50.0
    assert (state.orgs["supply"] == 0).all() and state.world.action == "connect"
    none = scenario(**{"governance.regime": "none"})
    step_once(governance, state, none, t=2)
    assert state.world.connect == 0.0 and state.flows["governance_spending"] == 0.0
    assert state.world.action == "none" and state.world.platform_age == 0


# --- the adaptive regime --------------------------------------------------------------------


def with_stocks(patents, ties, step=5, **overrides):
    """The populated state at ``step`` with ``patents`` filed last year and ``ties`` alliances."""
    sc, state = regime("adaptive", **overrides)
    state.step = step
    ids = state.orgs["org_id"]
    state.patents.append(
        {
            "patent_id": np.arange(patents),
            "org_id": np.zeros(patents, dtype=np.int64),
            "year": np.full(patents, step - 1, dtype=np.int32),
            "field": np.zeros(patents, dtype=np.int32),
            "x": np.zeros(patents),
            "y": np.zeros(patents),
        }
    )
    state.alliances.add(ids[:ties], ids[1 : ties + 1], 0)  # a chain: no loops, no duplicates
    assert len(state.alliances) == ties
    return sc, state


@pytest.mark.parametrize(
    ("patents", "ties", "phase", "action"),
    [
        (10, 5, "low knowledge, few alliances", "supply"),
        (200, 5, "high knowledge, few alliances", "connect"),
        (200, 60, "high knowledge, many alliances", "platform"),
        (10, 60, "low knowledge, many alliances", "supply_network"),
    ],
)
def test_the_adaptive_regime_applies_the_action_of_the_diagnosed_phase(
    patents, ties, phase, action
):
    # 66 organisations. Knowledge: 100 * 0.85 * patents / 66 against 100 (200 patents: 258);
    # alliances: ties / 66 against 0.4 (60 ties: 0.91).
    sc, state = with_stocks(patents, ties, **{"governance.budget": 40.0})
    n = state.orgs.n
    k, a = cluster_stocks(state)
    assert k == pytest.approx(100.0 * 0.85 * patents / n) and a == pytest.approx(ties / n)
    step_once(governance, state, sc, t=5)
    world, orgs = state.world, state.orgs
    assert (world.phase, world.action) == (phase, action)
    institutes = orgs["kind"] == INSTITUTE
    supplied = {"supply": 40.0, "supply_network": 20.0}.get(action, 0.0)
    connect = {"connect": 40.0, "supply_network": 20.0}.get(action, 0.0)
    assert orgs["supply"][institutes].sum() == pytest.approx(supplied)
    assert world.connect == connect / sc.governance.match_cost
    assert (world.platform_age == 1) == (action == "platform")
    assert state.flows["governance_spending"] == 40.0


def test_a_stock_equal_to_its_threshold_scores_low():
    sc, state = with_stocks(200, 60)
    k, a = cluster_stocks(state)
    at = scenario(
        **{
            "governance.regime": "adaptive",
            "governance.knowledge_threshold": k,
            "governance.alliance_threshold": a,
        }
    )
    step_once(governance, state, at, t=5)
    assert state.world.action == "supply"


def test_the_adaptive_regime_diagnoses_in_year_one_and_every_t_gov_years_only():
    sc, state = with_stocks(200, 5, step=3, **{"governance.T_gov": 4})  # a connect phase
    state.world.phase, state.world.action = "before", "platform"
    step_once(governance, state, sc, t=3)
    assert (state.world.phase, state.world.action) == ("before", "platform")  # kept
    assert state.world.platform_age == 1  # and applied
    step_once(governance, state, sc, t=4)
    assert state.world.action == "connect"  # 100 * 0.85**2 * 200 / 66 = 219 patents per 100
    state.world.action = "none"
    step_once(governance, state, sc, t=8)
    assert state.world.action == "connect"  # 114: still high
    sc, state = regime("adaptive")
    step_once(governance, state, sc, t=1)  # year 1: no patents, no alliances yet
    assert state.world.phase == "low knowledge, few alliances"
    assert state.world.action == "supply"


# --- the platform ---------------------------------------------------------------------------


def test_a_public_platform_is_built_once_open_to_all_but_intermediaries():
    sc, state = regime("platform", n_intermediaries=5, **{"governance.public_growth": 0.3})
    orgs, world = state.orgs, state.world
    step_once(governance, state, sc, seed=3)
    u = np.random.default_rng(3).random(orgs.n)  # the mechanism's only draws
    joined = (orgs["kind"] != INTERMEDIARY) & (u < 0.3)
    np.testing.assert_array_equal(orgs["member"], joined.astype(np.int8))
    assert world.platform_age == 1 and world.platform_owner == -1
    language = [world.language]
    assert language[0] == pytest.approx(1.0 - 0.5 * math.exp(-0.1), rel=1e-15)
    for t in (2, 3, 4):
        before = orgs["member"].copy()
        step_once(governance, state, sc, seed=t, t=t)
        assert world.platform_age == t and (orgs["member"] >= before).all()
        language.append(world.language)
    assert language[-1] == pytest.approx(1.0 - 0.5 * math.exp(-0.4), rel=1e-15)
    assert np.all(np.diff(language) > 0)
    assert (orgs["member"][orgs["kind"] == INTERMEDIARY] == 0).all()


def test_everyone_but_intermediaries_joins_a_public_platform_at_full_growth():
    sc, state = regime("platform", n_intermediaries=5, **{"governance.public_growth": 1.0})
    step_once(governance, state, sc)
    np.testing.assert_array_equal(state.orgs["member"], state.orgs["kind"] != INTERMEDIARY)


def test_the_platform_stays_when_the_action_moves_on_and_no_one_joins_any_more():
    sc, state = regime("platform", **{"governance.public_growth": 0.5})
    step_once(governance, state, sc)
    members = state.orgs["member"].copy()
    assert 0 < members.sum() < state.orgs.n
    supply = scenario(**{"governance.regime": "supply", "governance.public_growth": 0.5})
    step_once(governance, state, supply, t=2)
    np.testing.assert_array_equal(state.orgs["member"], members)
    assert state.world.platform_age == 2
    assert state.world.language == pytest.approx(1.0 - 0.5 * math.exp(-0.2), rel=1e-15)


def private_cluster(seed=0, **overrides):
    sc, state = regime(
        "platform",
        seed,
        n_leaders=3,
        **{"governance.platform_owner": "private", **overrides},
    )
    orgs = state.orgs
    orgs["employees"][orgs["kind"] == LEADER] = [15, 40, 25]
    return sc, state


def test_a_private_platform_is_owned_by_the_largest_leader_and_joined_by_its_partners():
    sc, state = private_cluster(**{"governance.private_growth": 1.0, "governance.fee_share": 0.0})
    orgs, world = state.orgs, state.world
    leaders = np.flatnonzero(orgs["kind"] == LEADER)
    owner = int(orgs["org_id"][leaders[1]])  # 40 employees
    institutes = orgs["org_id"][orgs["kind"] == INSTITUTE]
    firms = orgs["org_id"][orgs["kind"] == FIRM]
    state.alliances.add(np.full(4, owner), np.r_[institutes[:2], firms[:2]], 0)
    step_once(governance, state, sc)
    assert world.platform_owner == owner and world.platform_age == 1
    assert world.language == sc.governance.language_private
    network = np.isin(orgs["org_id"], np.append(partner_ids(state.alliances, owner), owner))
    np.testing.assert_array_equal(orgs["member"], network.astype(np.int8))
    # The owner is chosen once: a larger leader later does not take the platform over.
    orgs["employees"][leaders[2]] = 500
    step_once(governance, state, sc, t=2)
    assert world.platform_owner == owner and world.language == sc.governance.language_private


def test_fee_payers_are_producers_only():
    sc, state = private_cluster(**{"governance.fee_share": 1.0, "governance.private_growth": 0.0})
    step_once(governance, state, sc)
    orgs = state.orgs
    np.testing.assert_array_equal(orgs["member"] == 1, is_producer(orgs["kind"]))


def test_without_leaders_the_largest_firm_owns_it_and_without_producers_it_is_public():
    sc, state = bare_state(
        **{"governance.regime": "platform", "governance.platform_owner": "private"}
    )
    place(state, sc, INSTITUTE, 5.0, 5.0, employees=np.array([300]))
    place(state, sc, FIRM, [10.0, 20.0, 30.0], [10.0, 20.0, 30.0], employees=np.array([4, 9, 6]))
    step_once(governance, state, sc)
    assert state.world.platform_owner == state.orgs["org_id"][2]
    sc, state = bare_state(
        **{"governance.regime": "platform", "governance.platform_owner": "private"}
    )
    place(state, sc, INSTITUTE, 5.0, 5.0, employees=np.array([300]))
    step_once(governance, state, sc)
    assert state.world.platform_owner == -1
    assert state.world.language == pytest.approx(1.0 - 0.5 * math.exp(-0.1))


@settings(max_examples=30)
@given(
    seed=st.integers(0, 2**32 - 1),
    leaders=st.integers(0, 4),
    firms=st.integers(0, 30),
)
def test_a_private_platforms_owner_is_the_largest_live_producer_and_a_member(seed, leaders, firms):
    sc = scenario(
        n_firms=firms,
        n_leaders=leaders,
        **{"governance.regime": "platform", "governance.platform_owner": "private"},
    )
    state = fresh_state(sc, seed % 1000)
    orgs = state.orgs
    orgs["employees"][:] = np.random.default_rng(seed).integers(1, 60, orgs.n)
    step_once(governance, state, sc, seed)
    owner = state.world.platform_owner
    if leaders + firms == 0:
        assert owner == -1
        return
    row = np.flatnonzero(orgs["org_id"] == owner)
    assert len(row) == 1 and orgs["member"][row[0]] == 1
    pool = orgs["kind"] == LEADER if leaders else is_producer(orgs["kind"])
    assert pool[row[0]] and orgs["employees"][row[0]] == orgs["employees"][pool].max()


def test_when_a_private_platforms_owner_exits_the_largest_remaining_leader_takes_over():
    sc = scenario(
        n_leaders=3, **{"governance.regime": "platform", "governance.platform_owner": "private"}
    )
    state = fresh_state(sc)
    orgs = state.orgs
    leaders = np.flatnonzero(orgs["kind"] == LEADER)
    orgs["employees"][leaders] = [500, 300, 200]
    step_once(governance, state, sc)
    first = state.world.platform_owner
    assert first == orgs["org_id"][leaders[0]]
    orgs.remove(orgs["org_id"] == first, 1)  # the owner exits
    step_once(governance, state, sc, t=2)
    second = state.world.platform_owner
    assert second != first and orgs["employees"][orgs["org_id"] == second][0] == 300
    assert state.world.platform_age >= 1  # the same platform, not a new one
