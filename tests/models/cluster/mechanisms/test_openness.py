"""The openness mechanism: latecomer learning from the outside frontier, and FDI.

The absorbed units follow ``openness * A_i * max(F - explicit_i, 0)`` exactly on hand-built
states; the frontier grows from step 2; foreign leaders arrive as the docstring specifies.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.cluster.mechanisms import openness
from innocluster.models.cluster.state import (
    FIRM,
    INSTITUTE,
    INTERMEDIARY,
    LEADER,
    is_producer,
    region_of,
)
from tests.models.cluster.helpers import (
    bare_state,
    capacity,
    fresh_state,
    place,
    scenario,
    step_once,
)

NO_FDI = {"space.D": 3, "openness.fdi_rate": 0.0}


def test_absorption_closes_a_share_of_the_gap_to_the_frontier_by_absorptive_capacity():
    sc, state = bare_state(**{**NO_FDI, "openness.openness": 0.5, "openness.frontier0": 5.0})
    place(state, sc, FIRM, 10.0, 10.0, tacit=[2.0, 2.0, 2.0], explicit=[1.0, 6.0, 0.0])
    place(state, sc, INSTITUTE, 50.0, 50.0, tacit=[10.0, 10.0, 10.0])
    place(state, sc, LEADER, 70.0, 70.0, tacit=[90.0, 0.0, 0.0])
    place(state, sc, INTERMEDIARY, 90.0, 90.0, tacit=[5.0, 5.0, 5.0])
    tacit, explicit = state.orgs["tacit"].copy(), state.orgs["explicit"].copy()
    A = capacity(state, sc)
    step_once(openness, state, sc)
    F = np.full(3, 5.0)  # no growth in step 1
    gain = 0.5 * A[:, None] * np.maximum(F - explicit, 0.0)
    gain[3] = 0.0  # intermediaries absorb nothing
    np.testing.assert_allclose(state.orgs["explicit"], explicit + gain, rtol=1e-12)
    assert state.orgs["explicit"][0, 1] == 6.0  # ahead of the frontier: nothing to learn
    assert gain[2, 0] > gain[1, 0] > 0  # the knowledgeable leader absorbs more of the same gap
    np.testing.assert_array_equal(state.orgs["tacit"], tacit)
    assert state.flows["absorbed"] == pytest.approx(gain.sum(), rel=1e-12)
    assert state.flows["fdi"] == 0.0 and state.orgs.n == 4


def test_the_frontier_grows_at_g_frontier_from_step_two_whatever_the_cluster_knows():
    sc, state = bare_state(**{**NO_FDI, "openness.frontier0": 5.0, "openness.g_frontier": 0.1})
    place(state, sc, FIRM, 10.0, 10.0, tacit=[500.0, 500.0, 500.0], explicit=[99.0, 99.0, 99.0])
    for t, want in [(1, 5.0), (2, 5.5), (3, 6.05), (4, 6.655)]:
        step_once(openness, state, sc, t=t)
        np.testing.assert_allclose(state.world.frontier, want, rtol=1e-12)
        assert state.flows["absorbed"] == 0.0  # the firm is ahead in every field


def test_foreign_leaders_arrive_with_frontier_knowledge_and_the_incumbents_best():
    sc = scenario(**{"openness.fdi_rate": 4.0, "openness.fdi_knowledge": 2.0})
    state = fresh_state(sc, seed=1)
    orgs = state.orgs
    rng = np.random.default_rng(5)
    producer = is_producer(orgs["kind"])
    orgs["unit_cost"][producer] = rng.uniform(0.5, 1.0, producer.sum())
    orgs["quality"][producer] = rng.uniform(1.0, 2.0, producer.sum())
    best_cost, best_quality = orgs["unit_cost"][producer].min(), orgs["quality"][producer].max()
    state.world.frontier = np.linspace(1.0, 8.0, sc.space.D)
    before, next_id = orgs.n, orgs.next_id
    step_once(openness, state, sc, seed=2, t=3)
    arriving = int(np.random.default_rng(2).poisson(4.0))  # the mechanism's first draw
    assert arriving > 0 and state.flows["fdi"] == arriving and orgs.n == before + arriving
    new = slice(before, orgs.n)
    F = np.linspace(1.0, 8.0, sc.space.D) * 1.02  # grown once at step 3
    np.testing.assert_allclose(state.world.frontier, F, rtol=1e-12)
    assert (orgs["kind"][new] == LEADER).all()
    np.testing.assert_allclose(orgs["tacit"][new], np.tile(2.0 * F, (arriving, 1)), rtol=1e-12)
    assert (orgs["explicit"][new] == 0).all()  # they arrive after this year's absorption
    assert (orgs["employees"][new] == sc.population.leader_employees).all()
    assert (orgs["capital"][new] == sc.population.leader_capital).all()
    assert (orgs["unit_cost"][new] == best_cost).all()  # institutes' zero cost is not a producer's
    assert (orgs["quality"][new] == best_quality).all()
    assert (orgs["born"][new] == 3).all() and (orgs["parent"][new] == -1).all()
    assert orgs["org_id"][new].tolist() == list(range(next_id, next_id + arriving))
    x, y = orgs["x"][new], orgs["y"][new]
    assert ((x >= 0) & (x <= sc.space.L) & (y >= 0) & (y <= sc.space.L)).all()
    np.testing.assert_array_equal(orgs["region"][new], region_of(x, y, sc.space.L, sc.space.R))


def test_without_incumbent_producers_foreign_leaders_take_the_initial_cost_and_quality():
    sc, state = bare_state(**{"space.D": 3, "openness.fdi_rate": 3.0})
    place(state, sc, INSTITUTE, 50.0, 50.0, tacit=[1.0, 1.0, 1.0])
    step_once(openness, state, sc, seed=0)
    new = state.orgs["kind"] == LEADER
    assert new.sum() == np.random.default_rng(0).poisson(3.0) > 0
    assert (state.orgs["unit_cost"][new] == sc.market.unit_cost).all()
    assert (state.orgs["quality"][new] == 1.0).all()


def test_arrivals_average_the_fdi_rate():
    sc, state = bare_state(**{"space.D": 3, "openness.fdi_rate": 2.0})
    for seed in range(100):
        step_once(openness, state, sc, seed)
    # 100 Poisson(2) draws: mean 2, standard error 0.14.
    assert state.orgs.n / 100 == pytest.approx(2.0, abs=0.6)


@settings(max_examples=25)
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(0.0, 1.0),
    frontier=st.floats(0.0, 20.0),
)
def test_absorption_never_lowers_knowledge_nor_carries_anyone_past_the_frontier(
    seed, rate, frontier
):
    sc = scenario(
        **{"openness.openness": rate, "openness.frontier0": frontier, "openness.fdi_rate": 0.0}
    )
    state = fresh_state(sc, seed % 1000)
    orgs = state.orgs
    orgs["explicit"][:] = np.random.default_rng(seed).exponential(
        frontier + 0.1, orgs["tacit"].shape
    )
    explicit = orgs["explicit"].copy()
    step_once(openness, state, sc, seed)
    after = orgs["explicit"]
    assert (after >= explicit).all()
    assert (after <= np.maximum(explicit, frontier) + 1e-12).all()
    assert (after - explicit).sum() == pytest.approx(state.flows["absorbed"], rel=1e-9, abs=1e-12)
