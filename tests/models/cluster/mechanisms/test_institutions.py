"""The institutions mechanism: reforms, institutional quality Q, and variety's demand factor.

States of one or two organisations whose knowledge is set by hand: the cluster's total knowledge
and its spread over the fields are then known exactly, and so are the reform probability and
the entropy the equations ask for.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.cluster.mechanisms import institutions
from innocluster.models.cluster.state import FIRM, INSTITUTE
from tests.models.cluster.helpers import bare_state, place, step_once


def cluster(tacit, explicit=None, previous=float("nan"), **overrides):
    """One firm with the given knowledge over D = 4 fields, last year's total ``previous``."""
    sc, state = bare_state(**{"space.D": 4, **overrides})
    place(state, sc, FIRM, 50.0, 50.0, tacit=tacit, explicit=explicit)
    state.world.knowledge_total = previous
    return sc, state


FULL = {"institutions.p_reform": 1.0, "institutions.responsiveness": 1.0}


# --- institutional quality ------------------------------------------------------------------


def test_the_first_year_has_no_growth_so_no_reform_and_q_decays():
    sc, state = cluster([3.0, 1.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], **FULL)
    for seed in range(20):
        state.world.Q, state.world.knowledge_total = 0.7, float("nan")
        step_once(institutions, state, sc, seed)
        assert state.flows["reforms"] == 0.0
        assert state.world.Q == pytest.approx(0.7 * (1.0 - sc.institutions.decay), rel=1e-15)
        assert state.world.knowledge_total == 6.0


def test_knowledge_growth_at_g_ref_with_a_responsive_government_brings_a_reform():
    # total 12 after 10: growth 0.2 >= g_ref = 0.1, so the probability is p_reform * resp = 1.
    sc, state = cluster([12.0, 0.0, 0.0, 0.0], previous=10.0, **FULL)
    step_once(institutions, state, sc)
    assert state.flows["reforms"] == 1.0
    assert state.world.Q == pytest.approx(0.7 + 0.1 * (1.0 - 0.7), rel=1e-15)
    assert state.world.knowledge_total == 12.0


@pytest.mark.parametrize("previous", [12.0, 15.0, 0.0])
def test_stagnant_or_shrinking_knowledge_brings_no_reform(previous):
    # Growth 0, -20% or undefined (no knowledge last year): no pressure, Q erodes by decay.
    sc, state = cluster([12.0, 0.0, 0.0, 0.0], previous=previous, **FULL)
    for seed in range(20):
        state.world.Q, state.world.knowledge_total = 0.5, previous
        step_once(institutions, state, sc, seed)
        assert state.flows["reforms"] == 0.0
        assert state.world.Q == pytest.approx(0.5 * 0.99, rel=1e-15)


def test_partial_pressure_gives_the_reform_probability_of_the_equation():
    # Growth 0.05 of g_ref 0.1: P(reform) = p_reform 0.8 * responsiveness 0.5 * 0.5 = 0.2.
    overrides = {"institutions.p_reform": 0.8, "institutions.responsiveness": 0.5}
    sc, state = cluster([21.0, 0.0, 0.0, 0.0], previous=20.0, **overrides)
    reforms = []
    for seed in range(1000):
        state.world.Q, state.world.knowledge_total = 0.4, 20.0
        step_once(institutions, state, sc, seed)
        reformed = state.flows["reforms"] == 1.0
        assert reformed == (np.random.default_rng(seed).random() < 0.2)
        assert state.world.Q == pytest.approx(0.46 if reformed else 0.396, rel=1e-12)
        reforms.append(reformed)
    assert np.mean(reforms) == pytest.approx(0.2, abs=0.04)


def test_a_deaf_government_never_reforms():
    sc, state = cluster(
        [30.0, 0.0, 0.0, 0.0], previous=10.0, **{"institutions.responsiveness": 0.0}
    )
    for seed in range(50):
        state.world.knowledge_total = 10.0
        step_once(institutions, state, sc, seed)
        assert state.flows["reforms"] == 0.0


@settings(max_examples=60)
@given(
    Q=st.floats(0.0, 1.0),
    lift=st.floats(0.0, 1.0),
    decay=st.floats(0.0, 1.0),
    p_reform=st.floats(0.0, 1.0),
    previous=st.floats(0.0, 100.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_q_stays_in_the_unit_interval_and_takes_one_of_its_two_values(
    Q, lift, decay, p_reform, previous, seed
):
    sc, state = cluster(
        [10.0, 5.0, 0.0, 1.0],
        previous=previous,
        **{
            "institutions.lift": lift,
            "institutions.decay": decay,
            "institutions.p_reform": p_reform,
            "institutions.responsiveness": 1.0,
        },
    )
    state.world.Q = Q
    step_once(institutions, state, sc, seed)
    after = state.world.Q
    assert 0.0 <= after <= 1.0
    if state.flows["reforms"]:
        assert 0.0 < previous < 16.0 and after == pytest.approx(Q + lift * (1.0 - Q))
        assert after >= Q
    else:
        assert after == pytest.approx(Q * (1.0 - decay)) and after <= Q


# --- variety and demand ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tacit", "explicit", "evenness"),
    [
        ([2.0, 2.0, 2.0, 2.0], None, 1.0),  # even over the four fields: H = ln 4
        ([5.0, 0.0, 0.0, 0.0], None, 0.0),  # one field: H = 0
        ([3.0, 0.0, 0.0, 0.0], [0.0, 3.0, 0.0, 0.0], 0.5),  # tacit and explicit count: H = ln 2
    ],
)
def test_the_demand_factor_follows_the_evenness_of_knowledge_over_fields(tacit, explicit, evenness):
    sc, state = cluster(tacit, explicit, **{"institutions.variety_demand": 0.8})
    step_once(institutions, state, sc)
    assert state.world.demand_factor == pytest.approx(1.0 + 0.8 * (evenness - 0.5), abs=1e-12)


def test_the_demand_factor_is_the_entropy_of_all_organisations_knowledge():
    sc, state = cluster([1.0, 0.0, 3.0, 0.0], [0.0, 2.0, 0.0, 0.0])
    place(state, sc, INSTITUTE, 10.0, 10.0, tacit=[0.0, 0.0, 1.0, 1.0], explicit=[2.0, 0, 0, 0])
    step_once(institutions, state, sc)
    share = np.array([3.0, 2.0, 4.0, 1.0]) / 10.0
    H = -(share * np.log(share)).sum()
    v = sc.institutions.variety_demand
    assert state.world.demand_factor == pytest.approx(1.0 + v * (H / math.log(4) - 0.5))
    assert state.world.knowledge_total == pytest.approx(10.0)


def test_without_knowledge_the_demand_factor_is_kept():
    sc, state = cluster([0.0, 0.0, 0.0, 0.0], previous=5.0, **FULL)
    state.world.demand_factor = 1.3
    step_once(institutions, state, sc)
    assert state.world.demand_factor == 1.3 and state.world.knowledge_total == 0.0
    assert state.flows["reforms"] == 0.0  # knowledge fell
