"""The government mechanism: the budget and its instruments (seed 000)."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.models.cluster.mechanisms import government
from innocluster.models.cluster.parameters import INSTRUMENTS
from innocluster.models.cluster.state import INSTITUTE, INTERMEDIARY, LEADER
from tests.models.cluster.helpers import fresh_state, scenario, step_once


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


def test_the_zone_relieves_costs_inside_it_only():
    sc = scenario(zone_regions=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    state = fresh_state(sc)
    step_once(government, state, sc)
    inside = np.isin(state.orgs["region"], np.arange(10)) & (state.orgs["kind"] <= LEADER)
    assert (state.orgs["relief"][inside] > 0).all()
    assert (state.orgs["relief"][~inside] == 0).all()
    assert np.ptp(state.orgs["relief"][inside]) == 0  # shared equally
    assert state.orgs["relief"].sum() == pytest.approx(state.flows["gov_zone"])
    assert state.world.location_weight[:10].min() > 1.0 == state.world.location_weight[10:].max()
