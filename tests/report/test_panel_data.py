"""The data of the report's figures (``report/panel_data.py``): map frames, the alliance network,
the platform owner, life-cycle and knowledge series, the phase path, the technology space, and
what each says when the folder lacks its data.

The counts are checked against direct pandas counts of the tables as written to the folder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innocluster.measures.knowledge import perpetual_inventory
from innocluster.measures.lifecycle import lifecycle_stage
from innocluster.report.data import Unavailable, load_cluster
from innocluster.report.panel_data import (
    concentration_data,
    frame_years,
    knowledge_data,
    lifecycle_data,
    map_data,
    marker_size,
    network_data,
    phase_data,
    platform_owner,
    techspace_data,
)
from innocluster.tables import KINDS, PRODUCERS
from tests.report.helpers import data_folder, small_run


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory):
    """A synthetic real-data folder (CSV), as ``data_folder`` writes it."""
    return data_folder(tmp_path_factory.mktemp("data") / "data")


def _organizations(folder):
    """The organizations table as written to the folder, read with pandas alone."""
    if (folder / "organizations.parquet").is_file():
        return pd.read_parquet(folder / "organizations.parquet")
    return pd.read_csv(folder / "organizations.csv")


def _alive(orgs, year):
    """Rows of ``orgs`` born by ``year`` and not exited by then."""
    return orgs[(orgs["born"] <= year) & ~(orgs["exited"] <= year)]


def test_map_frames_are_subsampled_and_end_at_the_last_year(run_folder):
    data = load_cluster(run_folder)
    result = map_data(data, max_frames=7)
    years = [f.year for f in result.frames]
    assert len(years) == 7 and years[0] == data.years[0] and years[-1] == data.last_year
    last = result.frames[-1]
    alive = data.alive(data.last_year)
    assert sum(len(p[0]) for p in last.points.values()) == len(alive)
    assert last.density.sum() == len(alive)
    assert all(len(f.hulls) == len(f.spots) for f in result.frames)
    assert any(len(f.spots) for f in result.frames)


def test_lifecycle_stages_are_those_of_the_measure(run_folder):
    data = load_cluster(run_folder)
    result = lifecycle_data(data)
    firms, flows = result.rows[0][1]["firms"], result.rows[1][1]
    expected = lifecycle_stage(firms, flows["entries"], flows["exits"])
    assert (result.stages == expected).all()
    ind = data.indicators.set_index("step")
    assert firms[-1] == ind["n_firms"].iloc[-1] + ind["n_leaders"].iloc[-1]


def test_network_draws_at_most_max_edges_and_says_so(run_folder):
    data = load_cluster(run_folder)
    full = network_data(data)
    capped = network_data(data, max_edges=3)
    assert len(capped.edges) == 3 < full.total_edges == capped.total_edges
    assert any("Only the 3 strongest" in note for note in capped.notes)
    alive = data.alive(data.last_year)
    intermediaries = set(alive.loc[alive["kind"] == "intermediary", "org_id"])
    assert intermediaries <= set(capped.nodes["org_id"])


def test_private_platform_owner_is_the_one_the_model_recorded(tmp_path):
    folder = small_run(
        tmp_path,
        steps=8,
        **{"governance.regime": "platform", "governance.platform_owner": "private"},
    )
    data = load_cluster(folder)
    owner, sentence = platform_owner(data)
    assert data.indicators["platform_owner"].dropna().unique().tolist() == [owner]
    assert data.organizations.set_index("org_id").loc[owner, "kind"] == "leader"
    assert "private platform" in sentence
    assert network_data(data).nodes["owner"].sum() == 1
    # Tables without the column: the owner is inferred as the model picks it, the largest
    # leading company (by the employees the table records).
    data.indicators = data.indicators.drop(columns="platform_owner")
    inferred, sentence = platform_owner(data)
    leaders = data.alive(1)
    leaders = leaders[leaders["kind"] == "leader"]
    assert inferred == leaders.loc[leaders["employees"].idxmax(), "org_id"]
    assert "inferred" in sentence


def test_marker_size_grows_with_employees_and_stays_bounded():
    employees = np.array([0, 1, 2, 10, 100, 1_000, 10_000, 100_000, 1_000_000], dtype=float)
    size = marker_size(employees)
    assert size.dtype == np.float32 and size.shape == employees.shape
    assert np.all(np.diff(size) > 0)
    assert size[0] == 4.0 and 4.0 <= size.min() and size.max() <= 4.0 + 4.0 * 6.0 + 1e-5
    # The docstring's landmarks: 1 -> 5, 100 -> 12, 10^4 -> 20 (px, rounded).
    np.testing.assert_allclose(size[[1, 4, 6]], [5.2, 12.0, 20.0], atol=0.05)
    assert marker_size(np.array([np.nan]))[0] == size[1]  # unknown: drawn as one employee


def test_frame_years_keep_the_first_and_last_and_at_most_max_frames():
    years = np.arange(2000, 2031)
    for n in (2, 5, 7, 30):
        chosen = frame_years(years, n)
        assert len(chosen) == n and chosen[0] == 2000 and chosen[-1] == 2030
        assert np.all(np.diff(chosen) > 0) and set(chosen) <= set(years)
    np.testing.assert_array_equal(frame_years(years, 31), years)
    np.testing.assert_array_equal(frame_years(years[:3], 10), years[:3])


@pytest.mark.parametrize("which", ["run", "data"])
def test_lifecycle_counts_producers_alive_each_year_as_pandas_does(which, run_folder, real_folder):
    folder = run_folder if which == "run" else real_folder
    data = load_cluster(folder)
    result = lifecycle_data(data)
    orgs = _organizations(folder)
    producers = orgs[orgs["kind"].isin(PRODUCERS)]
    expected = [len(_alive(producers, year)) for year in data.years]
    np.testing.assert_array_equal(result.years, data.years)
    np.testing.assert_array_equal(result.rows[0][1]["firms"], expected)
    if which == "data":  # flows from the table: producers born after the first year, exits
        flows = result.rows[1][1]
        born = producers["born"].value_counts()
        exited = producers["exited"].dropna().astype(int).value_counts()
        first = data.years[0]
        entries = [born.get(y, 0) if y > first else 0 for y in data.years]
        np.testing.assert_array_equal(flows["entries"], entries)
        np.testing.assert_array_equal(flows["exits"], [exited.get(y, 0) for y in data.years])
        assert [title for title, _ in result.rows] == [
            "firms and leaders alive", "organisations per year",
        ]  # fmt: skip


@pytest.mark.parametrize("which", ["run", "data"])
def test_map_frames_hold_only_the_organisations_alive_that_year(which, run_folder, real_folder):
    folder = run_folder if which == "run" else real_folder
    data = load_cluster(folder)
    orgs = _organizations(folder)
    result = map_data(data, max_frames=5)
    assert len(result.frames) == 5
    for frame in result.frames:
        alive = _alive(orgs, frame.year)
        for kind in KINDS:
            x, y, size, ids = frame.points[kind]
            want = alive[alive["kind"] == kind].set_index("org_id")
            assert sorted(ids.tolist()) == sorted(want.index.tolist()), (frame.year, kind)
            assert len(x) == len(y) == len(size) == len(ids)
            np.testing.assert_allclose(x, want.loc[ids, "x"], rtol=1e-6)
            np.testing.assert_allclose(y, want.loc[ids, "y"], rtol=1e-6)
        assert frame.density.sum() == len(alive)
        assert frame.density.shape == (len(result.edges_y) - 1, len(result.edges_x) - 1)


def test_knowledge_and_phase_of_real_data_come_from_the_tables(real_folder):
    data = load_cluster(real_folder)
    orgs = _organizations(real_folder)
    filed = pd.read_csv(real_folder / "patents.csv")["year"].value_counts()
    filed = filed.reindex(data.years, fill_value=0).to_numpy(float)
    knowledge = knowledge_data(data)
    assert [title for title, _ in knowledge.rows] == ["patents"]
    patents = knowledge.rows[0][1]
    np.testing.assert_array_equal(patents["filed per year"], filed)
    np.testing.assert_allclose(patents["stock (d = 0.15)"], perpetual_inventory(filed, 0.15))
    phase = phase_data(data)
    alive = np.array([len(_alive(orgs, year)) for year in data.years], dtype=float)
    np.testing.assert_allclose(phase.knowledge, 100 * perpetual_inventory(filed) / alive)
    assert phase.phase is None and phase.action is None and phase.thresholds is None
    assert phase.alliances.min() >= 0 and phase.alliances[0] == 0  # alliances start in 2001


def test_techspace_counts_patents_per_field_and_links_every_field(real_folder):
    data = load_cluster(real_folder)
    result = techspace_data(data)
    per_field = pd.read_csv(real_folder / "patents.csv")["field"].value_counts().sort_index()
    np.testing.assert_array_equal(result.fields, per_field.index)
    np.testing.assert_array_equal(result.patents, per_field.to_numpy())
    n = len(result.fields)
    assert result.proximity.shape == (n, n) and np.allclose(result.proximity, result.proximity.T)
    assert len(result.edges) >= n - 1  # a spanning tree at least
    assert {i for edge in result.edges for i in edge} == set(range(n))
    alive = data.alive(data.last_year)
    assert result.focus == alive["region"].value_counts().idxmax()


def test_missing_data_are_said_in_words(tmp_path):
    bare = load_cluster(data_folder(tmp_path / "bare", alliances=False))
    with pytest.raises(Unavailable, match="no alliances: there is no alliance network"):
        network_data(bare)
    assert platform_owner(bare) == (None, "The tables record no knowledge platform.")
    data = load_cluster(data_folder(tmp_path / "data"))
    data.patents = data.patents.iloc[:0]
    for build in (techspace_data, concentration_data):
        with pytest.raises(Unavailable, match="no patents"):
            build(data)
    with pytest.raises(Unavailable, match="no knowledge stocks, patents or SECI flows"):
        knowledge_data(data)  # real data carry no stocks or flows: patents were all it had
