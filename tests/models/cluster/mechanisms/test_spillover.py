"""The spillover mechanism: explicit knowledge leaks between nearby organisations."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.models.cluster.mechanisms import spillover
from innocluster.models.cluster.state import FIRM, INTERMEDIARY
from tests.models.cluster.helpers import fresh_state, scenario, step_once


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


def test_the_usable_pool_is_the_absorbable_knowledge_within_reach():
    sc = scenario(n_firms=0, n_leaders=0, n_institutes=0)
    state = fresh_state(sc)
    orgs, D = state.orgs, sc.space.D
    orgs.add(
        0,
        kind=np.array([FIRM, FIRM, FIRM], dtype=np.int8),
        x=np.array([10.0, 11.0, 80.0]),
        y=np.array([10.0, 10.0, 80.0]),
        region=np.zeros(3, dtype=np.int32),
        tacit=np.array([np.full(D, 2.0), np.ones(D), np.ones(D)]),
    )
    step_once(spillover, state, sc)
    K = np.array([2.0 * D, D, D])
    A = K / (K + sc.knowledge.K_half)
    decay = np.exp(-1.0 / sc.spillover.lam)  # 1 km apart, the same profile direction
    np.testing.assert_allclose(orgs["pool"], [A[0] * decay * K[1], A[1] * decay * K[0], 0.0])
