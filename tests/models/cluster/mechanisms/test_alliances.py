"""The alliances mechanism: partner search, acceptance at intermediate proximity, ageing, ends.

The statistical claims of the knowledge-governance story (clustering, brokered institute-firm
ties) are in ``tests/models/cluster/test_governance_behaviour.py``; here each rule of the module
docstring is checked on one step, replaying the mechanism's draws where the rule is random.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from innocluster.core.space import cell_of
from innocluster.models.cluster.kernels import near_kind
from innocluster.models.cluster.mechanisms import alliances
from innocluster.models.cluster.state import INSTITUTE, INTERMEDIARY, is_producer
from tests.models.cluster.helpers import fresh_state, scenario, step_once

# --- the formulas -----------------------------------------------------------------------------


def test_proximity_is_the_cosine_of_the_knowledge_profiles():
    profile = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [3.0, 3.0, 0.0], [0.0, 0.0, 0.0]])
    i = np.array([0, 0, 2, 3, 1, 2])
    j = np.array([1, 2, 2, 0, 2, 1])
    want = [0.0, 1.0 / math.sqrt(2.0), 1.0, 0.0, 1.0 / math.sqrt(2.0), 1.0 / math.sqrt(2.0)]
    np.testing.assert_allclose(alliances.proximity(profile, i, j), want, rtol=1e-15, atol=1e-15)


def test_acceptance_peaks_at_the_optimal_cognitive_distance():
    prox = np.array([0.6, 0.45, 0.75, 0.3, 0.9, 0.0, 1.0])
    got = alliances.acceptance(prox, 0.6, 0.15)
    want = np.exp(-((prox - 0.6) ** 2) / (2 * 0.15**2))
    np.testing.assert_allclose(got, want, rtol=1e-15)
    assert got[0] == 1.0
    np.testing.assert_allclose(got[1:3], math.exp(-0.5), rtol=1e-12)  # one width away
    np.testing.assert_allclose(got[3:5], math.exp(-2.0), rtol=1e-12)  # two widths away
    assert got[6] > got[5]  # 1.0 is nearer the optimum 0.6 than 0.0 is


# --- candidates ---------------------------------------------------------------------------


def searching(seed=0, **overrides):
    base = {"n_firms": 300, "alliances.p_seek": 1.0, "alliances.r_partner": 30.0}
    sc = scenario(**{**base, **overrides})
    return sc, fresh_state(sc, seed)


def test_local_partners_come_from_the_seekers_own_cell_and_are_never_intermediaries():
    # r_partner 30 km in a 100 km square: floor(100 / 30) = 3 cells per side of 33.3 km.
    sc, state = searching(n_intermediaries=8, **{"alliances.match_share": 0.0})
    seeker, partner = alliances.candidates(state, sc, np.random.default_rng(0))
    orgs = state.orgs
    able = np.flatnonzero(orgs["kind"] != INTERMEDIARY)
    np.testing.assert_array_equal(seeker, able)  # p_seek = 1: every organisation but brokers
    assert (orgs["kind"][partner] != INTERMEDIARY).all()
    cell = np.floor(orgs["x"] * 3 / 100.0) + 3 * np.floor(orgs["y"] * 3 / 100.0)  # row * 3 + col
    np.testing.assert_array_equal(cell[seeker], cell[partner])
    assert (partner != seeker).mean() > 0.9  # a cell holds about 34 organisations


def test_new_ties_join_only_organisations_of_the_same_cell():
    sc, state = searching(**{"alliances.prox_width": 10.0})  # (almost) every candidate accepts
    step_once(alliances, state, sc)
    ties, orgs = state.alliances, state.orgs
    assert state.flows["alliances_formed"] == len(ties) > 200
    row = {org: i for i, org in enumerate(orgs["org_id"].tolist())}
    a = np.array([row[o] for o in ties.a.tolist()])
    b = np.array([row[o] for o in ties.b.tolist()])
    cells = cell_of(orgs["x"], orgs["y"], 3, 100.0)
    assert (cells[a] == cells[b]).all()


def test_near_an_intermediary_producers_are_matched_with_institutes_and_back():
    sc, state = searching(
        n_institutes=20,
        n_intermediaries=6,
        **{"alliances.match_share": 1.0, "spillover.r_geo": 20.0},
    )
    seeker, partner = alliances.candidates(state, sc, np.random.default_rng(1))
    orgs = state.orgs
    kind = orgs["kind"]
    near = near_kind(orgs, INTERMEDIARY, 20.0, 100.0)[seeker]
    assert 20 < near.sum() < len(seeker) - 20  # both cases are exercised
    producer = is_producer(kind[seeker])
    assert (kind[partner[near & producer]] == INSTITUTE).all()
    assert is_producer(kind[partner[near & ~producer]]).all()
    cells = cell_of(orgs["x"], orgs["y"], 3, 100.0)
    assert (cells[seeker[~near]] == cells[partner[~near]]).all()  # far from brokers: local


def test_paid_matches_pair_a_producer_with_an_institute():
    sc, state = searching(**{"alliances.p_seek": 0.0})
    state.world.connect = 40.0
    seeker, partner = alliances.candidates(state, sc, np.random.default_rng(2))
    kind = state.orgs["kind"]
    assert 15 < len(seeker) < 75  # Poisson(40)
    assert is_producer(kind[seeker]).all() and (kind[partner] == INSTITUTE).all()
    state.world.connect = 0.0
    assert len(alliances.candidates(state, sc, np.random.default_rng(2))[0]) == 0
    sc, state = searching(n_institutes=0, **{"alliances.p_seek": 0.0})
    state.world.connect = 40.0
    assert len(alliances.candidates(state, sc, np.random.default_rng(2))[0]) == 0


# --- acceptance and new ties --------------------------------------------------------------


def two_profiles(seed, **overrides):
    """Half the organisations know fields (0), half fields (0, 1): cosines 1 and 1 / sqrt 2."""
    sc, state = searching(seed, **{"space.D": 2, **overrides})
    orgs = state.orgs
    group = np.arange(orgs.n) % 2
    orgs["tacit"][:] = np.where(group[:, None] == 0, [1.0, 0.0], [1.0, 1.0])
    return sc, state, group


def test_candidates_accept_with_the_probability_of_their_proximity():
    sc, state, group = two_profiles(0, **{"alliances.prox_opt": 0.7, "alliances.prox_width": 0.2})
    rng = np.random.default_rng(4)
    seeker, partner = alliances.candidates(state, sc, rng)  # no ties yet: the step's first draws
    u = rng.random(len(seeker))
    prox = np.where(group[seeker] == group[partner], 1.0, 1.0 / math.sqrt(2.0))
    accept = (seeker != partner) & (u < np.exp(-((prox - 0.7) ** 2) / (2 * 0.2**2)))
    ids = state.orgs["org_id"]
    lo = np.minimum(ids[seeker[accept]], ids[partner[accept]])
    hi = np.maximum(ids[seeker[accept]], ids[partner[accept]])
    want = set(zip(lo.tolist(), hi.tolist(), strict=True))
    step_once(alliances, state, sc, seed=4, t=6)
    ties = state.alliances
    assert set(zip(ties.a.tolist(), ties.b.tolist(), strict=True)) == want
    assert state.flows["alliances_formed"] == len(want) == len(ties)
    assert (ties.strength == 1.0).all() and (ties.born == 6).all() and (ties.a < ties.b).all()
    # Cross-group pairs sit at the optimum and are accepted far more often than same-group ones.
    cross = group[seeker] != group[partner]
    assert accept[cross].mean() > 0.9 > 0.6 > accept[~cross & (seeker != partner)].mean()


def test_identical_knowledge_is_refused_at_a_narrow_optimum_below_it():
    sc, state = searching(**{"alliances.prox_opt": 0.2, "alliances.prox_width": 0.05})
    state.orgs["tacit"][:] = 1.0  # every cosine is 1: acceptance exp(-128)
    step_once(alliances, state, sc)
    assert state.flows["alliances_formed"] == 0 == len(state.alliances)


# --- ageing and ends --------------------------------------------------------------------------


def allied(strengths, seed=0, **overrides):
    sc, state = searching(seed, **{"alliances.p_seek": 0.0, **overrides})
    ids = state.orgs["org_id"]
    m = len(strengths)
    state.alliances.add(ids[:m], ids[m : 2 * m], 0, np.asarray(strengths, dtype=float))
    assert len(state.alliances) == m
    return sc, state


def test_used_ties_strengthen_up_to_the_ceiling_and_without_dissolution_none_ends():
    sc, state = allied(
        [1.0, 2.0, 2.95, 3.0],
        **{"alliances.growth": 0.1, "alliances.max_strength": 3.0, "alliances.q_alliance": 0.0},
    )
    step_once(alliances, state, sc, t=2)
    np.testing.assert_allclose(state.alliances.strength, [1.1, 2.1, 3.0, 3.0], rtol=1e-15)
    assert state.flows["alliances_ended"] == 0 and state.flows["alliances_formed"] == 0


def test_ties_end_with_probability_q_over_their_strength():
    strengths = np.random.default_rng(9).uniform(1.0, 3.0, 140)
    sc, state = allied(strengths, **{"alliances.growth": 0.5, "alliances.q_alliance": 0.8})
    grown = np.minimum(strengths + 0.5, sc.alliances.max_strength)
    a, b = state.alliances.a.copy(), state.alliances.b.copy()
    step_once(alliances, state, sc, seed=7, t=5)
    end = np.random.default_rng(7).random(140) < 0.8 / grown  # the step's first draws
    ties = state.alliances
    np.testing.assert_array_equal(ties.a, a[~end])
    np.testing.assert_array_equal(ties.b, b[~end])
    np.testing.assert_allclose(ties.strength, grown[~end], rtol=1e-15)
    ended = ties.archive[-1]
    np.testing.assert_array_equal(ended["a"], a[end])
    assert (ended["end"] == 5).all() and state.flows["alliances_ended"] == end.sum()
    # Strong ties last: the ended ones were weaker on average.
    assert grown[end].mean() < grown[~end].mean()


@pytest.mark.parametrize(("q", "ended"), [(1.0, 6), (0.0, 0)])
def test_ties_of_strength_one_all_end_at_q_one_and_none_at_q_zero(q, ended):
    sc, state = allied([1.0] * 6, **{"alliances.growth": 0.0, "alliances.q_alliance": q})
    step_once(alliances, state, sc)
    assert state.flows["alliances_ended"] == ended and len(state.alliances) == 6 - ended
