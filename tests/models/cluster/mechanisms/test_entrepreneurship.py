"""The entrepreneurship mechanism: spin-offs, academic spin-offs and outside entrants."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.models.cluster.mechanisms import entrepreneurship
from innocluster.models.cluster.state import FIRM
from tests.models.cluster.helpers import fresh_state, scenario, step_once


def test_spinoffs_sit_near_their_parents_and_carry_their_knowledge():
    sc = scenario(p_spin=1.0, p_academic=1.0, m_entry=0.0, wealth=1e6, sigma_spin=1.0)
    state, new, parents, dist, tacit = _spin_off(sc, knowledge=10.0)
    assert len(parents) == state.flows["spinoffs"] == state.flows["entries"] > 0
    assert np.median(dist) < 3.0
    np.testing.assert_allclose(state.orgs["tacit"][new], sc.entrepreneurship.phi * tacit[parents])
    assert (state.orgs["kind"][new] == FIRM).all()


def _spin_off(sc, knowledge=1.0):
    # One year of entrepreneurship from the initial state with 50 employees everywhere (and
    # tacit knowledge times `knowledge`): the state, the new rows, their parents' rows, their
    # distances from them (km) and the tacit knowledge before.
    state = fresh_state(sc)
    state.orgs["employees"][:] = 50
    state.orgs["tacit"][:] *= knowledge
    before = state.orgs.n
    ids = dict(zip(state.orgs["org_id"].tolist(), range(before), strict=True))
    x, y, tacit = state.orgs["x"].copy(), state.orgs["y"].copy(), state.orgs["tacit"].copy()
    step_once(entrepreneurship, state, sc)
    new = slice(before, state.orgs.n)
    parents = np.array([ids[p] for p in state.orgs["parent"][new]])
    dist = np.hypot(state.orgs["x"][new] - x[parents], state.orgs["y"][new] - y[parents])
    return state, new, parents, dist, tacit


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


def test_entrants_start_at_the_first_cost_and_spinoffs_carry_part_of_their_parents_cut():
    sc = scenario(p_spin=1.0, p_academic=0.0, m_entry=50.0, wealth=1e6, entrant_cost_gap=0.1)
    state = fresh_state(sc)
    state.orgs["employees"][:] = 50
    state.orgs["unit_cost"][:] = 0.25  # the incumbents have cut their costs by three quarters
    before = state.orgs.n
    ids = dict(zip(state.orgs["org_id"].tolist(), range(before), strict=True))
    step_once(entrepreneurship, state, sc)
    new = np.arange(before, state.orgs.n)
    spin = state.orgs["parent"][new] >= 0
    assert spin.any() and (~spin).any()
    c0, phi = sc.market.unit_cost, sc.entrepreneurship.phi
    np.testing.assert_allclose(state.orgs["unit_cost"][new[~spin]], c0 * 1.1)
    parents = np.array([ids[p] for p in state.orgs["parent"][new[spin]]])
    np.testing.assert_allclose(
        state.orgs["unit_cost"][new[spin]], c0 * (0.25 / c0) ** phi * np.ones(len(parents))
    )


def test_spinoffs_that_do_not_settle_locally_choose_a_region_as_outsiders_do():
    sc = scenario(
        p_spin=1.0, p_academic=1.0, m_entry=0.0, wealth=1e6, sigma_spin=0.01, spin_local=0.0
    )
    state, new, parents, dist, tacit = _spin_off(sc)
    assert len(parents) >= 10
    assert np.median(dist) > 10.0  # uniform regions (pull 0), not 0.01 km from the parent
    np.testing.assert_allclose(state.orgs["tacit"][new], sc.entrepreneurship.phi * tacit[parents])
