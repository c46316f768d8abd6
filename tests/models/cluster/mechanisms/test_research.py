"""The research mechanism: the knowledge production function, innovations and patents."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.models.cluster.mechanisms import research
from innocluster.models.cluster.state import LEADER, draw_fields
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
