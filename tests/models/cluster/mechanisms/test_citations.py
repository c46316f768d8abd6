"""The citations mechanism: new patents cite earlier ones through the channels of learning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import innocluster as ic
from innocluster.core.engine import run_model
from innocluster.models import MODELS
from innocluster.models.cluster.mechanisms import citations
from innocluster.models.cluster.state import CHANNELS, FIRM, channel, file_patents
from tests.models.cluster.helpers import bare_state, place, scenario, step_once

CODE = {name: code for code, name in enumerate(CHANNELS)}


def _two_firms(distance=2.0, **overrides):
    # A cites; B, `distance` km east of A, holds 5 patents of field 3 filed at step 1.
    sc, state = bare_state(
        **{"citations.background": 0.0, "citations.per_patent": 4.0, **overrides}
    )
    a, b = place(state, sc, FIRM, [10.0, 10.0 + distance], [10.0, 10.0])
    state.step = 1
    file_patents(state, np.full(5, b), np.full(5, 3))
    step_once(citations, state, sc, t=1)  # indexes B's patents; nothing earlier to cite
    return sc, state, a, b


def _cite_from(state, sc, a, name, patents=40, field=3, seed=0):
    # A has learned only through `name` and files `patents` patents of `field` at step 2.
    state.orgs["learned"][a] = 0.0
    state.orgs["learned"][a, channel(name)] = 1.0
    state.step = 2
    file_patents(state, np.full(patents, a), np.full(patents, field))
    step_once(citations, state, sc, seed, t=2)
    return state.citations[-1]


def test_a_patent_cites_its_neighbours_patents_through_spillover():
    sc, state, a, b = _two_firms()
    made = _cite_from(state, sc, a, "spillover")
    assert len(made["citing"]) > 0 and (made["channel"] == CODE["spillover"]).all()
    assert set(made["cited"]) <= set(range(5))  # B's patents, filed at step 1
    assert (made["year"] == 2).all()
    assert state.flows["citations"] == len(made["citing"])


def test_no_neighbour_within_the_radius_leaves_the_citation_unmade():
    sc, state, a, _ = _two_firms(distance=20.0)  # beyond spillover.r_geo (5 km)
    made = _cite_from(state, sc, a, "spillover")
    assert len(made["citing"]) == 0 and state.flows["citations_unplaced"] > 0


def test_a_patent_cites_no_patent_of_another_field():
    sc, state, a, _ = _two_firms()
    made = _cite_from(state, sc, a, "spillover", field=4)  # B patented only in field 3
    assert len(made["citing"]) == 0


def test_frontier_citations_cite_outside_the_cluster():
    sc, state, a, _ = _two_firms()
    made = _cite_from(state, sc, a, "frontier")
    assert len(made["citing"]) > 0 and (made["cited"] == -1).all()


def test_background_citations_draw_from_the_field_anywhere():
    sc, state, a, _ = _two_firms(distance=80.0, **{"citations.background": 1.0})
    made = _cite_from(state, sc, a, "spillover")
    assert len(made["citing"]) > 0 and (made["channel"] == CODE["background"]).all()
    assert set(made["cited"]) <= set(range(5))


def test_a_spin_off_cites_its_parent_after_the_parent_has_gone():
    sc, state, _, b = _two_firms(distance=60.0)
    row = place(state, sc, FIRM, [70.0], [10.0], parent=state.orgs["org_id"][[b]])[0]
    child_id = state.orgs["org_id"][row]
    state.orgs.remove(np.arange(state.orgs.n) == b, 1)  # the parent exits
    child = int(np.flatnonzero(state.orgs["org_id"] == child_id)[0])
    made = _cite_from(state, sc, child, "parent")
    assert len(made["citing"]) > 0 and set(made["cited"]) <= set(range(5))


def test_alliance_citations_go_to_partners():
    sc, state, a, b = _two_firms(distance=60.0)
    ids = state.orgs["org_id"]
    state.alliances.add(np.array([ids[a]]), np.array([ids[b]]), 1, np.array([1.0]))
    made = _cite_from(state, sc, a, "alliance")
    assert len(made["citing"]) > 0 and set(made["cited"]) <= set(range(5))


def test_an_organisation_that_has_learned_nothing_makes_background_citations():
    sc, state, a, _ = _two_firms(**{"citations.background": 0.0})
    state.step = 2
    file_patents(state, np.full(30, a), np.full(30, 3))
    step_once(citations, state, sc, t=2)  # learned is all zero
    made = state.citations[-1]
    assert len(made["citing"]) > 0 and (made["channel"] == CODE["background"]).all()


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_the_index_holds_every_earlier_patent_and_citations_look_back(seed):
    sc = scenario(steps=8)
    state = run_model(MODELS["cluster"], sc, seed, observe=False).state
    patents = state.patent_records()
    world = state.world
    assert (np.diff(world.patent_keys) >= 0).all()
    assert sorted(world.patent_index) == sorted(patents["patent_id"])  # every one, once
    key = (patents["field"].astype(np.int64) << citations.FIELD_SHIFT) | patents["org_id"]
    by_id = dict(zip(world.patent_index, world.patent_keys, strict=True))
    assert all(by_id[i] == k for i, k in zip(patents["patent_id"], key, strict=True))
    # held: each live organisation's patents by field.
    row = {int(i): r for r, i in enumerate(state.orgs["org_id"])}
    held = np.zeros_like(state.orgs["held"])
    for owner, field in zip(patents["org_id"], patents["field"], strict=True):
        if int(owner) in row:
            held[row[int(owner)], field] += 1
    np.testing.assert_array_equal(state.orgs["held"], held)
    cites = state.citation_records()
    year = dict(zip(patents["patent_id"], patents["year"], strict=True))
    fields = dict(zip(patents["patent_id"], patents["field"], strict=True))
    inside = cites["cited"] >= 0
    assert (cites["channel"][~inside] == CODE["frontier"]).all()
    for citing, cited, when in zip(
        cites["citing"][inside], cites["cited"][inside], cites["year"][inside], strict=True
    ):
        assert year[cited] < year[citing] == when and fields[cited] == fields[citing]


def test_a_run_records_its_citations_by_channel_and_their_shares():
    run = ic.simulate("default", seed=3, steps=12, overrides={"n_firms": 80})
    table = run.citations
    assert len(table) == run.indicators["citations"].sum() > 0
    shares = run.info["citation_channels"]
    assert set(shares) <= set(CHANNELS) and sum(shares.values()) == pytest.approx(1.0, abs=1e-5)
    assert shares["background"] == pytest.approx(
        (table["channel"] == "background").mean(), abs=1e-6
    )
    outside = table["cited"].isna()
    assert (table.loc[outside, "channel"] == "frontier").all()


def test_switching_spillover_off_removes_the_spillover_channel():
    run = ic.simulate(
        "default", seed=3, steps=12, overrides={"n_firms": 80, "mechanisms.spillover": False}
    )
    assert "spillover" not in run.info["citation_channels"] and len(run.citations) > 0


@pytest.mark.parametrize("name", ["colocation", "mobility", "platform"])
def test_the_other_channels_cite_their_sources(name):
    sc, state, a, b = _two_firms(distance=0.5)  # within seci.r_tacit (1 km)
    state.orgs["employees"][:] = 10  # movers can come from B
    state.orgs["member"][:] = 1
    state.world.platform_age = 1
    made = _cite_from(state, sc, a, name)
    assert len(made["citing"]) > 0 and (made["channel"] == CODE[name]).all()
    assert set(made["cited"]) <= set(range(5))


def test_mobility_cites_only_firms_that_can_lose_movers():
    sc, state, a, _ = _two_firms(distance=1.0)
    state.orgs["employees"][:] = 1  # one employee always stays: nobody can move
    made = _cite_from(state, sc, a, "mobility")
    assert len(made["citing"]) == 0
