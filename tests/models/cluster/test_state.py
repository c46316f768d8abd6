"""The cluster model's shared quantities: kinds, knowledge stock, absorptive capacity, regions,
alliance rows, the stock indices of the phase diagnosis, patent filing, partners."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.core.state import Alliances, State
from innocluster.measures import perpetual_inventory
from innocluster.models.cluster.state import (
    FIRM,
    INSTITUTE,
    INTERMEDIARY,
    KIND_NAMES,
    LEADER,
    World,
    absorptive_capacity,
    alliance_rows,
    capacity,
    cluster_stocks,
    file_patents,
    is_producer,
    knowledge_stock,
    partner_ids,
    region_of,
)
from innocluster.tables import KINDS, PRODUCERS
from tests.models.cluster.helpers import fresh_state, scenario


def test_kind_codes_index_the_tables_kinds():
    assert KIND_NAMES.tolist() == list(KINDS)
    assert [KIND_NAMES[c] for c in (FIRM, LEADER, INSTITUTE, INTERMEDIARY)] == [
        "firm",
        "leader",
        "institute",
        "intermediary",
    ]
    codes = np.arange(len(KINDS))
    assert KIND_NAMES[is_producer(codes)].tolist() == list(PRODUCERS)


def test_knowledge_stock_is_tacit_plus_explicit_over_fields():
    rng = np.random.default_rng(0)
    tacit, explicit = rng.random((50, 7)), rng.random((50, 7))
    np.testing.assert_allclose(knowledge_stock(tacit, explicit), (tacit + explicit).sum(1))
    assert knowledge_stock(np.zeros((0, 3)), np.zeros((0, 3))).shape == (0,)


def test_absorptive_capacity_is_half_at_k_half_and_below_one():
    K = np.array([0.0, 10.0, 1e9])
    np.testing.assert_allclose(absorptive_capacity(K, 10.0), [0.0, 0.5, 1e9 / (1e9 + 10)])


def test_regions_are_the_cells_of_the_r_by_r_grid():
    x, y = np.array([0.0, 99.9, 100.0, 35.0]), np.array([0.0, 0.0, 100.0, 72.0])
    assert region_of(x, y, 100.0, 10).tolist() == [0, 9, 99, 73]
    assert region_of(x, y, 100.0, 10).dtype == np.int32


def test_alliance_rows_find_the_live_rows_of_both_ends():
    state = fresh_state(scenario(), seed=1)
    orgs = state.orgs
    orgs.remove(np.arange(orgs.n) % 3 == 0, step=1)  # rows move: ids no longer equal rows
    ids = orgs["org_id"]
    a, b = ids[[0, 5, 9]], ids[[2, 1, 30]]
    ra, rb = alliance_rows(orgs, a, b)
    np.testing.assert_array_equal(ids[ra], a)
    np.testing.assert_array_equal(ids[rb], b)


def test_stock_indices_are_the_patent_inventory_and_alliances_per_organisation():
    state = fresh_state(scenario(), seed=2)
    state.world = World(Q=1.0, D=16, regions=100)
    n = state.orgs.n
    for year, count in ((1, 5), (2, 0), (3, 8)):
        state.step = year
        file_patents(state, np.arange(count), np.zeros(count, dtype=np.int64))
    state.alliances.add(np.array([0, 1, 2]), np.array([3, 4, 5]), step=3)
    k, a = cluster_stocks(state)
    expected = perpetual_inventory(np.array([0.0, 5.0, 0.0, 8.0]))[-1]
    assert k == pytest.approx(100.0 * expected / n)
    assert a == pytest.approx(3 / n)


def test_patents_take_consecutive_ids_and_the_owners_positions():
    state = fresh_state(scenario(), seed=3)
    state.world = World(Q=1.0, D=16, regions=100)
    state.step = 4
    rows = np.array([3, 1, 3])
    file_patents(state, rows, np.array([2, 0, 5]))
    file_patents(state, rows[:1], np.array([7]))
    records = State.patent_records(state)
    assert records["patent_id"].tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(records["org_id"][:3], state.orgs["org_id"][rows])
    np.testing.assert_array_equal(records["x"][:3], state.orgs["x"][rows])
    assert records["year"].tolist() == [4] * 4
    assert records["field"].tolist() == [2, 0, 5, 7]
    assert state.world.patents_filed == 4


def test_partners_are_found_on_either_end():
    ties = Alliances()
    ties.add(np.array([1, 7, 3]), np.array([2, 1, 9]), step=1)
    assert sorted(partner_ids(ties, 1).tolist()) == [2, 7]
    assert partner_ids(ties, 9).tolist() == [3]
    assert partner_ids(ties, 5).tolist() == []


def test_output_per_head_rises_as_the_unit_cost_falls():
    sc = scenario()
    m = sc.market
    out = capacity(np.array([10, 10, 10]), np.array([1.0, 0.5, 0.0]) * m.unit_cost, m)
    np.testing.assert_allclose(out, [10 * m.productivity, 20 * m.productivity, 0.0])
