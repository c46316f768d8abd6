"""The state arrays: growth, compaction, archive, alliances."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.core.state import Alliances, FieldSpec, Population


def make(capacity=16):
    return Population([FieldSpec("x", "float64"), FieldSpec("k", "float64", width=3)], capacity)


def test_add_assigns_ids_born_parent_and_grows():
    pop = make(capacity=16)
    pop.add(0, x=np.arange(10.0), k=np.ones((10, 3)))
    rows = pop.add(2, parent=np.array([3, 4, 5] * 10), x=np.zeros(30), k=np.zeros((30, 3)))
    assert len(pop) == 40 and rows == slice(10, 40)
    assert pop["org_id"].tolist() == list(range(40))
    assert pop["born"][:10].tolist() == [0] * 10 and set(pop["born"][10:]) == {2}
    assert pop["parent"][:10].tolist() == [-1] * 10 and pop["parent"][10] == 3
    assert pop["k"].shape == (40, 3) and pop["x"][:10].tolist() == list(range(10))


def test_remove_keeps_order_and_archives_the_leavers():
    pop = make()
    pop.add(0, x=np.arange(6.0), k=np.arange(18.0).reshape(6, 3))
    assert pop.remove(np.array([0, 1, 0, 0, 1, 0], bool), step=3) == 2
    assert pop["org_id"].tolist() == [0, 2, 3, 5]
    assert pop["k"][1].tolist() == [6.0, 7.0, 8.0]
    gone = pop.exited()
    assert gone["org_id"].tolist() == [1, 4] and gone["exited"].tolist() == [3, 3]
    assert gone["k"][1].tolist() == [12.0, 13.0, 14.0]


def test_fields_not_given_take_their_fill_value_even_in_rows_freed_by_exits():
    pop = Population([FieldSpec("x", "float64"), FieldSpec("q", "float64", fill=1.0)], 16)
    pop.add(0, x=np.arange(4.0) + 7.0, q=np.full(4, 9.0))
    pop.remove(np.array([0, 0, 1, 1], bool), step=1)
    pop.add(1, x=np.zeros(2))
    assert pop["q"].tolist() == [9.0, 9.0, 1.0, 1.0]
    assert pop["parent"].tolist() == [-1] * 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 2**32 - 1)), max_size=12))
def test_any_sequence_of_entries_and_exits_accounts_for_everyone(events):
    pop = make(capacity=16)
    rng = np.random.default_rng(0)
    for step, (entrants, mask_seed) in enumerate(events, start=1):
        pop.add(step, x=rng.random(entrants), k=rng.random((entrants, 3)))
        leave = np.random.default_rng(mask_seed).random(pop.n) < 0.3
        before = pop["org_id"][~leave].copy()
        pop.remove(leave, step)
        assert np.array_equal(pop["org_id"], before)  # survivors keep their order
    ids = np.concatenate([pop["org_id"], pop.exited()["org_id"]])
    assert np.array_equal(np.sort(ids), np.arange(pop.next_id))  # nobody lost or doubled
    assert np.all(np.diff(pop["org_id"]) > 0)


def test_alliances_are_undirected_without_loops_or_duplicates():
    al = Alliances()
    assert al.add(np.array([1, 2, 3, 4]), np.array([2, 1, 3, 5]), step=1) == 2
    assert al.add(np.array([5, 6]), np.array([4, 1]), step=2) == 1
    assert list(zip(al.a.tolist(), al.b.tolist(), strict=True)) == [(1, 2), (4, 5), (1, 6)]
    assert al.born.tolist() == [1, 1, 2]
    assert al.remove_orgs(np.array([1]), step=4) == 2
    assert list(zip(al.a.tolist(), al.b.tolist(), strict=True)) == [(4, 5)]
    assert al.archive[0]["end"].tolist() == [4, 4]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=60))
def test_alliance_edges_stay_a_simple_graph(pairs):
    al = Alliances()
    for start in range(0, len(pairs), 7):
        chunk = np.array(pairs[start : start + 7], dtype=np.int64).reshape(-1, 2)
        al.add(chunk[:, 0], chunk[:, 1], step=start)
    assert np.all(al.a < al.b)
    keys = set(zip(al.a.tolist(), al.b.tolist(), strict=True))
    assert len(keys) == len(al)
    assert keys == {(min(a, b), max(a, b)) for a, b in pairs if a != b}


def test_alliance_records_list_active_then_ended():
    al = Alliances()
    al.add(np.array([1, 2, 3]), np.array([2, 3, 4]), step=1, strength=np.array([1.0, 2.0, 3.0]))
    al.remove(np.array([False, True, False]), step=5)
    rec = al.records()
    assert rec["org_a"].tolist() == [1, 3, 2] and rec["end"].tolist() == [-1, -1, 5]
    assert rec["strength"].tolist() == [1.0, 3.0, 2.0] and rec["start"].tolist() == [1, 1, 1]
