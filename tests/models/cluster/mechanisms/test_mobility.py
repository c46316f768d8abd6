"""The mobility mechanism: employees move between nearby organisations with their know-how."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.cluster.mechanisms import mobility
from innocluster.models.cluster.state import LEADER
from tests.models.cluster.helpers import fresh_state, scenario, step_once


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
